#!/usr/bin/env bash
# Makes sure PostgreSQL and RabbitMQ answer on 127.0.0.1: starts them when
# they are installed but stopped, installs them from Debian's packages when
# missing, and writes the URLs the tests use to tmp/services.env (git-ignored,
# mode 600): DATABASE_URL=... and AMQP_URL=....
#
# The server's authentication is never changed. When `psql -h 127.0.0.1 -U
# postgres` works without a password (trust), DATABASE_URL is the default
# postgres://postgres@127.0.0.1:5432/postgres. Otherwise the script creates,
# as the postgres system user, a role `airtime_test` (LOGIN CREATEDB) with a
# password generated on this machine and a database `airtime_test` it owns,
# and DATABASE_URL carries that role and password. Idempotent: a re-run keeps
# the role and the file's password while it still logs in; when the file is
# lost (or its password no longer works) the role's password is reset.
#
# Settings (all optional):
#   SERVICES_PG_PORT      PostgreSQL port (default 5432)
#   SERVICES_PG_CLUSTER   Debian cluster name started when the port is closed (default main)
#   SERVICES_PG_VERSION   its major version (default the newest with that cluster)
#   SERVICES_ENV_FILE     where the URLs are written (default <repo>/tmp/services.env)
#   SERVICES_SKIP_RABBITMQ=1  leave RabbitMQ alone (AMQP_URL is still written)
#   SERVICES_SKIP_CHROMIUM=1  do not install Chromium
#   CHROMIUM_PATH         the Chromium the browser specs launch (default /usr/bin/chromium)
#
# Chromium for the browser specs (apps/api/src/console/*.browser.*.spec.ts):
# when CHROMIUM_PATH (default /usr/bin/chromium) is not an executable,
# Debian's `chromium` is installed with apt-get. A failed install is a warning
# line only, never this script's failure (the database and the broker are what
# the other tests need): the browser specs then fail, each naming the missing
# executable and how to install it, rather than being skipped in silence.
set -euo pipefail
shopt -s inherit_errexit

repo_root=$(cd "$(dirname "$0")/../.." && pwd)
pg_port=${SERVICES_PG_PORT:-5432}
pg_cluster=${SERVICES_PG_CLUSTER:-main}
env_file=${SERVICES_ENV_FILE:-$repo_root/tmp/services.env}
amqp_url='amqp://guest:guest@127.0.0.1:5672'
test_role=airtime_test

