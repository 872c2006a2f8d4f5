import Foundation
import Hummingbird

/// A submitted HTML form: each field's values in order, and the files of a form that sends
/// them (`multipart/form-data`); else `application/x-www-form-urlencoded`.
struct Form: Sendable {
    var fields: [String: [String]] = [:]
    var files: [String: UploadedFile] = [:]

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
            throw FormProblem(field: "Content-Type", message: "names no valid multipart/form-data boundary")
        }
        let parts: [Multipart.Part]
        do { parts = try Multipart.parts(body, boundary: boundary) } catch {
            throw FormProblem(field: "the upload", message: "is not well-formed multipart/form-data: \(error)")
        }
        for part in parts {
            if let filename = part.filename {
                files[part.name] = UploadedFile(filename: filename, data: Data(part.body))
            } else {
                guard let text = String(bytes: part.body, encoding: .utf8) else {
                    throw FormProblem(field: part.name, message: "is not UTF-8 text")
                }
                fields[part.name, default: []].append(text)
            }
        }
    }

    /// A field's text, trimmed; an absent or blank field is refused by name.
    func text(_ name: String) throws -> String {
        guard let value = optionalText(name) else { throw FormProblem(field: name, message: "is required") }
        return value
    }

    func optionalText(_ name: String) -> String? {
        let value = fields[name]?.first?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return value.isEmpty ? nil : value
    }

    func integer(_ name: String) throws -> Int {
        guard let value = Int(try text(name)) else { throw FormProblem(field: name, message: "needs a whole number") }
        return value
    }

    func optionalInteger(_ name: String) throws -> Int? {
        try optionalText(name).map { _ in try integer(name) }
    }

    func choice<T: RawRepresentable>(_ name: String, as: T.Type) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: try text(name)) else { throw FormProblem(field: name, message: "has an unknown value") }
        return value
    }

    /// Every field named `prefix-N` with a whole number above zero, as N → number: the choices of a ballot.
    func weights(prefix: String) throws -> [Int64: Int] {
        var result: [Int64: Int] = [:]
        for (name, values) in fields where name.hasPrefix(prefix + "-") {
            guard let id = Int64(name.dropFirst(prefix.count + 1)) else { continue }
            let text = values.first?.trimmingCharacters(in: .whitespaces) ?? ""
            guard !text.isEmpty else { continue }
            guard let weight = Int(text), weight >= 0 else { throw FormProblem(field: name, message: "needs a whole number") }
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

/// A form field that is missing or malformed.
struct FormProblem: Error, CustomStringConvertible {
    var field: String
    var message: String
    var description: String { "\(field) \(message)" }
}
