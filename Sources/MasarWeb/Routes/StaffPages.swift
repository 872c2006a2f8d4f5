import Foundation
import Hummingbird
import MasarCore
import MasarReports
import MasarStore

/// Facilitators, reviewers and directors-general: sign in, see their labs, and move each service
/// through its stages — pain points, improvements, votes, the output document, review and sign-off.
/// Each form calls the one store function that holds the rule; a refusal is shown as it reads.
struct StaffPages {
    let web: WebServices

    init(_ web: WebServices) {
        self.web = web
    }

    func register(_ routes: inout Routes) {
        routes.add(.get, "/staff/signin", .everyone, signInForm)
        routes.add(.post, "/staff/signin", .everyone, signIn)
        routes.add(.get, "/dashboard", .anyStaff, dashboard)
        routes.add(.get, "/manage/services/:service", .anyStaff, manage)
        routes.add(.get, "/manage/services/:service/document", .anyStaff, document)
        routes.add(.post, "/manage/services/:service/document", .may(.recordDocument), generateDocument)
        routes.add(.post, "/manage/services/:service/advance", .may(.advance), advance)
        routes.add(.post, "/manage/services/:service/pain-points", .may(.recordPainPoint), addPainPoint)
        routes.add(.post, "/manage/services/:service/improvements", .may(.proposeImprovement), propose)
        routes.add(.post, "/manage/improvements/:improvement/decision", .may(.decideImprovement), decide)
        routes.add(.post, "/manage/pain-points/:painPoint/moderation", .may(.moderate)) { request, context in
            try await moderate(.painPoint(try context.number("painPoint")), request, context)
        }
        routes.add(.post, "/manage/improvements/:improvement/moderation", .may(.moderate)) { request, context in
            try await moderate(.improvement(try context.number("improvement")), request, context)
        }
        routes.add(.post, "/manage/services/:service/votes", .may(.openVote), openVote)
        routes.add(.post, "/manage/votes/:vote/close", .may(.closeVote), closeVote)
        routes.add(.post, "/manage/votes/:vote/ballots", .may(.recordInPersonBallot), recordBallot)
        routes.add(.post, "/manage/votes/:vote/tallies", .may(.recordTally), recordTally)
        routes.add(.post, "/manage/services/:service/review", .may(.review), review)
        routes.add(.post, "/manage/services/:service/sign-off", .may(.signOff), signOff)
    }

    func signInForm(_ request: Request, context: MasarContext) async throws -> Response {
        signInPage(request, context: context)
    }

    func signInPage(_ request: Request, context: MasarContext, failed: Bool = false) -> Response {
        web.pages.render("staff-signin", title: context.language.words["staffSignIn"]!,
                         ["next": request.uri.queryParameters.get("next") ?? "", "failed": failed],
                         request: request, context: context, status: failed ? .unauthorized : .ok)
    }

    func signIn(_ request: Request, context: MasarContext) async throws -> Response {
        let form = try await Form(request, context: context)
        guard let who = try await web.staff(name: try form.text("name"), password: form.fields["password"]?.first ?? "",
                                            from: context.remoteAddress) else {
            return signInPage(request, context: context, failed: true)
        }
        return try await web.signedInResponse(who, next: form.optionalText("next"))
    }

    /// The labs and their services, each with its stage and what it waits for.
    func dashboard(_ request: Request, context: MasarContext) async throws -> Response {
        let account = try context.staff()
        let member = account.member
        let language = context.language
        let statuses = Dictionary(uniqueKeysWithValues: try await web.store.statuses().map { ($0.service, $0) })
        let labs = try await web.store.labs().asyncMap { lab -> [String: Any] in
            let services = try await web.store.services(lab: lab.id).compactMap { statuses[$0] }.asyncMap { status -> [String: Any] in
                let map = try await web.store.latestMap(service: status.service)
                let mine = account.role == .directorGeneral && status.awaitingSignOff.contains(account.institution ?? "")
                    || account.role == .qualityReviewer && status.stage == .review
                return ["id": status.service, "title": language.pick(map.title), "stage": language.stage(status.stage),
                        "stageKey": status.stage.rawValue, "awaiting": (status.awaitingSignOff.isEmpty ? nil : status.awaitingSignOff.joined(separator: "، ")) as Any,
                        "yours": mine]
            }
            // What this account may do in this lab, as the rules say.
            let offered = { (action: LabAction) in LabRules.may(action, member) ?? LabRules.facilitates(lab, member) == nil }
            return ["name": lab.name, "labId": lab.id, "facilitator": lab.facilitators.sorted().joined(separator: "، "),
                    "keptHere": context.kept?.data(ifFor: ["session", "import"], item: lab.id) as Any,
                    "sessionForm": ["representatives": context.kept?.value("representatives", of: "session-\(lab.id)") ?? "0",
                                    "community": context.kept?.value("community", of: "session-\(lab.id)") ?? "0"],
                    "services": services, "mayRecordSession": offered(.recordSession), "mayImport": offered(.importMap),
                    "mayAssign": LabRules.may(.assignFacilitator, member) == nil]
        }
        let may = { (action: LabAction) in LabRules.may(action, member) == nil }
        let data: [String: Any] = [
            "labs": labs, "role": language.name("role", account.role.rawValue), "institution": account.institution as Any,
            "phases": try await web.store.phases().map { ["name": $0.name] },
            "mayCreatePhase": may(.createPhase), "mayOpenLab": may(.openLab), "mayRegister": may(.registerParticipants),
            "mayVerify": may(.verifyParticipants), "mayCreateAccounts": may(.createAccounts),
            "notice": request.uri.queryParameters.get("notice").flatMap { language.words[String($0)] } as Any,
        ]
        return web.pages.render("dashboard", title: language.words["dashboard"]!, data, request: request, context: context)
    }

