import Foundation
import GRDB
import MasarCore

/// A member of a lab's staff who signs in to the web app: a facilitator, a quality reviewer,
/// a director-general (for one institution), the programme office or an institution's representative.
public struct AccountRecord: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "account"
    public var id: Int64?
    public var name: String
    public var role: LabRole
    /// The institution a director-general signs off for.
    public var institution: String?
    /// A bcrypt hash; the password itself is never stored.
    public var passwordHash: String
    public var createdAt: Date

    /// The account as the audit log records its actions.
    public var member: LabMember { LabMember(name: name, role: role) }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A participant's registration with the hash of the password they chose (digital track), if any.
public struct ParticipantCredentials: Sendable {
    public var participant: ParticipantRecord
    public var passwordHash: String?
}

/// Who a sign-in token stands for.
public enum SignedIn: Equatable, Sendable {
    case staff(AccountRecord)
    case participant(ParticipantRecord)
}

/// A call to cast one online ballot, for `castOnlineBallots`.
public struct OnlineBallot: Sendable {
    public var vote: Int64
    public var participant: String
    public var choices: [Int64: Int]

    public init(vote: Int64, participant: String, choices: [Int64: Int]) {
        self.vote = vote
        self.participant = participant
        self.choices = choices
    }
}

/// Accounts, online registration and sign-ins for the web app. Passwords arrive already
/// hashed: hashing is the web layer's (bcrypt), the store only keeps the hash.
extension AppDatabase {
    /// Roles that sign in with an account; community members are participants instead.
    public static let staffRoles: [LabRole] = [.facilitator, .qualityReviewer, .directorGeneral, .programmeOffice,
                                               .institutionRepresentative]

    /// Creates a staff account; the programme office gives them out.
    @discardableResult
    public func createAccount(name: String, role: LabRole, institution: String? = nil, passwordHash: String,
                              by member: LabMember) throws -> AccountRecord {
        try require(member, .createAccounts)
        guard !name.allSatisfy(\.isWhitespace) else { throw Refusal("an account needs a name") }
        guard Self.staffRoles.contains(role) else {
            throw Refusal("community members register as participants, not with an account")
        }
        if role == .directorGeneral, institution?.allSatisfy(\.isWhitespace) ?? true {
            throw Refusal("a director-general's account needs their institution")
        }
        return try write { db in
            guard try AccountRecord.filter(Column("name") == name).fetchCount(db) == 0 else {
                throw Refusal("there is an account named '\(name)' already")
            }
            var account = AccountRecord(name: name, role: role, institution: institution, passwordHash: passwordHash,
                                        createdAt: self.now())
            try account.insert(db)
            try self.audit(db, member, service: nil, action: "create account", note: "\(name) (\(role.rawValue))")
            return account
        }
    }

    /// The account with this name (any case), if there is one.
    public func account(named name: String) throws -> AccountRecord? {
        try read { db in try AccountRecord.filter(Column("name") == name).fetchOne(db) }
    }

    /// A community member registers themselves online for a phase, on a track, with a
    /// password (hashed) when they will sign in with one.
    public func registerOnline(phase: String, name: String, track: Track, passwordHash: String?) throws -> ParticipantRecord {
        let person = NewParticipant(name: name, track: track, kind: .community)
        if let problem = Self.problem(with: person) { throw Refusal(problem) }
        if track == .digital, passwordHash == nil { throw Refusal("the digital track needs a password") }
        return try write { db in
            let phase = try self.phase(db, phase)
            let participant = try self.insertParticipant(person, phase: phase.id!, db)
            try db.execute(sql: "UPDATE participant SET passwordHash = ? WHERE id = ?", arguments: [passwordHash, participant.id])
            return participant
        }
    }

    /// A participant found by registration code, with their password hash.
    public func participantCredentials(code: String) throws -> ParticipantCredentials? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT *, passwordHash AS hash FROM participant WHERE code = ?",
                                             arguments: [code]) else { return nil }
            return ParticipantCredentials(participant: try ParticipantRecord(row: row), passwordHash: row["hash"])
        }
    }

    /// Records a sign-in under the SHA-256 of its token, valid until `expiresAt`.
    public func startSignIn(tokenHash: String, for who: SignedIn, expiresAt: Date) throws {
        try write { db in
            let (account, participant): (Int64?, Int64?) = switch who {
            case .staff(let account): (account.id, nil)
            case .participant(let participant): (nil, participant.id)
            }
            try db.execute(sql: """
                INSERT INTO signIn (tokenHash, accountId, participantId, startedAt, expiresAt) VALUES (?, ?, ?, ?, ?)
                """, arguments: [tokenHash, account, participant, self.now(), expiresAt])
            // Expired sign-ins are cleared as new ones start, so the table stays the size of who is active.
            try db.execute(sql: "DELETE FROM signIn WHERE expiresAt < ?", arguments: [self.now()])
        }
    }

    /// Who holds the token with this hash, if it has not expired or been ended.
    public func signedIn(tokenHash: String) throws -> SignedIn? {
        // Every request of a signed-in visitor asks this, so it is one cached statement, read
        // without a transaction around it (a single statement is consistent by itself).
        try writer.unsafeRead { db in
            guard let row = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT s.expiresAt, s.accountId, p.* FROM signIn s LEFT JOIN participant p ON p.id = s.participantId
                WHERE s.tokenHash = ?
                """), arguments: [tokenHash]),
                  (row["expiresAt"] as Date) > self.now() else { return nil }
            if let account: Int64 = row["accountId"] {
                return try AccountRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM account WHERE id = ?"),
                                                  arguments: [account]).map(SignedIn.staff)
            }
            return .participant(try ParticipantRecord(row: row))
        }
    }

    /// Ends a sign-in (signing out).
    public func endSignIn(tokenHash: String) throws {
        try write { db in try db.execute(sql: "DELETE FROM signIn WHERE tokenHash = ?", arguments: [tokenHash]) }
    }
}
