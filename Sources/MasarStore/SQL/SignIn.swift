import Foundation
import MasarCore

/// Accounts, online registration and sign-ins for the web app. Passwords arrive already
/// hashed: hashing is the web layer's (bcrypt), the store only keeps the hash.
extension SQLLabStore {
    @discardableResult
    public func createAccount(name: String, role: LabRole, institution: String?, passwordHash: String,
                              by member: Member?) async throws -> AccountRecord {
        try await write { db in
            let stored = TextRules.accountName(name), skeleton = TextRules.skeleton(stored)
            let existing = try db.value(String.self, "SELECT name FROM account WHERE nameSkeleton = ? OR name = ?",
                                         arguments: [skeleton, stored])
            if let refusal = LabRules.createAccount(name: stored, role: role, institution: institution,
                                                    accountsSoFar: try db.count("SELECT COUNT(*) FROM account"), lookingLike: existing,
                                                    by: member) { throw refusal }
            var account = AccountRecord(name: stored, role: role, institution: institution, passwordHash: passwordHash,
                                        createdAt: self.now())
            try db.insert(&account)
            // The unique index on the skeleton holds the rule against a look-alike written at the same time.
            try db.execute("UPDATE account SET nameSkeleton = ? WHERE id = ?", arguments: [skeleton, account.id])
            // The first account, the programme office's, is recorded as created by itself.
            try self.audit(db, member ?? account.member, service: nil, action: .createAccount,
                           note: "\(stored) (\(role.rawValue)\(institution.map { ", \($0)" } ?? ""))")
            return account
        }
    }

    @discardableResult
    public func resetPassword(account name: String, passwordHash: String, by member: Member) async throws -> AccountRecord {
        try await write { db in
            let found = try self.account(db, named: name)
            if let refusal = LabRules.resetPassword(found?.member, name: name, by: member) { throw refusal }
            var account = found!
            account.passwordHash = passwordHash
            try db.execute("UPDATE account SET passwordHash = ? WHERE id = ?", arguments: [passwordHash, account.id])
            // Whoever held the old password is signed out with it, on every server.
            try db.execute("DELETE FROM signIn WHERE accountId = ?", arguments: [account.id])
            try db.announce(.account(id: account.id!))
            try self.audit(db, member, service: nil, action: .resetPassword, note: "\(account.name) (\(account.role.rawValue))")
            return account
        }
    }

    public func account(named name: String) async throws -> AccountRecord? {
        try await read { db in try self.account(db, named: name) }
    }

    /// The account a typed name stands for: the one spelled so (any case, after NFKC), else the
    /// one whose name looks the same (its skeleton), which is one at most.
    func account(_ db: any SQLDatabase, named typed: String) throws -> AccountRecord? {
        let name = TextRules.accountName(typed)
        return try db.record(AccountRecord.self, """
            SELECT * FROM account WHERE name = ? OR nameSkeleton = ? ORDER BY name = ? DESC LIMIT 1
            """, arguments: [name, TextRules.skeleton(name), name])
    }

    public func member(named name: String) async throws -> Member? {
        try await read { db in
            if let account = try self.account(db, named: name) { return account.member }
            return try db.record(ParticipantRecord.self, "SELECT * FROM participant WHERE code = ?", arguments: [name.uppercased()])?.member
        }
    }

    /// A community member registers themselves online for a phase, on a track, with a
    /// password (hashed) when they will sign in with one. Where the phase has an eligibility
    /// list the civil ID must match an entry, and the registration is verified by it; elsewhere
    /// it waits for a facilitator to verify it at a session.
    public func registerOnline(phase: String, name: String, track: Track, passwordHash: String?,
                               civilID: CivilIDProof?) async throws -> ParticipantRecord {
        let person = NewParticipant(name: name, track: track, kind: .community)
        return try await write { db in
            let phase = try self.phase(db, phase).id!
            let facts = EligibilityFacts(
                phaseHasList: try db.exists("SELECT 1 FROM eligibility WHERE phaseId = ?", arguments: [phase]),
                civilIDGiven: civilID != nil,
                onList: try civilID.map {
                    try db.exists("SELECT 1 FROM eligibility WHERE phaseId = ? AND entryHash = ?", arguments: [phase, $0.entryHash])
                } ?? false,
                registeredAlready: try civilID.map { try Self.civilIDRegistered($0.idHash, phase: phase, db) } ?? false)
            if let refusal = LabRules.registerOnline(person, hasPassword: passwordHash != nil, eligibility: facts) { throw refusal }
            let verification = LabRules.verification(of: facts)
            return try self.insertParticipant(person, phase: phase, passwordHash: passwordHash,
                                              civilIdHash: verification == nil ? nil : civilID?.idHash,
                                              verified: verification.map { ($0, "eligibility list") }, db)
        }
    }

