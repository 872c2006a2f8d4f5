#!/bin/sh
# WORK IN PROGRESS for issue 15: applies schema-v9.sql to a throw-away PostgreSQL cluster on a
# free loopback port, then tries each rule the database must hold as the attack it stops; every
# attack must be refused with its constraint's name. Stops the cluster whatever happens.
# Run as root (the cluster runs as the user masartest) or as any non-root user.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
dir=$(mktemp -d /tmp/masar-pg.XXXXXX)
as=""
if [ "$(id -u)" = 0 ]; then
  id masartest >/dev/null 2>&1 || useradd -M -s /bin/sh masartest
  chown masartest "$dir"; as="runuser -u masartest --"
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
$as "$bin/initdb" -D "$dir/data" -U masar --auth=trust -E UTF8 --no-locale --no-sync >"$dir/initdb.log"
trap '$as "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1; rm -rf "$dir"' EXIT INT TERM
$as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
sql() { psql -h 127.0.0.1 -p "$port" -U masar -d postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
sql -f "$here/schema-v9.sql"

# A little of everything, each row as the store would write it.
sql <<'SQL'
INSERT INTO "phase" ("name", "startsOn", "endsOn", "sectors") VALUES ('P1', '2026-11-01', '2027-01-31', '[]');
INSERT INTO "lab" ("phaseId", "name", "facilitator", "sectors") VALUES (1, 'Lab', 'Aisha', '[]');
INSERT INTO "labService" ("id", "labId", "stage") VALUES ('burial-permit', 1, 'future-design');
INSERT INTO "participant" ("phaseId", "code", "name", "track", "kind", "registeredAt", "verification")
  VALUES (1, 'ABCD2345', 'Salim', 'in-person', 'community', '2026-11-02 10:00:00.000', 'in-person');
INSERT INTO "painPoint" ("labServiceId", "stepId", "category", "severity", "source", "recordedBy", "recordedAt", "textAr", "moderation", "participantId")
  VALUES ('burial-permit', 'verify', 'visits', 4, 'community', 'Salim', '2026-11-02 10:00:00.000', 'زيارة ثانية', 'pending', 1);
INSERT INTO "painPoint" ("labServiceId", "stepId", "category", "severity", "source", "recordedBy", "recordedAt", "textEn")
  VALUES ('burial-permit', 'verify', 'fees', 2, 'survey', 'Aisha', '2026-11-02 10:00:00.000', 'Cash only');
INSERT INTO "improvement" ("labServiceId", "status", "proposedBy", "textEn") VALUES ('burial-permit', 'proposed', 'Aisha', 'Online');
INSERT INTO "improvement" ("labServiceId", "status", "proposedBy", "textEn", "moderation") VALUES ('burial-permit', 'proposed', 'Salim', 'Waiting', 'pending');
INSERT INTO "vote" ("labServiceId", "mode", "opensAt", "closesAt", "dotBudget", "dotCap", "hideResults", "questionEn")
  VALUES ('burial-permit', 'dots', '2026-11-02 10:00:00.000', '2026-11-09 10:00:00.000', 5, 3, false, 'First?');
INSERT INTO "voteChoice" VALUES (1, 1);
INSERT INTO "ballot" ("voteId", "participantId", "origin", "castAt") VALUES (1, 1, 'online', '2026-11-02 11:00:00.000');
INSERT INTO "ballotChoice" VALUES (1, 1, 1, 3);
INSERT INTO "auditEntry" VALUES (1, '2026-11-02 10:00:00.000', 'Aisha', 'facilitator', NULL, 'create phase', NULL, NULL, 'P1',
  '0000000000000000000000000000000000000000000000000000000000000000', 'h1');
INSERT INTO "account" ("name", "role", "passwordHash", "createdAt") VALUES ('Aisha', 'facilitator', 'x', '2026-11-01 09:00:00.000');
SQL
[ "$(sql -c 'SELECT "total" FROM "voteTotal" WHERE "voteId" = 1 AND "choice" = 1')" = 3 ] || { echo "the running total is not 3"; exit 1; }

failed=0
refused() { # refused NAME CONSTRAINT SQL: the statement must fail naming the constraint (or its SQLSTATE)
  out=$(sql -c "$3" 2>&1) && { echo "ALLOWED: $1"; failed=1; return; }
  case "$out" in *"$2"*) echo "refused: $1";; *) echo "REFUSED OTHERWISE: $1: $out"; failed=1;; esac
}
refused "an audit entry rewritten" "append-only" 'UPDATE "auditEntry" SET "who" = '\''Mallory'\'''
refused "an audit entry deleted" "append-only" 'DELETE FROM "auditEntry"'
refused "the audit log truncated" "append-only" 'TRUNCATE "auditEntry"'
refused "an entry that skips the chain" "continues the chain" \
  'INSERT INTO "auditEntry" VALUES (3, '\''t'\'', '\''w'\'', '\''r'\'', NULL, '\''a'\'', NULL, NULL, '\'''\'', '\''h1'\'', '\''h3'\'')'
refused "a second ballot for one participant" "ballot_voteId_participantId_key" \
  'INSERT INTO "ballot" ("voteId", "participantId", "origin", "castAt") VALUES (1, 1, '\''in-person'\'', '\''t'\'')'
refused "dots over the cap" "cap" 'INSERT INTO "ballotChoice" VALUES (1, 1, 2, 4)'
refused "dots over the budget" "budget" 'INSERT INTO "ballotChoice" VALUES (1, 1, 2, 3)'
refused "a pending pain point addressed" "published pain points" 'INSERT INTO "improvementPainPoint" VALUES (1, 1)'
refused "a pending improvement put to a vote" "published improvements" 'INSERT INTO "voteChoice" VALUES (1, 2)'
refused "a text in neither language" "English or Arabic" 'UPDATE "painPoint" SET "textEn" = NULL WHERE "id" = 2'
refused "a look-alike account name in another case" "account_name" \
  'INSERT INTO "account" ("name", "role", "passwordHash", "createdAt") VALUES ('\''AISHA'\'', '\''facilitator'\'', '\''x'\'', '\''t'\'')'
sql -c 'UPDATE "painPoint" SET "moderation" = '\''published'\'' WHERE "id" = 1'
refused "a published pain point taken back" "moderated once" 'UPDATE "painPoint" SET "moderation" = '\''declined'\'' WHERE "id" = 1'
sql -c 'UPDATE "vote" SET "closedAt" = '\''2026-11-03 10:00:00.000'\'' WHERE "id" = 1'
refused "a ballot after the close" "the vote is closed" \
  'INSERT INTO "ballot" ("voteId", "participantId", "origin", "castAt") VALUES (1, 1, '\''online'\'', '\''t'\'')'
refused "a choice changed after the close" "the vote is closed" 'UPDATE "ballotChoice" SET "weight" = 1'
refused "a total changed after the close" "the vote is closed" 'UPDATE "voteTotal" SET "total" = 99'
refused "a closed vote reopened" "the vote is closed" 'UPDATE "vote" SET "closedAt" = NULL'
exit $failed
