import Foundation
import Testing
@testable import MasarBPMN

#if canImport(Glibc)
import Glibc
#endif

/// Files that are broken or built to hurt: each is refused with a reason, at once, touching
/// neither the network nor other files.
@Suite struct HostileXMLTests {
    private func refusal(_ text: String) -> String {
        let result = BPMNImport.read(Data(text.utf8), file: "evil.bpmn")
        #expect(result.imported.isEmpty)
        return result.refused.first?.description ?? "(not refused)"
    }

    private func withTemporaryFile<T>(_ body: (String) throws -> T) rethrows -> T {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("masar-\(UUID().uuidString).bpmn").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try body(path)
    }

    @Test func malformedXMLIsRefusedWithItsLine() {
        let text = "<?xml version=\"1.0\"?>\n<definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\">\n<process id=\"p\">\n</definitions>"
        #expect(refusal(text) == "evil.bpmn:4: not well-formed XML (an end tag that does not match its start tag)")
    }

    @Test("A task named with a right-to-left override is refused at its line, naming the attribute")
    func aBidiOverrideInANameIsRefused() {
        let text = """
            <?xml version="1.0"?>
            <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">
            <process id="p">
            <task id="t" name="Open invoice&#x202E;fdp.exe"/>
            </process>
            </definitions>
            """
        #expect(refusal(text)
            == "evil.bpmn:4: the 'name' of task holds U+202E, a bidi control that reorders what is shown (gnp.exe shows as exe.png); remove it")
        // A C1 control (an 8-bit ANSI escape) in a documentation text is refused too.
        #expect(refusal(text.replacingOccurrences(of: "<task id=\"t\" name=\"Open invoice&#x202E;fdp.exe\"/>",
                                                  with: "<documentation>&#x9B;2J</documentation>"))
            == "evil.bpmn:4: the text of documentation holds the control character U+009B, which is not shown but can change what is; remove it")
    }

    @Test func aFileThatIsNotBPMNIsRefused() {
        #expect(refusal("<html><body/></html>")
            == "evil.bpmn:1: not a BPMN 2.0 file: the root element is 'html' in namespace '', not BPMN's 'definitions'")
    }

    @Test func anExternalFileEntityIsRefusedAndNothingIsRead() {
        let secret = withTemporaryFile { path -> String in
            FileManager.default.createFile(atPath: path, contents: Data("TOP-SECRET".utf8))
            let text = """
                <?xml version="1.0"?>
                <!DOCTYPE definitions [ <!ENTITY leak SYSTEM "file://\(path)"> ]>
                <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">
                  <process id="p" name="&leak;"><task id="t" name="&leak;"/></process>
                </definitions>
                """
            let result = BPMNImport.read(Data(text.utf8), file: "evil.bpmn")
            #expect(result.imported.isEmpty)
            return result.refused.map(\.description).joined()
        }
        #expect(secret.hasPrefix("evil.bpmn:2: the file declares a DOCTYPE"))
        #expect(!secret.contains("TOP-SECRET"))
    }

    @Test func anExternalNetworkEntityMakesNoConnection() throws {
        let listener = try Listener()
        let text = """
            <?xml version="1.0"?>
            <!-- a comment first, so the DOCTYPE is not on the first line -->
            <!DOCTYPE definitions SYSTEM "http://127.0.0.1:\(listener.port)/bpmn.dtd" [
              <!ENTITY remote SYSTEM "http://127.0.0.1:\(listener.port)/entity">
              <!ENTITY % param SYSTEM "http://127.0.0.1:\(listener.port)/param"> %param;
            ]>
            <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p" name="&remote;"/></definitions>
            """
        #expect(refusal(text).hasPrefix("evil.bpmn:3: the file declares a DOCTYPE"))
        #expect(listener.connections() == 0)
    }

    @Test func billionLaughsIsRefusedBeforeAnyExpansion() {
        var entities = "<!ENTITY lol0 \"lol\">\n"
        for level in 1...9 {
            entities += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">\n"
        }
        let text = """
            <?xml version="1.0"?>
            <!DOCTYPE definitions [
            \(entities)]>
            <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p" name="&lol9;"/></definitions>
            """
        let clock = ContinuousClock()
        let start = clock.now
        let message = refusal(text)
        #expect(message.contains("declares a DOCTYPE"))
        // A guard against expansion, not a speed target: expanding would take minutes and gigabytes.
        #expect(clock.now - start < .seconds(2))
    }

    @Test func entitiesWithoutADoctypeAreUndefinedAndRefused() {
        let text = "<definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\"><process id=\"p\" name=\"&undefined;\"/></definitions>"
        #expect(refusal(text) == "evil.bpmn:1: not well-formed XML (an entity that is not defined)")
    }

    @Test func aFiftyMegabyteFileIsRefusedBeforeItIsRead() throws {
        let message = try withTemporaryFile { path -> String in
            #expect(FileManager.default.createFile(atPath: path, contents: nil))
            let handle = try #require(FileHandle(forWritingAtPath: path))
            try handle.truncate(atOffset: 50 << 20)
            try handle.close()
            return BPMNImport.read(files: [path])[0].refused.map(\.description).joined()
        }
        #expect(message == "\(message.prefix { $0 != ":" }):1: the file has 52428800 bytes; a BPMN file may have at most 16777216 (16 MiB)")
    }

    @Test func utf16AndUnknownEncodingsAskForUTF8() {
        let utf16 = BPMNImport.read("<definitions/>".data(using: .utf16)!, file: "evil.bpmn")
        #expect(utf16.refused.first?.message == "the file is UTF-16 or binary; save it as UTF-8")
        let ebcdic = refusal("<?xml version=\"1.0\" encoding=\"EBCDIC-US\"?><definitions/>")
        #expect(ebcdic.hasSuffix("the file is encoded 'ebcdic-us'; Masar reads UTF-8 and ISO-8859-1 — save it as UTF-8"))
        let lying = BPMNImport.read(Data([0x3C, 0x61, 0xFF, 0xFE, 0x3E]), file: "evil.bpmn")
        #expect(lying.refused.first?.message == "the file says it is utf-8 but is not; save it as UTF-8")
    }

    @Test func deepNestingIsRefused() {
        let text = "<definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\">"
            + String(repeating: "<extensionElements>", count: 5000) + String(repeating: "</extensionElements>", count: 5000)
            + "</definitions>"
        #expect(refusal(text) == "evil.bpmn:1: elements nest more than 256 deep")
    }

    @Test func aMissingFileIsRefusedByName() {
        let result = BPMNImport.read(files: ["/nonexistent/model.bpmn"])[0]
        #expect(result.refused.map(\.description) == ["model.bpmn:1: cannot be read (no such file, or no permission)"])
    }
}

/// A TCP listener on a free local port that counts the connections made to it.
private final class Listener {
    let socket: Int32
    let port: UInt16

    init() throws {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.socket = socket
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(socket, generic, length) == 0 && listen(socket, 8) == 0
                    && getsockname(socket, generic, &length) == 0
            }
        }
        try #require(bound)
        port = UInt16(bigEndian: address.sin_port)
        _ = fcntl(socket, F_SETFL, fcntl(socket, F_GETFL) | O_NONBLOCK)
    }

    /// Connections waiting to be accepted: any would mean the parser reached out.
    func connections() -> Int {
        var count = 0
        while true {
            let client = accept(socket, nil, nil)
            guard client >= 0 else { return count }
            close(client)
            count += 1
        }
    }

    deinit { close(socket) }
}
