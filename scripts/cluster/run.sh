#!/usr/bin/env bash
# `make test-cluster`: sets up what the cluster test needs — a virtualenv with httpx in
# target/cluster/venv, Debian's nginx, PostgreSQL on 127.0.0.1:55432 (scripts/ensure-postgres.sh)
# and Garage S3 (scripts/ensure-garage.sh) — then runs scripts/cluster/run.py: three
# `etalase serve` behind nginx, a mixed workload with a reindex and a kill -9, the invariants.
# Report: target/cluster/report.md. The binary is built by the Makefile; ETALASE_BIN picks another.
# MEILI_URL (and MEILI_MASTER_KEY) make the three instances share one Meilisearch index.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
OUT="${CLUSTER_OUT:-$ROOT/target/cluster}"
VENV="$OUT/venv"
PY="${CLUSTER_PYTHON:-python3}"
mkdir -p "$OUT"
if ! "$VENV/bin/python" -c "import httpx" 2>/dev/null; then
  echo "Menyiapkan virtualenv $VENV (httpx)…"
  "$PY" -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip >/dev/null 2>&1 || true
  "$VENV/bin/pip" install -q httpx
fi
apt_install() { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; }
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || apt_install nginx
command -v psql >/dev/null || apt_install postgresql-client
scripts/ensure-postgres.sh
scripts/ensure-garage.sh
export PATH="$PATH:/usr/sbin"
exec "$VENV/bin/python" -u scripts/cluster/run.py "$@"
