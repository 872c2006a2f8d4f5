import Foundation
import Hummingbird
import MasarCore
import MasarStore

/// Participants: register for a phase, sign in, raise pain points and propose improvements on
/// a service of their phase (published once a facilitator has read them), and vote — support,
/// dots or poll — changing or withdrawing their ballot while the vote is open. They only ever
/// see their own ballot, and after the close not even that: it is sealed.
struct ParticipantPages {
    let web: WebServices

    init(_ web: WebServices) {
        self.web = web
    }

    func register(_ routes: inout Routes) {
        routes.add(.get, "/register", .everyone, registrationForm)
        routes.add(.post, "/register", .everyone, registerParticipant)
        routes.add(.get, "/signin", .everyone, signInForm)
        routes.add(.post, "/signin", .everyone, signIn)
        routes.add(.post, "/signout", .everyone, signOut)
        routes.add(.get, "/me", .participants, home)
        routes.add(.get, "/votes/:vote", .participants, ballotPage)
        routes.add(.post, "/votes/:vote/ballot", .participants, cast)
        routes.add(.post, "/votes/:vote/withdraw", .participants, withdraw)
        routes.add(.post, "/services/:service/pain-points", .participants, raisePainPoint)
        routes.add(.post, "/services/:service/improvements", .participants, propose)
    }

    func raisePainPoint(_ request: Request, context: MasarContext) async throws -> Response {
        let member = try context.participant().member
        return try await contribute("painPoint", request, context) { id, form in
            try await web.store.addPainPoint(service: id, step: try form.text("step"),
                                             category: try form.choice("category", as: PainPointCategory.self),
                                             severity: try form.integer("severity"), source: .community,
                                             text: form.bilingual("text"), by: member)
        }
    }

    func propose(_ request: Request, context: MasarContext) async throws -> Response {
        let member = try context.participant().member
        return try await contribute("propose", request, context) { id, form in
            try await web.store.proposeImprovement(service: id, text: form.bilingual("text"),
                                                   addresses: try form.weights(prefix: "addresses").keys.sorted(), by: member)
        }
    }

    /// A contribution from the service's page: done, back to it with a word on moderation (303);
    /// refused, the page again with the form as typed and the refusal beside its field.
    func contribute(_ name: String, _ request: Request, _ context: MasarContext,
                    _ action: (String, Form) async throws -> Void) async throws -> Response {
        let id = try context.parameters.require("service")
        let form = try await Form(request, context: context)
        return try await web.submit(form, as: name, request: request, context: context, page: PublicPages(web).service) {
            try await action(id, form)
            return Pages.redirect("/services/\(Pages.queryEscaped(id))", notice: "contributionAwaits")
        }
    }

    func registrationForm(_ request: Request, context: MasarContext) async throws -> Response {
        let phases = try await web.store.phases().map { phase -> [String: Any] in
            ["name": phase.name, "selected": context.kept?.value("phase", of: "register") == phase.name]
        }
        let digital = (context.kept?.value("track", of: "register") ?? Track.digital.rawValue) == Track.digital.rawValue
        return web.pages.render("register", title: context.language.words["register"]!, ["phases": phases, "digital": digital],
                                request: request, context: context)
    }

    func registerParticipant(_ request: Request, context: MasarContext) async throws -> Response {
        if let wait = try await web.throttle.register(from: context.remoteAddress) { throw wait }
        let form = try await Form(request, context: context)
        return try await web.submit(form, as: "register", request: request, context: context, page: registrationForm) {
            let track = try form.choice("track", as: Track.self)
            let password = form.fields["password"]?.first.flatMap { $0.isEmpty ? nil : $0 }
            if let password, let refusal = LabRules.newPassword(password) { throw refusal }
            let hash: String? = if let password { try await Passwords.hash(password) } else { nil }
            // The civil ID number goes no further than this keyed hash.
            var civilID: CivilIDProof?
            if let number = form.optionalText("civilID") {
                civilID = web.secret.civilID(try CivilID.parse(number: number, birthYear: form.optionalText("birthYear") ?? "").get())
            }
            let participant = try await web.store.registerOnline(phase: try form.text("phase"), name: try form.text("name"),
                                                                 track: track, passwordHash: hash, civilID: civilID)
            return try await web.signedInResponse(.participant(participant), next: "/me?notice=keepCode")
        }
    }

    func signInForm(_ request: Request, context: MasarContext) async throws -> Response {
        signInPage(request, context: context)
    }

    func signInPage(_ request: Request, context: MasarContext, failed: Bool = false) -> Response {
        web.pages.render("signin", title: context.language.words["signIn"]!,
                         ["next": request.uri.queryParameters.get("next") ?? "", "failed": failed],
                         request: request, context: context, status: failed ? .unauthorized : .ok)
    }

    func signIn(_ request: Request, context: MasarContext) async throws -> Response {
        let form = try await Form(request, context: context)
        guard let who = try await web.participant(code: try form.text("code"), password: form.fields["password"]?.first,
                                                  from: context.remoteAddress) else {
            return signInPage(request, context: context, failed: true)
        }
        return try await web.signedInResponse(who, next: form.optionalText("next"))
    }

    func signOut(_ request: Request, context: MasarContext) async throws -> Response {
        if let token = request.cookies[Cookies.signIn]?.value { try await web.signIns.end(Tokens.hash(token)) }
        var response = Pages.redirect("/")
        response.setCookie(web.cookies.cookie(Cookies.signIn, "", maxAge: 0))
        return response
    }

