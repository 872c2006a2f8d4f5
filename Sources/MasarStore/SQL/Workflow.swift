import Foundation
import MasarCore

/// The lab workflow (DESIGN "Lab workflow"): each change reads the state, asks `LabRules`, and
/// writes in one transaction; a refusal changes nothing.
extension SQLLabStore {
    // MARK: - Phases, labs, sessions

    @discardableResult
    public func createPhase(name: String, startsOn: String, endsOn: String?, sectors: [String], targets: [String],
                            by member: Member) async throws -> PhaseRecord {
        if let refusal = LabRules.may(.createPhase, member) { throw refusal }
        let (start, end) = try LabRules.phaseDates(startsOn: startsOn, endsOn: endsOn).get()
        return try await write { db in
            try self.check([name], as: .phaseName)
            try self.check(sectors, as: .sector)
            try self.check(targets, as: .targetService)
            guard try db.count("SELECT COUNT(*) FROM phase WHERE name = ?", arguments: [name]) == 0 else {
                throw Refusal(.nameTaken, ["kind": "phase", "name": name])
            }
            var phase = PhaseRecord(name: name, startsOn: start, endsOn: end, sectors: sectors)
            try db.insert(&phase)
            for service in Set(targets) {
                try db.execute("INSERT INTO phaseTarget (phaseId, serviceId) VALUES (?, ?)", arguments: [phase.id, service])
            }
            try self.audit(db, member, service: nil, action: .createPhase,
                           note: "\(name), \(phase.startsOn) to \(phase.endsOn), \(targets.count) services targeted")
            return phase
        }
    }

    @discardableResult
    public func createLab(name: String, phase: String, sectors: [String], facilitators: [String],
                          by member: Member) async throws -> LabRecord {
        if let refusal = LabRules.may(.openLab, member) { throw refusal }
        return try await write { db in
            try self.check([name], as: .labName)
            try self.check(sectors, as: .sector)
            let phase = try self.phase(db, phase)
            guard try db.count("SELECT COUNT(*) FROM lab WHERE name = ?", arguments: [name]) == 0 else {
                throw Refusal(.nameTaken, ["kind": "lab", "name": name])
            }
            var lab = LabRecord(phaseId: phase.id!, name: name, facilitator: member.name, sectors: sectors)
            try db.insert(&lab)
            try self.audit(db, member, service: nil, action: .openLab, note: "\(name) in \(phase.name)")
            // A facilitator who opens a lab runs it; the programme office names who does.
            if member.role == .facilitator { try self.insertFacilitator(db, lab: lab.id!, member.name) }
            for account in facilitators where !(member.role == .facilitator && account == member.name) {
                try self.assign(db, lab: lab, account: account, by: member)
            }
            return lab
        }
    }

    public func assignFacilitator(lab: String, account: String, by member: Member) async throws {
        try await write { db in try self.assign(db, lab: try self.lab(db, lab), account: account, by: member) }
    }

    private func assign(_ db: any SQLDatabase, lab: LabRecord, account: String, by member: Member) throws {
        let found = try self.account(db, named: account)
        if let refusal = LabRules.assignFacilitator(found?.member, name: account, by: member) { throw refusal }
        try insertFacilitator(db, lab: lab.id!, found!.name)
        try audit(db, member, service: nil, action: .assignFacilitator, note: "\(found!.name) to \(lab.name)")
    }

    private func insertFacilitator(_ db: any SQLDatabase, lab: Int64, _ name: String) throws {
        try db.execute("INSERT INTO labFacilitator (labId, name) VALUES (?, ?) ON CONFLICT DO NOTHING", arguments: [lab, name])
    }

