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
            abstract: "The audit log: every transition, review and sign-off, oldest first.")
        @Argument(help: "A service id (default: everything).") var service: String?
        @OptionGroup var store: StoreOptions
        @Option(help: "table or json") var format: OutputFormat = .table

        func validate() throws { try OutputFormat.check(format, offered: [.table, .json]) }

        func run() async throws {
            let entries = try await store.act { try await store.open().auditLog(service: service) }
            if format == .json { return try Terminal.printJSON(entries) }
            let formatter = ISO8601DateFormatter()
            var table = Table(["when", "who", "role", "service", "action", "from → to", "note"],
                              alignments: [.left, .left, .left, .left, .left, .left, .left])
            for entry in entries {
                let move = entry.toStage.map { "\(entry.fromStage?.rawValue ?? "") → \($0.rawValue)" } ?? ""
                table.add([formatter.string(from: entry.at), entry.who, entry.role.rawValue, entry.serviceId ?? "",
                           entry.action, move, entry.note])
            }
            Terminal.print(table.rendered)
        }
    }
}
