import Foundation
import MasarStore

/// Random tokens for sign-ins and forms, and the hash under which a sign-in is stored.
enum Tokens {
    /// 32 random bytes, URL-safe base64 (cookie- and header-safe).
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The store keeps only this, so a copy of the database signs nobody in.
    static func hash(_ token: String) -> String {
        Fingerprint.of(token)
    }

    /// Compares without stopping at the first difference, so timing tells nothing about a token.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
