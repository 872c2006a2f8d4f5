import Foundation
import Hummingbird
import MasarCore
import MasarStore

/// Setting up the work, from the dashboard: phases and labs, sessions held, service maps
/// imported, and participants registered at a session — the same store calls as the CLI's
/// `phase`, `lab`, `service import` and `participant add`.
struct ProgrammePages {
    let web: WebServices

    init(_ web: WebServices) {
        self.web = web
    }

    func register(_ routes: inout Routes) {
        routes.add(.post, "/manage/phases", .may(.createPhase), createPhase)
        routes.add(.post, "/manage/labs", .may(.openLab), openLab)
        routes.add(.post, "/manage/labs/:lab/sessions", .may(.recordSession), recordSession)
        routes.add(.post, "/manage/labs/:lab/services", .may(.importMap), importMap)
        routes.add(.post, "/manage/participants", .may(.registerParticipants), registerParticipant)
        routes.add(.post, "/manage/participants/sheet", .may(.registerParticipants), registerSheet)
        routes.add(.get, "/manage/participants/registered", .may(.registerParticipants), registered)
        routes.add(.post, "/manage/votes/:vote/sheet", .may(.recordBallots), recordBallotSheet)
    }

    /// The lab named by the number in the path.
    func labName(_ context: MasarContext) async throws -> String {
        let id = try context.number("lab")
        guard let lab = try await web.store.labs().first(where: { $0.id == id }) else { throw HTTPError(.notFound) }
        return lab.name
    }

    /// A comma-separated list from a form field, e.g. sectors.
    static func list(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func createPhase(_ request: Request, context: MasarContext) async throws -> Response {
        let form = try await Form(request, context: context)
        return try await onDashboard("phase", form, request, context) {
            try await web.store.createPhase(name: try form.text("name"), startsOn: try form.text("startsOn"), endsOn: form.optionalText("endsOn"),
                                            sectors: Self.list(form.optionalText("sectors")), targets: Self.list(form.optionalText("targets")),
                                            by: try context.staff().member)
            return Pages.redirect("/dashboard", notice: "done")
        }
    }

    func openLab(_ request: Request, context: MasarContext) async throws -> Response {
        let form = try await Form(request, context: context)
        return try await onDashboard("lab", form, request, context) {
            try await web.store.createLab(name: try form.text("name"), phase: try form.text("phase"),
                                          sectors: Self.list(form.optionalText("sectors")),
                                          facilitators: Self.list(form.optionalText("facilitators")), by: try context.staff().member)
            return Pages.redirect("/dashboard", notice: "done")
        }
    }

    func recordSession(_ request: Request, context: MasarContext) async throws -> Response {
        let lab = try await labName(context)
        let form = try await Form(request, context: context)
        return try await onDashboard("session-\(try context.number("lab"))", form, request, context) {
            try await web.store.recordSession(lab: lab, heldOn: try form.text("heldOn"), place: try form.text("place"),
                                              institutionRepresentatives: try form.integer("representatives"),
                                              communityMembers: try form.integer("community"), by: try context.staff().member)
            return Pages.redirect("/dashboard", notice: "done")
        }
    }

    /// A service map pasted as YAML; every problem is listed with its line, and nothing is imported then.
    func importMap(_ request: Request, context: MasarContext) async throws -> Response {
        let lab = try await labName(context)
        let form = try await Form(request, context: context)
        return try await onDashboard("import-\(try context.number("lab"))", form, request, context) {
            let revision = try await web.store.importService(yaml: try form.text("yaml"), file: "map.yaml", lab: lab,
                                                             by: try context.staff().member)
            return Pages.redirect("/manage/services/\(Pages.queryEscaped(revision.labServiceId))", notice: "done")
        }
    }

    /// Registers someone at a session (in person, or an institution's representative) and shows their code.
    func registerParticipant(_ request: Request, context: MasarContext) async throws -> Response {
        let form = try await Form(request, context: context)
        return try await onDashboard("participant", form, request, context) {
            let participant = try await web.store.registerParticipant(
                phase: try form.text("phase"), name: try form.text("name"), track: try form.choice("track", as: Track.self),
                kind: try form.choice("kind", as: ParticipantKind.self), institution: form.optionalText("institution"),
                by: try context.staff().member)
            return try registered([participant], request: request, context: context)
        }
    }

    /// A sheet of participants (`name,track,kind,institution`), pasted: all of them, or none.
    func registerSheet(_ request: Request, context: MasarContext) async throws -> Response {
        let form = try await Form(request, context: context)
        return try await onDashboard("sheet", form, request, context) {
            let people = try ParticipantSheet.read(try form.text("sheet"), file: "sheet.csv")
            let registered = try await web.store.registerParticipants(people, phase: try form.text("phase"), by: try context.staff().member)
            return try self.registered(registered, request: request, context: context)
        }
    }

    /// A dashboard form: refused, the dashboard again with the form as typed.
    func onDashboard(_ name: String, _ form: Form, _ request: Request, _ context: MasarContext,
                     _ action: () async throws -> Response) async throws -> Response {
        try await web.submit(form, as: name, request: request, context: context, page: StaffPages(web).dashboard, action)
    }

    /// After registering, the browser is sent to the page of the codes just given out (303), so
    /// that a reload or the language switch shows them again instead of registering anyone twice.
    func registered(_ people: [ParticipantRecord], request: Request, context: MasarContext) throws -> Response {
        let numbers = people.compactMap(\.id)
        guard let phase = people.first?.phaseId, let first = numbers.min(), let last = numbers.max() else {
            return Pages.redirect("/dashboard")
        }
        return Pages.redirect("/manage/participants/registered?phase=\(phase)&from=\(first)&to=\(last)")
    }

    /// The codes of the participants numbered `from`…`to` in a phase, to hand to each person: for
    /// whoever may read that phase's codes (`LabRules.listParticipants`).
    func registered(_ request: Request, context: MasarContext) async throws -> Response {
        let query = request.uri.queryParameters
        guard let phase = query.get("phase", as: Int64.self), let from = query.get("from", as: Int64.self),
              let to = query.get("to", as: Int64.self) else { throw Refusal(.notFound, ["kind": "participant", "id": ""]) }
        guard let name = try await web.store.phases().first(where: { $0.id == phase })?.name else {
            throw Refusal(.notFound, ["kind": "phase", "id": "#\(phase)"])
        }
        let people = try await web.participantsWithCodes(phase: name, by: try context.staff().member)
            .filter { (from...to).contains($0.id ?? 0) }
        return web.pages.render("registered", title: context.language.words["yourCode"]!,
                                ["people": people.map { ["name": $0.name, "code": $0.code] }], request: request, context: context)
    }

    /// A session's paper ballots (`code,choices`), pasted: all of them, or none.
    func recordBallotSheet(_ request: Request, context: MasarContext) async throws -> Response {
        let vote = try await web.store.vote(try context.number("vote"))
        let form = try await Form(request, context: context)
        let ballots = try BallotSheet.read(try form.text("sheet"), file: "ballots.csv")
        try await web.store.castBallots(vote: vote.id!, ballots, origin: .inPerson, by: try context.staff().member)
        return Pages.redirect("/manage/services/\(Pages.queryEscaped(vote.labServiceId))", notice: "done")
    }
}
