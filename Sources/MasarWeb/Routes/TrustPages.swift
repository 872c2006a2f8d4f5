import Foundation
import Hummingbird
import MasarCore
import MasarStore

/// What makes the lab's figures defensible, for staff: registrations waiting to be verified,
/// a phase's eligibility list, and the audit log's hash chain — the same store calls as the
/// CLI's `participant list --unverified`, `participant verify`, `participant eligibility` and `log --verify`.
struct TrustPages {
    let web: WebServices

    init(_ web: WebServices) {
        self.web = web
    }

    func register(_ routes: inout Routes) {
        routes.add(.get, "/manage/participants/unverified", .may(.verifyParticipants), unverified)
        routes.add(.post, "/manage/participants/:code/verify", .may(.verifyParticipants), verify)
        routes.add(.post, "/manage/phases/eligibility", .may(.loadEligibility), loadEligibility)
        routes.add(.get, "/manage/audit", .anyStaff, audit)
    }

    /// The unverified registrations, oldest first, of each phase whose codes this account may
    /// read (`LabRules.listParticipants`: a facilitator's own phases): they count in no turnout
    /// and no result.
    func unverified(_ request: Request, context: MasarContext) async throws -> Response {
        let language = context.language
        let member = try context.staff().member
        let labs = try await web.store.labs()
        let phases = try await web.store.phases().filter { phase in
            LabRules.listParticipants(in: labs.filter { $0.phase == phase.id }, phase: phase.name, by: member) == nil
        }.asyncMap { phase -> [String: Any] in
            ["name": phase.name,
             "people": try await web.store.unverifiedParticipants(phase: phase.name).map { person -> [String: Any] in
                 ["code": person.code, "name": person.name, "track": language.words[person.track == .digital ? "digital" : "inPerson"]!,
                  "registeredOn": LabRules.day(person.registeredAt)]
             }]
        }
        return web.pages.render("unverified", title: language.words["unverified"]!,
                                ["phases": phases, "mayLoadList": LabRules.may(.loadEligibility, member) == nil,
                                 "notice": request.uri.queryParameters.get("notice").flatMap { language.words[String($0)] } as Any],
                                request: request, context: context)
    }

    func verify(_ request: Request, context: MasarContext) async throws -> Response {
        _ = try await web.store.verifyParticipant(code: try context.parameters.require("code"), by: try context.staff().member)
        return Pages.redirect("/manage/participants/unverified", notice: "done")
    }

    /// A pasted eligibility list (`civil_id,birth_year`); the numbers are hashed here and go no further.
    func loadEligibility(_ request: Request, context: MasarContext) async throws -> Response {
        let form = try await Form(request, context: context)
        let entries = try EligibilitySheet.read(try form.text("list"), file: "eligibility.csv")
        try await web.store.loadEligibility(phase: try form.text("phase"), entries: web.secret.eligibilityList(entries),
                                            by: try context.staff().member)
        return Pages.redirect("/manage/participants/unverified", notice: "done")
    }

    /// The chain checked now: intact with its head, or the first entry rewritten, removed or inserted.
    func audit(_ request: Request, context: MasarContext) async throws -> Response {
        let result = try await web.store.verifyAuditLog(heads: [])
        return web.pages.render("audit", title: context.language.words["auditLog"]!,
                                ["entries": context.language.count(result.entries, "entries"), "head": result.head?.description ?? "—",
                                 "problem": result.problem?.message(in: context.language) as Any],
                                request: request, context: context, status: result.problem == nil ? .ok : .conflict)
    }
}
