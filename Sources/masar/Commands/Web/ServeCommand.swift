import ArgumentParser
import Foundation
import Hummingbird
import Logging
import MasarCore
import MasarStore
import MasarWeb

extension Masar {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the web app: public progress pages, participants' votes and the lab staff's pages.",
            discussion: """
                Pages are in Arabic by default, with an English switch; the JSON API is under /api/v1 \
                (docs/openapi.json). Stop with Ctrl-C: requests in flight are finished first.
                """)

        @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
        @Option(help: "Port to listen on.") var port: Int = 8080
        @Option(help: ArgumentHelp("The address people use, e.g. https://masar.example.om (https makes cookies Secure).",
                                   valueName: "url"))
        var publicURL: String?
        @Option(help: ArgumentHelp("When the database is empty, fill it with a demo programme from this catalogue.",
                                   valueName: "dir"))
        var demoCatalogue: String?
        @Option(help: ArgumentHelp("""
            A file holding the server's secret key (at least \(Self.secretBytes) bytes; a final line break is left out), \
            which the forms' anti-forgery tokens are made with. Without it, $MASAR_SECRET; without either, a random key \
            is made at start: forms then expire when the server restarts, and several servers of one site cannot share it.
            """, valueName: "path"))
        var secretFile: String?
        @OptionGroup var store: StoreOptions

        static let secretBytes = 32

        func validate() throws {
            guard (1...65535).contains(port) else { throw ValidationError("--port must be from 1 to 65535, e.g. --port 8080.") }
            if let publicURL, URL(string: publicURL)?.scheme.map({ ["http", "https"].contains($0) }) != true {
                throw ValidationError("--public-url must start with https:// or http://, e.g. --public-url https://masar.example.om.")
            }
        }

        func run() async throws {
            let secret = try secret()
            let db = try await store.open()
            if let demoCatalogue {
                let hash = try await Passwords.hash(DemoProgramme.password)
                if let accounts = try await store.act({ try await DemoProgramme.createIfEmpty(db, catalogue: demoCatalogue, passwordHash: hash) }) {
                    Terminal.print("Created a demo programme from \(demoCatalogue). Staff accounts (password \(DemoProgramme.password)):")
                    for (name, what) in accounts { Terminal.print("  \(name) — \(what)") }
                }
            }
            var logger = Logger(label: "masar")
            logger.logLevel = .info
            let configuration = WebConfiguration(host: host, port: port, publicURL: publicURL, renderPool: RenderWorker.pool,
                                                 secret: secret)
            let web = try await WebApp(store: db, configuration: configuration)
            if secret == nil {
                Terminal.print("No --secret-file or MASAR_SECRET: forms use a random key, which lasts until this server stops.")
            }
            Terminal.print("Masar is serving on http://\(host):\(port)/ (Ctrl-C stops it).")
            try await web.application(configuration, logger: logger).runService()
        }

        /// The secret from `--secret-file`, else `MASAR_SECRET`; nil when neither is given.
        func secret() throws -> Data? {
            var secret: Data
            if let secretFile {
                guard let data = FileManager.default.contents(atPath: secretFile) else { throw refuse("cannot read --secret-file \(secretFile)") }
                secret = data
            } else if let text = ProcessInfo.processInfo.environment["MASAR_SECRET"], !text.isEmpty {
                secret = Data(text.utf8)
            } else {
                return nil
            }
            while let last = secret.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { secret.removeLast() }
            guard secret.count >= Self.secretBytes else {
                throw refuse("the secret has \(secret.count) bytes and needs at least \(Self.secretBytes); make one with "
                             + "`openssl rand -base64 48 > masar.secret` and pass --secret-file masar.secret.")
            }
            return secret
        }
    }

    struct Account: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Staff accounts for the web app: facilitators, reviewers, directors-general.",
            subcommands: [Add.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Create a staff account; the password is read from standard input.",
                discussion: """
                    The programme office gives out accounts. On a new database the first account is the \
                    programme office's own, made without --as:
                      printf '%s' "$PASSWORD" | masar account add Office --for programme-office
                      printf '%s' "$PASSWORD" | masar account add Aisha --for facilitator --as Office
                      printf '%s' "$PASSWORD" | masar account add "DG of Health" --for director-general --institution "Ministry of Health" --as Office
                    """)
            @Argument(help: "The name the account signs in with (and acts as, with --as).") var name: String
            @Option(name: .customLong("for"), help: ArgumentHelp("The account's role: facilitator, quality-reviewer, director-general, programme-office or institution-representative.", valueName: "role"))
            var accountRole: LabRole
            @Option(help: "The institution a director-general signs for, or a representative speaks for, as service maps name it.")
            var institution: String?
            @Option(name: .customLong("as"), help: ArgumentHelp("Your programme-office account (not needed for the very first account).",
                                                               valueName: "name"))
            var creator: String?
            @Option(help: ArgumentHelp("Optional: the role you expect your account to have.", valueName: "role"))
            var role: LabRole?
            @OptionGroup var store: StoreOptions

            func run() async throws {
                let password = readLine(strippingNewline: true) ?? ""
                try await store.act { if let refusal = LabRules.newPassword(password) { throw refusal } }
                let db = try await store.open()
                let hash = try await Passwords.hash(password)
                try await store.act {
                    var member: Member?
                    if let creator { member = try await IdentityOptions.member(named: creator, role: role, in: db) }
                    try await db.createAccount(name: name, role: accountRole, institution: institution, passwordHash: hash,
                                               by: member)
                }
                Terminal.print("Account '\(name)' (\(accountRole.rawValue)\(institution.map { ", \($0)" } ?? "")) created.")
            }
        }
    }
}
