import Foundation
import GRDB
import MasarCore

/// The lab workflow (DESIGN "Lab workflow"): every rule is checked here, inside the
/// transaction that makes the change, and a broken rule is a `Refusal` that changes nothing.
extension AppDatabase {
    // MARK: - Phases, labs, sessions

    /// Creates a phase; it lasts three months unless `endsOn` is given.
    @discardableResult
    public func createPhase(name: String, startsOn: String, endsOn: String? = nil, sectors: [String],
                            targets: [String] = [], by member: LabMember) throws -> PhaseRecord {
        try require(member, .createPhase)
        guard let start = Self.date(startsOn) else { throw Refusal("start date '\(startsOn)' is not a date like 2023-01-01") }
        let end: Date
        if let endsOn {
            guard let given = Self.date(endsOn) else { throw Refusal("end date '\(endsOn)' is not a date like 2023-03-31") }
            end = given
        } else {
            end = Calendar(identifier: .gregorian).date(byAdding: .month, value: 3, to: start)!
        }
        guard start <= end else { throw Refusal("a phase cannot end before it starts") }
        return try write { db in
            guard try PhaseRecord.filter(Column("name") == name).fetchCount(db) == 0 else {
                throw Refusal("a phase named '\(name)' exists already")
            }
            var phase = PhaseRecord(name: name, startsOn: Self.day(start), endsOn: Self.day(end), sectors: sectors)
            try phase.insert(db)
            for service in Set(targets) {
                try db.execute(sql: "INSERT INTO phaseTarget (phaseId, serviceId) VALUES (?, ?)",
                               arguments: [phase.id, service])
            }
            try self.audit(db, member, service: nil, action: "create phase",
                           note: "\(name), \(phase.startsOn) to \(phase.endsOn), \(targets.count) services targeted")
            return phase
        }
    }

    /// Opens a lab in a phase.
    @discardableResult
    public func createLab(name: String, phase: String, sectors: [String], by member: LabMember) throws -> LabRecord {
        try require(member, .openLab)
        return try write { db in
            let phase = try self.phase(db, phase)
            guard try LabRecord.filter(Column("name") == name).fetchCount(db) == 0 else {
                throw Refusal("a lab named '\(name)' exists already")
            }
            var lab = LabRecord(phaseId: phase.id!, name: name, facilitator: member.name, sectors: sectors)
            try lab.insert(db)
            try self.audit(db, member, service: nil, action: "open lab", note: "\(name) in \(phase.name)")
            return lab
        }
    }

    /// Records a session a lab held, with attendance.
    @discardableResult
    public func recordSession(lab: String, heldOn: String, place: String, institutionRepresentatives: Int,
                              communityMembers: Int, by member: LabMember) throws -> LabSessionRecord {
        try require(member, .recordSession)
        guard let date = Self.date(heldOn) else { throw Refusal("session date '\(heldOn)' is not a date like 2023-02-14") }
        guard institutionRepresentatives >= 0, communityMembers >= 0 else { throw Refusal("attendance cannot be negative") }
        return try write { db in
            let lab = try self.lab(db, lab)
            var session = LabSessionRecord(labId: lab.id!, heldOn: Self.day(date), place: place,
                                           institutionRepresentatives: institutionRepresentatives,
                                           communityMembers: communityMembers)
            try session.insert(db)
            try self.audit(db, member, service: nil, action: "record session",
                           note: "\(lab.name): \(session.heldOn) at \(place)")
            return session
        }
    }

    // MARK: - Services and revisions

    /// Imports a service map into a lab as a new revision (the exact text and its SHA-256).
    /// A new service starts in `mapping`. Invalid maps are refused with every issue (`MapIssues`).
    @discardableResult
    public func importService(yaml: String, file: String, lab: String, by member: LabMember) throws -> RevisionRecord {
        try importServices([(yaml, file)], lab: lab, by: member)[0]
    }

