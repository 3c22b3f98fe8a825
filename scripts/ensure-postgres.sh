#!/usr/bin/env bash
# Installs (when missing) and starts a throwaway PostgreSQL on 127.0.0.1:${ETALASE_TEST_PG_PORT:-55432}
# for the test suite. Data lives in /var/tmp/etalase-pg (kept between runs, never in the repo).
set -euo pipefail
PORT="${ETALASE_TEST_PG_PORT:-55432}"
PGDATA_DIR="${ETALASE_TEST_PG_DATA:-/var/tmp/etalase-pg}"

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/pg_ctl" ]; then
  echo "PostgreSQL belum terpasang: memasang paket Debian postgresql…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
  bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

# PostgreSQL refuses to run as root: run it as the postgres user when we are root.
run() {
  if [ "$(id -u)" = "0" ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}
if [ "$(id -u)" = "0" ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql postgres
fi

if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
  mkdir -p "$PGDATA_DIR"
  [ "$(id -u)" = "0" ] && chown postgres "$PGDATA_DIR"
  run "$bindir/initdb -D $PGDATA_DIR -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8" >/dev/null
fi

if run "$bindir/pg_ctl -D $PGDATA_DIR status" >/dev/null 2>&1; then
  echo "PostgreSQL sudah berjalan di 127.0.0.1:$PORT"
else
  run "$bindir/pg_ctl -D $PGDATA_DIR -l $PGDATA_DIR/server.log -w -t 60 \
       -o '-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300' start" >/dev/null
  echo "PostgreSQL berjalan di 127.0.0.1:$PORT"
fi