    @discardableResult
    public func recordSession(lab: String, heldOn: String, place: String, institutionRepresentatives: Int,
                              communityMembers: Int, by member: Member) async throws -> LabSessionRecord {
        try await write { db in
            let lab = try self.lab(db, lab)
            if let refusal = LabRules.recordSession(try self.labState(db, lab), heldOn: heldOn,
                                                    institutionRepresentatives: institutionRepresentatives,
                                                    communityMembers: communityMembers, by: member) { throw refusal }
            try self.check([place], as: .place)
            var session = LabSessionRecord(labId: lab.id!, heldOn: heldOn, place: place,
                                           institutionRepresentatives: institutionRepresentatives,
                                           communityMembers: communityMembers)
            try db.insert(&session)
            try self.audit(db, member, service: nil, action: .recordSession, note: "\(lab.name): \(session.heldOn) at \(place)")
            return session
        }
    }

    // MARK: - Services and revisions

    @discardableResult
    public func importServices(_ files: [(yaml: String, file: String)], lab: String,
                               by member: Member) async throws -> [RevisionRecord] {
        if let refusal = LabRules.may(.importMap, member) { throw refusal }
        var maps: [ServiceMap] = []
        var issues: [MapIssue] = []
        for (yaml, file) in files {
            do throws(MapIssues) {
                switch try MapLoader.parse(yaml, file: file) {
                case .service(let map): maps.append(map)
                case .lifeEvent: issues.append(MapIssue(file: file, line: 1, message: "a life event, not a service map",
                                                        arabic: "هذه رحلة حياة، لا خريطة خدمة"))
                }
            } catch {
                issues += error.issues
            }
        }
        guard issues.isEmpty else { throw MapIssues(issues) }
        let parsed = maps, texts = files.map(\.yaml)
        return try await write { db in
            let lab = try self.lab(db, lab)
            let labState = try self.labState(db, lab)
            return try zip(parsed, texts).map { map, yaml in
                try self.importRevision(db, map, yaml: yaml, lab: labState, by: member)
            }
        }
    }

    private func importRevision(_ db: any SQLDatabase, _ map: ServiceMap, yaml: String, lab: LabState,
                                by member: Member) throws -> RevisionRecord {
        let existing = try db.exists("SELECT 1 FROM labService WHERE id = ?", arguments: [map.id]) ? try state(db, map.id) : nil
        let steps = Set(map.current.steps.map(\.id))
        let orphaned = try db.values(String.self, "SELECT DISTINCT stepId FROM painPoint WHERE labServiceId = ? AND moderation != 'declined'",
                                            arguments: [map.id]).filter { !steps.contains($0) }
        if let refusal = LabRules.importMap(existing, into: lab, orphanedSteps: orphaned, by: member) { throw refusal }
        if existing != nil {
            try db.execute("UPDATE labService SET documentHash = NULL, documentRevisionId = NULL WHERE id = ?",
                           arguments: [map.id])
        } else {
            try db.insert(LabServiceRecord(id: map.id, labId: lab.id, stage: .mapping))
        }
        var revision = RevisionRecord(labServiceId: map.id, yaml: yaml, sha256: Fingerprint.of(yaml),
                                      importedBy: member.name, importedAt: now(), summary: ServiceSummary(map))
        try db.insert(&revision)
        try audit(db, member, service: map.id, action: .importMap, note: "revision \(revision.id!), sha256 \(revision.sha256)")
        return revision
    }

    @discardableResult
    public func advance(service id: String, by member: Member) async throws -> Stage {
        try await write { db in
            let service = try self.state(db, id)
            let next = try LabRules.advance(service, by: member).get()
            try db.execute("UPDATE labService SET stage = ? WHERE id = ?", arguments: [next, id])
            try self.audit(db, member, service: id, action: .advance, from: service.stage, to: next)
            return next
        }
    }

    // MARK: - Pain points and improvements

    @discardableResult
    public func addPainPoint(service id: String, step: String, category: PainPointCategory, severity: Int,
                             source: PainPointSource, text: LocalizedText, by member: Member) async throws -> PainPointRecord {
        try await write { db in
            let point = NewPainPoint(service: id, step: step, category: category, severity: severity, source: source, text: text)
            return try self.insertPainPoint(db, point, as: .recordPainPoint, by: member)
        }
    }