    /// Imports several maps in one transaction: all of them, or — if any map is invalid or any
    /// rule refuses, or the process dies midway — none.
    @discardableResult
    public func importServices(_ files: [(yaml: String, file: String)], lab: String,
                               by member: LabMember) throws -> [RevisionRecord] {
        try require(member, .importMap)
        var maps: [ServiceMap] = []
        var issues: [MapIssue] = []
        for (yaml, file) in files {
            do throws(MapIssues) {
                switch try MapLoader.parse(yaml, file: file) {
                case .service(let map): maps.append(map)
                case .lifeEvent: issues.append(MapIssue(file: file, line: 1, message: "a life event, not a service map"))
                }
            } catch {
                issues += error.issues
            }
        }
        guard issues.isEmpty else { throw MapIssues(issues) }
        let parsed = maps
        return try write { db in
            let lab = try self.lab(db, lab)
            return try zip(parsed, files).map { map, file in
                try self.importRevision(db, map, yaml: file.yaml, lab: lab, by: member)
            }
        }
    }

    private func importRevision(_ db: Database, _ map: ServiceMap, yaml: String, lab: LabRecord,
                                by member: LabMember) throws -> RevisionRecord {
        if let existing = try LabServiceRecord.fetchOne(db, key: map.id) {
            guard existing.labId == lab.id else { throw Refusal("service '\(map.id)' belongs to another lab") }
            switch existing.stage {
            case .signedOff: throw Refusal("service '\(map.id)' is signed off; a signed-off map is frozen")
            case .review: throw Refusal("service '\(map.id)' is in review; request amendments before changing its map")
            default: break
            }
            let steps = Set(map.current.steps.map(\.id))
            let orphaned = try String.fetchAll(db, sql: "SELECT DISTINCT stepId FROM painPoint WHERE labServiceId = ?",
                                               arguments: [map.id]).filter { !steps.contains($0) }
            guard orphaned.isEmpty else {
                throw Refusal("pain points stand on steps the new map no longer has: \(orphaned.sorted().joined(separator: ", "))")
            }
            try db.execute(sql: "UPDATE labService SET documentHash = NULL WHERE id = ?", arguments: [map.id])
        } else {
            try LabServiceRecord(id: map.id, labId: lab.id!, stage: .mapping, documentHash: nil).insert(db)
        }
        var revision = RevisionRecord(labServiceId: map.id, yaml: yaml, sha256: Self.sha256(yaml),
                                      importedBy: member.name, importedAt: now(), summary: ServiceSummary(map))
        try revision.insert(db)
        try audit(db, member, service: map.id, action: "import", note: "revision \(revision.id!), sha256 \(revision.sha256)")
        return revision
    }

    /// Moves a service to its next stage, if every rule of that stage holds.
    @discardableResult
    public func advance(service id: String, by member: LabMember) throws -> Stage {
        try require(member, .advance)
        return try write { db in
            let service = try self.service(db, id)
            guard let next = service.stage.next else { throw Refusal("signed-off is final") }
            let (map, _) = try self.latest(db, id)
            switch next {
            case .mapping, .painPoints:
                break // the current path validated when it was imported
            case .futureDesign:
                guard try PainPointRecord.filter(Column("labServiceId") == id).fetchCount(db) > 0 else {
                    throw Refusal("future-design needs at least one pain point")
                }
            case .review:
                guard map.future != nil else { throw Refusal("review needs a future path in the service map") }
                guard service.documentHash != nil else {
                    throw Refusal("review needs the lab output document of the latest revision (masar document)")
                }
            case .signedOff:
                throw Refusal("signed-off needs the sign-off of every director-general, not advance")
            }
            try db.execute(sql: "UPDATE labService SET stage = ? WHERE id = ?", arguments: [next, id])
            try self.audit(db, member, service: id, action: "advance", from: service.stage, to: next)
            return next
        }
    }

    // MARK: - Pain points and improvements

    /// Records a pain point on a step of the current path.
    @discardableResult
    public func addPainPoint(service id: String, step: String, category: PainPointCategory, severity: Int,
                             source: PainPointSource, text: String, by member: LabMember) throws -> PainPointRecord {
        try require(member, .recordPainPoint)
        guard (1...5).contains(severity) else { throw Refusal("severity is from 1 to 5, not \(severity)") }
        return try write { db in
            let service = try self.service(db, id)
            guard service.stage == .painPoints || service.stage == .futureDesign else {
                throw Refusal("pain points are captured in the pain-points and future-design stages, not \(service.stage.rawValue)")
            }
            let (map, _) = try self.latest(db, id)
            guard map.current.step(step) != nil else {
                throw Refusal("'\(step)' is not a step of the current path of '\(id)'")
            }
            var point = PainPointRecord(labServiceId: id, stepId: step, category: category, severity: severity,
                                        source: source, text: text, recordedBy: member.name, recordedAt: self.now())
            try point.insert(db)
            try self.audit(db, member, service: id, action: "pain point",
                           note: "#\(point.id!) on \(step): \(category.rawValue), severity \(severity)")
            return point
        }
    }

