"""Part 3: kill -9 the server while (a) store imports, (b) photo uploads and (c) a burst of
agreement actions are in flight; restart and check that every acknowledged write is there,
nothing is half-saved, and after the orphan sweep (`etalase media gc --grace-minutes 0`, server
stopped) no file under DATA_DIR/blobs is unreferenced.

usage: crash.py [--rounds 10]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sqlite3
import sys
import threading
import time
import uuid
from pathlib import Path

import httpx

import corpus
import lib
import world

KELURAHAN = "36.73.01.1003"
LATLON = "-6.1251,106.1786"


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.acked: list[dict] = []     # writes answered 2xx before the kill
        self.inflight: list[dict] = []  # sent, no answer (connection died)
        self.refused: list[dict] = []   # answered 4xx (expected now and then: 409 races)
        self.server_errors: list[str] = []

    def add(self, kind: str, rec: dict, outcome: str):
        rec = dict(rec, kind=kind)
        with self.lock:
            {"acked": self.acked, "inflight": self.inflight, "refused": self.refused}[outcome].append(rec)


def post(c: httpx.Client, rec: Recorder, kind: str, meta: dict, method: str, url: str, **kw):
    try:
        r = c.request(method, url, **kw)
    except httpx.ConnectError:
        return None  # never sent: the server was already gone
    except httpx.HTTPError:
        rec.add(kind, meta, "inflight")
        return None
    if r.status_code >= 500:
        rec.server_errors.append(f"{kind} {method} {url} -> {r.status_code} {r.text[:300]}")
        rec.add(kind, dict(meta, status=r.status_code), "refused")
        return r
    if 200 <= r.status_code < 300:
        rec.add(kind, dict(meta, status=r.status_code, body=r.json() if r.content else None), "acked")
    else:
        rec.add(kind, dict(meta, status=r.status_code, text=r.text[:200]), "refused")
    return r


def importer(base: str, token: str, rnd_id: int, rec: Recorder, stop: threading.Event):
    with httpx.Client(base_url=base, timeout=60, headers=lib.auth(token)) as c:
        n = 0
        while not stop.is_set():
            prefix = f"K{rnd_id}X{n}X{uuid.uuid4().hex[:4].upper()}"
            rows = 200
            lines = [corpus.CSV_HEADER] + [
                f"{prefix}-{i},Gerai Impor {prefix} {i},MS,minimarket,Jl. Impor {i},{KELURAHAN},{LATLON},3"
                for i in range(rows)]
            post(c, rec, "import", {"prefix": prefix, "rows": rows}, "POST",
                 "/api/v1/stores/import", content=("\n".join(lines) + "\n").encode(),
                 headers={"content-type": "text/csv"})
            n += 1


def uploader(base: str, token: str, rnd_id: int, rec: Recorder, stop: threading.Event,
             pictures: list[bytes]):
    with httpx.Client(base_url=base, timeout=120, headers=lib.auth(token)) as c:
        k = 0
        while not stop.is_set():
            try:
                r = c.post("/api/v1/products", json=world.product_body(f"crash {rnd_id}-{k}"))
            except httpx.HTTPError:
                return
            if r.status_code != 201:
                rec.server_errors.append(f"create product -> {r.status_code} {r.text[:200]}") \
                    if r.status_code >= 500 else None
                return
            pid = r.json()["id"]
            for _ in range(3):
                if stop.is_set():
                    return
                pics = [pictures[(k + j) % len(pictures)] for j in range(2)]
                k += 2
                files = [("photos", (f"foto{j}.png", p, "image/png")) for j, p in enumerate(pics)]
                post(c, rec, "photo", {"product_id": pid, "n": len(pics)}, "POST",
                     f"/api/v1/products/{pid}/photos", files=files)


def terms(product_id: int, price: int) -> dict:
    today = dt.date.today()
    return {"items": [{"product_id": product_id, "price": price, "facings": 2}],
            "scheme": "beli_putus", "payment_term_days": 14,
            "start_date": (today + dt.timedelta(days=30)).isoformat(),
            "end_date": (today + dt.timedelta(days=400)).isoformat(),
            "delivery_schedule": "Setiap Senin pagi"}


def agreement_burst(base: str, tok: dict, w: dict, rnd_id: int, rec: Recorder,
                    stop: threading.Event):
    """Propose (chain office, for one of its stores) → counter (umkm) → accept twice at once
    (chain office; one must lose with 409) → end (chain office), over and over, on pairs of
    (store of the chain, listed product of the UMKM)."""
    pairs = [(s, p) for s in w["chain_stores"] for p in w["umkm_listed_products"]]
    hs = {r: lib.auth(tok[r]) for r in ("jaringan", "umkm")}
    with httpx.Client(base_url=base, timeout=60) as c:
        i = rnd_id * 7
        while not stop.is_set():
            store, pid = pairs[i % len(pairs)]
            i += 1
            r = post(c, rec, "agreement", {"action": "propose", "product_id": pid, "store_id": store},
                     "POST", "/api/v1/agreements", headers=hs["jaringan"],
                     json={"store_id": store, "terms": terms(pid, 20000), "note": "uji"})
            if r is None or r.status_code != 201:
                continue
            a = r.json()
            aid = a["id"]
            r = post(c, rec, "agreement", {"action": "counter", "agreement_id": aid}, "POST",
                     f"/api/v1/agreements/{aid}/counter", headers=hs["umkm"],
                     json={"version": a["version"], "terms": terms(pid, 21000), "note": "tawar"})
            if r is None or r.status_code != 200:
                continue
            v = r.json()["version"]
            results: list = []

            def accept():
                results.append(post(c, rec, "agreement", {"action": "accept", "agreement_id": aid},
                                    "POST", f"/api/v1/agreements/{aid}/accept",
                                    headers=hs["jaringan"], json={"version": v}))
            ts = [threading.Thread(target=accept) for _ in range(2)]
            [t.start() for t in ts]
            [t.join() for t in ts]
            wins = [x for x in results if x is not None and x.status_code == 200]
            if len(wins) > 1:
                rec.server_errors.append(f"agreement {aid}: both simultaneous accepts got 200")
            if not wins:
                continue
            v = wins[0].json()["version"]
            post(c, rec, "agreement", {"action": "end", "agreement_id": aid}, "POST",
                 f"/api/v1/agreements/{aid}/end", headers=hs["jaringan"],
                 json={"version": v, "note": "uji selesai"})


# ---- checks after the restart ---------------------------------------------------------------

def db(data_dir: Path) -> sqlite3.Connection:
    c = sqlite3.connect(f"file:{data_dir / 'etalase.db'}?mode=ro", uri=True, timeout=30)
    c.row_factory = sqlite3.Row
    return c


def check_round(data_dir: Path, base: str, tok: dict, rec: Recorder) -> list[str]:
    bad: list[str] = []
    con = db(data_dir)
    # (a) imports: acknowledged ones complete, in-flight ones all or nothing
    for kind_list, must in ((rec.acked, True), (rec.inflight, False), (rec.refused, False)):
        for r in kind_list:
            if r["kind"] != "import":
                continue
            n = con.execute("SELECT count(*) FROM stores WHERE code LIKE ?",
                            (r["prefix"] + "-%",)).fetchone()[0]
            if must and n != r["rows"]:
                bad.append(f"acknowledged import {r['prefix']}: {n} of {r['rows']} rows stored")
            elif not must and n not in (0, r["rows"]):
                bad.append(f"half-saved import {r['prefix']}: {n} of {r['rows']} rows")
    # (b) photos: acknowledged photo ids exist; every photo row has all its variant files
    for r in rec.acked:
        if r["kind"] != "photo":
            continue
        ids = [p["id"] for p in (r.get("body") or [])]
        for pid in ids:
            if not con.execute("SELECT 1 FROM photos WHERE id = ?", (pid,)).fetchone():
                bad.append(f"acknowledged photo {pid} of product {r['product_id']} is missing")
    blobs = data_dir / "blobs"
    for row in con.execute("SELECT id, product_id, content_hash, sizes FROM photos"):
        h = row["content_hash"]
        folder = blobs / "photos" / h[:2] / h
        files = {p.name for p in folder.glob("*")} if folder.exists() else set()
        for size in [s for s in row["sizes"].split(",") if s]:
            if not any(f.startswith(f"{size}.") and ".tmp-" not in f and not f.endswith(".type")
                       for f in files):
                bad.append(f"photo {row['id']} (product {row['product_id']}): variant {size} "
                           f"missing under {folder}")
    # (c) agreements: acknowledged proposals exist; each acknowledged action is in the history;
    # the status is the last event's
    for r in rec.acked:
        if r["kind"] != "agreement":
            continue
        body = r.get("body") or {}
        aid = body.get("id") or r.get("agreement_id")
        a = con.execute("SELECT status, version FROM agreements WHERE id = ?", (aid,)).fetchone()
        if not a:
            bad.append(f"acknowledged {r['action']} of agreement {aid}: agreement missing")
            continue
        if r["action"] != "propose":
            want = body.get("status")
            ev = con.execute("SELECT count(*) FROM agreement_events WHERE agreement_id = ? AND "
                             "to_status = ?", (aid, want)).fetchone()[0]
            if ev == 0:
                bad.append(f"acknowledged {r['action']} of agreement {aid} (-> {want}) has no "
                           "event")
            if a["version"] < body.get("version", 0):
                bad.append(f"agreement {aid}: stored version {a['version']} older than "
                           f"acknowledged {body.get('version')}")
    for a in con.execute("SELECT a.id, a.status, (SELECT to_status FROM agreement_events e WHERE "
                         "e.agreement_id = a.id ORDER BY e.id DESC LIMIT 1) AS last FROM "
                         "agreements a"):
        if a["last"] is not None and a["last"] != a["status"]:
            bad.append(f"agreement {a['id']}: status {a['status']} but last event -> {a['last']}")
    con.close()
    # and through the API: acknowledged photos are served
    with httpx.Client(base_url=base, timeout=60, headers=lib.auth(tok["umkm"])) as c:
        seen = set()
        for r in rec.acked:
            if r["kind"] != "photo" or r["product_id"] in seen:
                continue
            seen.add(r["product_id"])
            p = c.get(f"/api/v1/products/{r['product_id']}")
            if p.status_code != 200:
                bad.append(f"product {r['product_id']} with acknowledged photos -> {p.status_code}")
                continue
            got = {ph["id"] for ph in p.json().get("photos", [])}
            want = {ph["id"] for ph in (r.get("body") or [])}
            if not want <= got:
                bad.append(f"product {r['product_id']}: photos {sorted(want - got)} acknowledged, "
                           "not listed")
            for ph in p.json().get("photos", [])[:1]:
                for v in ph.get("variants", [])[:1]:
                    url = v.get("webp_url") or v.get("jpeg_url")
                    if url and c.get(url).status_code != 200:
                        bad.append(f"photo {ph['id']}: {url} not served")
    return bad


def orphan_files(data_dir: Path) -> list[str]:
    """Files under blobs/ that no row references (a variant or its .type sidecar)."""
    con = db(data_dir)
    hashes = {r[0] for r in con.execute("SELECT content_hash FROM photos")}
    hashes |= {r[0] for r in con.execute("SELECT content_hash FROM inspection_photos")}
    docs = {r[0] for r in con.execute("SELECT document_key FROM certificates WHERE document_key "
                                      "IS NOT NULL")}
    con.close()
    root = data_dir / "blobs"
    out = []
    for p in root.rglob("*"):
        if p.is_dir():
            continue
        key = p.relative_to(root).as_posix()
        base = key[:-5] if key.endswith(".type") else key
        if base.startswith("photos/"):
            parts = base.split("/")
            if len(parts) >= 4 and parts[2] in hashes and ".tmp-" not in parts[3]:
                continue
        elif base in docs:
            continue
        out.append(key)
    return out


def same_photo_race(base: str, tok: dict, data_dir: Path, tries: int = 3) -> dict:
    """Before the kills: the same picture uploaded to 4 drafts at once (content-addressed, so
    the 4 uploads write the same blob keys). Every upload must succeed and every stored variant
    must be the format its name says."""
    statuses, problems = [], []
    h = lib.auth(tok["umkm"])
    with httpx.Client(base_url=base, timeout=120, headers=h) as c:
        for k in range(tries):
            pic = corpus.png_small(1200, 900, seed=900 + k)
            pids = [c.post("/api/v1/products", json=world.product_body(f"sama {k}-{j}")).json()["id"]
                    for j in range(4)]
            res: list = []

            def up(pid):
                with httpx.Client(base_url=base, timeout=120, headers=h) as cc:
                    r = cc.post(f"/api/v1/products/{pid}/photos",
                                files=[("photos", ("sama.png", pic, "image/png"))])
                    res.append((pid, r.status_code, r.text[:200]))
            ts = [threading.Thread(target=up, args=(p,)) for p in pids]
            [t.start() for t in ts]
            [t.join() for t in ts]
            for pid, st, text in res:
                statuses.append(st)
                if st >= 500:
                    problems.append(f"same picture to 4 drafts at once (UMKM): POST "
                                    f"/api/v1/products/{pid}/photos -> {st} {text}")
    for f in (data_dir / "blobs" / "photos").rglob("*"):
        if not f.is_file() or f.name.endswith(".type"):
            continue
        b = f.read_bytes()[:12]
        if (f.suffix == ".jpg" and not b.startswith(b"\xff\xd8")) or (
                f.suffix == ".webp" and not (b[:4] == b"RIFF" and b[8:12] == b"WEBP")):
            problems.append(f"{f.relative_to(data_dir)} is not the format its name says")
    return {"uploads": len(statuses), "statuses": statuses, "problems": problems}


def run(rounds: int) -> dict:
    data = lib.fresh_data_dir("crash")
    srv = lib.Server(data, "crash")
    srv.start()
    tok = lib.tokens(srv.url)
    w = world.discover(srv.url, tok)
    w["chain_stores"] = [sid for sid, ch in w["stores"].items() if ch == w["chain_id"]]
    pictures = [corpus.png_small(640, 480, seed=s) for s in range(6)]
    result: dict = {"rounds": [], "rounds_requested": rounds}
    problems: list[str] = []
    race = same_photo_race(srv.url, tok, data)
    result["same_photo_race"] = race
    problems += race["problems"]
    lib.log(f"same picture uploaded to 4 drafts at once: statuses {race['statuses']}")
    seen_orphans: set[str] = set()
    try:
        for i in range(rounds):
            if not srv.alive():
                srv.start()
            rec = Recorder()
            stop = threading.Event()
            threads = [threading.Thread(target=importer, args=(srv.url, tok["jaringan"], i * 10 + j, rec, stop))
                       for j in range(2)]
            threads += [threading.Thread(target=uploader, args=(srv.url, tok["umkm"], i * 10 + j, rec, stop,
                                                                [pictures[(i + j) % 6], pictures[(i + j + 3) % 6]]))
                        for j in range(2)]
            threads += [threading.Thread(target=agreement_burst, args=(srv.url, tok, w, i * 7 + j, rec, stop))
                        for j in range(3)]
            [t.start() for t in threads]
            delay = random.Random(i).uniform(2.0, 6.0)
            time.sleep(delay)
            srv.kill9()
            stop.set()
            [t.join(timeout=120) for t in threads]
            # restart on the same data dir; everything acknowledged must be there
            srv.start()
            bad = check_round(data, srv.url, tok, rec)
            srv.stop()
            gc = lib.cli(["media", "gc", "--grace-minutes", "0"], data, config=srv.config_path)
            orphans = orphan_files(data)
            counts = {}
            for lst, name in ((rec.acked, "acked"), (rec.inflight, "inflight"), (rec.refused, "refused")):
                for r in lst:
                    key = r["kind"] if r["kind"] != "agreement" else f"agreement {r['action']}"
                    counts.setdefault(key, {}).setdefault(name, 0)
                    counts[key][name] += 1
            samples = {}
            for r in rec.refused:
                key = r["kind"] if r["kind"] != "agreement" else f"agreement {r['action']}"
                samples.setdefault(key, f"{r.get('status')} {r.get('text', '')[:160]}")
            rr = {"round": i + 1, "refused_samples": samples, "kill_after_s": round(delay, 2), "writes": counts,
                  "server_errors": rec.server_errors[:10], "violations": bad[:20],
                  "gc": gc.stdout.strip().splitlines()[-1:] if gc.stdout.strip() else [],
                  "orphans_after_gc": orphans[:20], "orphan_count": len(orphans)}
            result["rounds"].append(rr)
            lib.log(f"crash round {i + 1}/{rounds}: killed after {delay:.1f}s, writes {counts}, "
                    f"violations {len(bad)}, 5xx {len(rec.server_errors)}, orphans {len(orphans)}")
            problems += [f"round {i + 1}: {b}" for b in bad]
            problems += [f"round {i + 1}: 5xx {e}" for e in rec.server_errors]
            problems += [f"round {i + 1}: orphan blob file after sweep: {o}" for o in orphans
                         if o not in seen_orphans]
            seen_orphans.update(orphans)
    finally:
        srv.stop()
    result["problems"] = problems
    result["ok"] = not problems
    return result


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=10)
    a = ap.parse_args()
    res = run(a.rounds)
    lib.save_result("crash", res)
    for p in res["problems"][:50]:
        print("  FAIL", p)
    sys.exit(0 if res["ok"] else 1)