    public func addPainPoints(_ points: [NewPainPoint], by member: Member) async throws {
        try await write { db in
            for (index, point) in points.enumerated() {
                do {
                    _ = try self.insertPainPoint(db, point, as: .importPainPoints, by: member)
                } catch let refusal as Refusal {
                    throw refusal.inRow(index + 1)
                }
            }
        }
    }

    private func insertPainPoint(_ db: any SQLDatabase, _ point: NewPainPoint, as action: LabAction,
                                 by member: Member) throws -> PainPointRecord {
        let service = try state(db, point.service)
        if let refusal = LabRules.recordPainPoint(service, step: point.step, severity: point.severity, source: point.source,
                                                  by: member, as: action) { throw refusal }
        let text = try LabRules.text(point.text, .painPointText).get()
        let moderation = LabRules.moderation(of: member)
        let participant = try participantID(db, member)
        if let refusal = LabRules.mayAwait(try awaiting(db, point.service, by: participant), by: member) { throw refusal }
        var record = PainPointRecord(labServiceId: point.service, stepId: point.step, category: point.category,
                                     severity: point.severity, source: point.source, textEn: text.en, textAr: text.ar,
                                     recordedBy: member.name, recordedAt: now(), moderation: moderation,
                                     participantId: participant)
        try db.insert(&record)
        // Staff read the log: what an unread pain point says enters it only when it is published.
        try audit(db, member, service: point.service, action: .painPoint,
                  note: moderation == .pending ? "#\(record.id!), awaiting moderation"
                      : "#\(record.id!) on \(point.step): \(point.category.rawValue), severity \(point.severity)")
        return record
    }

    /// The participant row of a community member, who contributes under their code.
    func participantID(_ db: any SQLDatabase, _ member: Member) throws -> Int64? {
        guard member.role == .community, let code = member.code else { return nil }
        return try db.value(Int64.self, "SELECT id FROM participant WHERE code = ?", arguments: [code])
    }

    /// How many of the participant's pain points and proposals on the service await moderation.
    private func awaiting(_ db: any SQLDatabase, _ service: String, by participant: Int64?) throws -> Int {
        guard let participant else { return 0 }
        return try db.count("""
            SELECT (SELECT COUNT(*) FROM painPoint WHERE labServiceId = ?1 AND participantId = ?2 AND moderation = 'pending')
                 + (SELECT COUNT(*) FROM improvement WHERE labServiceId = ?1 AND participantId = ?2 AND moderation = 'pending')
            """, arguments: [service, participant])
    }

    @discardableResult
    public func proposeImprovement(service id: String, text: LocalizedText, addresses painPoints: [Int64],
                                   by member: Member) async throws -> ImprovementRecord {
        try await write { db in
            let service = try self.state(db, id)
            let known = try db.valueSet(Int64.self, "SELECT id FROM painPoint WHERE labServiceId = ? AND \(publishedOnly)", arguments: [id])
            if let refusal = LabRules.proposeImprovement(service, unknownPainPoints: painPoints.filter { !known.contains($0) },
                                                         by: member) { throw refusal }
            let stored = try LabRules.text(text, .improvementText).get()
            let moderation = LabRules.moderation(of: member)
            let participant = try self.participantID(db, member)
            if let refusal = LabRules.mayAwait(try self.awaiting(db, id, by: participant), by: member) { throw refusal }
            var improvement = ImprovementRecord(labServiceId: id, textEn: stored.en, textAr: stored.ar, status: .proposed,
                                                proposedBy: member.name, moderation: moderation, participantId: participant)
            try db.insert(&improvement)
            for point in Set(painPoints) {
                try db.insert(ImprovementPainPointRecord(improvementId: improvement.id!, painPointId: point))
            }
            // Staff read the log: an unread proposal's text goes into it only when it is published.
            try self.audit(db, member, service: id, action: .proposeImprovement,
                           note: "#\(improvement.id!)" + (moderation == .pending ? ", awaiting moderation" : ": \(stored.bothLanguages)"))
            return improvement
        }
    }

