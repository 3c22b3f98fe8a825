#!/usr/bin/env bash
# Installs (first time: `cargo install garage`, ~15 min, cached in /opt/etalase-tools) and starts a
# single-node Garage S3 server on 127.0.0.1:3900 for the blob-store contract tests, with a bucket
# and a key. Writes the S3 settings for the tests to /var/tmp/etalase-garage/env.
set -euo pipefail
ROOT=/var/tmp/etalase-garage
TOOLS=/opt/etalase-tools
GARAGE="$TOOLS/bin/garage"
export PATH="$TOOLS/bin:$PATH"

if [ ! -x "$GARAGE" ]; then
  echo "Garage belum terpasang: cargo install garage (sekali saja)…"
  # Test server only: sqlite metadata (no lmdb), and a quick release profile (no LTO, many
  # codegen units, opt-level 1) instead of Garage's own size-optimised single-unit LTO build.
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=0 CARGO_PROFILE_RELEASE_INCREMENTAL=false \
    cargo install garage --locked --no-default-features --features bundled-libs,sqlite --root "$TOOLS"
fi

mkdir -p "$ROOT/meta" "$ROOT/data"
CFG="$ROOT/garage.toml"
if [ ! -f "$CFG" ]; then
  cat > "$CFG" <<CONF
metadata_dir = "$ROOT/meta"
data_dir = "$ROOT/data"
db_engine = "sqlite"
replication_factor = 1
rpc_bind_addr = "127.0.0.1:3901"
rpc_public_addr = "127.0.0.1:3901"
rpc_secret = "$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"

[s3_api]
s3_region = "garage"
api_bind_addr = "127.0.0.1:3900"
root_domain = ".s3.garage.localhost"

[admin]
api_bind_addr = "127.0.0.1:3903"
admin_token = "$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
CONF
  chmod 600 "$CFG"
fi

g() { "$GARAGE" -c "$CFG" "$@"; }

if ! g status >/dev/null 2>&1; then
  nohup "$GARAGE" -c "$CFG" server > "$ROOT/server.log" 2>&1 &
  for _ in $(seq 1 100); do g status >/dev/null 2>&1 && break; sleep 0.2; done
fi
g status >/dev/null

# Right after a restart the node may not have loaded its layout yet: ask a few times before
# deciding the cluster is new, and accept a concurrent/earlier apply when the layout then has dc1.
has_layout() { g layout show 2>/dev/null | grep -q "dc1"; }
# (A busy machine can make `layout show` slow: wait up to 10 s, and treat a refused apply as
# "someone applied it meanwhile" when the layout then has dc1.)
# Time-based, not counted: under a heavy build each `garage` call itself can take seconds
# (a CI run failed here while a release build used both cores).
wait_layout() { local until=$((SECONDS + 60)); until has_layout; do [ $SECONDS -ge $until ] && return 1; sleep 0.5; done; }
wait_layout || true
if ! has_layout; then
  NODE=$(g node id -q | cut -d@ -f1)
  g layout assign -z dc1 -c 1G "$NODE" >/dev/null 2>&1 || true
  g layout apply --version 1 >/dev/null 2>&1 || true
  wait_layout || { echo "Garage: tata letak klaster tidak bisa diterapkan" >&2; tail -20 "$ROOT/server.log" >&2; exit 1; }
fi

if [ ! -f "$ROOT/env" ]; then
  g bucket create etalase-test >/dev/null 2>&1 || true
  OUT=$(g key create etalase-test-key)
  KEY_ID=$(echo "$OUT" | grep -E "Key ID" | awk '{print $NF}')
  SECRET=$(echo "$OUT" | grep -E "Secret key" | awk '{print $NF}')
  g bucket allow --read --write --owner etalase-test --key "$KEY_ID" >/dev/null
  cat > "$ROOT/env" <<ENV
export ETALASE_TEST_S3_ENDPOINT=http://127.0.0.1:3900
export ETALASE_TEST_S3_REGION=garage
export ETALASE_TEST_S3_BUCKET=etalase-test
export ETALASE_TEST_S3_ACCESS_KEY=$KEY_ID
export ETALASE_TEST_S3_SECRET_KEY=$SECRET
ENV
fi
echo "Garage (S3) berjalan di 127.0.0.1:3900"
