"""Part 1: schemathesis against the served OpenAPI document (/api/openapi.json), once per role
(bearer token from POST /api/v1/auth/login) and anonymously, on a copy of the demo data.
Fails on any 5xx, connection error, or response that breaks the documented schema or content
type.

By design, and said in the report:
- POST /api/v1/auth/login gets its own small run (anonymous, few cases): the login throttle
  (5 failures per account, x4 per address) answers 429 after a few wrong passwords, which is
  the documented behaviour, and more cases would only test the throttle.
- POST /api/v1/auth/logout is left out of the role runs (it ends the very token the run uses,
  every later case would be 401) and gets its own small run per role with a throwaway token.

usage: fuzz.py [--examples N] [--max-time S]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx

import lib

CHECKS = "not_a_server_error,response_schema_conformance,content_type_conformance"
ST = Path(sys.executable).with_name("st")
PHASES = "examples,coverage,fuzzing"


def st_run(srv: lib.Server, label: str, token: str | None, args: list[str],
           timeout: float) -> dict:
    rep = lib.WORK / "fuzz" / label
    rep.mkdir(parents=True, exist_ok=True)
    ndjson = rep / "events.ndjson"
    ndjson.unlink(missing_ok=True)
    cmd = [str(ST), "run", f"{srv.url}/api/openapi.json", "--checks", CHECKS,
           "--phases", PHASES, "--seed", "20240601",
           "--generation-database", "none", "--no-color", "--workers", "2",
           "--request-timeout", "60", "--report", "ndjson,junit",
           "--report-dir", str(rep), "--report-ndjson-path", str(ndjson),
           "--report-junit-path", str(rep / "junit.xml"), "--output-truncate", "true",
           "--suppress-health-check", "all", "--continue-on-failure", *args]
    if token:
        cmd += ["-H", f"Authorization: Bearer {token}"]
    t0 = time.time()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                           env=dict(os.environ, SCHEMATHESIS_HOOKS=""))
        out, rc = p.stdout + p.stderr, p.returncode
    except subprocess.TimeoutExpired as e:
        out, rc = (e.stdout or b"").decode() if isinstance(e.stdout, bytes) else (e.stdout or ""), -1
    (rep / "output.txt").write_text(out)
    stats = parse_ndjson(ndjson)
    stats.update({"label": label, "returncode": rc, "seconds": round(time.time() - t0, 1),
                  "output": str(rep / "output.txt")})
    return stats


def _repro(inter: dict) -> str:
    req = inter.get("request") or {}
    body = req.get("body")
    text = ""
    if isinstance(body, dict) and "$base64" in body:
        import base64
        raw = base64.b64decode(body["$base64"])
        text = raw[:300].decode("utf-8", "replace")
    elif body is not None:
        text = str(body)[:300]
    ct = (req.get("headers") or {}).get("Content-Type") or (req.get("headers") or {}).get("content-type")
    resp = inter.get("response") or {}
    out = f"{req.get('method')} {req.get('uri')}"
    if ct:
        out += f" [{ct[0] if isinstance(ct, list) else ct}]"
    if text:
        out += f" body={text!r}"
    if resp:
        content = resp.get("content") or {}
        rtext = ""
        if isinstance(content, dict) and "$base64" in content:
            import base64
            rtext = base64.b64decode(content["$base64"])[:300].decode("utf-8", "replace")
        out += f" -> {resp.get('status_code')} {rtext}"
    return out


def parse_ndjson(path: Path) -> dict:
    """Counts test cases (requests sent) and failures from schemathesis's ndjson events."""
    cases = 0
    statuses: Counter = Counter()
    failures: list[dict] = []
    errors: list[str] = []
    ops = set()
    if not path.exists():
        return {"cases": 0, "statuses": {}, "failures": [], "failure_count": 0,
                "errors": ["no ndjson report"], "operations": 0}
    with path.open() as fh:
        for line in fh:
            try:
                ev = json.loads(line)
            except json.JSONDecodeError:
                continue
            for kind, body in ev.items():
                if kind == "ScenarioFinished":
                    rec = body.get("recorder") or {}
                    label = rec.get("label")
                    interactions = rec.get("interactions") or {}
                    if label and interactions:
                        ops.add(label)
                    cases += len(interactions)
                    for inter in interactions.values():
                        resp = inter.get("response") or {}
                        if resp.get("status_code"):
                            statuses[resp["status_code"]] += 1
                    for case_id, checks in (rec.get("checks") or {}).items():
                        for ch in checks:
                            if ch.get("status") != "failure":
                                continue
                            f = (ch.get("failure_info") or {}).get("failure") or {}
                            inter = interactions.get(case_id) or {}
                            failures.append({
                                "operation": label,
                                "check": ch.get("name"),
                                "title": f.get("title"),
                                "message": (f.get("message") or "")[:400],
                                "repro": _repro(inter) if inter else "",
                            })
                elif kind == "NonFatalError":
                    v = body.get("value") or {}
                    msg = (v.get("message") or "") if isinstance(v, dict) else str(v)
                    last = msg.strip().splitlines()[-1] if msg.strip() else ""
                    errors.append(f"{body.get('label', '')} ({body.get('phase', '')}): "
                                  f"{v.get('type', '') if isinstance(v, dict) else ''}: "
                                  f"{msg.splitlines()[0] if msg else ''} {last}"[:400])
                elif kind == "FatalError":
                    errors.append("fatal: " + str(body.get("exception", body))[:500])
    uniq: dict = {}
    for f in failures:
        key = (f["operation"], f["check"], f["title"])
        if key in uniq:
            uniq[key]["count"] += 1
        else:
            uniq[key] = dict(f, count=1)
    return {"cases": cases, "statuses": {str(k): v for k, v in sorted(statuses.items())},
            "failures": list(uniq.values()), "failure_count": len(failures), "errors": errors,
            "operations": len(ops)}