    public func decideImprovement(_ improvementID: Int64, _ status: ImprovementStatus, by member: Member) async throws {
        try await write { db in
            var improvement = try self.improvement(db, improvementID)
            let service = try self.state(db, improvement.labServiceId)
            let now = self.now()
            let openVote = try db.records(VoteRecord.self, """
                SELECT v.* FROM vote v JOIN voteChoice c ON c.voteId = v.id WHERE c.improvementId = ? ORDER BY v.id
                """, arguments: [improvementID]).first { !$0.terms.isClosed(at: now) }
            if let refusal = LabRules.decideImprovement(improvementID, of: service, onOpenVote: openVote?.id,
                                                        standing: improvement.moderation, by: member) { throw refusal }
            improvement.status = status
            try db.update(improvement)
            try self.audit(db, member, service: service.id, action: .decideImprovement, note: "#\(improvementID) \(status.rawValue)")
        }
    }

    public func moderate(_ contribution: Contribution, publish: Bool, by member: Member) async throws {
        try await write { db in
            let (table, kind) = switch contribution {
            case .painPoint: ("painPoint", "pain point")
            case .improvement: ("improvement", "improvement")
            }
            guard let row = try db.row("SELECT * FROM \(table) WHERE id = ?", arguments: [contribution.id]) else {
                throw Refusal(.notFound, ["kind": contribution.kind, "id": "#\(contribution.id)"])
            }
            let service = try self.state(db, row["labServiceId"])
            if let refusal = LabRules.moderate(contribution, standing: row["moderation"], of: service, by: member) { throw refusal }
            let moderation: Moderation = publish ? .published : .declined
            try db.execute("UPDATE \(table) SET moderation = ? WHERE id = ?", arguments: [moderation, contribution.id])
            // A published text enters the log as a proposal made by staff does; a declined one never.
            let text = LocalizedText(en: row["textEn"], ar: row["textAr"])
            try self.audit(db, member, service: service.id, action: publish ? .publish : .decline,
                           note: "\(kind) #\(contribution.id)" + (publish ? ": \(text.bothLanguages)" : ""))
        }
    }

    public func recordDocument(service id: String, revision: Int64, sha256: String, by member: Member) async throws {
        try await write { db in
            if let refusal = LabRules.recordDocument(try self.state(db, id), revision: revision, by: member) { throw refusal }
            try self.check([sha256], as: .documentHash)
            try db.execute("UPDATE labService SET documentHash = ?, documentRevisionId = ? WHERE id = ?",
                           arguments: [sha256, revision, id])
            try self.audit(db, member, service: id, action: .document, note: "revision \(revision), sha256 \(sha256)")
        }
    }

    // MARK: - Review and sign-off

    @discardableResult
    public func review(service id: String, verdict: ReviewVerdict, reasons: String, by member: Member) async throws -> ReviewRecord {
        try await write { db in
            let service = try self.state(db, id)
            let given = try LabRules.text(reasons, .reviewReasons).get()
            if let refusal = LabRules.review(service, verdict: verdict, reasons: given, by: member) { throw refusal }
            var review = ReviewRecord(labServiceId: id, revisionId: service.revision, reviewer: member.name, role: member.role,
                                      verdict: verdict, reasons: given, at: self.now())
            try db.insert(&review)
            if verdict == .amend {
                try db.execute("UPDATE labService SET stage = ?, documentHash = NULL, documentRevisionId = NULL WHERE id = ?",
                               arguments: [Stage.futureDesign, id])
                try self.audit(db, member, service: id, action: .requestAmendments, from: .review, to: .futureDesign,
                               note: given)
            } else {
                try self.audit(db, member, service: id, action: .approve, note: given)
            }
            return review
        }
    }

