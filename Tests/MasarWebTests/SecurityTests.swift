import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import MasarCore
import MasarStore
import Testing
@testable import MasarWeb

@Suite("Security")
struct SecurityTests {
    @Test("A state-changing form without the browser's form token is refused and changes nothing")
    func formTokenRequired() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            // The facilitator's cookies, as a forged cross-site form would carry them, and a guessed token.
            let forged = try await client.execute(uri: "/manage/services/burial-permit/advance", method: .post,
                                                  headers: lab.browser(.facilitator),
                                                  body: ByteBuffer(string: "_form=guess"))
            #expect(forged.status == .forbidden)
            #expect(forged.text.contains("انتهت صلاحية النموذج؛ أعد تحميل الصفحة"))
            // No token at all.
            let wrong = try await client.execute(uri: "/manage/services/burial-permit/advance", method: .post,
                                                 headers: lab.browser(.facilitator), body: ByteBuffer(string: "text=x"))
            #expect(wrong.status == .forbidden)
            // From another site, even with a matching token.
            var headers = lab.browser(.facilitator)
            headers[.origin] = "https://evil.example"
            let crossSite = try await client.execute(uri: "/manage/services/burial-permit/advance", method: .post,
                                                     headers: headers, body: lab.form(as: .facilitator))
            #expect(crossSite.status == .forbidden)
        }
        #expect(try await lab.stage() == .futureDesign)
    }

    @Test("The first page a browser gets sets a visitor id cookie: HttpOnly, SameSite=Lax, not Secure over plain HTTP")
    func visitorCookie() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            let response = try await client.execute(uri: "/register", method: .get)
            let set = try #require(response.headers[.setCookie])
            #expect(set.hasPrefix("masar_visitor="))
            #expect(set.contains("HttpOnly"))
            #expect(set.contains("SameSite=Lax"))
            #expect(!set.contains("Secure"))
            // The page's form carries a token made from the id, never the id itself.
            let id = try #require(cookie("masar_visitor", in: response))
            #expect(response.text.contains("name=\"_form\" value=\""))
            #expect(!response.text.contains("value=\"\(id)\""))
        }
    }

    @Test("Sign-in cookies are HttpOnly and SameSite=Lax, and Secure when Masar is served over https")
    func signInCookie() async throws {
        let lab = try await WebLab()
        for (configuration, secure) in [(WebConfiguration(), false), (WebConfiguration(publicURL: "https://masar.example.om"), true)] {
            try await lab.app(configuration).test(.router) { client in
                let response = try await client.execute(uri: "/staff/signin", method: .post, headers: lab.browser(.nobody),
                                                        body: lab.form([("name", "facilitator"), ("password", password)], as: .nobody))
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/dashboard")
                let cookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("masar_session=") })
                #expect(cookie.contains("HttpOnly"))
                #expect(cookie.contains("SameSite=Lax"))
                #expect(cookie.contains("Secure") == secure)
            }
        }
    }

    @Test("Hostile titles and pain points are shown as text on every page that shows them")
    func escaped() async throws {
        let lab = try await WebLab(hostileTitle: true)
        try await lab.app().test(.router) { client in
            for (uri, visitor) in [("/services", Visitor.nobody), ("/services/burial-permit", .nobody),
                                   ("/manage/services/burial-permit", .facilitator), ("/dashboard", .facilitator)] {
                let english = lab.browser(visitor)
                var headers = english
                headers[.cookie] = (english[.cookie].map { $0 + "; " } ?? "") + "masar_lang=en"
                let page = try await client.execute(uri: uri, method: .get, headers: headers).text
                #expect(!page.contains("<script>alert"), "\(uri)")
                #expect(!page.contains("<img src=x"), "\(uri)")
                #expect(!page.contains("<b>تصريح"), "\(uri)")
                #expect(page.contains("&lt;script&gt;alert(") || page.contains("&lt;img src=x"), "\(uri)")
            }
        }
    }

    @Test("A body over 64 KB is refused before it is read")
    func bodyLimit() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            let big = ByteBuffer(string: "_form=\(lab.formToken(session: lab.tokens["facilitator"]))&text=" + String(repeating: "a", count: 70_000))
            let response = try await client.execute(uri: "/manage/services/burial-permit/pain-points", method: .post,
                                                    headers: lab.browser(.facilitator), body: big)
            #expect(response.status == .contentTooLarge)
        }
        #expect(try await lab.db.painPoints(service: "burial-permit").count == 1)
    }

    @Test("Errors never show a stack trace or SQL: a broken database gives a plain 500 page")
    func noInternals() async throws {
        let lab = try await WebLab()
        let app = try await lab.app()
        try await TestDatabase.raw(lab.db, "DROP TABLE voteTotal")
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/votes/\(lab.vote)/results", method: .get)
            #expect(response.status == .internalServerError)
            for leak in ["SQL", "voteTotal", "no such table", ".swift", "GRDB"] { #expect(!response.text.contains(leak), "\(leak)") }
            #expect(response.text.contains("لم يتغير شيء"))
            let api = try await client.execute(uri: "/api/v1/votes/\(lab.vote)/results", method: .get)
            #expect(api.status == .internalServerError)
            #expect(!api.text.contains("voteTotal"))
            let missing = try await client.execute(uri: "/no/such/page", method: .get)
            #expect(missing.status == .notFound)
        }
    }

    @Test("The language switch only ever sends the browser back to a page of this site")
    func noOpenRedirect() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            for back in ["//evil.example/x", "https://evil.example", "/\\evil.example"] {
                let response = try await client.execute(uri: "/language?to=en&back=" + Pages.queryEscaped(back), method: .get)
                #expect(response.headers[.location] == "/", "\(back)")
            }
            let ok = try await client.execute(uri: "/language?to=en&back=/services", method: .get)
            #expect(ok.headers[.location] == "/services")
            #expect(ok.headers[.setCookie]?.hasPrefix("masar_lang=en") == true)
        }
    }

    @Test("The API does not act on a browser's cookie, and wants JSON")
    func apiIgnoresCookies() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/services/burial-permit/advance", method: .post,
                                                    headers: lab.browser(.facilitator), body: ByteBuffer(string: "{}"))
            #expect(response.status == .unsupportedMediaType)
            var headers = lab.browser(.facilitator)
            headers[.contentType] = "application/json"
            let cookieOnly = try await client.execute(uri: "/api/v1/services/burial-permit/advance", method: .post,
                                                      headers: headers, body: ByteBuffer(string: "{}"))
            #expect(cookieOnly.status == .unauthorized)
        }
        #expect(try await lab.stage() == .futureDesign)
    }
}
