import Crypto
import Foundation

/// SHA-256 as lowercase hex, the one form in which Masar stores every hash (maps, documents,
/// sign-in tokens).
public enum Fingerprint {
    public static func of(_ bytes: some DataProtocol) -> String {
        hex(SHA256.hash(data: bytes))
    }

    /// Bytes (a digest, a MAC, a key) as lowercase hex.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex = [UInt8]()
        hex.reserveCapacity(64)
        for byte in bytes {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    public static func of(_ text: String) -> String {
        of(Data(text.utf8))
    }
}
