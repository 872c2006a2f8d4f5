import Foundation
import Testing
@testable import MasarWeb

/// The multipart reader against what a hostile client may send.
@Suite("multipart/form-data, read strictly")
struct MultipartTests {
    static let boundary = "XyZ"

    func parts(_ text: String) throws -> [Multipart.Part] {
        try Multipart.parts(Array(text.utf8), boundary: Self.boundary)
    }

    func refusal(_ text: String) -> String? {
        do { _ = try parts(text); return nil } catch let problem as MultipartProblem { return problem.description } catch { return "\(error)" }
    }

    @Test("A boundary is read from the Content-Type, quoted or not; a missing, empty, too long or foreign one is none")
    func boundaries() {
        #expect(Multipart.boundary("multipart/form-data; boundary=----Web123") == "----Web123")
        #expect(Multipart.boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\"") == "a b")
        #expect(Multipart.boundary("multipart/form-data") == nil)
        #expect(Multipart.boundary("multipart/form-data; boundary=") == nil)
        #expect(Multipart.boundary("multipart/form-data; boundary=" + String(repeating: "a", count: 71)) == nil)
        #expect(Multipart.boundary("multipart/form-data; boundary=" + String(repeating: "a", count: 70)) != nil)
        #expect(Multipart.boundary("multipart/mixed; boundary=abc") == nil)
        #expect(Multipart.boundary("multipart/form-data; boundary=a\u{0}b") == nil)
    }

    @Test("Fields and a file come out by name, in order, a boundary-like line inside a file kept as content")
    func wellFormed() throws {
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"_form\"\r\n\r\nT0KEN\r\n"
            + "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"m.yaml\"\r\nContent-Type: text/yaml\r\n\r\n"
            + "id: x\n--XyZ not at a line start\r\n--XyZ--\r\n"
        let read = try parts(body)
        #expect(read.map(\.name) == ["_form", "file"])
        #expect(read[0] == Multipart.Part(name: "_form", filename: nil, body: Array("T0KEN".utf8)))
        #expect(read[1] == Multipart.Part(name: "file", filename: "m.yaml", body: Array("id: x\n--XyZ not at a line start".utf8)))
    }

    @Test("An empty file and an empty field are parts like any other")
    func empty() throws {
        let read = try parts("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\r\n--XyZ--")
        #expect(read == [Multipart.Part(name: "a", filename: nil, body: [])])
    }

    @Test("Hostile bodies are refused with what is wrong")
    func hostile() {
        #expect(refusal("") == "the body does not start with its boundary")
        #expect(refusal("preamble\r\n--XyZ\r\n") == "the body does not start with its boundary")
        #expect(refusal("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end") == "no closing boundary")
        #expect(refusal("--XyZ\r\nContent-Disposition: form-data; name=\"a\"") == "a part's headers do not end within 2048 bytes")
        #expect(refusal("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--XyZ") == "a boundary is followed by neither a line break nor --")
        // The boundary inside a part's content, at a line start: the sender chose a bad boundary, and the body is refused.
        #expect(refusal("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--XyZy\r\n--XyZ--")
            == "a boundary is followed by neither a line break nor --")
        #expect(refusal("--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ--") == "a part has no Content-Disposition")
        #expect(refusal("--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--XyZ--") == "a part is not form-data")
        #expect(refusal("--XyZ\r\nContent-Disposition: form-data; filename=\"a\"\r\n\r\nx\r\n--XyZ--") == "a part has no name")
        #expect(refusal("--XyZ\r\nno colon here\r\n\r\nx\r\n--XyZ--") == "a part's header has no name")
        let longHeader = "--XyZ\r\nContent-Disposition: form-data; name=\"" + String(repeating: "a", count: 3_000) + "\"\r\n\r\nx\r\n--XyZ--"
        #expect(refusal(longHeader) == "a part's headers do not end within 2048 bytes")
        let many = String(repeating: "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n", count: 65) + "--XyZ--"
        #expect(refusal(many) == "more than 64 parts")
        let sixtyFour = String(repeating: "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n", count: 64) + "--XyZ--"
        #expect(refusal(sixtyFour) == nil)
    }
}
