import GRDB

/// The schema, one named migration at a time; a released migration is never edited.
enum Migrations {
    /// The newest migration: exports name it, so an export is only read by the same schema.
    static let latest = "v2: audit log by service"

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
        migrator.registerMigration(latest) { db in
            // `masar log SERVICE` and the lab document read one service's entries.
            try db.create(index: "auditEntry_serviceId", on: "auditEntry", columns: ["serviceId"])
        }
        return migrator
    }
}
