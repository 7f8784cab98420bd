#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on 127.0.0.1 for the storage tests and print what to
# export: the URL as BROADCASTER_TEST_POSTGRES_URL, and the server's own folder and port as
# PGTEST_DIR and PGTEST_PORT. Each start gets a new folder (mktemp -d) and a free port, so two
# test runs on one machine never touch each other's server. Installs Debian's postgresql
# package when missing.
#   eval "$(bash scripts/postgres_test_server.sh start)"   # exports the three variables
#   bash scripts/postgres_test_server.sh stop               # stops $PGTEST_DIR's server, removes it
#   bash scripts/postgres_test_server.sh stop DIR           # … or that folder's
set -euo pipefail
cd /  # the postgres user cannot enter the caller's folder
MARK=.broadcaster-pgtest  # only a folder holding this file is ever stopped and removed
SUDO=""
AS_PG="runuser -u postgres --"
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; AS_PG="sudo -u postgres"; fi

bin_dir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  echo "$d"
}

free_port() {
  # ask the kernel for a free port; without python, try random ones until one refuses a connection
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
    return
  fi
  local p
  while :; do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
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
      $SUDO useradd --system --no-create-home --home-dir /nonexistent postgres
    fi
    DIR=$(mktemp -d "${TMPDIR:-/tmp}/broadcaster-pgtest.XXXXXX")
    touch "$DIR/$MARK"
    $SUDO chown postgres "$DIR"
    $AS_PG "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    # a port found free can be taken before the server binds it: try a few
    for attempt in 1 2 3 4 5; do
      PORT=$(free_port)
      if $AS_PG "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
          -o "-h 127.0.0.1 -p $PORT -k $DIR -c fsync=off -c full_page_writes=off -c max_connections=200" \
          start >&2; then
        break
      fi
      if [ "$attempt" -eq 5 ]; then
        echo "PostgreSQL did not start on port $PORT; see $DIR/server.log" >&2
        exit 1
      fi
    done
    "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -q -c "CREATE ROLE broadcaster LOGIN SUPERUSER PASSWORD 'broadcaster'" >&2
    "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -q -c "CREATE DATABASE broadcaster OWNER broadcaster" >&2
    echo "export BROADCASTER_TEST_POSTGRES_URL=postgresql+psycopg://broadcaster:broadcaster@127.0.0.1:$PORT/broadcaster"
    echo "export PGTEST_DIR=$DIR"
    echo "export PGTEST_PORT=$PORT"
    ;;
  stop)
    DIR="${2:-${PGTEST_DIR:-}}"
    if [ -z "$DIR" ]; then
      echo "which server? PGTEST_DIR is not set: run 'eval \"\$(bash $0 start)\"' first, or give its folder: $0 stop DIR" >&2
      exit 2
    fi
    if [ ! -f "$DIR/$MARK" ]; then
      echo "$DIR is not a folder made by '$0 start'; not touching it" >&2
      exit 2
    fi
    BIN=$(bin_dir)
    if [ -f "$DIR/data/postmaster.pid" ]; then
      $AS_PG "$BIN/pg_ctl" -D "$DIR/data" stop -m fast >&2
    fi
    $SUDO rm -rf "$DIR"
    ;;
  *)
    echo "usage: $0 start | stop [DIR]" >&2; exit 2;;
esac
