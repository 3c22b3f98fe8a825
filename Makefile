# Etalase — the two commands are `make run` and `make test`; each installs what it needs.
SHELL := /bin/bash
CARGO ?= cargo
DATA_DIR ?= ./data
BIN := target/debug/etalase
export ETALASE_TEST_PG_PORT ?= 55432
GARAGE_ENV := /var/tmp/etalase-garage/env

.PHONY: run build test test-sqlite test-postgres services lint fmt fmt-check clean-data bench bench-media bench-search bench-compliance bench-import bench-matching reliability reliability-fast test-cluster

## make run: build, migrate, load the demo catalog and serve it on http://127.0.0.1:8080
run: build
	$(BIN) seed-demo --data-dir $(DATA_DIR)
	$(BIN) serve --data-dir $(DATA_DIR)

build:
	$(CARGO) build -p etalase-server --bin etalase

## make test: every test — unit, API on SQLite and on PostgreSQL, browser (headless Chromium),
## and the fast core of the reliability suite (make reliability-fast, ~5 min)
test: services
	source $(GARAGE_ENV) && ETALASE_REQUIRE_S3=1 $(CARGO) test --workspace --no-fail-fast
	source $(GARAGE_ENV) && ETALASE_TEST_DB=postgres $(CARGO) test -p etalase-tests --test api --no-fail-fast
	$(MAKE) reliability-fast

test-sqlite:
	$(CARGO) test --workspace

test-postgres: services
	ETALASE_TEST_DB=postgres $(CARGO) test -p etalase-tests --test api

## services the tests need, installed and started locally when missing
services:
	scripts/ensure-postgres.sh
	scripts/ensure-chromium.sh
	scripts/ensure-garage.sh

## make lint: clippy on every target, warnings denied (clippy.toml bans Utc::now outside the clock)
lint:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

fmt:
	$(CARGO) fmt --all

## make fmt-check: fails when a file is not formatted (rustfmt.toml: 100 columns)
fmt-check:
	$(CARGO) fmt --all --check

clean-data:
	rm -rf $(DATA_DIR)

## make bench-media: 12 MP JPEGs through the photo pipeline, side by side with vipsthumbnail
bench-media:
	command -v vipsthumbnail >/dev/null && test -x /usr/bin/time || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libvips-tools time >/dev/null; }
	$(CARGO) run --release -p etalase-media --example bench_media -- target/bench-media 6

## make bench-search: 100,000 products (SEARCH_SIZES="10000 100000" for more), indexing time, HTTP latency at 1/16/64 clients (wrk); with MEILI_URL the same against Meilisearch
SEARCH_SIZES ?= 100000
bench-search:
	command -v wrk >/dev/null && command -v nginx >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx >/dev/null; }
	$(CARGO) build --release -p etalase-server --example bench_search
	for n in $(SEARCH_SIZES); do target/release/examples/bench_search target/bench-search/$$n $$n || exit 1; done

## make bench-compliance: 5,000 stores and 100,000 agreements on PostgreSQL (COMPLIANCE_SIZES="500,5000,40000" for more), full dashboard query timed (goal ≤ 200 ms at 5,000, ≤ 1 s at 40,000)
COMPLIANCE_SIZES ?= 5000
bench-compliance:
	scripts/ensure-postgres.sh
	$(CARGO) run --release -p etalase-server --example bench_compliance -- target/bench-compliance 7 $(COMPLIANCE_SIZES)

## make bench-import: 50,000 businesses then 50,000 products through the Dinas import (and each file again: nothing changes), on SQLite and PostgreSQL (IMPORT_SIZES="5000 50000" for more); report in target/bench-import/ROWS/report.md
IMPORT_SIZES ?= 50000
bench-import:
	scripts/ensure-postgres.sh
	$(CARGO) build --release -p etalase-server --example bench_import
	for n in $(IMPORT_SIZES); do target/release/examples/bench_import target/bench-import/$$n $$n || exit 1; done

## make bench: every bench at three sizes (media once), then one table with goal, figure and ratio per row in target/bench/summary.md and a line per figure appended to bench/history.csv (commit it to compare runs)
bench:
	find target -path 'target/bench-*' -name figures.csv -delete 2>/dev/null || true
	$(MAKE) bench-media
	$(MAKE) bench-search SEARCH_SIZES="10000 100000 1000000"
	$(MAKE) bench-import IMPORT_SIZES="5000 50000 100000"
	$(MAKE) bench-compliance COMPLIANCE_SIZES="500,5000,40000"
	$(MAKE) bench-plan
	$(MAKE) bench-matching MATCHING_SIZES="10000 100000"
	python3 scripts/bench/summary.py

## make reliability: schemathesis per role (≥ 5,000 cases), authz matrix, 10 × kill -9, hostile corpus, 64 clients on PostgreSQL; report in target/reliability/report.md
reliability: build
	scripts/reliability/run.sh full

## make reliability-fast: the same in under ~3 minutes (few schemathesis cases, 1 kill -9 round, 10 s of clients); report in target/reliability/report-fast.md
reliability-fast: build
	scripts/reliability/run.sh fast

## make test-cluster: three instances on one PostgreSQL and one Garage bucket behind nginx, ~60 s of mixed writes with a reindex and a kill -9, then the invariants (acknowledged writes, one winner, task_runs, photos, drift); report in target/cluster/report.md
test-cluster: build
	scripts/cluster/run.sh

# The city-wide placement plan on synthetic data (500 / 1,000 / 5,000 stores × 100,000
# products, in memory): time per size, objective and bound in target/bench-plan/report.md.
bench-plan:
	$(CARGO) run --release -p etalase-domain --example bench_plan
.PHONY: bench-plan

## make bench-matching: Rekomendasi for one store at a time on 100,000 published products (MATCHING_SIZES="10000 100000" for more), SQLite and PostgreSQL, p50/p99 over 400 calls spread over 500 stores, and the first page checked against the exhaustive ranking (goal p99 ≤ 50 ms); report in target/bench-matching/report.md
MATCHING_SIZES ?= 100000
bench-matching:
	scripts/ensure-postgres.sh
	$(CARGO) build --release -p etalase-server --example bench_matching
	target/release/examples/bench_matching target/bench-matching "$(MATCHING_SIZES)"
.PHONY: bench-matching
