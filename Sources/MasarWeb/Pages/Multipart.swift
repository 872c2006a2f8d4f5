import Foundation

/// A `multipart/form-data` body (RFC 7578), as a browser sends a form with a file input. Anyone
/// may send one, so it is read strictly: a boundary the Content-Type names, every part opened by
/// it and named by a `form-data` disposition, a closing boundary, and no more parts or header
/// bytes than a form has. The body's size is bounded before it gets here (`maxUploadSize`).
enum Multipart {
    struct Part: Equatable {
        var name: String
        /// Set for a file input: the file's name as the browser gives it.
        var filename: String?
        var body: [UInt8]
    }

    /// More parts than any of Masar's forms has.
    static let mostParts = 64
    /// A part's headers, which a browser keeps to a few short lines.
    static let longestHeaders = 2_048

    /// The boundary of `multipart/form-data; boundary=…` (quoted or not): 1 to 70 of the
    /// characters RFC 2046 allows, not ending in a space.
    static func boundary(_ contentType: String) -> String? {
        let parameters = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parameters.first?.lowercased() == "multipart/form-data" else { return nil }
        for parameter in parameters.dropFirst() where parameter.lowercased().hasPrefix("boundary=") {
            var value = Substring(parameter.dropFirst("boundary=".count))
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = value.dropFirst().dropLast() }
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "'()+_,-./:=? "))
            guard (1...70).contains(value.count), !value.hasSuffix(" "), value.unicodeScalars.allSatisfy({ $0.isASCII && allowed.contains($0) })
            else { return nil }
            return String(value)
        }
        return nil
    }

    /// The parts of `body`, in order; a body that is not well formed is refused with what is wrong.
    static func parts(_ body: [UInt8], boundary: String) throws(MultipartProblem) -> [Part] {
        let delimiter = Array("--\(boundary)".utf8)
        let crlf: [UInt8] = [13, 10]
        guard body.starts(with: delimiter) else { throw MultipartProblem("the body does not start with its boundary") }
        var parts: [Part] = []
        var position = delimiter.count
        while true {
            let rest = body[position...]
            if rest.starts(with: [45, 45]) { return parts }  // "--": the closing boundary
            guard rest.starts(with: crlf) else { throw MultipartProblem("a boundary is followed by neither a line break nor --") }
            guard parts.count < mostParts else { throw MultipartProblem("more than \(mostParts) parts") }
            let headersStart = position + 2
            guard let headersEnd = find([13, 10, 13, 10], in: body, from: headersStart, within: longestHeaders) else {
                throw MultipartProblem("a part's headers do not end within \(longestHeaders) bytes")
            }
            guard let headers = String(bytes: body[headersStart..<headersEnd], encoding: .utf8) else {
                throw MultipartProblem("a part's headers are not UTF-8")
            }
            let contentStart = headersEnd + 4
            guard let contentEnd = find(crlf + delimiter, in: body, from: contentStart) else {
                throw MultipartProblem("no closing boundary")
            }
            var part = try disposition(headers)
            part.body = Array(body[contentStart..<contentEnd])
            parts.append(part)
            position = contentEnd + 2 + delimiter.count
        }
    }

    /// The part's name (and file name) from its `Content-Disposition: form-data; name="…"` header.
    static func disposition(_ headers: String) throws(MultipartProblem) -> Part {
        for line in headers.split(separator: "\r\n", omittingEmptySubsequences: false) {
            guard let colon = line.firstIndex(of: ":") else { throw MultipartProblem("a part's header has no name") }
            guard line[..<colon].trimmingCharacters(in: .whitespaces).lowercased() == "content-disposition" else { continue }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard value.lowercased().hasPrefix("form-data") else { throw MultipartProblem("a part is not form-data") }
            var name: String?, filename: String?
            for match in value.matches(of: /;\s*([A-Za-z]+)="([^"\r\n]*)"/) {
                switch match.output.1.lowercased() {
                case "name": name = String(match.output.2)
                case "filename": filename = String(match.output.2)
                default: break
                }
            }
            guard let name, !name.isEmpty else { throw MultipartProblem("a part has no name") }
            return Part(name: name, filename: filename, body: [])
        }
        throw MultipartProblem("a part has no Content-Disposition")
    }

    /// Where `needle` first starts in `haystack` at or after `start` (and, with `within`, before `start + within`).
    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int, within: Int? = nil) -> Int? {
        let last = min(haystack.count - needle.count, within.map { start + $0 } ?? Int.max)
        guard start <= last else { return nil }
        var index = start
        while index <= last {
            if haystack[index] == needle[0], haystack[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}

/// Why a multipart body was refused.
struct MultipartProblem: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