    /// One service: its stage, pain points, improvements and votes, with the forms the rules let
    /// this account use here.
    func manage(_ request: Request, context: MasarContext) async throws -> Response {
        try await manage(try context.parameters.require("service"), request, context)
    }

    func manage(_ id: String, _ request: Request, _ context: MasarContext) async throws -> Response {
        let account = try context.staff()
        let member = account.member
        let state = try await web.store.serviceState(id)
        let status = try await web.store.status(service: id)
        let map = try await web.store.latestMap(service: id)
        let language = context.language
        let now = Date()
        // Offered when the role and scope allow it; what the stage still lacks is told on submitting.
        let offered = { (action: LabAction) in LabRules.may(action, member) ?? LabRules.actsOn(state, member) == nil }
        let painPoints = try await web.store.painPoints(service: id)
        let serviceVotes = try await web.store.votes(service: id)
        let kept = context.kept
        /// What a form shows in `field`: what was typed, after a refusal, else its default.
        func shown(_ form: String, _ field: String, _ otherwise: String) -> String { kept?.value(field, of: form) ?? otherwise }
        let votes = try await serviceVotes.asyncMap { vote -> [String: Any] in
            let paper = kept?.name == "ballot-\(vote.id!)" ? kept : nil
            // Hidden from staff too until the close, unless the vote shows live results.
            let results = try? await web.store.results(vote: vote.id!)
            return ["id": vote.id!, "question": language.content(vote.question), "mode": language.words["mode." + vote.mode.rawValue]!,
                    "open": vote.terms.isOpen(at: now), "closed": vote.terms.isClosed(at: now),
                    "choices": try await web.store.choices(vote: vote.id!).map {
                        ["id": $0.id, "text": language.content($0.text), "paperWeight": paper?.values["choice-\($0.id)"] ?? "0"]
                    },
                    "keptHere": kept?.data(ifFor: ["ballot", "tally", "close"], item: vote.id!) as Any,
                    "results": results.map { PublicPages.resultsData($0, language) } as Any]
        }
        // Community members' contributions wait here for a facilitator of the lab.
        let mayModerate = LabRules.contribute(.moderate, on: state, by: member) == nil
        let waiting = mayModerate ? try await web.store.unpublished(service: id, for: member).pending
            : Contributions(painPoints: [], improvements: [])
        let pendingPoints = waiting.painPoints.map { point -> [String: Any] in
            ["kind": language.words["painPoint"]!, "path": "pain-points", "number": point.id!, "by": point.recordedBy,
             "step": language.step(point.stepId, of: map), "text": language.content(point.text)]
        }
        let pendingProposals = waiting.improvements.map(\.improvement).map { item -> [String: Any] in
            ["kind": language.words["improvement"]!, "path": "improvements", "number": item.id!, "by": item.proposedBy,
             "text": language.content(item.text)]
        }
        let pending = pendingPoints + pendingProposals
        var data: [String: Any] = [
            "id": id, "name": language.pick(map.title), "stage": language.stage(status.stage), "stageKey": status.stage.rawValue,
            "revision": status.revision, "documentGenerated": status.documentGenerated,
            "awaiting": status.awaitingSignOff.map { ["institution": $0,
                                                      "mine": LabRules.signOff(state, institution: $0, by: member) == nil] },
            "mayModerate": mayModerate, "pending": pending, "hasPending": !pending.isEmpty,
            "voteForm": ["budget": shown("vote", "budget", "5"), "cap": shown("vote", "cap", "3")],
            "painPoints": painPoints.map { ["number": $0.id!, "step": language.step($0.stepId, of: map), "category": language.name("category", $0.category.rawValue),
                                            "severity": $0.severity, "text": language.content($0.text)] },
            "improvements": try await web.store.improvements(service: id).map { item -> [String: Any] in
                ["number": item.improvement.id!, "text": language.content(item.improvement.text),
                 "status": language.name("status", item.improvement.status.rawValue),
                 "keptHere": kept?.data(ifFor: ["decision"], item: item.improvement.id!) as Any,
                 "proposed": item.improvement.status == .proposed,
                 "addresses": item.addresses.map { "#\($0)" }.joined(separator: " ")]
            },
            "votes": votes,
            "closedVotes": serviceVotes.filter { $0.terms.isClosed(at: now) }.map { ["id": $0.id!] },
            "closes": shown("vote", "closes", MuscatTime.field(now.addingTimeInterval(7 * 86_400))), "earliestClose": MuscatTime.field(now),
            "modes": [VoteMode.dots, .support, .poll].map { ["value": $0.rawValue, "name": language.words["mode." + $0.rawValue]!,
                                                             "selected": shown("vote", "mode", "") == $0.rawValue] },
            "mayAdvance": offered(.advance) && state.stage != .signedOff, "mayPainPoint": offered(.recordPainPoint),
            "mayPropose": offered(.proposeImprovement), "mayDecide": offered(.decideImprovement), "mayOpenVote": offered(.openVote),
            "mayRunVotes": offered(.closeVote), "mayDocument": offered(.recordDocument),
            "mayReview": LabRules.review(state, verdict: .approve, reasons: "", by: member) == nil,
            "maySignOff": state.awaitingSignOff.contains { LabRules.signOff(state, institution: $0, by: member) == nil },
            "audit": try await web.store.auditLog(service: id).suffix(12).reversed().map { entry -> [String: Any] in
                ["at": language.time(entry.at), "iso": LabRules.instant(entry.at), "who": entry.who, "role": language.name("role", entry.role.rawValue),
                 "action": language.name("audit", entry.action), "note": entry.note]
            },
            "notice": request.uri.queryParameters.get("notice").flatMap { language.words[String($0)] } as Any,
        ]
        data.merge(ContributionForms.data(map, painPoints: painPoints, path: "/manage/services/\(Pages.queryEscaped(id))", sources: true,
                                          kept: kept, language: language)) { page, _ in page }
        return web.pages.render("manage", title: language.pick(map.title), data, request: request, context: context)
    }

