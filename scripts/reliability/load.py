"""Part 5: 64 clients mixing reads and writes on PostgreSQL for N seconds. Fails on any 5xx or
connection error, and on any acknowledged create (2xx) that cannot be read back afterwards.

usage: load.py [--seconds 60] [--clients 64]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
import uuid
from collections import Counter, defaultdict

import httpx

import lib
import world

KELURAHAN = "36.73.01.1003"


def product_body(i: str) -> dict:
    # The suite's one product body, named for the load test.
    return {**world.product_body(i), "name": f"Keripik Uji Beban {i}",
            "description": "Produk uji beban: keripik singkong renyah."}


class Stats:
    def __init__(self):
        self.latencies: list[float] = []
        self.op_lat: dict[str, list[float]] = defaultdict(list)
        self.by_op: dict[str, Counter] = defaultdict(Counter)
        self.errors: list[str] = []
        self.unexpected: list[str] = []
        self.created: dict[str, list[int]] = defaultdict(list)
        self.patched: list[tuple[int, str]] = []


async def call(client: httpx.AsyncClient, st: Stats, op: str, method: str, url: str,
               token: str | None, ok=(200, 201, 204), expected_4xx=(), **kw):
    t0 = time.perf_counter()
    try:
        r = await client.request(method, url, headers=lib.auth(token), **kw)
    except httpx.HTTPError as e:
        st.latencies.append(time.perf_counter() - t0)
        st.op_lat[op].append(time.perf_counter() - t0)
        st.by_op[op]["conn_error"] += 1
        st.errors.append(f"{op} {method} {url}: {type(e).__name__}: {e}")
        return None
    st.latencies.append(time.perf_counter() - t0)
    st.op_lat[op].append(time.perf_counter() - t0)
    st.by_op[op][r.status_code] += 1
    if r.status_code >= 500:
        st.errors.append(f"{op} {method} {url}: {r.status_code} {r.text[:300]}")
    elif r.status_code not in ok and r.status_code not in expected_4xx:
        st.unexpected.append(f"{op} {method} {url}: {r.status_code} {r.text[:200]}")
    return r


async def client_loop(cid: int, base: str, tok: dict, w: dict, st: Stats, deadline: float):
    rnd = random.Random(cid)
    published = w["published_products"]
    umkm_products: list[int] = list(w["umkm_products"])
    async with httpx.AsyncClient(base_url=base, timeout=30) as c:
        while time.time() < deadline:
            x = rnd.random()
            if x < 0.20:
                q = rnd.choice(["keripik", "emping", "kopi", "sambal", "kerupuk", "dodol", "madu"])
                await call(c, st, "search", "GET", f"/api/v1/search/products?q={q}", None)
            elif x < 0.38:
                await call(c, st, "catalog list", "GET",
                           f"/api/v1/catalog?page={rnd.randint(1, 20)}", None)
            elif x < 0.50:
                await call(c, st, "catalog read", "GET",
                           f"/api/v1/catalog/{rnd.choice(published)}", None)
            elif x < 0.58:
                await call(c, st, "products list (umkm)", "GET", "/api/v1/products",
                           tok["umkm"])
            elif x < 0.64:
                await call(c, st, "stores list (jaringan)", "GET", "/api/v1/stores",
                           tok["jaringan"])
            elif x < 0.69:
                await call(c, st, "agreements list (toko)", "GET", "/api/v1/agreements",
                           tok["toko"])
            elif x < 0.72:
                await call(c, st, "compliance summary (dinas)", "GET",
                           "/api/v1/compliance/summary", tok["dinas"])
            elif x < 0.82:
                # write: a new draft product
                r = await call(c, st, "create product (umkm)", "POST", "/api/v1/products",
                               tok["umkm"], json=product_body(uuid.uuid4().hex[:8]))
                if r is not None and r.status_code == 201:
                    pid = r.json()["id"]
                    st.created["product"].append(pid)
                    umkm_products.append(pid)
            elif x < 0.90:
                # write: edit one of the UMKM's drafts (409 on a stale version is correct)
                pid = rnd.choice(umkm_products) if umkm_products else None
                if pid is None:
                    continue
                r = await call(c, st, "read product (umkm)", "GET", f"/api/v1/products/{pid}",
                               tok["umkm"])
                if r is None or r.status_code != 200:
                    continue
                p = r.json()
                if p.get("status") not in ("draft", "rejected"):
                    continue
                desc = f"Deskripsi uji beban {uuid.uuid4().hex[:10]}"
                r = await call(c, st, "patch product (umkm)", "PATCH", f"/api/v1/products/{pid}",
                               tok["umkm"], expected_4xx=(409,),
                               json={"version": p["version"], "description": desc})
                if r is not None and r.status_code == 200:
                    st.patched.append((pid, r.json().get("version")))
            elif x < 0.96:
                code = f"RL-{uuid.uuid4().hex[:8].upper()}"
                body = {"code": code, "name": f"Gerai Uji {code}", "chain_code": "MS",
                        "format": "minimarket", "address": "Jl. Uji Beban 1",
                        "kelurahan_code": KELURAHAN, "lat": -6.1251, "lon": 106.1786,
                        "local_facings": 5}
                r = await call(c, st, "create store (dinas)", "POST", "/api/v1/stores",
                               tok["dinas"], json=body)
                if r is not None and r.status_code == 201:
                    st.created["store"].append(r.json()["id"])
            else:
                pid = rnd.choice(published)
                r = await call(c, st, "shortlist add (toko)", "POST",
                               f"/api/v1/stores/{w['toko_store']}/shortlist", tok["toko"],
                               expected_4xx=(409, 422), json={"product_id": pid})
                if r is not None and r.status_code in (200, 201, 204):
                    st.created["shortlist"].append(pid)


async def verify(base: str, tok: dict, st: Stats) -> list[str]:
    lost = []
    sem = asyncio.Semaphore(16)
    async with httpx.AsyncClient(base_url=base, timeout=60) as c:
        async def one(path, token, label):
            async with sem:
                r = await c.get(path, headers=lib.auth(token))
                if r.status_code != 200:
                    lost.append(f"{label}: GET {path} -> {r.status_code}")
        tasks = [one(f"/api/v1/products/{i}", tok["umkm"], "product") for i in st.created["product"]]
        tasks += [one(f"/api/v1/stores/{i}", tok["dinas"], "store") for i in st.created["store"]]
        await asyncio.gather(*tasks)
        if st.created["shortlist"]:
            r = await c.get("/api/v1/stores/%d/shortlist" % world.cache["toko_store"],
                            headers=lib.auth(tok["toko"]))
            have = {x.get("product_id") for x in r.json()} if r.status_code == 200 else set()
            for pid in set(st.created["shortlist"]):
                if pid not in have:
                    lost.append(f"shortlist add of product {pid} to store "
                                f"{world.cache['toko_store']} acknowledged (204), not listed by "
                                "GET /stores/{id}/shortlist")
        # the latest acknowledged version of each patched product is the one stored (or newer)
        latest: dict[int, int] = {}
        for pid, v in st.patched:
            latest[pid] = max(latest.get(pid, 0), v or 0)
        for pid, v in latest.items():
            r = await c.get(f"/api/v1/products/{pid}", headers=lib.auth(tok["umkm"]))
            if r.status_code != 200 or r.json().get("version", 0) < v:
                lost.append(f"patch of product {pid}: acknowledged version {v}, stored "
                            f"{r.status_code} {r.json().get('version') if r.status_code == 200 else ''}")
    return lost


def run(seconds: int, clients: int) -> dict:
    dbname = "etalase_rel_load"
    result: dict = {"clients": clients, "seconds": seconds, "database": "postgresql"}
    url, data = lib.pg_fresh(dbname)
    try:
        srv = lib.Server(data, "load-pg", database_url=url)
        srv.start()
        try:
            tok = lib.tokens(srv.url)
            w = world.discover(srv.url, tok)
            st = Stats()
            lib.log(f"load: {clients} clients for {seconds}s on PostgreSQL ({srv.url})")
            t0 = time.time()
            deadline = t0 + seconds

            async def main():
                await asyncio.gather(*[client_loop(i, srv.url, tok, w, st, deadline)
                                       for i in range(clients)])
            asyncio.run(main())
            elapsed = time.time() - t0
            lost = asyncio.run(verify(srv.url, tok, st))
            n = len(st.latencies)
            result.update({
                "requests": n,
                "elapsed_s": round(elapsed, 1),
                "rps": round(n / elapsed, 1),
                "p50_ms": round(lib.percentile(st.latencies, 50) * 1000, 1),
                "p99_ms": round(lib.percentile(st.latencies, 99) * 1000, 1),
                "max_ms": round(max(st.latencies, default=0) * 1000, 1),
                "errors": len(st.errors),
                "error_samples": st.errors[:20],
                "unexpected_4xx": len(st.unexpected),
                "unexpected_samples": st.unexpected[:20],
                "by_op": {k: {"statuses": {str(a): b for a, b in v.items()},
                              "p50_ms": round(lib.percentile(st.op_lat[k], 50) * 1000, 1),
                              "p99_ms": round(lib.percentile(st.op_lat[k], 99) * 1000, 1)}
                          for k, v in st.by_op.items()},
                "acknowledged_creates": {k: len(v) for k, v in st.created.items()},
                "acknowledged_patches": len(st.patched),
                "lost_writes": len(lost),
                "lost_samples": lost[:20],
                "server_alive": srv.alive() and srv.healthy(),
                "peak_rss_mb": round(srv.vm_hwm_kb() / 1024, 1),
            })
        finally:
            srv.stop()
    finally:
        lib.pg_drop(dbname)
    result["ok"] = (result.get("errors", 1) == 0 and result.get("lost_writes", 1) == 0
                    and result.get("server_alive", False))
    return result


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--clients", type=int, default=64)
    a = ap.parse_args()
    res = run(a.seconds, a.clients)
    lib.save_result("load", res)
    lib.log(f"load: {res.get('requests')} requests, {res.get('rps')} req/s, p50 "
            f"{res.get('p50_ms')} ms, p99 {res.get('p99_ms')} ms, errors {res.get('errors')}, "
            f"lost {res.get('lost_writes')}")
    sys.exit(0 if res["ok"] else 1)