    @discardableResult
    public func signOff(service id: String, institution: String, by member: Member) async throws -> Stage {
        try await write { db in
            let service = try self.state(db, id)
            if let refusal = LabRules.signOff(service, institution: institution, by: member) { throw refusal }
            try self.check([institution], as: .institution)
            let head = try self.audit(db, member, service: id, action: .signOff, note: institution)
            var signOff = SignOffRecord(labServiceId: id, revisionId: service.revision, directorGeneral: member.name,
                                        institution: institution, at: self.now(), auditEntryId: head.id, auditHash: head.hash)
            try db.insert(&signOff)
            guard service.owners.isSubset(of: service.signed.union([institution])) else { return Stage.review }
            try db.execute("UPDATE labService SET stage = ? WHERE id = ?", arguments: [Stage.signedOff, id])
            try self.audit(db, member, service: id, action: .signedOff, from: .review, to: .signedOff,
                           note: "every institution of the future path has signed")
            return Stage.signedOff
        }
    }

    // MARK: - Reading

    public func serviceState(_ id: String) async throws -> ServiceState {
        try await read { db in try self.state(db, id) }
    }

    public func status(service id: String) async throws -> ServiceStatus {
        try await read { db in
            _ = try self.service(db, id)
            return try self.statuses(db, only: id)[0]
        }
    }

    /// Every service with its stage, in one query; only services in review read their map
    /// back, to name the institutions still to sign.
    public func statuses() async throws -> [ServiceStatus] {
        try await read { db in try self.statuses(db, only: nil) }
    }

    private func statuses(_ db: any SQLDatabase, only id: String?) throws -> [ServiceStatus] {
        let rows = try db.rows("""
            SELECT s.id, s.stage, s.documentRevisionId, r.id AS revision, r.sha256,
                   (SELECT COUNT(*) FROM painPoint p WHERE p.labServiceId = s.id AND p.\(publishedOnly)) AS painPoints,
                   (SELECT COUNT(*) FROM improvement i WHERE i.labServiceId = s.id AND i.\(publishedOnly)) AS improvements
            FROM labService s
            JOIN revision r ON r.id = (SELECT MAX(id) FROM revision WHERE labServiceId = s.id)
            WHERE CAST(? AS TEXT) IS NULL OR s.id = ?
            ORDER BY s.id
            """, arguments: [id, id])
        return try rows.map { row in
            let service: String = row["id"]
            let stage: Stage = row["stage"]
            let revision: Int64 = row["revision"]
            var awaiting: [String] = []
            if stage == .review {
                let (map, _) = try self.latest(db, service)
                awaiting = ServiceState.awaitingSignOff(map, signed: try self.signed(db, revision: revision))
            }
            return ServiceStatus(service: service, stage: stage, revision: revision, sha256: row["sha256"],
                                 painPoints: row["painPoints"], improvements: row["improvements"],
                                 documentGenerated: LabRules.documentIsCurrent(row["documentRevisionId"], latest: revision),
                                 awaitingSignOff: awaiting)
        }
    }

    public func latestMap(service id: String) async throws -> ServiceMap {
        try await read { db in try self.latest(db, id).0 }
    }

    // MARK: - Helpers

    func phase(_ db: any SQLDatabase, _ name: String) throws -> PhaseRecord {
        try db.find(PhaseRecord.self, "name", name, shown: "'\(name)'")
    }

    func lab(_ db: any SQLDatabase, _ name: String) throws -> LabRecord {
        try db.find(LabRecord.self, "name", name, shown: "'\(name)'")
    }

    /// A lab as the rules see it: with its phase's name and its facilitators (cached statements).
    func labState(_ db: any SQLDatabase, _ lab: LabRecord) throws -> LabState {
        let phase = try db.value(String.self, "SELECT name FROM phase WHERE id = ?", arguments: [lab.phaseId])!
        return LabState(id: lab.id!, name: lab.name, phase: lab.phaseId, phaseName: phase,
                        facilitators: try facilitators(db, lab: lab.id!), sectors: lab.sectors)
    }

    func service(_ db: any SQLDatabase, _ id: String) throws -> LabServiceRecord {
        try db.find(LabServiceRecord.self, "id", id, shown: "'\(id)'")
    }

