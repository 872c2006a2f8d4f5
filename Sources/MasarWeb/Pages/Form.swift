import Foundation
import HTTPTypes
import Hummingbird
import MasarCore

/// A submitted HTML form: each field's values in order, and the files of a form that sends
/// them (`multipart/form-data`); else `application/x-www-form-urlencoded`.
struct Form: Sendable {
    var fields: [String: [String]] = [:]
    var files: [String: UploadedFile] = [:]

    /// A form with no fields: a button's.
    init() {}

    init(_ request: Request, context: MasarContext) async throws {
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let type = request.headers[.contentType] ?? ""
        if type.lowercased().hasPrefix("multipart/") {
            self = try Form(multipart: Array(body.readableBytesView), contentType: type)
            return
        }
        let text = String(buffer: body)
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            fields[decode(parts[0]), default: []].append(parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// A multipart body's text fields and files; a malformed one is refused as a whole.
    init(multipart body: [UInt8], contentType: String) throws {
        guard let boundary = Multipart.boundary(contentType) else {
            throw WebProblem(.badUpload)
        }
        let parts: [Multipart.Part]
        do { parts = try Multipart.parts(body, boundary: boundary) } catch {
            throw WebProblem(.badUpload)
        }
        for part in parts {
            if let filename = part.filename {
                files[part.name] = UploadedFile(filename: filename, data: Data(part.body))
            } else {
                guard let text = String(bytes: part.body, encoding: .utf8) else {
                    throw WebProblem(.notText, field: part.name)
                }
                fields[part.name, default: []].append(text)
            }
        }
    }

    /// A field's text, trimmed; an absent or blank field is refused by name.
    func text(_ name: String) throws -> String {
        guard let value = optionalText(name) else { throw WebProblem(.required, field: name) }
        return value
    }

    func optionalText(_ name: String) -> String? {
        let value = fields[name]?.first?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return value.isEmpty ? nil : value
    }

    func integer(_ name: String) throws -> Int {
        guard let value = Int(try text(name)) else { throw WebProblem(.wholeNumber, field: name) }
        return value
    }

    func optionalInteger(_ name: String) throws -> Int? {
        try optionalText(name).map { _ in try integer(name) }
    }

    func choice<T: RawRepresentable>(_ name: String, as: T.Type) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: try text(name)) else { throw WebProblem(.unknownValue, field: name) }
        return value
    }

    /// Every field named `prefix-N` with a whole number above zero, as N → number: the choices of a ballot.
    func weights(prefix: String) throws -> [Int64: Int] {
        var result: [Int64: Int] = [:]
        for (name, values) in fields where name.hasPrefix(prefix + "-") {
            guard let id = Int64(name.dropFirst(prefix.count + 1)) else { continue }
            let text = values.first?.trimmingCharacters(in: .whitespaces) ?? ""
            guard !text.isEmpty else { continue }
            guard let weight = Int(text), weight >= 0 else { throw WebProblem(.wholeNumber, field: name) }
            if weight > 0 { result[id] = weight }
        }
        return result
    }
}

/// A file sent from a file input, as the browser named it.
struct UploadedFile: Sendable {
    var filename: String
    var data: Data
}

/// What the web refuses before any rule of the lab is asked: a form field missing or malformed,
/// a form from another site or out of date, an API request of the wrong shape. Like a
/// `Refusal`, it is a code; its words come from `Words` in the page's language, and the field
/// it concerns is named by its label on the form.
struct WebProblem: Error, CustomStringConvertible {
    enum Kind: String, CaseIterable {
        case required, wholeNumber, unknownValue, foreignForm, formExpired, sendJSON, signInFields, wrongCredentials
        case signInNeeded, badUpload, notText, dateTime, notAMap, noProcess
    }

    var kind: Kind
    /// The form field it concerns, by its `name`.
    var field: String?

    init(_ kind: Kind, field: String? = nil) {
        self.kind = kind
        self.field = field
    }

    var status: HTTPResponse.Status {
        switch kind {
        case .required, .wholeNumber, .unknownValue, .signInFields, .badUpload, .notText, .dateTime, .notAMap, .noProcess: .badRequest
        case .foreignForm, .formExpired: .forbidden
        case .sendJSON: .unsupportedMediaType
        case .wrongCredentials, .signInNeeded: .unauthorized
        }
    }

    func message(in language: Language) -> String {
        let label = field.map { field in
            // `dots-12`, `support-3`: a ballot's choice.
            let key = Self.labels[field] ?? Self.labels[String(field.prefix { $0 != "-" })] ?? field
            return language.words[key] ?? field
        }
        // The sign-in pages say the same words when a sign-in fails.
        let key = kind == .wrongCredentials ? "wrongCredentials" : "problem." + kind.rawValue
        return language.words[key]!.replacingOccurrences(of: "{field}", with: label ?? "")
    }

    var description: String { message(in: .english) }

    /// Each form field's label on its form, as a key of `Words`.
    static let labels: [String: String] = [
        "answer": "choice", "budget": "dotBudget", "cap": "dotCap", "code": "code", "community": "community",
        "closes": "closesAt", "file": "file", "format": "format", "decision": "decision", "facilitators": "facilitatorsList", "limit": "supportLimit",
        "list": "eligibilityList", "live": "liveResults", "options": "pollOptions", "representatives": "institutionRepresentatives",
        "sectors": "sectorsList", "service": "services", "sheet": "sheet", "targets": "targetsList", "verdict": "review",
        "vote": "votes", "yaml": "importMap", "dots": "choicesFor", "support": "choicesFor",
    ]
}
