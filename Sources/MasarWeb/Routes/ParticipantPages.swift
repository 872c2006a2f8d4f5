import Foundation
import Hummingbird
import MasarCore
import MasarStore

/// Participants: register for a phase, sign in, and vote — support, dots or poll — changing or
/// withdrawing their ballot while the vote is open. They only ever see their own ballot.
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
    }

    func registrationForm(_ request: Request, context: MasarContext) async throws -> Response {
        try await registrationPage(request, context: context)
    }

    func registrationPage(_ request: Request, context: MasarContext, error: String? = nil,
                          status: HTTPResponse.Status = .ok) async throws -> Response {
        let phases = try await web.store.phases().map { ["name": $0.name] }
        return web.pages.render("register", title: context.language.words["register"]!,
                                ["phases": phases, "error": error as Any], request: request, context: context, status: status)
    }

    func registerParticipant(_ request: Request, context: MasarContext) async throws -> Response {
        if let wait = web.throttle.register(from: context.remoteAddress) { throw wait }
        let form = try await Form(request, context: context)
        let track = try form.choice("track", as: Track.self)
        let password = form.fields["password"]?.first.flatMap { $0.isEmpty ? nil : $0 }
        if let password, let refusal = LabRules.newPassword(password) {
            return try await registrationPage(request, context: context, error: refusal.message(in: context.language),
                                              status: .unprocessableContent)
        }
        let hash: String? = if let password { try await Passwords.hash(password) } else { nil }
        let participant: ParticipantRecord
        do {
            // The civil ID number goes no further than this keyed hash.
            var civilID: CivilIDProof?
            if let number = form.optionalText("civilID") {
                civilID = web.secret.civilID(try CivilID.parse(number: number, birthYear: form.optionalText("birthYear") ?? "").get())
            }
            participant = try await web.store.registerOnline(phase: try form.text("phase"), name: try form.text("name"),
                                                             track: track, passwordHash: hash, civilID: civilID)
        } catch let refusal as Refusal {
            return try await registrationPage(request, context: context, error: refusal.message(in: context.language),
                                              status: .unprocessableContent)
        }
        return try await web.signedInResponse(.participant(participant), next: "/me?notice=keepCode")
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
        let notice = request.uri.queryParameters.get("notice").flatMap { context.language.words[String($0)] }
        return web.pages.render("me", title: context.language.words["myVotes"]!,
                                ["code": participant.code, "name": participant.name, "votes": votes, "notice": notice as Any,
                                 "verified": participant.verification != nil],
                                request: request, context: context)
    }

    func ballotPage(_ request: Request, context: MasarContext) async throws -> Response {
        try await ballotPage(request, context: context, error: nil)
    }

    /// The ballot form with the participant's current ballot filled in and, for dots, what is left.
    func ballotPage(_ request: Request, context: MasarContext, error: String?,
                    status: HTTPResponse.Status = .ok) async throws -> Response {
        let participant = try context.participant()
        let vote = try await votable(request, context: context, participant)
        let mine = try await web.store.ballot(vote: vote.id!, participant: participant.code) ?? [:]
        let words = context.language.words
        let used = mine.values.reduce(0, +)
        let rule: String = switch vote.mode {
        case .dots: words["dotsRule"]!.replacingOccurrences(of: "{budget}", with: "\(vote.dotBudget!)")
            .replacingOccurrences(of: "{cap}", with: "\(vote.dotCap!)")
        case .support: words["supportRule"]!.replacingOccurrences(of: "{limit}", with: "\(vote.supportLimit!)")
        case .poll: words["pollRule"]!
        }
        let choices = try await web.store.choices(vote: vote.id!).map { choice -> [String: Any] in
            ["id": choice.id, "text": context.language.content(choice.text), "weight": mine[choice.id] ?? 0, "chosen": mine[choice.id] != nil]
        }
        let notice = request.uri.queryParameters.get("notice").flatMap { words[String($0)] }
        let data: [String: Any] = [
            "id": vote.id!, "question": context.language.content(vote.question), "service": vote.labServiceId, "open": vote.terms.isOpen(at: Date()),
            "closes": ISO8601DateFormatter().string(from: vote.closesAt), "rule": rule, "choices": choices,
            "dots": vote.mode == .dots, "support": vote.mode == .support, "poll": vote.mode == .poll,
            "cap": vote.dotCap ?? 0, "budget": vote.dotBudget ?? 0, "dotsLeft": (vote.dotBudget ?? 0) - used,
            "hasBallot": !mine.isEmpty, "error": error as Any, "notice": notice as Any,
        ]
        return web.pages.render("ballot", title: context.language.pick(vote.question), data, request: request, context: context, status: status)
    }

    /// The vote, if it belongs to the participant's phase (any other is not theirs to see).
    func votable(_ request: Request, context: MasarContext, _ participant: ParticipantRecord) async throws -> VoteRecord {
        let id = try context.parameters.require("vote", as: Int64.self)
        guard let vote = try await web.store.votes(phase: participant.phaseId).first(where: { $0.id == id }) else {
            throw HTTPError(.notFound)
        }
        return vote
    }

    func cast(_ request: Request, context: MasarContext) async throws -> Response {
        let participant = try context.participant()
        let vote = try await votable(request, context: context, participant)
        let form = try await Form(request, context: context)
        let choices: [Int64: Int] = switch vote.mode {
        case .dots: try form.weights(prefix: "dots")
        case .support: try form.weights(prefix: "support")
        // An answer that is not a number is sent on as choice −1, which the store refuses by name.
        case .poll: form.optionalText("answer").map { Int64($0).map { [$0: 1] } ?? [-1: 1] } ?? [:]
        }
        do {
            try await web.ballots.cast(OnlineBallot(vote: vote.id!, participant: participant.code, choices: choices))
        } catch let refusal as Refusal {
            return try await ballotPage(request, context: context, error: refusal.message(in: context.language),
                                        status: .unprocessableContent)
        }
        return Pages.redirect("/votes/\(vote.id!)", notice: "ballotSaved")
    }

    func withdraw(_ request: Request, context: MasarContext) async throws -> Response {
        let participant = try context.participant()
        let vote = try await votable(request, context: context, participant)
        try await web.store.withdrawBallot(vote: vote.id!, participant: participant.code, by: participant.member)
        return Pages.redirect("/votes/\(vote.id!)", notice: "ballotWithdrawn")
    }
}
