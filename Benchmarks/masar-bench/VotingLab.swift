import Foundation
import MasarCore
import MasarStore

/// What the vote and web benchmarks vote on: a fresh database with one phase ("National"), a
/// lab, one service in future-design with ten proposed improvements, and `count` participants
/// registered in batches of 50,000.
struct VotingLab {
    let db: any LabStore
    let service: String
    let improvements: [Int64]
    let participants: [ParticipantRecord]
    /// Seconds the registration took.
    let registration: Double
    let facilitator = Member(name: "Facilitator", role: .facilitator)

    init(path: String, map file: String, participants count: Int, track: Track) async throws {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        db = try SQLiteLabStore.open(path: path)
        let map = try Catalogue.load([file]).services[0]
        service = map.id
        try await db.createPhase(name: "National", startsOn: "2024-01-01", sectors: [], targets: [map.id], by: facilitator)
        try await db.createLab(name: "Lab", phase: "National", sectors: [], by: facilitator)
        try await db.importService(yaml: try String(contentsOfFile: file, encoding: .utf8), file: file, lab: "Lab", by: facilitator)
        try await db.advance(service: map.id, by: facilitator)
        try await db.addPainPoint(service: map.id, step: map.current.steps[0].id, category: .waiting, severity: 3, source: .survey,
                            text: "Long wait", by: facilitator)
        try await db.advance(service: map.id, by: facilitator)
        let facilitator = self.facilitator, db = self.db
        var improvements: [Int64] = []
        for index in 1...10 {
            improvements.append(try await db.proposeImprovement(service: map.id, text: LocalizedText(en: "Improvement \(index)"), addresses: [],
                                                                by: facilitator).id!)
        }
        self.improvements = improvements
        let clock = ContinuousClock.now
        var participants: [ParticipantRecord] = []
        for start in stride(from: 0, to: count, by: 50_000) {
            participants += try await db.registerParticipants((start..<min(count, start + 50_000)).map {
                NewParticipant(name: "Citizen \($0)", track: track, kind: .community)
            }, phase: "National", by: facilitator)
        }
        self.participants = participants
        registration = (ContinuousClock.now - clock).seconds
    }
}
