import Foundation
import MasarCore

/// Where a PostgreSQL lab store is: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=…]`,
/// as libpq reads it. `sslmode` is `disable`, `prefer`, `require` or `verify-full` (libpq's
/// `allow` and `verify-ca` are refused by name: this client cannot keep their promises exactly).
public struct PostgresURL: Sendable, Equatable {
    public enum TLSMode: String, Sendable, CaseIterable {
        case disable, prefer, require, verifyFull = "verify-full"
    }

    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    public var tls: TLSMode

    /// Whether `text` names a PostgreSQL server rather than a file.
    public static func names(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public init(_ text: String) throws {
        func refuse(_ detail: String) -> Refusal { Refusal(.serverURL, ["url": Self.redacted(text), "detail": detail]) }
        guard Self.names(text), let components = URLComponents(string: text) else {
            throw refuse("it does not begin postgres:// or is not a URL")
        }
        guard let host = components.host, !host.isEmpty else { throw refuse("it names no host") }
        guard let user = components.user, !user.isEmpty else { throw refuse("it names no user") }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else { throw refuse("it names no database after the host") }
        var tls = TLSMode.prefer
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(TLSMode.init(rawValue:)) else {
                    throw refuse("sslmode is disable, prefer, require or verify-full")
                }
                tls = mode
            default:
                throw refuse("it has an unknown parameter \(item.name)")
            }
        }
        self.user = user
        self.password = components.password
        self.host = host
        self.port = components.port ?? 5432
        self.database = database
        self.tls = tls
    }

    /// The URL in full, password included, to open it again.
    public var text: String {
        var components = URLComponents()
        components.scheme = "postgres"
        components.user = user
        components.password = password
        components.host = host
        components.port = port
        components.path = "/" + database
        components.queryItems = [URLQueryItem(name: "sslmode", value: tls.rawValue)]
        return components.string!
    }

    /// The URL without its password, for messages and logs.
    public var shown: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    /// `text` with any password replaced, for a message about a URL that did not parse.
    static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? text
    }
}
