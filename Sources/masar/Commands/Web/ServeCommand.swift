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

                The lab secret keys the forms' anti-forgery tokens and the civil ID hashes of eligibility \
                lists: --secret-file, else $MASAR_SECRET_FILE, else $MASAR_SECRET, else DB.secret beside the \
                database (made on first use, readable by its owner only). Every server of one site, and the \
                command line, must use the same one; keep it out of the database's backups.
                """)

        @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
        @Option(help: "Port to listen on.") var port: Int = 8080
        @Option(help: ArgumentHelp("The address people use, e.g. https://masar.example.om (https makes cookies Secure).",
                                   valueName: "url"))
        var publicURL: String?
        @Option(help: ArgumentHelp("When the database is empty, fill it with a demo programme from this catalogue.",
                                   valueName: "dir"))
        var demoCatalogue: String?
        @Option(help: ArgumentHelp("A folder of life-event files the pages bundle over the store's maps (default: the demo catalogue's life-events/).",
                                   valueName: "dir"))
        var lifeEvents: String?
        @OptionGroup var secret: SecretOptions
        @OptionGroup var store: StoreOptions

        func validate() throws {
            guard (1...65535).contains(port) else { throw ValidationError("--port must be from 1 to 65535, e.g. --port 8080.") }
            if let publicURL, URL(string: publicURL)?.scheme.map({ ["http", "https"].contains($0) }) != true {
                throw ValidationError("--public-url must start with https:// or http://, e.g. --public-url https://masar.example.om.")
            }
        }

        func run() async throws {
            let db = try await store.open()
            let key = try await store.act { try secret.secret(beside: store.path) }
            if let demoCatalogue {
                let hash = try await Passwords.hash(DemoProgramme.password)
                if let accounts = try await store.act({
                    try await DemoProgramme.createIfEmpty(db, catalogue: demoCatalogue, passwordHash: hash, secret: key)
                }) {
                    Terminal.print("Created a demo programme from \(demoCatalogue). Staff accounts (password \(DemoProgramme.password)):")
                    for (name, what) in accounts { Terminal.print("  \(name) — \(what)") }
                }
            }
            var logger = Logger(label: "masar")
            logger.logLevel = .info
            let events = try await store.act { try loadLifeEvents() }
            let configuration = WebConfiguration(host: host, port: port, publicURL: publicURL, renderPool: RenderWorker.pool,
                                                 secret: key, lifeEvents: events)
            let web = try await WebApp(store: db, configuration: configuration)
            // A vote whose window ends is sealed within a minute, even if nobody reads it.
            Task.detached {
                while !Task.isCancelled {
                    _ = try? await db.sealDueVotes()
                    try? await Task.sleep(for: .seconds(60))
                }
            }
            Terminal.print("Masar is serving on http://\(host):\(port)/ (Ctrl-C stops it).")
            try await web.application(configuration, logger: logger).runService()
        }
    }
}

extension Masar.Serve {
    /// The life events of `--life-events`, else of the demo catalogue's `life-events/` folder; a bad file is refused by line.
    func loadLifeEvents() throws -> [LifeEvent] {
        guard let folder = lifeEvents ?? demoCatalogue.map({ ($0 as NSString).appendingPathComponent("life-events") }),
              lifeEvents != nil || FileManager.default.fileExists(atPath: folder) else { return [] }
        return try Catalogue.files(in: [folder]).compactMap { file in
            if case .lifeEvent(let event) = try MapLoader.load(file: file) { return event }
            return nil
        }
    }
}

extension Masar {
    struct Account: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Staff accounts for the web app: facilitators, reviewers, directors-general.",
            subcommands: [Add.self, Password.self])

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

        struct Password: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Set a new password on a staff account (the programme office does); it is read from standard input.",
                discussion: """
                    Every sign-in of the account ends, and the reset is audit-logged:
                      printf '%s' "$PASSWORD" | masar account password Aisha --as Office
                    """)
            @Argument(help: "The account's name.") var name: String
            @OptionGroup var store: StoreOptions
            @OptionGroup var identity: IdentityOptions

            func run() async throws {
                let password = readLine(strippingNewline: true) ?? ""
                try await store.act { if let refusal = LabRules.newPassword(password) { throw refusal } }
                let db = try await store.open()
                let hash = try await Passwords.hash(password)
                try await store.act { try await db.resetPassword(account: name, passwordHash: hash, by: try await identity.member(in: db)) }
                Terminal.print("Account '\(name)' has a new password; its sign-ins have ended.")
            }
        }
    }
}
