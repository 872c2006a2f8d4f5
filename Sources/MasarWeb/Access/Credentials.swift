import Foundation
import Hummingbird
import MasarCore
import MasarStore

/// Checking who someone is and starting their sign-in: the same for pages and the API.
extension WebServices {
    /// How long a sign-in lasts: a participant keeps theirs for a phase's votes; staff sign in each working day.
    static func lifetime(_ who: SignedIn) -> TimeInterval {
        switch who {
        case .participant: 30 * 24 * 3600
        case .staff: 12 * 3600
        }
    }

    /// A participant by registration code, with their password if they chose one (digital
    /// track); in-person participants sign in with the code alone. Throttled per code and per address.
    func participant(code: String, password: String?, from address: String) async throws -> SignedIn? {
        let code = code.uppercased().filter { !$0.isWhitespace }
        return try await checked(account: "code:" + code, address: address) {
            let credentials = try await store.participantCredentials(code: code)
            if let credentials, credentials.passwordHash == nil { return .participant(credentials.participant) }
            guard try await Passwords.verify(password ?? "", against: credentials?.passwordHash), let credentials else { return nil }
            return .participant(credentials.participant)
        }
    }

    /// A staff member by account name and password. Throttled per account and per address.
    func staff(name: String, password: String, from address: String) async throws -> SignedIn? {
        // Counted by what the name looks like, so that a look-alike spelling of it waits too.
        try await checked(account: "account:" + TextRules.skeleton(name), address: address) {
            let account = try await store.account(named: name)
            guard try await Passwords.verify(password, against: account?.passwordHash), let account else { return nil }
            return .staff(account)
        }
    }

    /// An attempt the throttle lets through counts as a failure until the check succeeds.
    private func checked(account: String, address: String, _ check: () async throws -> SignedIn?) async throws -> SignedIn? {
        if let wait = try await throttle.attempt(account: account, address: address) { throw wait }
        guard let who = try await check() else { return nil }
        try await throttle.succeeded(account: account, address: address)
        return who
    }

    /// Starts a sign-in and returns its token (kept by the client; the store keeps its hash).
    func startSignIn(_ who: SignedIn) async throws -> String {
        let token = Tokens.make()
        try await store.startSignIn(tokenHash: Tokens.hash(token), for: who, expiresAt: Date().addingTimeInterval(Self.lifetime(who)))
        return token
    }

    /// A browser's sign-in: the token in an HttpOnly cookie, then on to `next` (a path on this site).
    func signedInResponse(_ who: SignedIn, next: String?) async throws -> Response {
        let token = try await startSignIn(who)
        let fallback = if case .staff = who { "/dashboard" } else { "/me" }
        var response = Pages.redirect(Pages.localPath(next) ?? fallback)
        response.setCookie(cookies.cookie(Cookies.signIn, token, maxAge: Int(Self.lifetime(who))))
        return response
    }
}