    /// Records many pain points in one transaction (from a survey or a complaints export):
    /// all of them, or none if any breaks a rule.
    public func addPainPoints(_ points: [NewPainPoint], by member: LabMember) throws {
        try require(member, .importPainPoints)
        try write { db in
            for (index, point) in points.enumerated() {
                guard (1...5).contains(point.severity) else {
                    throw Refusal("pain point \(index + 1): severity is from 1 to 5, not \(point.severity)")
                }
                let service = try self.service(db, point.service)
                guard service.stage == .painPoints || service.stage == .futureDesign else {
                    throw Refusal("pain point \(index + 1): pain points are captured in the pain-points and future-design stages, not \(service.stage.rawValue)")
                }
                guard try self.latest(db, point.service).0.current.step(point.step) != nil else {
                    throw Refusal("pain point \(index + 1): '\(point.step)' is not a step of the current path of '\(point.service)'")
                }
                var record = PainPointRecord(labServiceId: point.service, stepId: point.step, category: point.category,
                                             severity: point.severity, source: point.source, text: point.text,
                                             recordedBy: member.name, recordedAt: self.now())
                try record.insert(db)
                try self.audit(db, member, service: point.service, action: "pain point",
                               note: "#\(record.id!) on \(point.step): \(point.category.rawValue), severity \(point.severity)")
            }
        }
    }

