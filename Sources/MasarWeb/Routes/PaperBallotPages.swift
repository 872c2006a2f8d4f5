import Foundation
import Hummingbird
import MasarCore
import MasarStore

/// A paper ballot recorded by mistake, withdrawn by a facilitator of the vote's lab (the CLI's
/// `vote withdraw`); recording it again replaces it (`LabRules.replaceBallot`). Both are audit-logged.
struct PaperBallotPages {
    let web: WebServices

    init(_ web: WebServices) {
        self.web = web
    }

    func register(_ routes: inout Routes) {
        routes.add(.post, "/manage/votes/:vote/ballots/withdraw", .may(.recordInPersonBallot), withdraw)
    }

    func withdraw(_ request: Request, context: MasarContext) async throws -> Response {
        let vote = try await web.store.vote(try context.parameters.require("vote", as: Int64.self))
        let form = try await Form(request, context: context)
        try await web.store.withdrawBallot(vote: vote.id!, participant: try form.text("code").uppercased(), by: try context.staff().member)
        return Pages.redirect("/manage/services/\(Pages.queryEscaped(vote.labServiceId))", notice: "ballotWithdrawnForThem")
    }
}
