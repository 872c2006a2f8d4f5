import Foundation
import Hummingbird
import MasarCore
import MasarReports
import MasarStore

/// Files to take away and sheets to print: the programme report in CSV, Markdown or HTML (the
/// CLI's `report`), a service's lab document in Markdown (the CLI's `document`), and a phase's
/// participants with their registration codes (the CLI's `participant list`).
struct ReportPages {
    let web: WebServices

    init(_ web: WebServices) {
        self.web = web
    }

    func register(_ routes: inout Routes) {
        // The programme report is public, as its page and the API's are.
        routes.add(.get, "/report/download", .everyone, report)
        routes.add(.get, "/manage/services/:service/document.md", .anyStaff, documentMarkdown)
        routes.add(.get, "/manage/participants", .may(.registerParticipants), participants)
    }

    /// The formats a report downloads in: their media type and file extension.
    enum Format: String, CaseIterable {
        case csv, markdown, html

        var mediaType: String {
            switch self {
            case .csv: "text/csv; charset=utf-8"
            case .markdown: "text/markdown; charset=utf-8"
            case .html: "text/html; charset=utf-8"
            }
        }

        var fileExtension: String { self == .markdown ? "md" : rawValue }
    }

    /// `?format=csv|markdown|html`, and `&phase=` for one phase (an unknown phase is refused by the store).
    func report(_ request: Request, context: MasarContext) async throws -> Response {
        let query = request.uri.queryParameters
        guard let format = Format(rawValue: query.get("format") ?? "") else {
            throw WebProblem(.unknownValue, field: "format")
        }
        let phase = query.get("phase").flatMap { $0.isEmpty ? nil : $0 }
        let report = ProgrammeReport.make(try await web.store.programmeSnapshot(phase: phase), phase: phase)
        let text = switch format {
        case .csv: report.csv
        case .markdown: report.document.markdown
        case .html: report.html
        }
        return Self.download(text, format: format, name: "programme-report")
    }

    /// The lab output document as Markdown, the same document the HTML page shows.
    func documentMarkdown(_ request: Request, context: MasarContext) async throws -> Response {
        let id = try context.parameters.require("service")
        let document = try LabDocument.make(try await web.store.documentContent(service: id))
        return Self.download(document.markdown, format: .markdown, name: id)
    }

    /// A file to save: its type, and a name made of the letters, digits and dashes of `name`
    /// (a service id or a fixed word), so that no header can be broken by it.
    static func download(_ text: String, format: Format, name: String) -> Response {
        let safe = String(name.unicodeScalars.filter { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-") }
            .map(Character.init)).prefix(80)
        let file = (safe.isEmpty ? "masar" : String(safe)) + "." + format.fileExtension
        return Response(status: .ok, headers: [.contentType: format.mediaType,
                                               .contentDisposition: "attachment; filename=\"\(file)\""],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A phase's participants with their codes, one card each when printed; `?phase=` picks the
    /// phase. Shown to whoever may register participants in that phase (`LabRules.listParticipants`).
    func participants(_ request: Request, context: MasarContext) async throws -> Response {
        let language = context.language
        let phases = try await web.store.phases().map(\.name)
        var data: [String: Any] = ["phases": phases.map { ["name": $0] }]
        if let phase = request.uri.queryParameters.get("phase").flatMap({ $0.isEmpty ? nil : String($0) }) {
            let people = try await web.participantsWithCodes(phase: phase, by: try context.staff().member)
            data["phase"] = phase
            data["phases"] = phases.map { ["name": $0, "selected": $0 == phase] as [String: Any] }
            data["people"] = people.map { person -> [String: Any] in
                ["name": person.name, "code": person.code,
                 "track": language.words[person.track == .digital ? "digital" : "inPerson"]!,
                 "institution": person.institution as Any, "verified": person.verification != nil]
            }
        }
        return web.pages.render("participants", title: language.words["participantList"]!, data, request: request, context: context)
    }
}

extension WebServices {
    /// A phase's participants with their registration codes, for whoever the rule lets read them
    /// (`LabRules.listParticipants`); every page that shows codes reads them through here.
    func participantsWithCodes(phase: String, by member: Member) async throws -> [ParticipantRecord] {
        let labs = try await store.labs().filter { $0.phaseName == phase }
        if let refusal = LabRules.listParticipants(in: labs, phase: phase, by: member) { throw refusal }
        return try await store.participants(phase: phase)
    }
}
