import Foundation
import Hummingbird
import MasarBPMN
import MasarCore
import MasarStore
import Synchronization

/// A map file or a BPMN model uploaded into a lab from a file input (`multipart/form-data`):
/// a `.yaml` map is imported as the CLI's `service import` does; a `.bpmn` model goes through
/// the BPMN importer (the CLI's `import-bpmn`) and its processes are imported together, all or
/// none. What the importer had to approximate is shown on the page the upload leads to.
struct UploadPages {
    let web: WebServices

    init(_ web: WebServices) {
        self.web = web
    }

    func register(_ routes: inout Routes) {
        routes.add(.post, "/manage/labs/:lab/upload", .may(.importMap), upload)
        routes.add(.get, "/manage/uploads/:upload", .may(.importMap), uploaded)
    }

    /// What an uploaded file is, by its name's ending: the only two kinds taken.
    enum Kind {
        case map, bpmn

        init?(_ filename: String) {
            switch (filename as NSString).pathExtension.lowercased() {
            case "yaml", "yml": self = .map
            case "bpmn", "xml": self = .bpmn
            default: return nil
            }
        }
    }

    func upload(_ request: Request, context: MasarContext) async throws -> Response {
        let lab = try await ProgrammePages(web).labName(context)
        let form = try await Form(request, context: context)
        guard let file = form.files["file"], !file.data.isEmpty else { throw WebProblem(.required, field: "file") }
        // Only the file's own name, never a path the browser sent with it.
        let name = (file.filename.replacingOccurrences(of: "\\", with: "/") as NSString).lastPathComponent
        guard let kind = Kind(name) else {
            throw WebProblem(.notAMap, field: "file")
        }
        let maps: [(yaml: String, file: String)]
        var warnings: [String] = []
        switch kind {
        case .map:
            guard let yaml = String(data: file.data, encoding: .utf8) else { throw WebProblem(.notText, field: "file") }
            maps = [(yaml, name)]
        case .bpmn:
            let read = BPMNImport.read(file.data, file: name)
            guard read.refused.isEmpty else {
                throw MapIssues(read.refused.map { MapIssue(file: $0.file, line: $0.line, message: $0.message, arabic: $0.arabic) })
            }
            guard !read.imported.isEmpty else { throw WebProblem(.noProcess, field: "file") }
            maps = read.imported.map { ($0.yaml, name) }
            // In the page's language: the importer writes each warning in English and in Arabic.
            warnings = read.imported.flatMap { process in process.warnings(in: context.language).map { "\(process.name): \($0)" } }
                + read.skipped(in: context.language)
        }
        let account = try context.staff()
        let revisions = try await web.store.importServices(maps, lab: lab, by: account.member)
        let token = web.uploads.keep(Upload(account: account.id, services: revisions.map(\.labServiceId), warnings: warnings,
                                            language: context.language))
        return Pages.redirect("/manage/uploads/\(token)")
    }

    /// What an upload imported, and the importer's warnings; only its uploader sees it.
    func uploaded(_ request: Request, context: MasarContext) async throws -> Response {
        let account = try context.staff()
        guard let upload = web.uploads.find(try context.parameters.require("upload"), account: account.id) else {
            throw HTTPError(.notFound)
        }
        let services = try await upload.services.asyncMap { id -> [String: Any] in
            ["id": id, "title": context.language.pick(try await web.store.latestMap(service: id).title)]
        }
        // The warnings are marked with the language they were written in, the page's when the upload was made.
        return web.pages.render("uploaded", title: context.language.words["uploaded"]!,
                                ["services": services, "warnings": upload.warnings,
                                 "warningsLang": upload.language.rawValue, "warningsDir": upload.language.direction],
                                request: request, context: context)
    }
}

/// What one upload imported, kept for the page its form redirects to.
struct Upload: Sendable {
    var account: Int64?
    var services: [String]
    /// The importer's warnings, in `language`.
    var warnings: [String]
    /// The language of the page the upload was made from, which the warnings are written in.
    var language: Language
}

/// Uploads just made, by a random token, so that the form can redirect (post/redirect/get) and
/// the next page still show the importer's warnings. Kept in memory for an hour at most.
final class Uploads: Sendable {
    private let kept = Mutex<[String: (upload: Upload, until: Date)]>([:])
    static let capacity = 1_000
    static let lifetime: TimeInterval = 3600

    func keep(_ upload: Upload) -> String {
        let token = Tokens.make(), now = Date()
        kept.withLock { table in
            table = table.filter { $0.value.until > now }
            if table.count >= Self.capacity { table.removeAll() }
            table[token] = (upload, now.addingTimeInterval(Self.lifetime))
        }
        return token
    }

    func find(_ token: String, account: Int64?) -> Upload? {
        guard let entry = kept.withLock({ $0[token] }), entry.until > Date(), entry.upload.account == account else { return nil }
        return entry.upload
    }
}