    func improvement(_ db: any SQLDatabase, _ id: Int64) throws -> ImprovementRecord {
        try db.find(ImprovementRecord.self, "id", id, shown: "#\(id)")
    }

    /// What the rules read of a service, in the caller's transaction: cached statements for the
    /// service and its latest revision, its lab, and the sign-offs, and the map from the cache.
    /// Every workflow step reads it, so it stays small.
    func state(_ db: any SQLDatabase, _ id: String) throws -> ServiceState {
        guard let row = try db.row("""
            SELECT s.stage, s.documentRevisionId, r.id AS revision,
                   (SELECT COUNT(*) FROM painPoint WHERE labServiceId = s.id AND \(publishedOnly)) AS painPoints,
                   (SELECT COUNT(*) FROM painPoint WHERE labServiceId = s.id AND moderation = 'pending')
                     + (SELECT COUNT(*) FROM improvement WHERE labServiceId = s.id AND moderation = 'pending') AS awaiting,
                   EXISTS (SELECT 1 FROM review v WHERE v.revisionId = r.id AND v.verdict = 'approve'
                           AND v.role = 'quality-reviewer'
                           AND v.id > COALESCE((SELECT MAX(id) FROM review WHERE revisionId = r.id AND verdict = 'amend'), 0))
                       AS approved
            FROM labService s JOIN revision r ON r.id = (SELECT MAX(id) FROM revision WHERE labServiceId = s.id)
            WHERE s.id = ?
            """, arguments: [id]) else { throw Refusal(.notFound, ["kind": "service", "id": "'\(id)'"]) }
        let revision: Int64 = row["revision"]
        return ServiceState(id: id, lab: try labOf(db, service: id), stage: row["stage"], revision: revision,
                            map: try map(db, id, revision: revision),
                            painPoints: row["painPoints"], documentRevision: row["documentRevisionId"],
                            approvedByQuality: row["approved"], signed: try signed(db, revision: revision),
                            awaitingModeration: row["awaiting"])
    }

    /// The lab a service is worked on in, as the rules see it.
    func labOf(_ db: any SQLDatabase, service id: String) throws -> LabState {
        guard let lab = try db.record(LabRecord.self, """
            SELECT l.* FROM labService s JOIN lab l ON l.id = s.labId WHERE s.id = ?
            """, arguments: [id]) else { throw Refusal(.notFound, ["kind": "service", "id": "'\(id)'"]) }
        return try labState(db, lab)
    }

    func facilitators(_ db: any SQLDatabase, lab: Int64) throws -> Set<String> {
        try db.valueSet(String.self, "SELECT name FROM labFacilitator WHERE labId = ?", arguments: [lab])
    }

    func signed(_ db: any SQLDatabase, revision: Int64) throws -> Set<String> {
        try db.valueSet(String.self, "SELECT institution FROM signOff WHERE revisionId = ?", arguments: [revision])
    }

    func latest(_ db: any SQLDatabase, _ id: String) throws -> (ServiceMap, RevisionRecord) {
        guard let revision = try db.record(RevisionRecord.self, "SELECT * FROM revision WHERE labServiceId = ? ORDER BY id DESC LIMIT 1",
                                           arguments: [id])
        else { throw Refusal(.notFound, ["kind": "map", "id": "'\(id)'"]) }
        return (try map(db, id, revision: revision.id!, yaml: revision.yaml), revision)
    }

    /// The map of a revision, from the cache, else read back from its stored text (a revision never changes).
    func map(_ db: any SQLDatabase, _ id: String, revision: Int64, yaml: String? = nil) throws -> ServiceMap {
        if let map = maps.withLock({ $0[revision] }) { return map }
        let text = try yaml ?? db.value(String.self, "SELECT yaml FROM revision WHERE id = ?", arguments: [revision])!
        let map = try MapLoader.parseService(text, file: "\(id) revision \(revision)", stored: true)
        maps.withLock { cache in
            if cache.count >= 4096 { cache.removeAll() } // bounded; a national catalogue refills it as it goes
            cache[revision] = map
        }
        return map
    }
}