    /// Proposes an improvement that addresses some of the service's pain points.
    @discardableResult
    public func proposeImprovement(service id: String, text: String, addresses painPoints: [Int64],
                                   by member: LabMember) throws -> ImprovementRecord {
        try require(member, .proposeImprovement)
        return try write { db in
            let service = try self.service(db, id)
            guard service.stage == .painPoints || service.stage == .futureDesign else {
                throw Refusal("improvements are proposed in the pain-points and future-design stages, not \(service.stage.rawValue)")
            }
            let known = try Int64.fetchSet(db, sql: "SELECT id FROM painPoint WHERE labServiceId = ?", arguments: [id])
            let unknown = painPoints.filter { !known.contains($0) }
            guard unknown.isEmpty else {
                throw Refusal("pain point \(unknown.map { "#\($0)" }.joined(separator: ", ")) is not one of '\(id)'")
            }
            var improvement = ImprovementRecord(labServiceId: id, text: text, status: .proposed, proposedBy: member.name)
            try improvement.insert(db)
            for point in Set(painPoints) {
                try ImprovementPainPointRecord(improvementId: improvement.id!, painPointId: point).insert(db)
            }
            try self.audit(db, member, service: id, action: "propose improvement", note: "#\(improvement.id!): \(text)")
            return improvement
        }
    }

    /// Accepts or rejects a proposed improvement.
    public func decideImprovement(_ improvementID: Int64, _ status: ImprovementStatus, by member: LabMember) throws {
        try require(member, .decideImprovement)
        try write { db in
            guard var improvement = try ImprovementRecord.fetchOne(db, key: improvementID) else {
                throw Refusal("no improvement #\(improvementID)")
            }
            let service = try self.service(db, improvement.labServiceId)
            guard service.stage == .futureDesign else {
                throw Refusal("improvements are decided in the future-design stage, not \(service.stage.rawValue)")
            }
            improvement.status = status
            try improvement.update(db)
            try self.audit(db, member, service: service.id, action: "decide improvement",
                           note: "#\(improvementID) \(status.rawValue)")
        }
    }

    /// Notes that the output document of the latest revision was generated, with its hash.
    public func recordDocument(service id: String, sha256: String, by member: LabMember) throws {
        try require(member, .recordDocument)
        try write { db in
            let service = try self.service(db, id)
            guard service.stage == .futureDesign || service.stage == .review else {
                throw Refusal("the output document is generated in the future-design stage, not \(service.stage.rawValue)")
            }
            try db.execute(sql: "UPDATE labService SET documentHash = ? WHERE id = ?", arguments: [sha256, id])
            try self.audit(db, member, service: id, action: "document", note: "sha256 \(sha256)")
        }
    }

    // MARK: - Review and sign-off

    /// A stakeholder or the quality team reviews the output document: approve it, or request
    /// amendments, which sends the service back to future-design with the reasons kept.
    @discardableResult
    public func review(service id: String, verdict: ReviewVerdict, reasons: String, by member: LabMember) throws -> ReviewRecord {
        try require(member, .review)
        if verdict == .amend, reasons.allSatisfy(\.isWhitespace) {
            throw Refusal("a request for amendments needs its reasons")
        }
        return try write { db in
            let service = try self.service(db, id)
            guard service.stage == .review else {
                throw Refusal("reviews happen in the review stage; '\(id)' is in \(service.stage.rawValue)")
            }
            let (_, revision) = try self.latest(db, id)
            var review = ReviewRecord(labServiceId: id, revisionId: revision.id!, reviewer: member.name, role: member.role,
                                      verdict: verdict, reasons: reasons, at: self.now())
            try review.insert(db)
            if verdict == .amend {
                try db.execute(sql: "UPDATE labService SET stage = ?, documentHash = NULL WHERE id = ?",
                               arguments: [Stage.futureDesign, id])
                try self.audit(db, member, service: id, action: "request amendments", from: .review, to: .futureDesign,
                               note: reasons)
            } else {
                try self.audit(db, member, service: id, action: "approve", note: reasons)
            }
            return review
        }
    }

    /// A director-general signs off the future path for an institution that owns a step of it.
    /// The last sign-off needed moves the service to signed-off.
    @discardableResult
    public func signOff(service id: String, institution: String, by member: LabMember) throws -> Stage {
        try require(member, .signOff)
        return try write { db in
            let service = try self.service(db, id)
            guard service.stage == .review else {
                throw Refusal("sign-off happens in the review stage; '\(id)' is in \(service.stage.rawValue)")
            }
            let (map, revision) = try self.latest(db, id)
            let owners = Self.owners(map)
            guard owners.contains(institution) else {
                throw Refusal("'\(institution)' owns no step of the future path (owners: \(owners.sorted().joined(separator: ", ")))")
            }
            let approved = try ReviewRecord
                .filter(Column("revisionId") == revision.id! && Column("verdict") == ReviewVerdict.approve
                        && Column("role") == LabRole.qualityReviewer)
                .fetchCount(db) > 0
            guard approved else { throw Refusal("sign-off needs an approving review from the quality team") }
            let signed = try String.fetchSet(db, sql: "SELECT institution FROM signOff WHERE revisionId = ?",
                                             arguments: [revision.id!])
            guard !signed.contains(institution) else { throw Refusal("'\(institution)' has signed off already") }
            var signOff = SignOffRecord(labServiceId: id, revisionId: revision.id!, directorGeneral: member.name,
                                        institution: institution, at: self.now())
            try signOff.insert(db)
            try self.audit(db, member, service: id, action: "sign off", note: institution)
            guard owners.isSubset(of: signed.union([institution])) else { return Stage.review }
            try db.execute(sql: "UPDATE labService SET stage = ? WHERE id = ?", arguments: [Stage.signedOff, id])
            try self.audit(db, member, service: id, action: "signed off", from: .review, to: .signedOff,
                           note: "every institution of the future path has signed")
            return Stage.signedOff
        }
    }

    // MARK: - Reading

    /// Where a service stands, and what it still needs.
    public func status(service id: String) throws -> ServiceStatus {
        try read { db in
            _ = try self.service(db, id)
            return try self.statuses(db, only: id)[0]
        }
    }

    /// Every service with its stage, in one query; only services in review read their map
    /// back, to name the institutions still to sign.
    public func statuses() throws -> [ServiceStatus] {
        try read { db in try self.statuses(db, only: nil) }
    }

    private func statuses(_ db: Database, only id: String?) throws -> [ServiceStatus] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT s.id, s.stage, s.documentHash, r.id AS revision, r.sha256,
                   (SELECT COUNT(*) FROM painPoint p WHERE p.labServiceId = s.id) AS painPoints,
                   (SELECT COUNT(*) FROM improvement i WHERE i.labServiceId = s.id) AS improvements
            FROM labService s
            JOIN revision r ON r.id = (SELECT MAX(id) FROM revision WHERE labServiceId = s.id)
            WHERE ? IS NULL OR s.id = ?
            ORDER BY s.id
            """, arguments: [id, id])
        return try rows.map { row in
            let service: String = row["id"]
            let stage: Stage = row["stage"]
            var awaiting: [String] = []
            if stage == .review {
                let (map, revision) = try self.latest(db, service)
                let signed = try String.fetchSet(db, sql: "SELECT institution FROM signOff WHERE revisionId = ?",
                                                 arguments: [revision.id!])
                awaiting = Self.owners(map).subtracting(signed).sorted()
            }
            return ServiceStatus(service: service, stage: stage, revision: row["revision"], sha256: row["sha256"],
                                 painPoints: row["painPoints"], improvements: row["improvements"],
                                 documentGenerated: row["documentHash"] as String? != nil, awaitingSignOff: awaiting)
        }
    }

    /// The latest imported map of a service, read back from its stored text.
    public func latestMap(service id: String) throws -> ServiceMap {
        try read { db in try self.latest(db, id).0 }
    }

    // MARK: - Helpers

    func require(_ member: LabMember, _ action: LabAction) throws {
        guard action.roles.contains(member.role) else {
            throw Refusal("to \(action.rawValue) is for " + action.roles.map(\.rawValue).joined(separator: " or ")
                + ", not \(member.role.rawValue)")
        }
    }

    func phase(_ db: Database, _ name: String) throws -> PhaseRecord {
        guard let phase = try PhaseRecord.filter(Column("name") == name).fetchOne(db) else {
            throw Refusal("no phase named '\(name)'")
        }
        return phase
    }

    func lab(_ db: Database, _ name: String) throws -> LabRecord {
        guard let lab = try LabRecord.filter(Column("name") == name).fetchOne(db) else {
            throw Refusal("no lab named '\(name)'")
        }
        return lab
    }

    func service(_ db: Database, _ id: String) throws -> LabServiceRecord {
        guard let service = try LabServiceRecord.fetchOne(db, key: id) else {
            throw Refusal("no service '\(id)' in this database (import it first)")
        }
        return service
    }

    func latest(_ db: Database, _ id: String) throws -> (ServiceMap, RevisionRecord) {
        guard let revision = try RevisionRecord.filter(Column("labServiceId") == id).order(Column("id").desc).fetchOne(db)
        else { throw Refusal("service '\(id)' has no imported map") }
        if let map = maps.withLock({ $0[revision.id!] }) { return (map, revision) }
        let map = try MapLoader.parseService(revision.yaml, file: "\(id) revision \(revision.id!)")
        maps.withLock { cache in
            if cache.count >= 4096 { cache.removeAll() } // bounded; a national catalogue refills it as it goes
            cache[revision.id!] = map
        }
        return (map, revision)
    }

    /// Institutions that own a step of the future path: their directors-general sign it off.
    static func owners(_ map: ServiceMap) -> Set<String> {
        Set(map.future?.steps.filter { !$0.isCitizen }.map(\.actor) ?? [])
    }

    static func sha256(_ text: String) -> String {
        Fingerprint.of(text)
    }

    static func date(_ text: String) -> Date? {
        guard text.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.date(from: text)
    }

    static func day(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: date)
    }
}

/// A pain point to record, as a survey or complaints export gives it.
public struct NewPainPoint: Sendable {
    public var service: String
    public var step: String
    public var category: PainPointCategory
    public var severity: Int
    public var source: PainPointSource
    public var text: String

    public init(service: String, step: String, category: PainPointCategory, severity: Int,
                source: PainPointSource, text: String) {
        self.service = service
        self.step = step
        self.category = category
        self.severity = severity
        self.source = source
        self.text = text
    }
}

/// A service's stage and what it still needs, as facilitators ask for it.
public struct ServiceStatus: Codable, Equatable, Sendable {
    public var service: String
    public var stage: Stage
    public var revision: Int64
    public var sha256: String
    public var painPoints: Int
    public var improvements: Int
    public var documentGenerated: Bool
    /// In review: institutions of the future path whose director-general has not signed yet.
    public var awaitingSignOff: [String]
}
