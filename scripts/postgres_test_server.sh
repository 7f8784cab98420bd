#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on 127.0.0.1 for the storage tests and print the URL to
# export as BROADCASTER_TEST_POSTGRES_URL. Installs Debian's postgresql package when missing.
#   eval "$(bash scripts/postgres_test_server.sh start)"   # exports the URL
#   bash scripts/postgres_test_server.sh stop
set -euo pipefail
cd /  # the postgres user cannot enter the caller's folder
PORT="${PGTEST_PORT:-55432}"
DIR="${PGTEST_DIR:-/tmp/broadcaster-pgtest}"
SUDO=""
AS_PG="runuser -u postgres --"
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; AS_PG="sudo -u postgres"; fi

bin_dir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  echo "$d"
}

case "${1:-start}" in
  start)
    if [ -z "$(bin_dir)" ]; then
      echo "installing postgresql (Debian package)…" >&2
      $SUDO apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >&2
    fi
    BIN=$(bin_dir)
    if ! id postgres >/dev/null 2>&1; then
      $SUDO useradd --system --home "$DIR" postgres
    fi
    if [ -f "$DIR/data/postmaster.pid" ]; then
      $AS_PG "$BIN/pg_ctl" -D "$DIR/data" stop -m fast >&2 || true
    fi
    $SUDO rm -rf "$DIR"
    $SUDO mkdir -p "$DIR"
    $SUDO chown postgres "$DIR"
    $AS_PG "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    $AS_PG "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
      -o "-h 127.0.0.1 -p $PORT -k $DIR -c fsync=off -c full_page_writes=off -c max_connections=200" start >&2
    "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -q -c "CREATE ROLE broadcaster LOGIN SUPERUSER PASSWORD 'broadcaster'" >&2
    "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -q -c "CREATE DATABASE broadcaster OWNER broadcaster" >&2
    echo "export BROADCASTER_TEST_POSTGRES_URL=postgresql+psycopg://broadcaster:broadcaster@127.0.0.1:$PORT/broadcaster"
    ;;
  stop)
    BIN=$(bin_dir)
    [ -f "$DIR/data/postmaster.pid" ] && $AS_PG "$BIN/pg_ctl" -D "$DIR/data" stop -m fast >&2
    ;;
  *)
    echo "usage: $0 start|stop" >&2; exit 2;;
esac
