#!/bin/sh
# Runs a command beside a throw-away PostgreSQL cluster: initdb into a temporary folder, a
# server on a free loopback port, and a role for Masar that is not a superuser (so that the
# rights it lacks are really lacking), which may create databases. The command finds the
# server in MASAR_TEST_POSTGRES (postgres://masar:…@127.0.0.1:PORT/postgres). The cluster is
# stopped and its folder removed whatever happens; the command's exit status is this script's.
#
#   Tests/postgres/cluster.sh swift test
#
# As root, the server runs as the user masartest (initdb refuses root), created when absent.
set -eu
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "cluster.sh: PostgreSQL's server is not installed (apt-get install postgresql)" >&2; exit 1; }
dir=$(mktemp -d /tmp/masar-pg.XXXXXX)
chmod 755 "$dir"
as=""
if [ "$(id -u)" = 0 ]; then
  id masartest >/dev/null 2>&1 || useradd -M -s /bin/sh masartest
  chown masartest "$dir"; as="runuser -u masartest --"
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
password=$(python3 -c 'import secrets; print(secrets.token_hex(12))')
stop() {
  $as "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT TERM
printf '%s\n' "$password" > "$dir/pw"
chmod 644 "$dir/pw"
$as "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pw" --auth-local=trust --auth-host=scram-sha-256 \
  -E UTF8 --no-locale --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
$as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
  start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
$as "$bin/psql" -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qc \
  "CREATE ROLE masar LOGIN CREATEDB PASSWORD '$password'"
export MASAR_TEST_POSTGRES="postgres://masar:$password@127.0.0.1:$port/postgres?sslmode=disable"
export MASAR_TEST_POSTGRES_BIN="$bin"
echo "cluster.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, for: $*" >&2
status=0
"$@" || status=$?
exit $status