    func home(_ request: Request, context: MasarContext) async throws -> Response {
        let participant = try context.participant()
        let now = Date()
        let votes = try await web.store.votes(phase: participant.phaseId).asyncMap { vote -> [String: Any] in
            ["id": vote.id!, "question": context.language.content(vote.question), "service": vote.labServiceId,
             "mode": context.language.words["mode." + vote.mode.rawValue]!, "open": vote.terms.isOpen(at: now),
             "voted": try await web.store.ballot(vote: vote.id!, participant: participant.code) != nil]
        }
        // The services of their phase, where they raise pain points, propose and vote.
        var services: [[String: Any]] = []
        for lab in try await web.store.labs() where lab.phase == participant.phaseId {
            for id in try await web.store.services(lab: lab.id) {
                services.append(["id": id, "title": context.language.pick(try await web.store.latestMap(service: id).title)])
            }
        }
        let notice = request.uri.queryParameters.get("notice").flatMap { context.language.words[String($0)] }
        return web.pages.render("me", title: context.language.words["myVotes"]!,
                                ["code": participant.code, "name": participant.name, "votes": votes, "notice": notice as Any,
                                 "verified": participant.verification != nil, "services": services],
                                request: request, context: context)
    }

    /// The ballot form with the participant's current ballot filled in — or, after a refusal, the
    /// ballot as they sent it — and, for dots, what is left.
    func ballotPage(_ request: Request, context: MasarContext) async throws -> Response {
        let participant = try context.participant()
        let vote = try await votable(request, context: context, participant)
        let stored = try await web.store.ballot(vote: vote.id!, participant: participant.code)
        let mine = stored ?? [:]
        // After a refusal the form shows what was sent, as typed.
        let typed = context.kept?.values
        let words = context.language.words
        let prefix = vote.mode.rawValue + "-"
        let used = typed.map { $0.filter { $0.key.hasPrefix(prefix) }.values.compactMap { Int($0) }.reduce(0, +) }
            ?? mine.values.reduce(0, +)
        let rule: String = switch vote.mode {
        case .dots: words["dotsRule"]!.replacingOccurrences(of: "{budget}", with: "\(vote.dotBudget!)")
            .replacingOccurrences(of: "{cap}", with: "\(vote.dotCap!)")
        case .support: words["supportRule"]!.replacingOccurrences(of: "{limit}", with: "\(vote.supportLimit!)")
        case .poll: words["pollRule"]!
        }
        let choices = try await web.store.choices(vote: vote.id!).map { choice -> [String: Any] in
            let sent = typed.map { $0[prefix + String(choice.id)] ?? ($0["answer"] == String(choice.id) ? "1" : nil) }
            return ["id": choice.id, "text": context.language.content(choice.text), "weight": sent.map { $0 ?? "" } ?? String(mine[choice.id] ?? 0),
                    "chosen": sent.map { $0 != nil } ?? (mine[choice.id] != nil),
                    "choiceError": context.kept?.errors[prefix + String(choice.id)] as Any]
        }
        let notice = request.uri.queryParameters.get("notice").flatMap { words[String($0)] }
        let data: [String: Any] = [
            "id": vote.id!, "question": context.language.content(vote.question), "service": vote.labServiceId, "open": vote.terms.isOpen(at: Date()),
            "closes": context.language.time(vote.closesAt), "closesISO": LabRules.instant(vote.closesAt), "rule": rule, "choices": choices,
            "dots": vote.mode == .dots, "support": vote.mode == .support, "poll": vote.mode == .poll,
            "cap": vote.dotCap ?? 0, "budget": vote.dotBudget ?? 0, "dotsLeft": (vote.dotBudget ?? 0) - used,
            // A sealed ballot is counted but no longer theirs to read (the store keeps no pairing).
            "hasBallot": stored != nil, "sealed": stored?.isEmpty ?? false, "notice": notice as Any,
        ]
        return web.pages.render("ballot", title: context.language.pick(vote.question), data, request: request, context: context)
    }

    /// The vote, if it belongs to the participant's phase (any other is not theirs to see).
    func votable(_ request: Request, context: MasarContext, _ participant: ParticipantRecord) async throws -> VoteRecord {
        let id = try context.number("vote")
        guard let vote = try await web.store.votes(phase: participant.phaseId).first(where: { $0.id == id }) else {
            throw HTTPError(.notFound)
        }
        return vote
    }

    func cast(_ request: Request, context: MasarContext) async throws -> Response {
        let participant = try context.participant()
        let vote = try await votable(request, context: context, participant)
        let form = try await Form(request, context: context)
        return try await web.submit(form, as: "ballot", request: request, context: context, page: ballotPage) {
            let choices: [Int64: Int] = switch vote.mode {
            case .dots: try form.weights(prefix: "dots")
            case .support: try form.weights(prefix: "support")
            // An answer that is not a number is sent on as choice −1, which the store refuses by name.
            case .poll: form.optionalText("answer").map { Int64($0).map { [$0: 1] } ?? [-1: 1] } ?? [:]
            }
            try await web.ballots.cast(OnlineBallot(vote: vote.id!, participant: participant.code, choices: choices))
            return Pages.redirect("/votes/\(vote.id!)", notice: "ballotSaved")
        }
    }

    func withdraw(_ request: Request, context: MasarContext) async throws -> Response {
        let participant = try context.participant()
        let vote = try await votable(request, context: context, participant)
        try await web.store.withdrawBallot(vote: vote.id!, participant: participant.code, by: participant.member)
        return Pages.redirect("/votes/\(vote.id!)", notice: "ballotWithdrawn")
    }
}