    /// The lab output document as reviewers and directors-general read it.
    func document(_ request: Request, context: MasarContext) async throws -> Response {
        let id = try context.parameters.require("service")
        let content = try await web.store.documentContent(service: id)
        let html = try LabDocument.make(content).html
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    func generateDocument(_ request: Request, context: MasarContext) async throws -> Response {
        let id = try context.parameters.require("service")
        return try await act(on: id, "document", request, context) {
            _ = try await LabDocument.generate(service: id, in: web.store, by: try context.staff().member)
        }
    }

    func advance(_ request: Request, context: MasarContext) async throws -> Response {
        let id = try context.parameters.require("service")
        return try await act(on: id, "advance", request, context) {
            try await web.store.advance(service: id, by: try context.staff().member)
        }
    }

    func addPainPoint(_ request: Request, context: MasarContext) async throws -> Response {
        let id = try context.parameters.require("service")
        let form = try await Form(request, context: context)
        return try await act(on: id, "painPoint", request, context, form: form) {
            try await web.store.addPainPoint(service: id, step: try form.text("step"),
                                             category: try form.choice("category", as: PainPointCategory.self),
                                             severity: try form.integer("severity"), source: try form.choice("source", as: PainPointSource.self),
                                             text: form.bilingual("text"), by: try context.staff().member)
        }
    }

    func propose(_ request: Request, context: MasarContext) async throws -> Response {
        let id = try context.parameters.require("service")
        let form = try await Form(request, context: context)
        return try await act(on: id, "propose", request, context, form: form) {
            let addresses = try form.weights(prefix: "addresses").keys.sorted()
            try await web.store.proposeImprovement(service: id, text: form.bilingual("text"), addresses: addresses,
                                                   by: try context.staff().member)
        }
    }

    func decide(_ request: Request, context: MasarContext) async throws -> Response {
        let improvement = try context.number("improvement")
        let form = try await Form(request, context: context)
        return try await act(on: try form.text("service"), "decision-\(improvement)", request, context, form: form) {
            let status = try form.choice("decision", as: ImprovementStatus.self)
            if status == .accepted, let vote = form.optionalText("vote") {
                // Accepted as a closed vote chose it: the improvement records the vote.
                guard let vote = Int64(vote) else { throw WebProblem(.wholeNumber, field: "vote") }
                try await web.store.acceptFromVote(improvement, vote: vote, by: try context.staff().member)
            } else {
                try await web.store.decideImprovement(improvement, status, by: try context.staff().member)
            }
        }
    }

    /// A facilitator publishes a community member's contribution, or declines it.
    func moderate(_ contribution: Contribution, _ request: Request, _ context: MasarContext) async throws -> Response {
        let form = try await Form(request, context: context)
        return try await act(on: try form.text("service"), "moderate-\(contribution.id)", request, context, form: form) {
            let publish = switch try form.text("decision") {
            case "publish": true
            case "decline": false
            default: throw WebProblem(.unknownValue, field: "decision")
            }
            try await web.store.moderate(contribution, publish: publish, by: try context.staff().member)
        }
    }

    func openVote(_ request: Request, context: MasarContext) async throws -> Response {
        let id = try context.parameters.require("service")
        let form = try await Form(request, context: context)
        return try await act(on: id, "vote", request, context, form: form) {
            // The window's bounds are the rules' (LabRules.openVote); the form gives its close to the minute, in Muscat time.
            guard let closes = MuscatTime.instant(try form.text("closes")) else { throw WebProblem(.dateTime, field: "closes") }
            try await web.store.openVote(service: id, mode: try form.choice("mode", as: VoteMode.self), question: form.bilingual("question"),
                                         opensAt: Date(), closesAt: closes,
                                         supportLimit: try form.optionalInteger("limit"), dotBudget: try form.optionalInteger("budget"),
                                         dotCap: try form.optionalInteger("cap"),
                                         options: form.bilingualLines("options"),
                                         liveResults: form.optionalText("live") != nil, by: try context.staff().member)
        }
    }

    func closeVote(_ request: Request, context: MasarContext) async throws -> Response {
        let vote = try await web.store.vote(try context.number("vote"))
        return try await act(on: vote.labServiceId, "close-\(vote.id!)", request, context) {
            try await web.store.closeVote(vote.id!, by: try context.staff().member)
        }
    }

    /// A ballot a participant gave at a session, entered by the facilitator (origin in-person).
    func recordBallot(_ request: Request, context: MasarContext) async throws -> Response {
        let vote = try await web.store.vote(try context.number("vote"))
        let form = try await Form(request, context: context)
        return try await act(on: vote.labServiceId, "ballot-\(vote.id!)", request, context, form: form) {
            try await web.store.castBallot(vote: vote.id!, participant: try form.text("code").uppercased(),
                                           choices: try form.weights(prefix: "choice"), origin: .inPerson, by: try context.staff().member)
        }
    }

    func recordTally(_ request: Request, context: MasarContext) async throws -> Response {
        let vote = try await web.store.vote(try context.number("vote"))
        let form = try await Form(request, context: context)
        return try await act(on: vote.labServiceId, "tally-\(vote.id!)", request, context, form: form) {
            try await web.store.recordTally(vote: vote.id!, choice: Int64(try form.integer("choice")), count: try form.integer("count"),
                                            place: try form.text("place"), by: try context.staff().member)
        }
    }

    func review(_ request: Request, context: MasarContext) async throws -> Response {
        let id = try context.parameters.require("service")
        let form = try await Form(request, context: context)
        return try await act(on: id, "review", request, context, form: form) {
            try await web.store.review(service: id, verdict: try form.choice("verdict", as: ReviewVerdict.self),
                                       reasons: form.optionalText("reasons") ?? "", by: try context.staff().member)
        }
    }

    /// A director-general signs for their own institution, as their account records it (the rule refuses any other).
    func signOff(_ request: Request, context: MasarContext) async throws -> Response {
        let id = try context.parameters.require("service")
        let account = try context.staff()
        return try await act(on: id, "signOff", request, context) {
            try await web.store.signOff(service: id, institution: account.institution ?? "", by: account.member)
        }
    }

    /// A form of the service's page: done, back to the page (303); refused, the page again with
    /// the form as typed and the refusal beside its field.
    func act(on service: String, _ name: String, _ request: Request, _ context: MasarContext, form: Form = Form(),
             _ action: () async throws -> Void) async throws -> Response {
        try await web.submit(form, as: name, request: request, context: context, page: { try await manage(service, $0, $1) }) {
            try await action()
            return Pages.redirect("/manage/services/\(Pages.queryEscaped(service))", notice: "done")
        }
    }
}