    /// A participant found by registration code, with their password hash.
    public func participantCredentials(code: String) async throws -> ParticipantCredentials? {
        try await read { db in
            guard let row = try db.row("SELECT * FROM participant WHERE code = ?", arguments: [code]) else { return nil }
            return ParticipantCredentials(participant: try RowDecoder.decode(ParticipantRecord.self, from: row),
                                          passwordHash: row["passwordHash"])
        }
    }

    /// Records a sign-in under the SHA-256 of its token, valid until `expiresAt`.
    public func startSignIn(tokenHash: String, for who: SignedIn, expiresAt: Date) async throws {
        try await write { db in
            let (account, participant): (Int64?, Int64?) = switch who {
            case .staff(let account): (account.id, nil)
            case .participant(let participant): (nil, participant.id)
            }
            try db.execute("""
                INSERT INTO signIn (tokenHash, accountId, participantId, startedAt, expiresAt) VALUES (?, ?, ?, ?, ?)
                """, arguments: [tokenHash, account, participant, self.now(), expiresAt])
            // Expired sign-ins are cleared as new ones start, so the table stays the size of who is active.
            try db.execute("DELETE FROM signIn WHERE expiresAt < ?", arguments: [self.now()])
        }
    }

    /// Who holds the token with this hash, if it has not expired or been ended.
    public func signedIn(tokenHash: String) async throws -> SignedIn? {
        // Every request of a signed-in visitor asks this, so it is one indexed statement.
        try await read { db in
            guard let row = try db.row("""
                SELECT s.expiresAt, s.accountId, p.* FROM signIn s LEFT JOIN participant p ON p.id = s.participantId
                WHERE s.tokenHash = ?
                """, arguments: [tokenHash]),
                  (row["expiresAt"] as Date) > self.now() else { return nil }
            if let account: Int64 = row["accountId"] {
                return try db.record(AccountRecord.self, "SELECT * FROM account WHERE id = ?", arguments: [account]).map(SignedIn.staff)
            }
            return .participant(try RowDecoder.decode(ParticipantRecord.self, from: row))
        }
    }

    /// Ends a sign-in (signing out).
    public func endSignIn(tokenHash: String) async throws {
        try await write { db in
            try db.execute("DELETE FROM signIn WHERE tokenHash = ?", arguments: [tokenHash])
            try db.announce(.token(hash: tokenHash))
        }
    }

    public func endedSignIns() -> AsyncStream<EndedSignIn> { backend.endedSignIns() }

    public func throttle<T: Sendable>(_ names: [String], forgettingBefore cutoff: Date,
                                      _ change: @escaping @Sendable ([String: ThrottleCounter]) -> (update: [String: ThrottleCounter?], result: T))
        async throws -> T {
        try await write { db in
            try db.execute("DELETE FROM signInThrottle WHERE last < ?", arguments: [cutoff])
            var stored: [String: ThrottleCounter] = [:]
            for name in Set(names) {
                if let row = try db.row("SELECT count, since, last FROM signInThrottle WHERE name = ?", arguments: [name]) {
                    stored[name] = ThrottleCounter(count: row["count"], since: row["since"], last: row["last"])
                }
            }
            let (update, result) = change(stored)
            for (name, counter) in update.sorted(by: { $0.key < $1.key }) {
                if let counter {
                    try db.execute("""
                        INSERT INTO signInThrottle (name, count, since, last) VALUES (?, ?, ?, ?)
                        ON CONFLICT (name) DO UPDATE SET count = excluded.count, since = excluded.since, last = excluded.last
                        """, arguments: [name, counter.count, counter.since, counter.last])
                } else {
                    try db.execute("DELETE FROM signInThrottle WHERE name = ?", arguments: [name])
                }
            }
            return result
        }
    }
}
