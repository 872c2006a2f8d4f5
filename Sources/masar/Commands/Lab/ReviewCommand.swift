import ArgumentParser
import Foundation
import MasarCore
import MasarStore

extension ReviewVerdict: ExpressibleByArgument {}

extension Masar {
    struct Review: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Review a service's output document: approve, or request amendments.",
            discussion: "Amendments send the service back to future-design; the reasons are kept.")
        @Argument(help: "The service id.") var service: String
        @Option(help: "approve or amend") var verdict: ReviewVerdict
        @Option(help: "Why (required to request amendments).") var reasons: String = ""
        @OptionGroup var store: StoreOptions
        @OptionGroup var identity: IdentityOptions

        func run() async throws {
            let db = try await store.open()
            try await store.act { try await db.review(service: service, verdict: verdict, reasons: reasons, by: try await identity.member(in: db)) }
            let stage = try await store.act { try await db.status(service: service).stage }
            Terminal.print("\(service): \(verdict == .approve ? "approved" : "amendments requested"); now in \(stage.rawValue).")
        }
    }

    struct SignOff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "signoff",
            abstract: "Sign off a service's future path for your institution, as its director-general.",
            discussion: "When every institution that owns a future step has signed, the service is signed off and frozen.")
        @Argument(help: "The service id.") var service: String
        @Option(help: "The institution you sign for (default: your account's); any other is refused.") var institution: String?
        @OptionGroup var store: StoreOptions
        @OptionGroup var identity: IdentityOptions

        func run() async throws {
            let db = try await store.open()
            let member = try await store.act { try await identity.member(in: db) }
            let institution = self.institution ?? member.institution ?? ""
            let stage = try await store.act { try await db.signOff(service: service, institution: institution, by: member) }
            if stage == .signedOff {
                Terminal.print("\(service) is signed off: every institution of the future path has signed.")
            } else {
                let waiting = try await store.act { try await db.status(service: service).awaitingSignOff }
                Terminal.print("\(institution) signed off \(service); awaiting \(waiting.joined(separator: ", ")).")
            }
        }
    }

    struct Log: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The audit log: every transition, review and sign-off, oldest first.",
            discussion: """
                Each entry carries a SHA-256 over its content and the entry before it. --verify checks the \
                chain and the head recorded at each sign-off, and names the first entry rewritten, removed or \
                inserted; exit 1 then. A head printed on a signed document (--head 42:ab12…) is checked too, \
                which also catches a chain recomputed after a rewrite.
                """)
        @Argument(help: "A service id (default: everything).") var service: String?
        @Flag(help: "Check the hash chain instead of listing it.") var verify = false
        @Option(help: ArgumentHelp("A head from paper, ENTRY:SHA256, to check with --verify (repeat).", valueName: "head"))
        var head: [String] = []
        @OptionGroup var store: StoreOptions
        @Option(help: "table or json") var format: OutputFormat = .table

        func validate() throws {
            try OutputFormat.check(format, offered: [.table, .json])
            if !head.isEmpty && !verify { throw ValidationError("--head is checked by --verify: add --verify.") }
            if verify && service != nil { throw ValidationError("--verify checks the whole log; leave out the service id.") }
            for text in head where AuditChain.Head(text) == nil {
                throw ValidationError("--head '\(text)' is not ENTRY:SHA256, e.g. --head 42:\(String(repeating: "ab", count: 32)).")
            }
        }

        func run() async throws {
            if verify { return try await check() }
            let entries = try await store.act { try await store.open().auditLog(service: service) }
            if format == .json { return try Terminal.printJSON(entries) }
            let formatter = ISO8601DateFormatter()
            var table = Table(["#", "when", "who", "role", "service", "action", "from → to", "note"],
                              alignments: [.right, .left, .left, .left, .left, .left, .left, .left])
            for entry in entries {
                let move = entry.toStage.map { "\(entry.fromStage?.rawValue ?? "") → \($0.rawValue)" } ?? ""
                table.add([entry.id.map(String.init) ?? "", formatter.string(from: entry.at), entry.who, entry.role.rawValue,
                           entry.serviceId ?? "", entry.action, move, entry.note])
            }
            Terminal.print(table.rendered)
        }

        func check() async throws {
            let result = try await store.act { try await store.open().verifyAuditLog(heads: head.compactMap(AuditChain.Head.init)) }
            if format == .json {
                try Terminal.printJSON(AuditCheck(entries: result.entries, head: result.head?.description,
                                                  intact: result.problem == nil, code: result.problem?.code.rawValue,
                                                  problem: result.problem?.message(in: store.lang)))
            } else if let problem = result.problem {
                Terminal.error((store.lang == .arabic ? "السجل غير سليم: " : "the audit log does not verify: ") + problem.message(in: store.lang))
            } else {
                Terminal.print(store.lang == .arabic
                    ? "السجل سليم: \(result.entries) قيدًا، آخرها \(result.head?.description ?? "—")"
                    : "The audit log verifies: \(result.entries) entries, head \(result.head?.description ?? "none").")
            }
            if result.problem != nil { throw ExitCode.failure }
        }

        /// `log --verify --format json`.
        struct AuditCheck: Encodable {
            var entries: Int
            var head: String?
            var intact: Bool
            var code: String?
            var problem: String?
        }
    }
}