log() { echo "[services] $*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
# the postgres system user reaches the server over its Unix socket (peer authentication)
as_postgres() {
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else (cd / && sudo -u postgres "$@"); fi
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
  local port=$1 name=$2
  for _ in $(seq 1 60); do
    if port_open "$port"; then return 0; fi
    sleep 1
  done
  log "$name did not open port $port"
  return 1
}

apt_updated=false
apt_install() {
  if [ "$apt_updated" = false ]; then
    as_root apt-get update -qq
    apt_updated=true
  fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@"
}

# psql over TCP as $1 with password $2 (empty: none), never prompting, ignoring
# ~/.pgpass and PGPASSWORD of the caller: "does this login work as written?"
psql_tcp() {
  local user=$1 password=$2 database=$3
  shift 3
  (
    # exported, not passed as an argument: a command line is visible to every user
    unset PGPASSWORD PGSERVICE
    export PGPASSFILE=/dev/null
    if [ -n "$password" ]; then export PGPASSWORD="$password"; fi
    exec psql -X -w -h 127.0.0.1 -p "$pg_port" -U "$user" -d "$database" "$@"
  )
}

# the value of KEY in the env file, or nothing
env_file_value() {
  [ -r "$env_file" ] || return 0
  sed -n "s/^$1=//p" "$env_file" | tail -n 1
}

new_password() {
  if command -v openssl >/dev/null 2>&1; then
    openssl rand -hex 24
  else
    od -An -tx1 -N24 /dev/urandom | tr -d ' \n'
  fi
}

start_postgres() {
  local version=${SERVICES_PG_VERSION:-}
  if [ -z "$version" ]; then
    version=$(find /etc/postgresql -mindepth 2 -maxdepth 2 -name "$pg_cluster" 2>/dev/null |
      awk -F/ '{print $4}' | sort -V | tail -n 1)
  fi
  if [ -z "$version" ]; then
    if [ "$pg_cluster" != main ]; then
      log "no PostgreSQL cluster named $pg_cluster"
      return 1
    fi
    log "installing PostgreSQL"
    apt_install postgresql
    version=$(find /etc/postgresql -mindepth 2 -maxdepth 2 -name main | awk -F/ '{print $4}' | sort -V | tail -n 1)
  fi
  log "starting PostgreSQL $version/$pg_cluster"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" "$pg_cluster" start || true
  wait_port "$pg_port" PostgreSQL
}

# prints the DATABASE_URL of the test role, creating the role and its database
# or resetting its password when the env file does not hold a working one
ensure_test_role() {
  local url password
  url=$(env_file_value DATABASE_URL)
  if [[ "$url" =~ ^postgres://$test_role:([0-9a-f]+)@127\.0\.0\.1:$pg_port/$test_role$ ]]; then
    password=${BASH_REMATCH[1]}
    if psql_tcp "$test_role" "$password" "$test_role" -Atc 'select 1' >/dev/null 2>&1; then
      log "PostgreSQL: role $test_role logs in with the password of $env_file" >&2
      echo "$url"
      return 0
    fi
  fi
  password=$(new_password)
  log "PostgreSQL: password authentication on; creating role $test_role or resetting its password" >&2
  # the password goes through stdin, never through a command line
  printf '%s\n' \
    "SELECT 'CREATE ROLE $test_role' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$test_role') \\gexec" \
    "ALTER ROLE $test_role WITH LOGIN CREATEDB NOSUPERUSER NOCREATEROLE PASSWORD '$password';" \
    "SELECT 'CREATE DATABASE $test_role OWNER $test_role' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$test_role') \\gexec" |
    as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$pg_port" -d postgres >/dev/null
  if ! psql_tcp "$test_role" "$password" "$test_role" -Atc 'select 1' >/dev/null 2>&1; then
    log "PostgreSQL: role $test_role cannot log in on 127.0.0.1:$pg_port with its new password (see pg_hba.conf)" >&2
    return 1
  fi
  echo "postgres://$test_role:$password@127.0.0.1:$pg_port/$test_role"
}

database_url=
ensure_postgres() {
  if port_open "$pg_port"; then log "PostgreSQL is up on $pg_port"; else start_postgres; fi
  if psql_tcp postgres '' postgres -Atc 'select 1' >/dev/null 2>&1; then
    log "PostgreSQL: user postgres logs in without a password"
    database_url="postgres://postgres@127.0.0.1:$pg_port/postgres"
  else
    database_url=$(ensure_test_role)
  fi
}

ensure_rabbitmq() {
  if [ "${SERVICES_SKIP_RABBITMQ:-}" = 1 ]; then return; fi
  if port_open 5672; then
    log "RabbitMQ is up"
    return
  fi
  if ! command -v rabbitmq-server >/dev/null 2>&1; then
    log "installing RabbitMQ"
    apt_install rabbitmq-server
  fi
  log "starting RabbitMQ (loopback only)"
  as_root env ERL_EPMD_ADDRESS=127.0.0.1 RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 rabbitmq-server -detached
  as_root rabbitmqctl await_startup --timeout 120 >/dev/null 2>&1 || true
  wait_port 5672 RabbitMQ
}

write_env_file() {
  local directory temporary
  directory=$(dirname "$env_file")
  mkdir -p "$directory"
  temporary=$(umask 077 && mktemp "$directory/.services.env.XXXXXX")
  {
    echo "# written by tools/ci/ensure-services.sh: the services the tests and tools use"
    echo "DATABASE_URL=$database_url"
    echo "AMQP_URL=$amqp_url"
  } >"$temporary"
  chmod 600 "$temporary"
  mv -f "$temporary" "$env_file"
  log "wrote DATABASE_URL and AMQP_URL to $env_file"
}

ensure_chromium() {
  if [ "${SERVICES_SKIP_CHROMIUM:-}" = 1 ]; then return 0; fi
  local chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
  if [ -x "$chromium" ]; then
    log "Chromium is installed ($chromium)"
    return 0
  fi
  if [ "$chromium" != /usr/bin/chromium ]; then
    log "warning: CHROMIUM_PATH=$chromium is not an executable; the browser specs will fail"
    return 0
  fi
  log "installing Chromium (Debian's chromium) for the browser specs"
  # in a condition: a failure here is the warning below, not the script's exit
  if ! apt_install chromium fonts-liberation >/dev/null || [ ! -x "$chromium" ]; then
    log "warning: Chromium could not be installed; the browser specs will fail (apt-get install chromium)"
  fi
  return 0
}

ensure_postgres
write_env_file
ensure_rabbitmq
ensure_chromium
