import Foundation
import Hummingbird
import MasarCore
import MasarStore
import Mustache

/// Server-rendered pages: Mustache templates bundled with Masar, every one inside the layout,
/// in the request's language and direction. `{{…}}` escapes for HTML, so any text from a map,
/// a form or the database is shown as text; only Masar's own SVG goes through `{{{…}}}`.
/// Bidi controls are stripped from every text a page shows (`present`): the store refuses
/// them now, and one stored before must not turn `gnp.exe` into `exe.png` on a page.
public struct Pages: Sendable {
    let library: MustacheLibrary

    public init() async throws {
        guard let folder = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw HTTPError(.internalServerError, message: "Masar's page templates are missing from the build")
        }
        library = try await MustacheLibrary(directory: folder.path)
    }

    /// A page: `template` filled with `data`, the layout's fields added.
    func render(_ template: String, title: String, _ data: [String: Any], request: Request, context: MasarContext,
                status: HTTPResponse.Status = .ok) -> Response {
        var all = layout(title: title, request: request, context: context)
        all.merge(data) { _, page in page }
        // A page shown again for a refused form says so with its status, whatever the page.
        var status = status
        if let kept = context.kept {
            all["kept"] = kept.data
            // Said once at the top, and again beside its field where the form shows one.
            all["refusal"] = kept.errors.values.first
            status = .unprocessableContent
        }
        all = Self.present(all) as! [String: Any]
        let html = library.render(all, withTemplate: template) ?? "<!doctype html><title>Masar</title><p>Template \(template) is missing.</p>"
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// What every page's layout shows: language, direction, navigation and who is signed in.
    func layout(title: String, request: Request, context: MasarContext) -> [String: Any] {
        let language = context.language
        var data: [String: Any] = [
            "lang": language.rawValue, "dir": language.direction, "t": language.words, "title": title,
            "limits": TextField.formLimits,
            "formToken": context.formToken, "path": request.uri.path,
            "otherLanguage": ["code": language.other.rawValue, "name": language.other.ownName,
                              "href": "/language?to=\(language.other.rawValue)&back=\(Self.queryEscaped(context.page(of: request)))"],
        ]
        switch context.signedIn {
        case .staff(let account): data["staff"] = ["name": account.name, "role": language.name("role", account.role.rawValue)]
        case .participant(let participant): data["participant"] = ["name": participant.name, "code": participant.code]
        case nil: data["anonymous"] = true
        }
        return data
    }

    /// The data as a page shows it: every absent value (`nil`) left out, at any depth, so that a
    /// template's `{{#error}}` section shows only when there is an error; and every text
    /// without bidi controls.
    static func present(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            return mirror.children.first.flatMap { present($0.value) }
        }
        switch value {
        case let text as String: return TextRules.withoutBidiControls(text)
        case let dictionary as [String: Any]: return dictionary.compactMapValues(present)
        case let array as [Any]: return array.compactMap { present($0) }
        default: return value
        }
    }

    static func queryEscaped(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "/-_."))) ?? "/"
    }

    /// `path` if it is a path on this site, else nil: every redirect taken from a request (the
    /// language switch's `back`, sign-in's `next`) goes through here. Decoded as often as it
    /// decodes, it must start with `/` and hold no `//`, no `\` and no control character (tab,
    /// CR, LF …): browsers drop those or read `\` as `/`, which would make `//host`, another
    /// site. Starting with `/` leaves no room for a scheme.
    static func localPath(_ path: String?) -> String? {
        guard var decoded = path else { return nil }
        while let once = decoded.removingPercentEncoding, once != decoded { decoded = once }
        guard decoded.removingPercentEncoding != nil, decoded.hasPrefix("/"), !decoded.contains("//"), !decoded.contains("\\"),
              !decoded.unicodeScalars.contains(where: { [.control, .format].contains($0.properties.generalCategory) }) else { return nil }
        // A header carries ASCII: anything else goes out percent-encoded, as a browser would send it.
        return path.map { path in
            path.unicodeScalars.map { $0.isASCII && $0.value > 0x20 ? String($0) : String($0).utf8.map { String(format: "%%%02X", $0) }.joined() }
                .joined()
        }
    }

    /// A redirect after a form (303, so a reload does not post again).
    static func redirect(_ location: String, notice: String? = nil) -> Response {
        let target = notice.map { location + (location.contains("?") ? "&" : "?") + "notice=" + queryEscaped($0) } ?? location
        return Response(status: .seeOther, headers: [.location: target])
    }
}
