import Foundation
import Hummingbird
import HummingbirdTesting
import MasarCore
import MasarStore
import Synchronization
import Testing
@testable import MasarWeb

/// The form token a page carries, as a browser would find it.
private func formToken(in page: TestResponse) throws -> String {
    let match = try #require(page.text.firstMatch(of: /name="_form" value="([^"]+)"/))
    return String(match.1)
}

private func formBody(_ token: String, _ fields: [(String, String)] = []) -> ByteBuffer {
    ByteBuffer(string: ([("_form", token)] + fields)
        .map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&"))
}

/// Where the browser is sent when a request names each of these as its target: what an
/// attacker's link would carry, as the server reads it after the query's own decoding.
private let foreignTargets = [
    "/\t/evil.example", "//evil.example", "/\\evil.example", "%2F%2Fevil.example", "/%2F%2Fevil.example",
    "/%252F%252Fevil.example", "https://evil.example", "/\r\nLocation: https://evil.example", "\t//evil.example",
    "/%09/evil.example", "/%5Cevil.example", "evil.example", "/\u{0}/evil.example",
]

@Suite("The web's doors: each attack of issue 13, refused")
struct DoorsTests {
    // MARK: - Redirects

    @Test("The language switch sends the browser to no other site, however its target is written")
    func languageSwitchStaysOnSite() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            // The issue's own attack, as its link was written: `back=/%09/other-host/services` went to `/\t/other-host/services`.
            let reported = try await client.execute(uri: "/language?to=en&back=/%09/other-host/services", method: .get)
            #expect(reported.headers[.location] == "/")
            for target in foreignTargets {
                let escaped = target.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "/")))!
                let response = try await client.execute(uri: "/language?to=en&back=" + escaped, method: .get)
                #expect(response.headers[.location] == "/", "\(target.debugDescription)")
            }
            let home = try await client.execute(uri: "/language?to=en&back=/services/burial-permit", method: .get)
            #expect(home.headers[.location] == "/services/burial-permit")
        }
    }

    @Test("Sign-in's next goes to a page of this site only")
    func signInNextStaysOnSite() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            for target in foreignTargets + ["/manage/services/burial-permit"] {
                let response = try await client.execute(uri: "/staff/signin", method: .post, headers: lab.browser(.nobody),
                                                        body: lab.form([("name", "facilitator"), ("password", password),
                                                                        ("next", target)], as: .nobody))
                #expect(response.status == .seeOther)
                let expected = target == "/manage/services/burial-permit" ? target : "/dashboard"
                #expect(response.headers[.location] == expected, "\(target.debugDescription)")
            }
        }
    }

    // MARK: - Form tokens

    @Test("A cookie value chosen by an attacker and echoed in the form is no token")
    func chosenCookie() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            // Before: the form token was a copy of a cookie, so setting both to the same value passed.
            var headers = lab.browser(.facilitator)
            headers[.cookie] = "masar_form=chosen; masar_visitor=chosen; masar_session=\(lab.tokens["facilitator"]!)"
            let signedIn = try await client.execute(uri: "/manage/services/burial-permit/document", method: .post,
                                                    headers: headers, body: formBody("chosen"))
            #expect(signedIn.status == .forbidden)
            // And before any sign-in: a login form forged with a chosen visitor id.
            let visitor = try await client.execute(uri: "/staff/signin", method: .post,
                                                   headers: [.cookie: "masar_visitor=chosen", .contentType: "application/x-www-form-urlencoded"],
                                                   body: formBody("chosen", [("name", "facilitator"), ("password", password)]))
            #expect(visitor.status == .forbidden)
        }
        #expect(!(try await lab.db.status(service: "burial-permit").documentGenerated))
    }

    @Test("A token from another person's page does not work with this sign-in")
    func otherSessionsToken() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            let reviewersPage = try await client.execute(uri: "/dashboard", method: .get, headers: lab.browser(.qualityReviewer))
            let theirs = try formToken(in: reviewersPage)
            let refused = try await client.execute(uri: "/manage/services/burial-permit/document", method: .post,
                                                   headers: lab.browser(.facilitator), body: formBody(theirs))
            #expect(refused.status == .forbidden)
            // The facilitator's own page gives the token that works.
            let own = try formToken(in: try await client.execute(uri: "/dashboard", method: .get, headers: lab.browser(.facilitator)))
            #expect(own != theirs)
            let accepted = try await client.execute(uri: "/manage/services/burial-permit/document", method: .post,
                                                    headers: lab.browser(.facilitator), body: formBody(own))
            #expect(accepted.status == .seeOther)
        }
    }

    @Test("Signing in gives a new token: the one from before, or from the last sign-in, no longer works")
    func tokenRotatesAtSignIn() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            func signIn(with headers: HTTPFields, token: String) async throws -> String {
                let response = try await client.execute(uri: "/staff/signin", method: .post, headers: headers,
                                                        body: formBody(token, [("name", "facilitator"), ("password", password)]))
                #expect(response.status == .seeOther)
                return try #require(cookie("masar_session", in: response))
            }
            func dashboardToken(_ session: String) async throws -> String {
                try formToken(in: try await client.execute(uri: "/dashboard", method: .get, headers: lab.browser(session: session)))
            }
            let before = try formToken(in: try await client.execute(uri: "/staff/signin", method: .get, headers: lab.browser(.nobody)))
            let first = try await signIn(with: lab.browser(.nobody), token: before)
            let firstToken = try await dashboardToken(first)
            #expect(firstToken != before)
            let stale = try await client.execute(uri: "/signout", method: .post, headers: lab.browser(session: first), body: formBody(before))
            #expect(stale.status == .forbidden)
            // Signing in again, from the signed-in page: a new sign-in, a new token.
            let second = try await signIn(with: lab.browser(session: first), token: firstToken)
            let secondToken = try await dashboardToken(second)
            #expect(secondToken != firstToken)
            let replayed = try await client.execute(uri: "/signout", method: .post, headers: lab.browser(session: second),
                                                    body: formBody(firstToken))
            #expect(replayed.status == .forbidden)
            let signedOut = try await client.execute(uri: "/signout", method: .post, headers: lab.browser(session: second),
                                                     body: formBody(secondToken))
            #expect(signedOut.status == .seeOther)
        }
    }

    // MARK: - Origins

    /// Generating the lab document as the facilitator, with a valid token and these headers added.
    private func generate(_ lab: WebLab, _ client: some TestClientProtocol, _ extra: HTTPFields) async throws -> HTTPResponse.Status {
        var headers = lab.browser(.facilitator)
        headers.append(contentsOf: extra)
        return try await client.execute(uri: "/manage/services/burial-permit/document", method: .post, headers: headers,
                                        body: lab.form(as: .facilitator)).status
    }

    @Test("Without --public-url: a form from another site, another port or a foreign Referer is refused; this site's passes")
    func originAgainstHost() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            // The test client speaks to `localhost` over http, port 80.
            let refused: [HTTPFields] = [
                [.origin: "https://evil.example"],
                [.referer: "https://evil.example/page"],  // no Origin: the Referer says where it comes from
                [.origin: "http://localhost:8081"],  // the same host on another port is another site
                [.origin: "https://localhost"],  // and so is another scheme
                [.origin: "null"],
                [SiteOrigin.fetchSite: "cross-site"],
                [.origin: "http://localhost", SiteOrigin.fetchSite: "cross-site"],
            ]
            for headers in refused {
                let status = try await generate(lab, client, headers)
                #expect(status == .forbidden, "\(headers)")
            }
            #expect(!(try await lab.db.status(service: "burial-permit").documentGenerated))
            for headers: HTTPFields in [[.origin: "http://localhost"], [.origin: "http://localhost:80"],
                                        [.referer: "http://localhost/manage/services/burial-permit"],
                                        [SiteOrigin.fetchSite: "same-origin"], [:]] {
                let status = try await generate(lab, client, headers)
                #expect(status == .seeOther, "\(headers)")
            }
        }
    }

    @Test("With --public-url: its scheme, host and port are the site, whatever Host the request names")
    func originAgainstPublicURL() async throws {
        let lab = try await WebLab()
        try await lab.app(WebConfiguration(publicURL: "https://masar.example.om")).test(.router) { client in
            for origin in ["http://masar.example.om", "https://masar.example.om:8443", "http://localhost", "https://evil.example"] {
                let status = try await generate(lab, client, [.origin: origin])
                #expect(status == .forbidden, "\(origin)")
            }
            for origin in ["https://masar.example.om", "https://MASAR.example.om:443"] {
                let status = try await generate(lab, client, [.origin: origin])
                #expect(status == .seeOther, "\(origin)")
            }
        }
    }

    @Test("API clients, which send no Origin, keep working with their bearer token; a browser's foreign Origin does not")
    func apiClients() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            let session = try await client.execute(uri: "/api/v1/sessions", method: .post, headers: [.contentType: "application/json"],
                                                   body: ByteBuffer(string: "{\"name\": \"facilitator\", \"password\": \"\(password)\"}"))
            #expect(session.status == .created)
            var foreign = lab.apiClient(.facilitator)
            foreign[.origin] = "https://evil.example"
            let refused = try await client.execute(uri: "/api/v1/votes/\(lab.vote)/close", method: .post, headers: foreign,
                                                   body: ByteBuffer(string: "{}"))
            #expect(refused.status == .forbidden)
            let closed = try await client.execute(uri: "/api/v1/votes/\(lab.vote)/close", method: .post,
                                                  headers: lab.apiClient(.facilitator), body: ByteBuffer(string: "{}"))
            #expect(closed.status == .ok)
        }
    }

    // MARK: - Headers

    @Test("Personal pages and sign-in answers are never stored by a cache; HSTS only with an https --public-url")
    func headers() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            for (uri, visitor) in [("/me", Visitor.participant), ("/votes/\(lab.vote)", .participant), ("/dashboard", .facilitator),
                                   ("/manage/services/burial-permit", .facilitator), ("/signin", .nobody), ("/staff/signin", .nobody)] {
                let response = try await client.execute(uri: uri, method: .get, headers: lab.browser(visitor))
                #expect(response.status == .ok, "\(uri)")
                #expect(response.headers[.cacheControl] == "no-store", "\(uri)")
                #expect(response.headers[.strictTransportSecurity] == nil, "\(uri)")
            }
            let signIn = try await client.execute(uri: "/staff/signin", method: .post, headers: lab.browser(.nobody),
                                                  body: lab.form([("name", "facilitator"), ("password", password)], as: .nobody))
            #expect(signIn.headers[.cacheControl] == "no-store")
            let asset = try await client.execute(uri: "/assets/masar.css", method: .get)
            #expect(asset.headers[.cacheControl] == "public, max-age=3600")
        }
        try await lab.app(WebConfiguration(publicURL: "https://masar.example.om")).test(.router) { client in
            let page = try await client.execute(uri: "/", method: .get)
            #expect(page.headers[.strictTransportSecurity] == "max-age=31536000")
        }
    }
}
