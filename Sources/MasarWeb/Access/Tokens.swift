import Crypto
import Foundation
import MasarStore

/// Random tokens for sign-ins and forms, and the hash under which a sign-in is stored.
enum Tokens {
    /// 32 random bytes, URL-safe base64 (cookie- and header-safe).
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return base64URL((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    static func base64URL(_ bytes: some DataProtocol) -> String {
        Data(bytes).base64EncodedString()
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

/// The anti-forgery token a browser's forms carry: an HMAC-SHA-256, under a key of the server's,
/// of who the browser is — its sign-in, or before it signs in a random visitor id of its own.
/// So a token is never a value someone else chose (a cookie they managed to set), a sign-in's
/// token is no other sign-in's, and signing in again gives a new one.
struct FormTokens: Sendable {
    /// Who a form is bound to.
    enum Holder {
        case signIn(String)
        case visitor(String)
    }

    /// Derived from the server's secret, so that the same secret can key other things apart.
    private let key: Data

    init(secret: LabSecret) {
        key = Data(secret.tag("form tokens", "").utf8)
    }

    func token(for holder: Holder) -> String {
        let subject = switch holder {
        case .signIn(let token): "sign-in:" + token
        case .visitor(let id): "visitor:" + id
        }
        return Tokens.base64URL(Data(HMAC<SHA256>.authenticationCode(for: Data(subject.utf8), using: SymmetricKey(data: key))))
    }
}
