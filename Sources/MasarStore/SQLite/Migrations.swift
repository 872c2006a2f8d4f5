import GRDB
import MasarCore

/// The schema, one named migration at a time; a released migration is never edited.
enum Migrations {
    /// The newest migration: exports name it, so an export is only read by the same schema.
    static let moderated = "v9: contributions moderated before they are published"
    static let throttled = "v10: sign-in throttles shared by every server"
    static let latest = throttled

    /// Every column of the newest schema by its name in lower case, to give a column the
    /// spelling SQLite declares it with (PostgreSQL folds unquoted names to lower case), so that
    /// exports from either backend compare equal.
    static let columnNames: [String: String] = {
        guard let scratch = try? DatabaseQueue() else { return [:] }
        try? migrator.migrate(scratch)
        return (try? scratch.read { db in
            var names: [String: String] = [:]
            for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") {
                for column in try db.columns(in: table) { names[column.name.lowercased()] = column.name }
            }
            return names
        }) ?? [:]
    }()

    static func columnName(_ name: String) -> String { columnNames[name.lowercased()] ?? name }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: phases, labs, services, revisions, pain points, reviews, sign-offs, audit log") { db in
            try db.create(table: "phase") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull().unique()
                t.column("startsOn", .text).notNull()
                t.column("endsOn", .text).notNull()
                t.column("sectors", .jsonText).notNull()
                t.check(sql: "startsOn <= endsOn")
            }
            try db.create(table: "phaseTarget") { t in
                t.belongsTo("phase", onDelete: .cascade).notNull()
                t.column("serviceId", .text).notNull()
                t.primaryKey(["phaseId", "serviceId"])
            }
            try db.create(table: "lab") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("phase").notNull()
                t.column("name", .text).notNull().unique()
                t.column("facilitator", .text).notNull()
                t.column("sectors", .jsonText).notNull()
            }
            try db.create(table: "labSession") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("lab", onDelete: .cascade).notNull()
                t.column("heldOn", .text).notNull()
                t.column("place", .text).notNull()
                t.column("institutionRepresentatives", .integer).notNull().check { $0 >= 0 }
                t.column("communityMembers", .integer).notNull().check { $0 >= 0 }
            }
            try db.create(table: "labService") { t in
                t.column("id", .text).primaryKey()
                t.belongsTo("lab").notNull()
                t.column("stage", .text).notNull()
                    .check(sql: "stage IN ('mapping', 'pain-points', 'future-design', 'review', 'signed-off')")
                t.column("documentHash", .text)
            }
            try db.create(table: "revision") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("labService", onDelete: .cascade).notNull()
                t.column("yaml", .text).notNull()
                t.column("sha256", .text).notNull()
                t.column("importedBy", .text).notNull()
                t.column("importedAt", .datetime).notNull()
            }
            try db.create(table: "painPoint") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("labService", onDelete: .cascade).notNull()
                t.column("stepId", .text).notNull()
                t.column("category", .text).notNull()
                    .check(sql: "category IN ('waiting', 'documents', 'visits', 'fees', 'handoffs', 'information', 'digital-gap', 'other')")
                t.column("severity", .integer).notNull().check { (1...5).contains($0) }
                t.column("source", .text).notNull()
                    .check(sql: "source IN ('community', 'institution', 'mystery-shopper', 'complaints', 'survey')")
                t.column("text", .text).notNull()
                t.column("recordedBy", .text).notNull()
                t.column("recordedAt", .datetime).notNull()
            }
            try db.create(table: "improvement") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("labService", onDelete: .cascade).notNull()
                t.column("text", .text).notNull()
                t.column("status", .text).notNull().check(sql: "status IN ('proposed', 'accepted', 'rejected')")
                t.column("proposedBy", .text).notNull()
            }
            try db.create(table: "improvementPainPoint") { t in
                t.belongsTo("improvement", onDelete: .cascade).notNull()
                t.belongsTo("painPoint", onDelete: .cascade).notNull()
                t.primaryKey(["improvementId", "painPointId"])
            }
            try db.create(table: "review") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("labService", onDelete: .cascade).notNull()
                t.belongsTo("revision").notNull()
                t.column("reviewer", .text).notNull()
                t.column("role", .text).notNull()
                t.column("verdict", .text).notNull().check(sql: "verdict IN ('approve', 'amend')")
                t.column("reasons", .text).notNull()
                t.column("at", .datetime).notNull()
            }
            try db.create(table: "signOff") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("labService", onDelete: .cascade).notNull()
                t.belongsTo("revision").notNull()
                t.column("directorGeneral", .text).notNull()
                t.column("institution", .text).notNull()
                t.column("at", .datetime).notNull()
                t.uniqueKey(["revisionId", "institution"])
            }
            try db.create(table: "auditEntry") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .datetime).notNull()
                t.column("who", .text).notNull()
                t.column("role", .text).notNull()
                t.column("serviceId", .text)
                t.column("action", .text).notNull()
                t.column("fromStage", .text)
                t.column("toStage", .text)
                t.column("note", .text).notNull()
            }
            // The audit log is append-only, held by the database itself.
            try db.execute(sql: """
                CREATE TRIGGER auditEntry_append_only_update BEFORE UPDATE ON auditEntry
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TRIGGER auditEntry_append_only_delete BEFORE DELETE ON auditEntry
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                """)
        }
        migrator.registerMigration("v2: audit log by service") { db in
            // `masar log SERVICE` and the lab document read one service's entries.
            try db.create(index: "auditEntry_serviceId", on: "auditEntry", columns: ["serviceId"])
        }
        migrator.registerMigration("v3: participants and votes") { db in
            try db.create(table: "participant") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("phase").notNull()
                t.column("code", .text).notNull().unique()
                t.column("name", .text).notNull()
                t.column("track", .text).notNull().check(sql: "track IN ('in-person', 'digital')")
                t.column("kind", .text).notNull().check(sql: "kind IN ('community', 'institution')")
                t.column("institution", .text)
                t.column("registeredAt", .datetime).notNull()
                t.check(sql: "(kind = 'institution') = (institution IS NOT NULL)")
            }
            // Reports count participants by these, without reading a row of a national phase.
            try db.create(index: "participant_counts", on: "participant", columns: ["phaseId", "kind", "track", "institution"])
            try db.create(table: "vote") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("labService").notNull()
                t.column("mode", .text).notNull().check(sql: "mode IN ('support', 'dots', 'poll')")
                t.column("question", .text).notNull()
                t.column("opensAt", .datetime).notNull()
                t.column("closesAt", .datetime).notNull()
                t.column("closedAt", .datetime)
                t.column("supportLimit", .integer).check { $0 >= 1 }
                t.column("dotBudget", .integer).check { $0 >= 1 }
                t.column("dotCap", .integer).check { $0 >= 1 }
                t.column("hideResults", .boolean).notNull()
                t.check(sql: "opensAt < closesAt")
                t.check(sql: "(mode = 'support') = (supportLimit IS NOT NULL)")
                t.check(sql: "(mode = 'dots') = (dotBudget IS NOT NULL AND dotCap IS NOT NULL AND dotCap <= dotBudget)")
            }
            try db.create(table: "voteOption") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("vote", onDelete: .cascade).notNull()
                t.column("text", .text).notNull()
            }
            // A choice is an improvement (support, dots) or an option (poll): one key for both.
            try db.create(table: "ballot") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("vote").notNull()
                t.belongsTo("participant").notNull()
                t.column("origin", .text).notNull().check(sql: "origin IN ('online', 'in-person')")
                t.column("castAt", .datetime).notNull()
                t.uniqueKey(["voteId", "participantId"]) // one ballot per participant, whatever the origin
            }
            try db.create(table: "ballotChoice") { t in
                t.belongsTo("ballot", onDelete: .cascade).notNull()
                // The vote again, so that a tally reads one covering index instead of joining ballots.
                t.belongsTo("vote", indexed: false).notNull()
                t.column("choice", .integer).notNull()
                t.column("weight", .integer).notNull().check { $0 >= 1 }
                t.primaryKey(["ballotId", "choice"])
            }
            // Running totals per choice, kept by triggers on every ballot choice written or removed,
            // so a national tally reads a few rows, not a million.
            try db.create(table: "voteTotal", options: .withoutRowID) { t in
                t.belongsTo("vote", onDelete: .cascade, indexed: false).notNull()
                t.column("choice", .integer).notNull()
                t.column("total", .integer).notNull()
                t.primaryKey(["voteId", "choice"])
            }
            try db.alter(table: "revision") { t in
                t.add(column: "summary", .jsonText) // ServiceSummary; absent on revisions imported before v3
            }
            try db.alter(table: "improvement") { t in
                t.add(column: "chosenByVoteId", .integer).references("vote")
            }
            try db.create(table: "tally") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("vote").notNull()
                t.column("choice", .integer).notNull()
                t.column("count", .integer).notNull().check { $0 >= 0 }
                t.column("place", .text).notNull()
                t.column("recordedBy", .text).notNull()
                t.column("recordedAt", .datetime).notNull()
            }
            try db.execute(sql: """
                -- Nothing about a ballot changes once its vote is closed.
                CREATE TRIGGER ballot_closed_insert BEFORE INSERT ON ballot
                WHEN (SELECT closedAt FROM vote WHERE id = NEW.voteId) IS NOT NULL
                BEGIN SELECT RAISE(ABORT, 'the vote is closed'); END;
                CREATE TRIGGER ballot_closed_delete BEFORE DELETE ON ballot
                WHEN (SELECT closedAt FROM vote WHERE id = OLD.voteId) IS NOT NULL
                BEGIN SELECT RAISE(ABORT, 'the vote is closed'); END;
                CREATE TRIGGER ballot_closed_update BEFORE UPDATE ON ballot
                WHEN (SELECT closedAt FROM vote WHERE id = OLD.voteId) IS NOT NULL
                BEGIN SELECT RAISE(ABORT, 'the vote is closed'); END;
                CREATE TRIGGER ballotChoice_total_insert AFTER INSERT ON ballotChoice
                BEGIN
                  INSERT OR IGNORE INTO voteTotal (voteId, choice, total) VALUES (NEW.voteId, NEW.choice, 0);
                  UPDATE voteTotal SET total = total + NEW.weight WHERE voteId = NEW.voteId AND choice = NEW.choice;
                END;
                CREATE TRIGGER ballotChoice_total_delete AFTER DELETE ON ballotChoice
                BEGIN
                  UPDATE voteTotal SET total = total - OLD.weight WHERE voteId = OLD.voteId AND choice = OLD.choice;
                END;
                CREATE TRIGGER ballotChoice_vote BEFORE INSERT ON ballotChoice
                WHEN NEW.voteId IS NOT (SELECT voteId FROM ballot WHERE id = NEW.ballotId)
                BEGIN SELECT RAISE(ABORT, 'a choice belongs to the vote of its ballot'); END;
                CREATE TRIGGER ballotChoice_closed BEFORE INSERT ON ballotChoice
                WHEN (SELECT closedAt FROM vote WHERE id = NEW.voteId) IS NOT NULL
                BEGIN SELECT RAISE(ABORT, 'the vote is closed'); END;
                -- Dots: never more than the cap on one choice, nor more than the budget in all.
                CREATE TRIGGER ballotChoice_dots BEFORE INSERT ON ballotChoice
                WHEN (SELECT mode FROM vote WHERE id = NEW.voteId) = 'dots'
                BEGIN
                  SELECT RAISE(ABORT, 'more dots on one improvement than the cap')
                  WHERE NEW.weight > (SELECT dotCap FROM vote WHERE id = NEW.voteId);
                  SELECT RAISE(ABORT, 'more dots than the budget')
                  WHERE NEW.weight + (SELECT COALESCE(SUM(weight), 0) FROM ballotChoice WHERE ballotId = NEW.ballotId)
                        > (SELECT dotBudget FROM vote WHERE id = NEW.voteId);
                END;
                """)
        }
        migrator.registerMigration("v4: web sign-in") { db in
            // Facilitators, reviewers, directors-general and the programme office sign in by name.
            try db.create(table: "account") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull().unique().collate(.nocase)
                t.column("role", .text).notNull()
                    .check(sql: "role IN ('facilitator', 'quality-reviewer', 'director-general', 'programme-office', 'institution-representative')")
                t.column("institution", .text)
                t.column("passwordHash", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.check(sql: "role <> 'director-general' OR institution IS NOT NULL")
            }
            // Digital participants choose a password at registration; in-person ones sign in with their code.
            try db.alter(table: "participant") { t in t.add(column: "passwordHash", .text) }
            // A signed-in browser or API client: only the token's SHA-256 is kept.
            try db.create(table: "signIn") { t in
                t.primaryKey("tokenHash", .text)
                t.belongsTo("account", onDelete: .cascade)
                t.belongsTo("participant", onDelete: .cascade)
                t.column("startedAt", .datetime).notNull()
                t.column("expiresAt", .datetime).notNull()
                t.check(sql: "(accountId IS NULL) <> (participantId IS NULL)")
            }
        }
        migrator.registerMigration("v5: members with a scope, documents by revision, votes with fixed choices") { db in
            // The programme office assigns a lab's facilitators (accounts, by name); whoever opened a lab facilitates it.
            try db.create(table: "labFacilitator") { t in
                t.belongsTo("lab", onDelete: .cascade).notNull()
                t.column("name", .text).notNull().collate(.nocase)
                t.primaryKey(["labId", "name"])
            }
            // Names as their accounts spell them: the rules compare a member's account name.
            try db.execute(sql: """
                INSERT INTO labFacilitator (labId, name)
                SELECT l.id, COALESCE((SELECT a.name FROM account a WHERE a.name = l.facilitator COLLATE NOCASE), l.facilitator)
                FROM lab l
                """)
            // The document is recorded for the revision it documents. A hash on its own cannot say
            // which, so documents recorded before are forgotten and made again.
            try db.alter(table: "labService") { t in t.add(column: "documentRevisionId", .integer).references("revision") }
            try db.execute(sql: "UPDATE labService SET documentHash = NULL")
            // A vote's improvements are fixed when it opens: one proposed later does not join it,
            // one decided while it is open does not leave it.
            try db.create(table: "voteChoice") { t in
                t.belongsTo("vote", onDelete: .cascade).notNull()
                t.belongsTo("improvement").notNull()
                t.primaryKey(["voteId", "improvementId"])
            }
            try db.execute(sql: """
                INSERT INTO voteChoice (voteId, improvementId)
                SELECT v.id, i.id FROM vote v JOIN improvement i ON i.labServiceId = v.labServiceId
                WHERE v.mode <> 'poll' AND (i.status = 'proposed' OR i.chosenByVoteId = v.id
                      OR i.id IN (SELECT choice FROM ballotChoice WHERE voteId = v.id)
                      OR i.id IN (SELECT choice FROM tally WHERE voteId = v.id))
                """)
        }
        migrator.registerMigration("v6: verified participants, sealed ballots, a hash-chained audit log") { db in
            try chainAuditLog(db)
            try verifyParticipants(db)
            try sealBallots(db)
        }
        migrator.registerMigration("v7: look-alike account names refused") { db in
            // What each account's name looks like (`TextRules.skeleton`), unique: the database
            // refuses a second account that reads the same as one it has.
            try db.alter(table: "account") { t in t.add(column: "nameSkeleton", .text) }
            // Accounts made before may already look alike. Both are kept, and both sign in by their
            // exact spelling; the oldest holds the skeleton, so a look-alike typed finds that one.
            var held = Set<String>()
            for row in try Row.fetchAll(db, sql: "SELECT id, name FROM account ORDER BY id") {
                let skeleton = TextRules.skeleton(row["name"])
                guard held.insert(skeleton).inserted else { continue }
                try db.execute(sql: "UPDATE account SET nameSkeleton = ? WHERE id = ?", arguments: [skeleton, row["id"]])
            }
            try db.create(index: "account_nameSkeleton", on: "account", columns: ["nameSkeleton"], unique: true)
        }
        migrator.registerMigration("v8: texts in English and Arabic") { db in
            // Pain points, improvements, vote questions and poll options in English and Arabic.
            // A closed vote refuses every update, so its guard is lifted for the move and put back.
            try db.execute(sql: "DROP TRIGGER vote_closed_update")
            for (table, column) in [("painPoint", "text"), ("improvement", "text"), ("voteOption", "text"), ("vote", "question")] {
                try splitLanguages(db, table: table, column: column)
            }
            try db.execute(sql: """
                CREATE TRIGGER vote_closed_update BEFORE UPDATE ON vote
                WHEN OLD.closedAt IS NOT NULL
                BEGIN SELECT RAISE(ABORT, 'the vote is closed'); END;
                """)
        }
        migrator.registerMigration(moderated) { db in
            try moderateContributions(db)
        }
        migrator.registerMigration(throttled) { db in
            try db.execute(sql: PostgresMigrations.v10)
        }
        return migrator
    }

    /// Pain points and improvements a community member writes wait for a facilitator before
    /// anyone else reads them (`LabRules.moderation(of:)`); everything recorded before was
    /// recorded by staff and stays published. The database holds what follows from it: a
    /// contribution is moderated once, and only a published pain point is addressed, only a
    /// published improvement put to a vote.
    static func moderateContributions(_ db: Database) throws {
        for table in ["painPoint", "improvement"] {
            try db.alter(table: table) { t in
                t.add(column: "moderation", .text).notNull().defaults(to: Moderation.published.rawValue)
                    .check(sql: "moderation IN ('pending', 'published', 'declined')")
                t.add(column: "participantId", .integer).references("participant", onDelete: .setNull)
            }
            try db.execute(sql: """
                CREATE TRIGGER \(table)_moderated_once BEFORE UPDATE OF moderation ON \(table)
                WHEN OLD.moderation IS NOT 'pending' AND NEW.moderation IS NOT OLD.moderation
                BEGIN SELECT RAISE(ABORT, 'a contribution is moderated once'); END;
                CREATE INDEX \(table)_participant ON \(table) (participantId);
                """)
        }
        try db.execute(sql: """
            CREATE TRIGGER improvementPainPoint_published BEFORE INSERT ON improvementPainPoint
            WHEN (SELECT moderation FROM painPoint WHERE id = NEW.painPointId) IS NOT 'published'
            BEGIN SELECT RAISE(ABORT, 'an improvement addresses published pain points'); END;
            CREATE TRIGGER voteChoice_published BEFORE INSERT ON voteChoice
            WHEN NEW.improvementId IS NOT NULL
              AND (SELECT moderation FROM improvement WHERE id = NEW.improvementId) IS NOT 'published'
            BEGIN SELECT RAISE(ABORT, 'a vote chooses among published improvements'); END;
            """)
    }

    /// Moves `table`'s one-language `column` into `columnEn` and `columnAr`, and has the database
    /// refuse a row with neither (`LabRules.text` refuses it first, with its field named). Texts
    /// stored before had no language: one with Arabic letters is taken as Arabic, any other as
    /// English (`LocalizedText(detecting:)`) — a mixed text with Arabic in it reads as Arabic,
    /// where most of this programme's texts are written.
    static func splitLanguages(_ db: Database, table: String, column: String) throws {
        let (en, ar) = (column + "En", column + "Ar")
        try db.alter(table: table) { t in
            t.add(column: en, .text)
            t.add(column: ar, .text)
        }
        for row in try Row.fetchAll(db, sql: "SELECT id, \(column) FROM \(table)") {
            let text = LocalizedText(detecting: row[column])
            try db.execute(sql: "UPDATE \(table) SET \(en) = ?, \(ar) = ? WHERE id = ?", arguments: [text.en, text.ar, row["id"]])
        }
        try db.alter(table: table) { t in t.drop(column: column) }
        for event in ["INSERT", "UPDATE"] {
            try db.execute(sql: """
                CREATE TRIGGER \(table)_\(column)_\(event.lowercased()) BEFORE \(event) ON \(table)
                WHEN COALESCE(NEW.\(en), '') = '' AND COALESCE(NEW.\(ar), '') = ''
                BEGIN SELECT RAISE(ABORT, 'a text in English or Arabic'); END;
                """)
        }
    }

    /// Each audit entry gets the hash of its content and of the entry before it. The database
    /// refuses an entry that does not continue the chain, and an INSERT OR REPLACE (which
    /// deletes without firing delete triggers) by refusing any id that exists.
    static func chainAuditLog(_ db: Database) throws {
        try db.alter(table: "auditEntry") { t in
            t.add(column: "previousHash", .text)
            t.add(column: "hash", .text)
        }
        try db.execute(sql: "DROP TRIGGER auditEntry_append_only_update")
        var previous = AuditChain.start
        for row in try Row.fetchAll(db, sql: "SELECT * FROM auditEntry ORDER BY id") {
            let id: Int64 = row["id"]
            let hash = AuditChain.hash(previous: previous, id: id, content: SQLLabStore.auditColumns.map { SQLiteDatabase.value(row[$0]).hashedText })
            try db.execute(sql: "UPDATE auditEntry SET previousHash = ?, hash = ? WHERE id = ?", arguments: [previous, hash, id])
            previous = hash
        }
        try db.execute(sql: """
            CREATE TRIGGER auditEntry_append_only_update BEFORE UPDATE ON auditEntry
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
            CREATE TRIGGER auditEntry_chained BEFORE INSERT ON auditEntry
            WHEN NEW.hash IS NULL
              OR NEW.id IS NOT COALESCE((SELECT MAX(id) FROM auditEntry), 0) + 1
              OR NEW.previousHash IS NOT COALESCE((SELECT hash FROM auditEntry ORDER BY id DESC LIMIT 1), '\(AuditChain.start)')
            BEGIN SELECT RAISE(ABORT, 'an audit entry continues the chain at its end'); END;
            """)
        // The head of the chain at each sign-off, printed in the signed document.
        try db.alter(table: "signOff") { t in
            t.add(column: "auditEntryId", .integer)
            t.add(column: "auditHash", .text)
        }
    }

    /// A ballot counts only from a verified participant: seen by a facilitator, or matched
    /// against the phase's eligibility list (civil ID numbers only as keyed hashes).
    static func verifyParticipants(_ db: Database) throws {
        try db.alter(table: "participant") { t in
            t.add(column: "verification", .text)
                .check(sql: "verification IN ('in-person', 'eligibility-list', 'before-verification')")
            t.add(column: "verifiedBy", .text)
            t.add(column: "verifiedAt", .datetime)
            t.add(column: "civilIdHash", .text)
        }
        // Registrations made before verification existed were counted then; they stay counted,
        // marked as such, rather than silently changing the results of past votes.
        try db.execute(sql: """
            UPDATE participant SET verification = 'before-verification', verifiedBy = 'migration v6', verifiedAt = registeredAt
            """)
        // One civil ID registers once per phase.
        try db.create(index: "participant_civilId", on: "participant", columns: ["phaseId", "civilIdHash"], unique: true)
        try db.create(table: "eligibility", options: .withoutRowID) { t in
            t.belongsTo("phase", onDelete: .cascade, indexed: false).notNull()
            // HMAC-SHA-256 of the civil ID number and the year of birth, under a secret kept outside the database.
            t.column("entryHash", .text).notNull()
            t.primaryKey(["phaseId", "entryHash"])
        }
    }

    /// At the close a vote's choices are detached from its ballots: `ballot` keeps who voted,
    /// `castChoice` the choices with no ballot or participant, in a shuffled order.
    static func sealBallots(_ db: Database) throws {
        try db.alter(table: "ballot") { t in t.add(column: "sealed", .boolean).notNull().defaults(to: false) }
        try db.create(table: "castChoice") { t in
            t.belongsTo("vote", onDelete: .cascade).notNull()
            t.column("choice", .integer).notNull()
            t.column("weight", .integer).notNull().check { $0 >= 1 }
        }
        try db.execute(sql: """
            CREATE TRIGGER castChoice_total_insert AFTER INSERT ON castChoice
            BEGIN
              INSERT OR IGNORE INTO voteTotal (voteId, choice, total) VALUES (NEW.voteId, NEW.choice, 0);
              UPDATE voteTotal SET total = total + NEW.weight WHERE voteId = NEW.voteId AND choice = NEW.choice;
            END;
            CREATE TRIGGER castChoice_frozen_update BEFORE UPDATE ON castChoice
            BEGIN SELECT RAISE(ABORT, 'a sealed choice never changes'); END;
            CREATE TRIGGER castChoice_frozen_delete BEFORE DELETE ON castChoice
            BEGIN SELECT RAISE(ABORT, 'a sealed choice never changes'); END;
            """)
        // Votes closed before this migration are sealed now, before the triggers that keep a closed
        // vote's choices as they are; the ballots' close trigger is lifted for the sealed flag, then put back.
        try db.execute(sql: "DROP TRIGGER ballot_closed_update")
        for vote in try Int64.fetchAll(db, sql: "SELECT id FROM vote WHERE closedAt IS NOT NULL ORDER BY id") {
            try SQLLabStore.detachChoices(SQLiteDatabase(db), vote)
        }
        try db.execute(sql: """
            CREATE TRIGGER ballot_closed_update BEFORE UPDATE ON ballot
            WHEN (SELECT closedAt FROM vote WHERE id = OLD.voteId) IS NOT NULL
            BEGIN SELECT RAISE(ABORT, 'the vote is closed'); END;
            CREATE TRIGGER castChoice_closed BEFORE INSERT ON castChoice
            WHEN (SELECT closedAt FROM vote WHERE id = NEW.voteId) IS NOT NULL
            BEGIN SELECT RAISE(ABORT, 'the vote is closed'); END;
            -- Nothing about a closed vote's choices or totals changes, whatever statement is tried.
            CREATE TRIGGER ballotChoice_closed_update BEFORE UPDATE ON ballotChoice
            WHEN (SELECT closedAt FROM vote WHERE id = OLD.voteId) IS NOT NULL
            BEGIN SELECT RAISE(ABORT, 'the vote is closed'); END;
            CREATE TRIGGER ballotChoice_closed_delete BEFORE DELETE ON ballotChoice
            WHEN (SELECT closedAt FROM vote WHERE id = OLD.voteId) IS NOT NULL
            BEGIN SELECT RAISE(ABORT, 'the vote is closed'); END;
            CREATE TRIGGER voteTotal_closed_update BEFORE UPDATE ON voteTotal
            WHEN (SELECT closedAt FROM vote WHERE id = OLD.voteId) IS NOT NULL
            BEGIN SELECT RAISE(ABORT, 'the vote is closed'); END;
            CREATE TRIGGER voteTotal_closed_delete BEFORE DELETE ON voteTotal
            WHEN (SELECT closedAt FROM vote WHERE id = OLD.voteId) IS NOT NULL
            BEGIN SELECT RAISE(ABORT, 'the vote is closed'); END;
            CREATE TRIGGER voteTotal_closed_insert BEFORE INSERT ON voteTotal
            WHEN (SELECT closedAt FROM vote WHERE id = NEW.voteId) IS NOT NULL
            BEGIN SELECT RAISE(ABORT, 'the vote is closed'); END;
            -- A closed vote stays closed, so that none of the guards above can be lifted by reopening it.
            CREATE TRIGGER vote_closed_update BEFORE UPDATE ON vote
            WHEN OLD.closedAt IS NOT NULL
            BEGIN SELECT RAISE(ABORT, 'the vote is closed'); END;
            CREATE TRIGGER vote_closed_delete BEFORE DELETE ON vote
            WHEN OLD.closedAt IS NOT NULL
            BEGIN SELECT RAISE(ABORT, 'the vote is closed'); END;
            -- A sign-off, with the audit head recorded at it, is never changed or removed.
            CREATE TRIGGER signOff_append_only_update BEFORE UPDATE ON signOff
            BEGIN SELECT RAISE(ABORT, 'a sign-off never changes'); END;
            CREATE TRIGGER signOff_append_only_delete BEFORE DELETE ON signOff
            BEGIN SELECT RAISE(ABORT, 'a sign-off never changes'); END;
            """)
    }
}
