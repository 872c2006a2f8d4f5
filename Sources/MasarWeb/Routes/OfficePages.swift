import Foundation
import Hummingbird
import MasarCore
import MasarStore

/// What the programme office does for the lab's people: staff accounts given out, a password
/// set anew, and a lab's facilitators assigned — the same store calls as the CLI's
/// `account add`, `account password` and `lab assign`.
struct OfficePages {
    let web: WebServices

    init(_ web: WebServices) {
        self.web = web
    }

    func register(_ routes: inout Routes) {
        routes.add(.get, "/manage/accounts", .may(.createAccounts), accounts)
        routes.add(.post, "/manage/accounts", .may(.createAccounts), createAccount)
        routes.add(.post, "/manage/accounts/password", .may(.createAccounts), resetPassword)
        routes.add(.post, "/manage/labs/:lab/facilitators", .may(.assignFacilitator), assignFacilitator)
    }

    /// The forms for a new account and a new password.
    func accounts(_ request: Request, context: MasarContext) async throws -> Response {
        let language = context.language
        let roles = LabRole.staff.map { ["value": $0.rawValue, "name": $0.name(in: language)] }
        return web.pages.render("accounts", title: language.words["accounts"]!,
                                ["roles": roles,
                                 "notice": request.uri.queryParameters.get("notice").flatMap { language.words[String($0)] } as Any],
                                request: request, context: context)
    }

    func createAccount(_ request: Request, context: MasarContext) async throws -> Response {
        let form = try await Form(request, context: context)
        let name = try form.text("name"), role = try form.choice("role", as: LabRole.self)
        let hash = try await Self.hash(form)
        try await web.store.createAccount(name: name, role: role, institution: form.optionalText("institution"), passwordHash: hash,
                                          by: try context.staff().member)
        return Pages.redirect("/manage/accounts", notice: "accountCreated")
    }

    /// A new password for an account; whoever was signed in to it is signed out at once.
    func resetPassword(_ request: Request, context: MasarContext) async throws -> Response {
        let form = try await Form(request, context: context)
        let name = try form.text("name")
        let account = try await web.store.resetPassword(account: name, passwordHash: try await Self.hash(form),
                                                        by: try context.staff().member)
        web.signIns.forget(account: account.id)
        return Pages.redirect("/manage/accounts", notice: "passwordReset")
    }

    /// The form's password as bcrypt keeps it, once `LabRules.newPassword` accepts it (as the CLI asks).
    static func hash(_ form: Form) async throws -> String {
        // Not trimmed: every character typed is part of the password.
        let password = form.fields["password"]?.first ?? ""
        if let refusal = LabRules.newPassword(password) { throw refusal }
        return try await Passwords.hash(password)
    }

    func assignFacilitator(_ request: Request, context: MasarContext) async throws -> Response {
        let lab = try await ProgrammePages(web).labName(context)
        let form = try await Form(request, context: context)
        try await web.store.assignFacilitator(lab: lab, account: try form.text("account"), by: try context.staff().member)
        return Pages.redirect("/dashboard", notice: "done")
    }
}
