import Crypto
import Foundation
import MasarCore

/// The secret kept outside the database (DESIGN "Trust"): civil ID numbers are stored only as
/// HMAC-SHA-256 under it, so a copy of the database or an export cannot be matched against a
/// list of civil IDs without it. `masar serve` and the CLI read the same one.
public struct LabSecret: Sendable {
    /// The key's bytes (Crypto's `SymmetricKey` is not `Sendable`; one is made per use).
    let key: [UInt8]

    /// The environment variable holding the secret itself.
    public static let environmentVariable = "MASAR_SECRET"
    /// The environment variable naming a file that holds it.
    public static let fileVariable = "MASAR_SECRET_FILE"
    static let shortest = 32

    public init(_ bytes: Data, source: String) throws {
        guard bytes.count >= Self.shortest else { throw Refusal(.badSecret, ["source": source]) }
        key = Array(bytes)
    }

    /// The secret from `--secret-file`, else `MASAR_SECRET_FILE`, else `MASAR_SECRET`; nil when
    /// none is set. A file's trailing newline is not part of the secret.
    public static func load(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> LabSecret? {
        if let path = file ?? environment[fileVariable] {
            guard let data = FileManager.default.contents(atPath: path) else { throw Refusal(.unreadableFile, ["file": path]) }
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
            return try LabSecret(Data(text.utf8), source: path)
        }
        if let value = environment[environmentVariable] { return try LabSecret(Data(value.utf8), source: environmentVariable) }
        return nil
    }

    /// A secret for this process only.
    public static func random() -> LabSecret {
        try! LabSecret(Data(generate().utf8), source: "random")
    }

    /// A new random secret, for a file that `masar` then keeps (`openssl rand -hex 32` does the same).
    public static func generate() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Fingerprint.hex($0) }
    }

    /// HMAC-SHA-256 of `text` for one purpose, as lowercase hex; the purpose keeps one use's
    /// hashes from answering for another's.
    public func tag(_ purpose: String, _ text: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data((purpose + "\u{0}" + text).utf8), using: SymmetricKey(data: key))
        return Fingerprint.hex(mac)
    }

    /// What the store keeps of an eligibility list: each entry's keyed hash.
    public func eligibilityList(_ entries: [CivilID]) -> Set<String> {
        Set(entries.map { civilID($0).entryHash })
    }

    /// What the store keeps of a civil ID number and a year of birth.
    public func civilID(_ number: CivilID) -> CivilIDProof {
        CivilIDProof(idHash: tag("civil-id", number.digits),
                     entryHash: tag("eligibility", "\(number.digits)/\(number.birthYear)"))
    }
}

/// The keyed hashes of one person's civil ID: `idHash` keeps one registration per ID and phase,
/// `entryHash` matches an entry of the eligibility list (the ID with the year of birth).
public struct CivilIDProof: Equatable, Sendable {
    public var idHash: String
    public var entryHash: String
}
