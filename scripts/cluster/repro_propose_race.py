"""Reproduction: the same agreement proposal (one store, one product) sent N times at once.
`propose` checks "already placed or being negotiated" and then inserts, with nothing in the
database to stop a second insert in between, so several proposals can all be answered 201 —
two open agreements for one store and product.

usage: repro_propose_race.py BASE_URL [BASE_URL …] [--tries 10] [--at-once 2]
  e.g. against `make run`: repro_propose_race.py http://127.0.0.1:8080
  or two instances of one database: repro_propose_race.py http://127.0.0.1:19001 http://127.0.0.1:19002
Exit status 1 when some store and product got more than one agreement.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

import httpx

import importlib.util
from pathlib import Path

import cluster as cl  # noqa: F401  (puts scripts/reliability on the path)
from cluster import lib
import world

# scripts/cluster/run.py by path (scripts/reliability/run.py is another module named `run`)
_spec = importlib.util.spec_from_file_location("cluster_run", Path(__file__).with_name("run.py"))
workload = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(workload)


async def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("bases", nargs="+")
    ap.add_argument("--tries", type=int, default=10)
    ap.add_argument("--at-once", type=int, default=2)
    a = ap.parse_args()
    base = a.bases[0]
    tok = {"anonymous": None, **{r: lib.login(base, r) for r in ("umkm", "dinas", "toko",
                                                                   "jaringan", "admin")}}
    w = world.discover(base, tok)
    products = w["umkm_listed_products"]
    stores = [s for s, c in w["stores"].items() if c == w.get("chain_id")]
    doubles = 0
    async with httpx.AsyncClient(timeout=60) as c:
        tried = 0
        for store in stores:
            for product in products:
                if tried >= a.tries:
                    break
                body = {"store_id": store, "terms": workload.terms(product)}
                rs = await asyncio.gather(*[
                    c.post(a.bases[k % len(a.bases)] + "/api/v1/agreements", json=body,
                           headers=lib.auth(tok["umkm"])) for k in range(a.at_once)])
                codes = [r.status_code for r in rs]
                if 409 in codes and 201 not in codes:
                    continue  # taken before this run
                tried += 1
                ids = [r.json()["id"] for r in rs if r.status_code == 201]
                if len(ids) > 1:
                    doubles += 1
                print(f"store {store} product {product}: {codes} agreements {ids}")
    print(f"{doubles} of {tried} simultaneous proposals produced more than one agreement")
    return 1 if doubles else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
