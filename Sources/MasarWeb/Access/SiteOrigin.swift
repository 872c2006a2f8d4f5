import Foundation
import HTTPTypes
import Hummingbird

/// A web origin: scheme, host and port, the port written out (80 for http, 443 for https).
struct Origin: Equatable, Sendable {
    var scheme: String
    var host: String
    var port: Int

    /// The origin of a URL (an `Origin` header, a `Referer`, `--public-url`); nil for anything
    /// else, `null` included.
    init?(_ url: String) {
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(),
              let host = parts.host?.lowercased(), !host.isEmpty, parts.user == nil, parts.password == nil else { return nil }
        guard let port = parts.port ?? ["http": 80, "https": 443][scheme] else { return nil }
        self.scheme = scheme
        self.host = host
        self.port = port
    }
}

/// Where a state-changing request may come from: this site only. The site is `--public-url`;
/// without one, the request's own `Host` over http (what `masar serve` speaks), so behind a
/// TLS proxy `--public-url` must be given.
struct SiteOrigin: Sendable {
    let configured: Origin?

    init(publicURL: String?) {
        configured = publicURL.flatMap(Origin.init)
    }

    /// Whether the request says it comes from another site: `Sec-Fetch-Site: cross-site`, or an
    /// `Origin` — else a `Referer` — of another scheme, host or port. A request that names
    /// neither (an API client, an old browser) is left to the form token.
    func isForeign(_ request: Request) -> Bool {
        if request.headers[Self.fetchSite]?.lowercased() == "cross-site" { return true }
        guard let claimed = request.headers[.origin] ?? request.headers[.referer] else { return false }
        guard let site = configured ?? request.head.authority.flatMap({ Origin("http://" + $0) }) else { return true }
        return Origin(claimed) != site
    }

    /// The path (and query) of this site's page that sent the request, from its `Referer`; nil
    /// when there is none or it names another site.
    func cameFrom(_ request: Request) -> String? {
        guard let referer = request.headers[.referer], !isForeign(request), let url = URLComponents(string: referer),
              Origin(referer) != nil else { return nil }
        return Pages.localPath(url.percentEncodedPath + (url.percentEncodedQuery.map { "?" + $0 } ?? ""))
    }

    static let fetchSite = HTTPField.Name("Sec-Fetch-Site")!
}
