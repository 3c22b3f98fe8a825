"""Finds ids in the demo data through the API: the UMKM's own business and products, another
producer's, the store manager's store, stores of the same and of another chain, agreements,
standards. Cached per server in `cache`."""

from __future__ import annotations

import httpx

import lib

cache: dict = {}


def product_body(name: str) -> dict:
    return {
        "name": f"Emping Uji {name}"[:80],
        "category": "makanan-ringan",
        "description": "Emping melinjo Taktakan, digoreng dengan bumbu pedas.",
        "net_content": 250,
        "net_unit": "g",
        "pack_size": 1,
        "packaging": "standing_pouch",
        "shelf_life_days": 180,
        "storage": "ambient",
        "wholesale_price": 22000,
        "retail_price": 28000,
        "min_order": 10,
        "monthly_capacity": 500,
    }


def all_pages(c: httpx.Client, path: str, token: str | None, limit: int = 2000) -> list[dict]:
    out: list[dict] = []
    page = 1
    sep = "&" if "?" in path else "?"
    while len(out) < limit:
        r = c.get(f"{path}{sep}page={page}&per_page=100", headers=lib.auth(token))
        r.raise_for_status()
        j = r.json()
        items = j["items"] if isinstance(j, dict) else j
        out += items
        total = j.get("total", len(out)) if isinstance(j, dict) else len(out)
        if not items or len(out) >= total:
            break
        page += 1
    return out


def discover(base: str, tok: dict) -> dict:
    w: dict = {}
    with httpx.Client(base_url=base, timeout=60) as c:
        me = c.get("/api/v1/me", headers=lib.auth(tok["umkm"])).json()
        w["umkm_producer"] = me["producer"]["id"]
        own = all_pages(c, "/api/v1/products", tok["umkm"])
        w["umkm_products"] = [p["id"] for p in own]
        w["umkm_drafts"] = [p["id"] for p in own if p["status"] in ("draft", "rejected")]
        catalog = all_pages(c, "/api/v1/catalog", None, limit=400)
        w["published_products"] = [p["id"] for p in catalog]
        listed = set(w["published_products"])
        w["umkm_listed_products"] = [p["id"] for p in own if p["status"] == "published"
                                     and (p["id"] in listed or True)]
        toko_me = c.get("/api/v1/me", headers=lib.auth(tok["toko"])).json()["user"]
        stores_toko = all_pages(c, "/api/v1/stores", tok["toko"])
        w["toko_store"] = toko_me.get("store_id") or stores_toko[0]["id"]
        jar_me = c.get("/api/v1/me", headers=lib.auth(tok["jaringan"])).json()["user"]
        w["chain_id"] = jar_me.get("chain_id")
        stores_all = all_pages(c, "/api/v1/stores", tok["dinas"])
        w["stores"] = {s["id"]: s.get("chain_id") for s in stores_all}
    cache.update(w)
    return w
