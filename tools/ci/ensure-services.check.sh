#!/usr/bin/env bash
# Manual check of tools/ci/ensure-services.sh against a server with password
# authentication, without touching the machine's own cluster: creates a
# throw-away Debian cluster (scram-sha-256 on TCP) on its own port, runs the
# script against it and checks that
#   - it starts the stopped cluster named by SERVICES_PG_CLUSTER;
#   - it writes DATABASE_URL with role airtime_test and a generated password
#     (file mode 600), and the role logs in with it and can create databases;
#   - the role is no superuser, and pg_hba.conf is byte for byte unchanged;
#   - a re-run keeps the same password; a lost file gets a new password and the
#     old one stops working;
# then drops the cluster. Needs root and the postgresql packages; not part of
# `npm test` (it creates a cluster). Run: sudo bash tools/ci/ensure-services.check.sh
set -euo pipefail

script=$(cd "$(dirname "$0")" && pwd)/ensure-services.sh
version=${CHECK_PG_VERSION:-$(find /etc/postgresql -mindepth 1 -maxdepth 1 | awk -F/ '{print $4}' | sort -V | tail -n 1)}
cluster=${CHECK_PG_CLUSTER:-authcheck}
port=${CHECK_PG_PORT:-5499}
work=$(mktemp -d)
env_file=$work/services.env
failures=0

check() {
  local description=$1
  shift
  if "$@"; then echo "ok   $description"; else
    echo "FAIL $description"
    failures=$((failures + 1))
  fi
}

cleanup() {
  pg_dropcluster --stop "$version" "$cluster" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

if pg_lsclusters -h | awk '{print $2}' | grep -qx "$cluster"; then
  echo "cluster $cluster exists already; set CHECK_PG_CLUSTER" >&2
  exit 2
fi
# created stopped: the script starts it
pg_createcluster "$version" "$cluster" --port "$port" -- --auth-host=scram-sha-256 --auth-local=peer >/dev/null
hba=/etc/postgresql/$version/$cluster/pg_hba.conf
hba_before=$(sha256sum <"$hba")

run() { SERVICES_PG_PORT=$port SERVICES_PG_CLUSTER=$cluster SERVICES_ENV_FILE=$env_file SERVICES_SKIP_RABBITMQ=1 bash "$script"; }
url_of() { sed -n 's/^DATABASE_URL=//p' "$env_file"; }
password_of() { sed -E 's#^postgres://[^:]+:([^@]+)@.*#\1#' <<<"$1"; }
logs_in() {
  (
    export PGPASSWORD PGPASSFILE=/dev/null
    PGPASSWORD=$1
    psql -X -w -h 127.0.0.1 -p "$port" -U airtime_test -d airtime_test -Atc "$2" 2>/dev/null
  )
}
refuses_postgres_without_password() {
  ! (unset PGPASSWORD && PGPASSFILE=/dev/null psql -X -w -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1)
}
creates_and_drops_a_database() {
  logs_in "$1" 'create database airtime_check_db' >/dev/null && logs_in "$1" 'drop database airtime_check_db' >/dev/null
}

run
first=$(url_of)
check "the script started the stopped cluster" pg_isready -q -h 127.0.0.1 -p "$port"
check "the server refuses user postgres without a password" refuses_postgres_without_password
check "DATABASE_URL names role airtime_test on port $port" grep -Eq "^postgres://airtime_test:[0-9a-f]{48}@127\.0\.0\.1:$port/airtime_test$" <<<"$first"
check "the env file is mode 600" test "$(stat -c %a "$env_file")" = 600
check "AMQP_URL is written" grep -q '^AMQP_URL=amqp://guest:guest@127.0.0.1:5672$' "$env_file"
check "the role logs in with the file's password" test "$(logs_in "$(password_of "$first")" 'select 1')" = 1
check "the role is no superuser and may create databases" \
  test "$(logs_in "$(password_of "$first")" 'select rolsuper::text || rolcreatedb::text from pg_roles where rolname = current_user')" = falsetrue
check "the role can create and drop a database" creates_and_drops_a_database "$(password_of "$first")"
check "the database airtime_test is owned by the role" \
  test "$(logs_in "$(password_of "$first")" "select pg_get_userbyid(datdba) from pg_database where datname = 'airtime_test'")" = airtime_test

run
check "a re-run keeps the same password" test "$(url_of)" = "$first"

rm -f "$env_file"
run
second=$(url_of)
check "a lost file gets a new password" test "$second" != "$first"
check "the new password logs in" test "$(logs_in "$(password_of "$second")" 'select 1')" = 1
check "the old password no longer logs in" test -z "$(logs_in "$(password_of "$first")" 'select 1')"
check "exactly one role airtime_test" \
  test "$(runuser -u postgres -- psql -X -p "$port" -d postgres -Atc "select count(*) from pg_roles where rolname = 'airtime_test'")" = 1

check "pg_hba.conf is unchanged" test "$(sha256sum <"$hba")" = "$hba_before"
check "the server still refuses user postgres without a password" refuses_postgres_without_password

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
