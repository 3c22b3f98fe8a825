#!/usr/bin/env bash
# `make reliability` / `make reliability-fast`: sets up what the suite needs (a virtualenv with
# schemathesis and httpx in target/reliability/venv, PostgreSQL on 127.0.0.1:55432), then runs
# scripts/reliability/run.py MODE. The binary is built by the Makefile (`build`); set
# ETALASE_BIN to test another one. Report: target/reliability/report.md (fast: report-fast.md).
set -euo pipefail
MODE="${1:-full}"
shift || true
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
VENV="$ROOT/target/reliability/venv"
PY="${RELIABILITY_PYTHON:-python3}"
if [ ! -x "$VENV/bin/st" ] || ! "$VENV/bin/python" -c "import schemathesis, httpx" 2>/dev/null; then
  echo "Menyiapkan virtualenv $VENV (schemathesis, httpx)…"
  "$PY" -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip >/dev/null 2>&1 || true
  "$VENV/bin/pip" install -q schemathesis httpx
fi
command -v psql >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client >/dev/null; }
scripts/ensure-postgres.sh
exec "$VENV/bin/python" -u scripts/reliability/run.py "$MODE" "$@"
