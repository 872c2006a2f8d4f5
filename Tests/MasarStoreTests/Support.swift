import Foundation
import MasarCore
import Testing
@testable import MasarStore

// What every store test shares: the backends the suite runs against, a fresh store for a test,
// and the check that an action is refused with a given message and changes nothing.

let servicesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Services").path

/// A store behind `LabStore`: each suite written against the protocol runs on every one.
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite

    static let all = allCases

    var testDescription: String { rawValue }

    /// A new, empty store with the given clock; `location` is where its data lives (a file for SQLite).
    func store(now: @escaping @Sendable () -> Date) throws -> (store: any LabStore, location: String) {
        switch self {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("masar-\(UUID().uuidString).sqlite").path
            return (try SQLiteLabStore.open(path: path, now: now), path)
        }
    }
}

func yaml(_ service: String) throws -> String {
    try String(contentsOfFile: servicesFolder + "/\(service).yaml", encoding: .utf8)
}

/// Expects `body` to be refused, with this message in English.
func expectRefusal(_ english: String, sourceLocation: SourceLocation = #_sourceLocation,
                   _ body: () async throws -> Void) async {
    do {
        try await body()
        Issue.record("expected the refusal “\(english)”, but it was allowed", sourceLocation: sourceLocation)
    } catch let refusal as Refusal {
        #expect(refusal.message(in: .english) == english, sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected the refusal “\(english)”, got \(error)", sourceLocation: sourceLocation)
    }
}

/// Expects `body` to be refused with this code, and the audit log unchanged.
func expectRefused(_ db: any LabStore, _ code: RefusalCode, sourceLocation: SourceLocation = #_sourceLocation,
                   _ body: () async throws -> Void) async throws {
    let before = try await db.auditLog().count
    do {
        try await body()
        Issue.record("expected \(code), but it was allowed", sourceLocation: sourceLocation)
    } catch let refusal as Refusal {
        #expect(refusal.code == code, "\(refusal)", sourceLocation: sourceLocation)
    }
    #expect(try await db.auditLog().count == before, sourceLocation: sourceLocation)
}

/// Expects `body` to be refused with this message, and the audit log and stage to be as they were.
func expectRefused(_ db: any LabStore, _ rule: String, service: String = "birth-registration",
                   sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async throws {
    let log = try await db.auditLog().count
    let stage = try? await db.status(service: service).stage
    await expectRefusal(rule, sourceLocation: sourceLocation, body)
    #expect(try await db.auditLog().count == log, sourceLocation: sourceLocation)
    #expect((try? await db.status(service: service).stage) == stage, sourceLocation: sourceLocation)
}
