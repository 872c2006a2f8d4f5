import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

@Suite("The web app from the terminal")
struct WebCLITests {
    @Test("account add: a short password, a wrong role or a director-general without institution is refused; names are unique")
    func accounts() throws {
        let db = FileManager.default.temporaryDirectory.appendingPathComponent("masar-accounts-\(UUID().uuidString).sqlite").path
        let office = ["--db", db, "--as", "Office", "--role", "programme-office"]
        // Nobody can act as an account that does not exist; the first account is the programme office's, made without --as.
        let nobody = try masar(["account", "add", "Aisha", "--for", "facilitator"] + office, input: "long enough password\n")
        #expect(nobody.status == 1)
        #expect(nobody.stderr.contains("there is no account named 'Office'"))
        let first = try masar(["account", "add", "Aisha", "--for", "facilitator", "--db", db], input: "long enough password\n")
        #expect(first.stderr.contains("the first one is the programme office's"))
        #expect(try masar(["account", "add", "Office", "--for", "programme-office", "--db", db],
                          input: "long enough password\n").status == 0)
        let short = try masar(["account", "add", "Aisha", "--for", "facilitator"] + office, input: "short\n")
        #expect(short.status == 1)
        #expect(short.stderr.contains("a password needs at least 10 characters"))
        // bcrypt reads 72 bytes: a 73-byte password is refused, in the language asked for, rather than cut.
        let long = String(repeating: "p", count: 73) + "\n"
        let tooLong = try masar(["account", "add", "Aisha", "--for", "facilitator"] + office, input: long)
        #expect(tooLong.status == 1)
        #expect(tooLong.stderr.contains("a password can be at most 72 bytes, and this one has 73"))
        let inArabic = try masar(["account", "add", "Aisha", "--for", "facilitator", "--lang", "ar"] + office, input: long)
        #expect(inArabic.stderr.contains("لا تزيد كلمة المرور على 72 بايت، وهذه 73 بايت"))
        let dg = try masar(["account", "add", "Said", "--for", "director-general"] + office, input: "long enough password\n")
        #expect(dg.status == 1)
        #expect(dg.stderr.contains("a director-general's account needs their institution"))
        let made = try masar(["account", "add", "Aisha", "--for", "facilitator"] + office, input: "long enough password\n")
        #expect(made.status == 0)
        let notOffice = try masar(["account", "add", "Salim", "--for", "facilitator", "--db", db, "--as", "Aisha", "--role", "facilitator"],
                                  input: "long enough password\n")
        #expect(notOffice.stderr.contains("to create accounts is for programme-office, not facilitator"))
        let again = try masar(["account", "add", "aisha", "--for", "quality-reviewer"] + office, input: "long enough password\n")
        #expect(again.stderr.contains("the name 'aisha' is taken by another account"))
    }

    @Test("serve refuses a bad port or address with the fix")
    func badOptions() throws {
        let port = try masar(["serve", "--port", "70000"])
        #expect(port.status == 64)
        #expect(port.stderr.contains("--port must be from 1 to 65535"))
        let url = try masar(["serve", "--public-url", "masar.example.om"])
        #expect(url.status == 64)
        #expect(url.stderr.contains("--public-url must start with https://"))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("masar-secret-\(UUID().uuidString)").path
        try "too short\n".write(toFile: file, atomically: true, encoding: .utf8)
        let secret = try masar(["serve", "--secret-file", file])
        #expect(secret.status == 1)
        #expect(secret.stderr.contains("the secret in \(file) is too short: at least 32 bytes"))
        #expect(try masar(["serve", "--help"]).stdout.contains("MASAR_SECRET"))
    }

    @Test("serve fills an empty database with the demo programme once, answers, and stops cleanly on SIGTERM")
    func serveDemo() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("masar-serve-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for round in 1...2 {
            let port = Int.random(in: 30_000...50_000)
            let server = Process()
            server.executableURL = masarBinary
            server.arguments = ["serve", "--db", folder + "/lab.sqlite", "--demo-catalogue", servicesFolder, "--port", String(port)]
            let output = Pipe()
            server.standardOutput = output
            server.standardError = FileHandle.nullDevice
            try server.run()
            var page: String?
            for _ in 0..<300 where page == nil {
                try await Task.sleep(for: .milliseconds(100))
                if let (data, _) = try? await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/services")!) {
                    page = String(decoding: data, as: UTF8.self)
                }
            }
            // The demo's 16 services are listed, in Arabic.
            #expect(page?.contains("<html lang=\"ar\" dir=\"rtl\">") == true)
            #expect(page?.contains("تصريح الدفن") == true)
            server.terminate()
            server.waitUntilExit()
            #expect(server.terminationReason == .exit && server.terminationStatus == 0)
            let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(printed.contains("Created a demo programme") == (round == 1))
        }
    }
}