def run(examples: int, max_time: float, quick: bool = False) -> dict:
    data = lib.fresh_data_dir("fuzz")
    srv = lib.Server(data, "fuzz")
    srv.start()
    runs = []
    problems = []
    try:
        spec = httpx.get(f"{srv.url}/api/openapi.json", timeout=30).json()
        (lib.WORK / "openapi.json").write_text(json.dumps(spec, indent=1))
        n_ops = sum(1 for p in spec["paths"].values() for m in p if m in
                    ("get", "post", "put", "patch", "delete"))
        tok = lib.tokens(srv.url)
        excl = ["--exclude-path", "/api/v1/auth/login", "--exclude-path", "/api/v1/auth/logout"]
        for role in lib.ROLES:
            lib.log(f"fuzz: schemathesis as {role} ({examples} examples per operation)")
            if not srv.alive():
                srv.start()
                tok = lib.tokens(srv.url)
            r = st_run(srv, role, tok[role], ["--max-examples", str(examples), *excl], max_time)
            r["role"] = role
            runs.append(r)
            lib.log(f"fuzz {role}: {r['cases']} cases, {len(r['failures'])} distinct failures, "
                    f"rc {r['returncode']}, {r['seconds']}s")
            if not srv.alive():
                problems.append(f"server died during the {role} run")
        if quick:
            alive = srv.alive() and srv.healthy()
            return finish(runs, problems, n_ops, examples, alive)
        # login: a few cases, anonymous (the throttle is by design)
        r = st_run(srv, "login", None, ["--max-examples", "5", "--include-path",
                                        "/api/v1/auth/login"], 600)
        r["role"] = "anonymous (login only)"
        runs.append(r)
        # logout: a throwaway token per role
        for role in lib.LOGINS:
            t = lib.login(srv.url, role)
            r = st_run(srv, f"logout-{role}", t, ["--max-examples", "3", "--include-path",
                                                 "/api/v1/auth/logout"], 600)
            r["role"] = f"{role} (logout only)"
            runs.append(r)
        alive = srv.alive() and srv.healthy()
    finally:
        srv.stop()
    return finish(runs, problems, n_ops, examples, alive)


def finish(runs, problems, n_ops, examples, alive) -> dict:
    total = sum(r["cases"] for r in runs)
    for r in runs:
        for f in r["failures"]:
            problems.append(f"{r['role']}: {f['operation']}: {f['check']}: {f['title']}")
        for e in r["errors"]:
            problems.append(f"{r['role']}: error: {e}")
    return {"operations": n_ops, "examples_per_operation": examples, "phases": PHASES, "runs": runs,
            "total_cases": total, "server_alive": alive, "problems": problems,
            "ok": not problems and alive}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--examples", type=int, default=25)
    ap.add_argument("--max-time", type=float, default=1800)
    ap.add_argument("--min-cases", type=int, default=0)
    ap.add_argument("--phases", default=PHASES)
    ap.add_argument("--quick", action="store_true", help="no separate login/logout runs")
    a = ap.parse_args()
    PHASES = a.phases
    res = run(a.examples, a.max_time, a.quick)
    res["min_cases"] = a.min_cases
    if res["total_cases"] < a.min_cases:
        res["ok"] = False
        res["problems"].append(f"only {res['total_cases']} cases run, wanted {a.min_cases}")
    lib.save_result("fuzz", res)
    lib.log(f"fuzz: {res['total_cases']} cases in all, {len(res['problems'])} problems")
    sys.exit(0 if res["ok"] else 1)
