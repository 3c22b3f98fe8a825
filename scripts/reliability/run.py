"""Runs the reliability suite and writes target/reliability/report.md.

usage: run.py full|fast [--only fuzz,authz,crash,hostile,load]

full: schemathesis with every phase (>= 5,000 cases), authz matrix, 10 kill -9 rounds, hostile
      corpus, 64 clients for 60 s on PostgreSQL.
fast: few schemathesis cases (examples + fuzzing phases, 2 per operation, no separate
      login/logout runs), the authz matrix, 1 kill -9 round, the hostile corpus, 64 clients for
      10 s. It reuses the seeded demo data while the seed code and migrations are unchanged
      (RELIABILITY_SEED_KEY=sources), so a rebuild alone does not cost a new seed; the server
      migrates the copy forward on start.
Exit status: 0 when every part passed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import lib

HERE = Path(__file__).resolve().parent
RSS_BOUND_MB = 400

MODES = {
    "full": {
        "fuzz": ["--examples", "10", "--min-cases", "5000"],
        "authz": [],
        "crash": ["--rounds", "10"],
        "hostile": ["--rss-bound-mb", str(RSS_BOUND_MB)],
        "load": ["--seconds", "60", "--clients", "64"],
    },
    "fast": {
        "fuzz": ["--examples", "2", "--phases", "examples,fuzzing", "--quick"],
        "authz": [],
        "crash": ["--rounds", "1"],
        "hostile": ["--rss-bound-mb", str(RSS_BOUND_MB)],
        "load": ["--seconds", "10", "--clients", "64"],
    },
}
ORDER = ["authz", "hostile", "crash", "fuzz", "load"]


def run_part(name: str, args: list[str]) -> dict:
    lib.log(f"== {name} {' '.join(args)}")
    t0 = time.time()
    log = lib.WORK / f"part-{name}.log"
    with log.open("w") as f:
        p = subprocess.run([sys.executable, "-u", str(HERE / f"{name}.py"), *args], stdout=f,
                           stderr=subprocess.STDOUT, cwd=str(HERE))
    secs = time.time() - t0
    res = lib.load_result(name) or {}
    ok = p.returncode == 0 and res.get("ok", False)
    tail = log.read_text().splitlines()[-15:]
    lib.log(f"== {name}: {'PASS' if ok else 'FAIL'} in {secs:.0f}s (log {log})")
    if not ok:
        for line in tail:
            print("   ", line)
    return {"ok": ok, "seconds": round(secs), "returncode": p.returncode, "log": str(log),
            "has_result": bool(res)}


# ---- report ---------------------------------------------------------------------------------

def md_escape(s: str) -> str:
    return str(s).replace("|", "\\|").replace("\n", " ")


def report(mode: str, parts: dict, started: float) -> str:
    out = [f"# Reliability report ({mode})", "",
           f"Run {time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(started))}, "
           f"{time.time() - started:.0f} s in all. Binary `{lib.BIN}`. "
           f"Machine: {lib.os.cpu_count()} cores.", "",
           "| part | result | time |", "|---|---|---|"]
    for name in ORDER:
        if name in parts:
            p = parts[name]
            out.append(f"| {name} | {'PASS' if p['ok'] else '**FAIL**'} | {p['seconds']} s |")
    out.append("")

    f = lib.load_result("fuzz") if "fuzz" in parts else None
    if f:
        out += ["## 1. schemathesis", "",
                f"OpenAPI document `/api/openapi.json`: {f['operations']} operations. Phases "
                f"`{f.get('phases')}`, up to {f['examples_per_operation']} generated examples per "
                "operation and phase; checks `not_a_server_error`, `response_schema_conformance`, "
                "`content_type_conformance`, every case run (`--continue-on-failure`).",
                "Login: own run of 5 examples, anonymous (more would only meet the login "
                "throttle's 429, which is documented). Logout: left out of the role runs (it ends "
                "the token the run uses) and run on its own with a throwaway token per role.", "",
                "| run | cases | distinct failures | failing cases | statuses |", "|---|---|---|---|---|"]
        for r in f["runs"]:
            out.append(f"| {r['role']} | {r['cases']} | {len(r['failures'])} | "
                       f"{r.get('failure_count', 0)} | "
                       f"{', '.join(f'{k}: {v}' for k, v in r['statuses'].items())} |")
        out += ["", f"**{f['total_cases']} cases in all**"
                + (f" (required ≥ {f.get('min_cases')})" if f.get("min_cases") else "")
                + f"; server alive at the end: {f['server_alive']}.", ""]
        groups: dict = {}
        for r in f["runs"]:
            for x in r["failures"]:
                key = (x["check"], x["title"], x["message"].split("\n")[0][:120])
                g = groups.setdefault(key, {"ops": set(), "roles": set(), "repro": x["repro"], "n": 0})
                g["ops"].add(x["operation"])
                g["roles"].add(r["role"])
                g["n"] += x.get("count", 1)
        errs: dict = {}
        for r in f["runs"]:
            for e in r["errors"]:
                errs.setdefault(e, set()).add(r["role"])
        if groups or errs:
            out += ["Failures (grouped):", ""]
            for (check, title, msg), g in sorted(groups.items(), key=lambda kv: -len(kv[1]["ops"])):
                ops = sorted(g["ops"])
                out.append(f"- **{check}: {title}** — {msg}; {g['n']} cases on {len(ops)} operations "
                           f"({', '.join(ops[:6])}{' …' if len(ops) > 6 else ''}), roles "
                           f"{', '.join(sorted(g['roles']))}. Example: `{md_escape(g['repro'][:400])}`")
            for e, roles in errs.items():
                out.append(f"- **schema error** ({', '.join(sorted(roles))}): {md_escape(e)}")
            out.append("")

    a = lib.load_result("authz") if "authz" in parts else None
    if a:
        rows = a["rows"]
        foreign_mut = [r for r in rows if r["relation"] == "foreign" and not r["op"].startswith("GET")]
        foreign_2xx = [r for r in foreign_mut if 200 <= r["status"] < 300]
        out += ["## 2. Authorization matrix", "",
                f"{a['operations']} operations from the OpenAPI route table × 6 roles × objects: "
                f"**{a['cells']} cells**, of which {len(foreign_mut)} mutations on foreign objects "
                f"({len(foreign_2xx)} answered 2xx). Failures: **{a['failures']}** "
                f"({a['critical']} critical). Change-detector canary: {a.get('canary')}.", "",
                "Objects (from the demo data; writers = parties that may change it, readers = "
                "who may read it, `null` = not asserted):", ""]
        for k, o in a["objects"].items():
            out.append(f"- `{k}` {o['kind']} {o['ids']} writers {o['writers']} readers {o['readers']}")
        out += ["", "| role | cells | 2xx | 401 | 403 | 404 | other 4xx | 5xx | failures |",
                "|---|---|---|---|---|---|---|---|---|"]
        for role in lib.ROLES:
            rr = [r for r in rows if r["role"] == role]
            cnt = lambda f: sum(1 for r in rr if f(r["status"]))  # noqa: E731
            out.append(f"| {role} | {len(rr)} | {cnt(lambda s: 200 <= s < 300)} | {cnt(lambda s: s == 401)} | "
                       f"{cnt(lambda s: s == 403)} | {cnt(lambda s: s == 404)} | "
                       f"{cnt(lambda s: 400 <= s < 500 and s not in (401, 403, 404))} | "
                       f"{cnt(lambda s: s >= 500 or s == 0)} | "
                       f"{sum(1 for r in rr if r['verdict'] == 'FAIL')} |")
        out.append("")
        tol = [r for r in rows if r["severity"].startswith("tolerated")]
        if tol:
            out += ["Tolerated (by design):", ""]
            for r in tol:
                out.append(f"- {r['role']} `{md_escape(r['request'][:200])}` ({r['target']}) → {r['status']}: "
                           f"{r['severity'][11:]}")
            out.append("")
        fails = [r for r in rows if r["verdict"] == "FAIL"]
        if fails:
            out += ["Failures:", "", "| severity | role | request | object | status | expected | response |",
                    "|---|---|---|---|---|---|---|"]
            for r in fails:
                out.append(f"| {r['severity']} | {r['role']} | `{md_escape(r['request'][:220])}` | {r['target']} | "
                           f"{r['status']} | {r['expect']} | {md_escape(r['response'][:200])} {r['changed'] or ''} |")
            out.append("")

    c = lib.load_result("crash") if "crash" in parts else None
    if c:
        out += ["## 3. kill -9", "",
                f"{len(c['rounds'])} rounds on SQLite. Each round: 2 threads importing 200-row CSVs "
                "(chain office), 2 threads creating drafts and uploading 2 photos at a time (UMKM), "
                "3 threads running agreements propose → counter → two simultaneous accepts → end "
                "(chain office and UMKM); `kill -9` after 2–6 s; restart; then checked: every "
                "acknowledged import has all its rows, in-flight imports have all or none; every "
                "acknowledged photo exists and is listed on its product, every photo row has all its "
                "variant files, the first variant is served; every acknowledged agreement action has "
                "its event, the stored version is not older than the acknowledged one, every "
                "agreement's status is its last event's; of two simultaneous accepts at most one "
                "wins. Then the server is stopped, `etalase media gc --grace-minutes 0` sweeps, and "
                "every file under `DATA_DIR/blobs` must belong to a photo/inspection-photo row or a "
                "certificate document (a `.type` sidecar counts with its blob; `.tmp-*` files count "
                "as orphans)."]
        race = c.get("same_photo_race")
        if race:
            out += ["", f"Before the kills, the same picture uploaded to 4 drafts at once, "
                    f"{race['uploads'] // 4} times: statuses {race['statuses']}."]
        out += ["",
                "| round | killed after | acknowledged / in flight / refused writes | violations | 5xx | swept | orphans after sweep |",
                "|---|---|---|---|---|---|---|"]
        for r in c["rounds"]:
            w = "; ".join(f"{k} {v.get('acked', 0)}/{v.get('inflight', 0)}/{v.get('refused', 0)}"
                          for k, v in sorted(r["writes"].items()))
            out.append(f"| {r['round']} | {r['kill_after_s']} s | {w} | {len(r['violations'])} | "
                       f"{len(r['server_errors'])} | {md_escape(' '.join(r['gc']))} | {r['orphan_count']} |")
        out.append("")
        if c["problems"]:
            out += ["Problems:", ""] + [f"- {md_escape(p)}" for p in c["problems"][:40]] + [""]

    h = lib.load_result("hostile") if "hostile" in parts else None
    if h:
        out += ["## 4. Hostile corpus", "",
                f"Peak RSS bound **{h['rss_bound_mb']:.0f} MB** (VmHWM of the server process; "
                f"measured: {h['baseline_rss_mb']} MB after start-up and set-up, "
                f"**{h['peak_rss_mb']} MB** peak over the refused cases). The last case, a "
                f"legitimate 39.9 MP PNG (within the limits, so decoded), is a memory probe with "
                f"its own bound {h.get('probe_bound_mb', 0):.0f} MB: VmHWM after it "
                f"**{h.get('probe_rss_mb')} MB**. /healthz after every case.", "",
                "| case | role | request | bytes sent | status | expected | VmHWM after (MB) | healthz | answer |",
                "|---|---|---|---|---|---|---|---|---|"]
        for r in h["cases"]:
            out.append(f"| {r['case']} | {r['role']} | `{md_escape(r['request'][:90])}` | {r['bytes']:,} | "
                       f"{'**' if not r['ok'] else ''}{r['status']}{'**' if not r['ok'] else ''} | "
                       f"{r['expect']} | {r['peak_rss_mb']} | {'ok' if r['healthz'] else 'DOWN'} | "
                       f"{md_escape(r['response'][:110])} |")
        out.append("")
        if h["problems"]:
            out += ["Problems:", ""] + [f"- {md_escape(p)}" for p in h["problems"]] + [""]

    ld = lib.load_result("load") if "load" in parts else None
    if ld:
        out += ["## 5. Clients on PostgreSQL", "",
                f"{ld['clients']} asyncio clients (httpx) for {ld['seconds']} s against one server on "
                "PostgreSQL (database cloned from the seeded demo). Mix: 20% search, 18% catalog "
                "list, 12% catalog read, 8% UMKM product list, 6% chain store list, 5% store "
                "agreements, 3% compliance summary (reads); 10% create product, 8% read+patch "
                "product, 6% create store, 4% shortlist add (writes).", "",
                f"- requests: **{ld.get('requests')}** in {ld.get('elapsed_s')} s = "
                f"**{ld.get('rps')} req/s**; latency p50 **{ld.get('p50_ms')} ms**, p99 "
                f"**{ld.get('p99_ms')} ms**, max {ld.get('max_ms')} ms",
                f"- errors (5xx or connection): **{ld.get('errors')}**; unexpected 4xx: "
                f"{ld.get('unexpected_4xx')}",
                f"- acknowledged creates: {ld.get('acknowledged_creates')}, acknowledged patches: "
                f"{ld.get('acknowledged_patches')}; **lost writes: {ld.get('lost_writes')}**",
                f"- server peak RSS {ld.get('peak_rss_mb')} MB; alive at the end: {ld.get('server_alive')}",
                "", "| operation | statuses | p50 ms | p99 ms |", "|---|---|---|---|"]
        for k, v in (ld.get("by_op") or {}).items():
            out.append(f"| {k} | {v['statuses']} | {v['p50_ms']} | {v['p99_ms']} |")
        out.append("")
        for key in ("error_samples", "unexpected_samples", "lost_samples"):
            if ld.get(key):
                out += [f"{key}:", ""] + [f"- `{md_escape(x[:300])}`" for x in ld[key][:10]] + [""]
    missing = [n for n in parts if not parts[n]["has_result"]]
    if missing:
        out += ["## Parts that did not finish", ""] + [
            f"- {n}: exit {parts[n]['returncode']}, see `{parts[n]['log']}`" for n in missing] + [""]
    return "\n".join(out) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=sorted(MODES))
    ap.add_argument("--only", default="")
    ap.add_argument("--report-only", action="store_true",
                    help="write the report again from target/reliability/results")
    a = ap.parse_args()
    if a.report_only:
        saved = lib.load_result("parts") or {}
        parts, started = saved.get("parts", {}), saved.get("started", time.time())
        name = "report.md" if a.mode == "full" else "report-fast.md"
        (lib.OUT / name).write_text(report(a.mode, parts, started))
        return 0 if parts and all(p["ok"] for p in parts.values()) else 1
    started = time.time()
    lib.WORK.mkdir(parents=True, exist_ok=True)
    lib.RESULTS.mkdir(parents=True, exist_ok=True)
    for p in lib.RESULTS.glob("*.json"):
        p.unlink()
    if not lib.BIN.exists():
        print(f"binary {lib.BIN} missing (cargo build -p etalase-server --bin etalase)")
        return 2
    only = [x for x in a.only.split(",") if x] or ORDER
    if a.mode == "fast":
        lib.os.environ.setdefault("RELIABILITY_SEED_KEY", "sources")
    # the two seeds run side by side (the PostgreSQL one is only needed by the last part)
    pg_err: list = []

    def pg():
        try:
            lib.pg_template()
        except Exception as e:  # noqa: BLE001
            pg_err.append(e)
    t = threading.Thread(target=pg)
    if "load" in only:
        t.start()
    lib.seeded_template()
    parts = {}
    for name in ORDER:
        if name not in only:
            continue
        if name == "load":
            t.join()
            if pg_err:
                lib.log(f"PostgreSQL seed failed: {pg_err[0]}")
                parts[name] = {"ok": False, "seconds": 0, "returncode": -1, "log": "-",
                               "has_result": False}
                continue
        parts[name] = run_part(name, MODES[a.mode][name])
    lib.save_result("parts", {"mode": a.mode, "started": started, "parts": parts})
    text = report(a.mode, parts, started)
    name = "report.md" if a.mode == "full" else "report-fast.md"
    (lib.OUT / name).write_text(text)
    ok = all(p["ok"] for p in parts.values())
    lib.log(f"reliability {a.mode}: {'PASS' if ok else 'FAIL'} — report in {lib.OUT / name}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
