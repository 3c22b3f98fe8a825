"""Part 2: the authorization matrix, generated from the route table of the served OpenAPI
document: every operation × role (anonymous, admin, dinas, umkm, toko, jaringan) × object
(the role's own object and other tenants' objects, picked from the demo data through the API).

Assertions
- anonymous on a secured operation: 401.
- a mutation on an object the role is not a party to ("foreign"): never 2xx (CRITICAL), and
  expected 403/404; the object is read back before and after (through the API as the Dinas and
  straight from its database rows) and must be unchanged.
- a mutation by a role that may not perform it at all (e.g. a UMKM verifying a business): never
  2xx, expected 403/404; database row counts unchanged for creates.
- a read of a private object the role may not see (another tenant's draft, store, agreement,
  notice, unverified business): 403/404, never 2xx.
- everything else: no 5xx, and no 401 for a signed-in role.
Foreign objects are tried first for every role; the own-object requests (which may legitimately
change or delete them) run afterwards.

usage: authz.py
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx

import corpus
import lib
import world

MUTATING = {"post", "patch", "put", "delete"}
TODAY = dt.date.today()


@dataclass
class Obj:
    name: str
    kind: str                     # producer, product, store, agreement, standard, notice, job
    ids: dict                     # path parameter -> value
    writers: set                  # roles that are a party to it (may change it)
    readers: set | None           # roles that may read it (None: no assertion)
    rows: list = field(default_factory=list)   # (table, column, value) rows to fingerprint
    api: list = field(default_factory=list)    # GET paths to fingerprint (as the Dinas)
    info: dict = field(default_factory=dict)


# Which roles may call a mutating operation at all (from the service's role checks).
ALLOWED = {
    ("post", "/api/v1/users"): {"admin"},
    ("post", "/api/v1/producers"): {"umkm"},
    ("patch", "/api/v1/producers/{id}"): {"umkm"},
    ("post", "/api/v1/producers/{id}/verify"): {"dinas"},
    ("post", "/api/v1/producers/{id}/reject"): {"dinas"},
    ("post", "/api/v1/products"): {"umkm"},
    ("patch", "/api/v1/products/{id}"): {"umkm"},
    ("delete", "/api/v1/products/{id}"): {"umkm"},
    ("post", "/api/v1/products/{id}/submit"): {"umkm", "dinas"},
    ("post", "/api/v1/products/{id}/revise"): {"umkm", "dinas"},
    ("post", "/api/v1/products/{id}/archive"): {"umkm", "dinas"},
    ("post", "/api/v1/products/{id}/publish"): {"dinas"},
    ("post", "/api/v1/products/{id}/reject"): {"dinas"},
    ("post", "/api/v1/products/{id}/certificates"): {"umkm"},
    ("delete", "/api/v1/products/{id}/certificates/{cid}"): {"umkm"},
    ("post", "/api/v1/products/{id}/photos"): {"umkm", "dinas"},
    ("patch", "/api/v1/products/{id}/photos/{photo_id}"): {"umkm", "dinas"},
    ("delete", "/api/v1/products/{id}/photos/{photo_id}"): {"umkm", "dinas"},
    ("post", "/api/v1/chains"): {"dinas", "admin"},
    ("post", "/api/v1/stores"): {"dinas", "admin", "jaringan"},
    ("post", "/api/v1/stores/import"): {"dinas", "admin", "jaringan"},
    ("patch", "/api/v1/stores/{id}"): {"dinas", "admin", "jaringan"},
    ("post", "/api/v1/stores/{id}/shortlist"): {"toko", "jaringan"},
    ("delete", "/api/v1/stores/{id}/shortlist/{product_id}"): {"toko", "jaringan"},
    ("post", "/api/v1/agreements"): {"umkm", "toko", "jaringan"},
    ("post", "/api/v1/standards"): {"dinas", "admin", "jaringan"},
    ("post", "/api/v1/standards/{id}/versions"): {"dinas", "admin", "jaringan"},
    ("post", "/api/v1/compliance/policies"): {"dinas", "admin"},
    ("post", "/api/v1/inspections"): {"dinas", "admin"},
    ("post", "/api/v1/notices"): {"dinas", "admin"},
    ("post", "/api/v1/search/reindex"): {"admin"},
}
for _a in ("accept", "counter", "reject", "withdraw", "suspend", "resume", "end"):
    ALLOWED[("post", f"/api/v1/agreements/{{id}}/{_a}")] = {"umkm", "toko", "jaringan"}

# Reads where a role outside the object's parties may read by design.
READ_ALSO = {
    # UMKM (and the Dinas, admins) see every store: a UMKM proposes agreements to stores
    # (service::retail::get refuses only retail accounts acting for other stores).
    ("get", "/api/v1/stores/{id}"): {"umkm"},
}

# Cells whose status differs from the expected 403/404 but that we accept, with the reason.
# (op, role, variant) -> reason. Keep this short: every entry hides a finding.
_BODY_REF = ("a foreign object named in the request body (not in the path) is refused as invalid "
             "input: 422 with a field error naming it; nothing is written (row counts checked)")
TOLERATED: dict[tuple[str, str, str], str] = {
    ("POST /api/v1/agreements", "umkm", "another producer's product"): _BODY_REF,
    ("POST /api/v1/stores", "jaringan", "store in another chain"): _BODY_REF,
    ("POST /api/v1/stores/import", "jaringan", "import into another chain"): _BODY_REF,
}

# Operations whose rows a refused create must not add to.
COUNT_TABLES = ["users", "producers", "products", "certificates", "photos", "chains", "stores",
                "shortlists", "agreements", "agreement_events", "standards",
                "standard_versions", "compliance_policies", "inspections", "notices"]


def kind_of(path: str) -> str | None:
    if path.startswith("/api/v1/producers/{id}"):
        return "producer"
    if path.startswith("/api/v1/products/{id}"):
        return "product"
    if path.startswith("/api/v1/catalog/{id}"):
        return "catalog"
    if path.startswith("/api/v1/stores/{id}"):
        return "store"
    if path.startswith("/api/v1/compliance/stores/{id}"):
        return "compliance_store"
    if path.startswith("/api/v1/agreements/{id}"):
        return "agreement"
    if path.startswith("/api/v1/standards/{id}"):
        return "standard"
    if path.startswith("/api/v1/standard-jobs/{id}"):
        return "job"
    if path.startswith("/api/v1/notices/{id}"):
        return "notice"
    return None


class Matrix:
    def __init__(self, srv: lib.Server, tok: dict):
        self.srv = srv
        self.tok = tok
        self.c = httpx.Client(base_url=srv.url, timeout=120, limits=lib.NO_KEEPALIVE)
        self.rows: list[dict] = []
        self.db_path = srv.data_dir / "etalase.db"
        self.png = corpus.png_small(400, 300, seed=7)

    # ---- helpers ----
    def req(self, role: str, method: str, path: str, **kw) -> httpx.Response:
        return self.c.request(method.upper(), path, headers=lib.auth(self.tok[role]), **kw)

    def get(self, role: str, path: str) -> dict:
        r = self.req(role, "get", path)
        r.raise_for_status()
        return r.json()

    def db(self):
        c = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=30)
        return c

    def fingerprint(self, o: Obj) -> dict:
        fp = {}
        for p in o.api:
            r = self.req("dinas", "get", p)
            body = r.text
            try:
                j = r.json()
                if isinstance(j, dict):
                    j.pop("actions", None)
                body = json.dumps(j, sort_keys=True)
            except ValueError:
                pass
            fp[p] = (r.status_code, body)
        con = self.db()
        for table, col, val in o.rows:
            rows = con.execute(f"SELECT * FROM {table} WHERE {col} = ? ORDER BY 1", (val,)).fetchall()
            fp[f"db:{table}.{col}={val}"] = repr(rows)
        con.close()
        return fp

    def counts(self) -> dict:
        con = self.db()
        out = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNT_TABLES}
        con.close()
        return out

    # ---- the world ----
    def setup(self) -> dict[str, Obj]:
        t = self.tok
        me = self.get("umkm", "/api/v1/me")
        u = me["producer"]["id"]
        umkm_products = world.all_pages(self.c, "/api/v1/products", t["umkm"])
        src_cert = next(cf for p in umkm_products for cf in p.get("certificates", [])
                        if cf["kind"] == "pirt")
        self.cert_body = {"kind": src_cert["kind"], "number": src_cert["number"],
                          "issuer": src_cert.get("issuer"), "issued_on": src_cert.get("issued_on"),
                          "expires_on": src_cert.get("expires_on")}
        # a fresh draft of the UMKM's, with a photo and a certificate
        own = self.req("umkm", "post", "/api/v1/products", json=world.product_body("otorisasi")).json()
        ph = self.req("umkm", "post", f"/api/v1/products/{own['id']}/photos",
                      files=[("photos", ("a.png", self.png, "image/png"))])
        assert ph.status_code == 201, ph.text
        cf = self.req("umkm", "post", f"/api/v1/products/{own['id']}/certificates",
                      json=self.cert_body)
        assert cf.status_code == 201, cf.text
        own = self.get("umkm", f"/api/v1/products/{own['id']}")
        # another producer's listed product and draft, each with photos and certificates
        catalog = world.all_pages(self.c, "/api/v1/catalog", None, limit=300)
        o_pub = None
        for p in catalog:
            full = self.get("dinas", f"/api/v1/products/{p['id']}")
            if full["producer_id"] != u and full["photos"] and full["certificates"]:
                o_pub = full
                break
        drafts = world.all_pages(self.c, "/api/v1/products?status=draft", t["dinas"], limit=300)
        o_draft = next(p for p in drafts if p["producer_id"] != u and p["photos"]
                       and p["certificates"])
        registered = world.all_pages(self.c, "/api/v1/producers?status=registered", t["dinas"])
        p_reg = next(p for p in registered if p["id"] != u)
        # stores
        toko = self.get("toko", "/api/v1/me")["user"]
        s1, chain = toko["store_id"], toko["chain_id"]
        stores = world.all_pages(self.c, "/api/v1/stores", t["dinas"])
        s2 = next(s["id"] for s in stores if s["chain_id"] == chain and s["id"] != s1)
        s3 = next(s["id"] for s in stores if s["chain_id"] not in (chain, None))
        chain_code = next(s["chain_code"] for s in stores if s["id"] == s1)
        other_chain_code = next(s["chain_code"] for s in stores if s["id"] == s3)
        store_chain = {s["id"]: s["chain_id"] for s in stores}
        # agreements
        ags = world.all_pages(self.c, "/api/v1/agreements", t["dinas"])
        a_s1 = next(a for a in ags if a["store_id"] == s1)
        a_u = next(a for a in ags if a["producer_id"] == u and store_chain.get(a["store_id"]) != chain)
        a_o = next(a for a in ags if a["producer_id"] != u and store_chain.get(a["store_id"]) != chain
                   and a["status"] in ("proposed", "countered", "active", "accepted"))
        # standards
        stds = self.get("dinas", "/api/v1/standards")
        stds = stds["items"] if isinstance(stds, dict) else stds
        sd_city = next(s for s in stds if s["chain_id"] is None)
        sd_ms = next(s for s in stds if s["chain_id"] == chain)
        sd_other = next(s for s in stds if s["chain_id"] not in (None, chain))
        self.requirements = sd_city["current_version"]["requirements"]
        # notices: one on a non-compliant store of the chain, one of another chain
        cs = world.all_pages(self.c, "/api/v1/compliance/stores", t["dinas"])
        bad = [s for s in cs if s["level"] != "patuh"]
        n_store_ms = next((s["store_id"] for s in bad if s["store_id"] == s1), None) or \
            next(s["store_id"] for s in bad if s["chain_id"] == chain)
        n_store_o = next(s["store_id"] for s in bad if s["chain_id"] not in (chain, None))
        n_ms = self.req("dinas", "post", "/api/v1/notices", json={"store_id": n_store_ms}).json()
        n_o = self.req("dinas", "post", "/api/v1/notices", json={"store_id": n_store_o}).json()
        # a standard job (a new version of the city baseline)
        v = self.req("dinas", "post", f"/api/v1/standards/{sd_city['id']}/versions",
                     json={"requirements": self.requirements,
                           "effective_from": (TODAY + dt.timedelta(days=60)).isoformat(),
                           "note": "uji otorisasi"})
        job_id = (v.json() or {}).get("job_id") if v.status_code in (200, 201) else None
        # the store's shortlist holds the other producer's listed product
        self.req("toko", "post", f"/api/v1/stores/{s1}/shortlist", json={"product_id": o_pub["id"]})

        self.ctx = {"u": u, "s1": s1, "s2": s2, "s3": s3, "chain": chain,
                    "chain_code": chain_code, "other_chain_code": other_chain_code,
                    "o_pub": o_pub["id"], "o_draft": o_draft["id"], "own_draft": own["id"],
                    "listed_own": next((p["id"] for p in umkm_products if p["status"] == "published"), None),
                    "n_store_ms": n_store_ms, "n_store_o": n_store_o}

        def prod(name, p, writers, readers):
            cid = p["certificates"][0]["id"]
            pid = p["photos"][0]["id"]
            return Obj(name, "product", {"id": p["id"], "cid": cid, "photo_id": pid,
                                         "product_id": o_pub["id"]},
                       writers, readers,
                       rows=[("products", "id", p["id"]), ("photos", "product_id", p["id"]),
                             ("certificates", "product_id", p["id"])],
                       api=[f"/api/v1/products/{p['id']}", f"/api/v1/products/{p['id']}/certificates"])

        def store(name, sid, writers):
            return Obj(name, "store", {"id": sid, "product_id": o_pub["id"]}, writers, set(writers),
                       rows=[("stores", "id", sid), ("shortlists", "store_id", sid)],
                       api=[f"/api/v1/stores/{sid}"], info={"chain": store_chain[sid]})

        def agreement(name, a, writers):
            return Obj(name, "agreement", {"id": a["id"]}, writers, writers | {"dinas", "admin"},
                       rows=[("agreements", "id", a["id"]), ("agreement_events", "agreement_id", a["id"]),
                             ("agreement_items", "agreement_id", a["id"])],
                       api=[f"/api/v1/agreements/{a['id']}", f"/api/v1/agreements/{a['id']}/events"],
                       info={"store_id": a["store_id"], "status": a["status"]})

        def standard(name, s, writers):
            return Obj(name, "standard", {"id": s["id"]}, writers, None,
                       rows=[("standards", "id", s["id"]), ("standard_versions", "standard_id", s["id"])],
                       api=[f"/api/v1/standards/{s['id']}"])

        def notice(name, n, store_id, readers):
            return Obj(name, "notice", {"id": n["id"]}, set(), readers,
                       rows=[("notices", "id", n["id"])], info={"store_id": store_id})

        objs = {
            "producer:own(umkm)": Obj("producer:own(umkm)", "producer", {"id": u}, {"umkm", "dinas"},
                                      {"umkm", "dinas", "admin", "toko", "jaringan"},
                                      rows=[("producers", "id", u)], api=[f"/api/v1/producers/{u}"]),
            "producer:other-verified": Obj("producer:other-verified", "producer", {"id": o_pub["producer_id"]},
                                           {"dinas"}, {"dinas", "admin", "toko", "jaringan"},
                                           rows=[("producers", "id", o_pub["producer_id"])],
                                           api=[f"/api/v1/producers/{o_pub['producer_id']}"]),
            "producer:other-unverified": Obj("producer:other-unverified", "producer", {"id": p_reg["id"]},
                                             {"dinas"}, {"dinas", "admin"},
                                             rows=[("producers", "id", p_reg["id"])],
                                             api=[f"/api/v1/producers/{p_reg['id']}"]),
            "product:own-draft(umkm)": prod("product:own-draft(umkm)", own, {"umkm", "dinas"},
                                            {"umkm", "dinas", "admin"}),
            "product:other-draft": prod("product:other-draft", o_draft, {"dinas"}, {"dinas", "admin"}),
            "product:other-listed": prod("product:other-listed", o_pub, {"dinas"}, None),
            "store:toko's": store("store:toko's", s1, {"toko", "jaringan", "dinas", "admin"}),
            "store:same-chain-other": store("store:same-chain-other", s2, {"jaringan", "dinas", "admin"}),
            "store:other-chain": store("store:other-chain", s3, {"dinas", "admin"}),
            "agreement:toko's-store": agreement("agreement:toko's-store", a_s1, {"toko", "jaringan"}),
            "agreement:umkm's(other chain)": agreement("agreement:umkm's(other chain)", a_u, {"umkm"}),
            "agreement:others'": agreement("agreement:others'", a_o, set()),
            "standard:city": standard("standard:city", sd_city, {"dinas", "admin"}),
            "standard:own-chain": standard("standard:own-chain", sd_ms, {"jaringan"}),
            "standard:other-chain": standard("standard:other-chain", sd_other, set()),
            "notice:own-chain": notice("notice:own-chain", n_ms, n_store_ms,
                                       {"dinas", "admin", "jaringan"} | ({"toko"} if n_store_ms == s1 else set())),
            "notice:other-chain": notice("notice:other-chain", n_o, n_store_o, {"dinas", "admin"}),
        }
        if job_id:
            objs["job:city"] = Obj("job:city", "job", {"id": job_id}, set(), None)
        self.objs = objs
        # canary: the change detector sees a change the owner makes
        o = objs["product:own-draft(umkm)"]
        before = self.fingerprint(o)
        r = self.req("umkm", "patch", f"/api/v1/products/{own['id']}",
                     json={"version": own["version"], "brand": "Merek Kanari"})
        after = self.fingerprint(o)
        self.canary = {"status": r.status_code,
                       "detected": sorted(k for k in before if before[k] != after.get(k))}
        if r.status_code != 200 or not self.canary["detected"]:
            raise RuntimeError(f"change detector canary failed: {self.canary}")
        return objs

    def targets(self, kind: str) -> list[Obj]:
        if kind in ("product", "producer", "store", "agreement", "standard", "notice", "job"):
            return [o for o in self.objs.values() if o.kind == kind]
        if kind == "catalog":
            listed = self.objs["product:other-listed"]
            draft = self.objs["product:other-draft"]
            return [Obj("catalog:listed", "catalog", listed.ids, set(), None),
                    Obj("catalog:draft", "catalog", draft.ids, set(), set())]
        if kind == "compliance_store":
            out = []
            for o in self.objs.values():
                if o.kind == "store":
                    readers = {"dinas", "admin"} | ({"jaringan"} if o.info["chain"] == self.ctx["chain"] else set())
                    out.append(Obj("compliance:" + o.name, "compliance_store", o.ids, set(), readers))
            return out
        return []

    # ---- request bodies ----
    def version_of(self, o: Obj) -> int | None:
        if not o.api:
            return None
        r = self.req("dinas", "get", o.api[0])
        try:
            return r.json().get("version")
        except ValueError:
            return None

    def terms(self, product_id: int, price: int = 20000) -> dict:
        return {"items": [{"product_id": product_id, "price": price, "facings": 2}],
                "scheme": "beli_putus", "payment_term_days": 14,
                "start_date": (TODAY + dt.timedelta(days=30)).isoformat(),
                "end_date": (TODAY + dt.timedelta(days=400)).isoformat(),
                "delivery_schedule": "Setiap Senin pagi"}

    def body(self, method: str, path: str, o: Obj | None, role: str) -> dict:
        """Keyword arguments for httpx: a valid request as far as we can make one, so that
        only the caller's rights decide the answer."""
        v = self.version_of(o) if o is not None else None
        rnd = uuid.uuid4().hex[:6].upper()
        if method == "delete":
            return {}
        if path == "/api/v1/users":
            return {"json": {"email": f"rel-{rnd.lower()}@uji.etalase.id", "password": "sandi-uji-panjang-1",
                             "display_name": "Akun Uji", "role": "dinas"}}
        if path == "/api/v1/auth/register":
            return {"json": {"email": f"rel-{rnd.lower()}@uji.etalase.id", "password": "sandi-uji-panjang-1",
                             "display_name": "Pemilik Uji"}}
        if path == "/api/v1/auth/login":
            return {"json": {"email": "umkm@demo.etalase.id", "password": lib.PASSWORD}}
        if path == "/api/v1/producers":
            b = {"name": "Usaha Uji Otorisasi", "owner_name": "Pemilik Uji", "nib": f"{uuid.uuid4().int % 10**13:013d}",
                 "capital_range": "up_to1", "risk_level": "rendah", "address": "Jl. Uji 1",
                 "kelurahan_code": "36.73.06.1001", "whatsapp": "0812-3456-7890"}
            return {"json": b}
        if path == "/api/v1/producers/{id}":
            return {"json": {"version": v, "whatsapp": "0813-0000-0000"}}
        if path.endswith("/verify"):
            return {"json": {"version": v}}
        if path == "/api/v1/producers/{id}/reject" or path == "/api/v1/products/{id}/reject":
            return {"json": {"version": v, "reason": "uji otorisasi"}}
        if path == "/api/v1/products":
            return {"json": world.product_body("otorisasi " + rnd)}
        if path == "/api/v1/products/{id}":
            return {"json": {"version": v, "description": "Diubah oleh uji otorisasi."}}
        if path.startswith("/api/v1/products/{id}/") and path.rsplit("/", 1)[1] in (
                "submit", "publish", "archive", "revise"):
            return {"json": {"version": v}}
        if path == "/api/v1/products/{id}/certificates":
            return {"json": dict(self.cert_body)}
        if path == "/api/v1/products/{id}/photos":
            return {"files": [("photos", ("uji.png", self.png, "image/png"))]}
        if path == "/api/v1/products/{id}/photos/{photo_id}":
            return {"json": {"alt_text": "diubah oleh uji otorisasi"}}
        if path == "/api/v1/chains":
            return {"json": {"code": "Z" + rnd[:3], "name": f"Jaringan Uji {rnd}", "kind": "local"}}
        if path == "/api/v1/stores":
            return {"json": self.store_json(self.ctx["chain_code"], rnd)}
        if path == "/api/v1/stores/import":
            return self.import_body(self.ctx["chain_code"], rnd)
        if path == "/api/v1/stores/{id}":
            return {"json": {"version": v, "local_facings": 7}}
        if path == "/api/v1/stores/{id}/shortlist":
            return {"json": {"product_id": self.ctx["o_pub"]}}
        if path == "/api/v1/agreements":
            if role == "umkm":
                return {"json": {"store_id": self.ctx["s1"], "terms": self.terms(self.ctx["listed_own"])}}
            return {"json": {"store_id": self.ctx["s1"], "terms": self.terms(self.ctx["o_pub"])}}
        if path.startswith("/api/v1/agreements/{id}/"):
            b = {"version": v, "note": "uji otorisasi"}
            if path.endswith("/counter"):
                items = (self.get("dinas", o.api[0]).get("items") or [{}]) if o else [{}]
                b["terms"] = self.terms(items[0].get("product_id", self.ctx["o_pub"]), 19000)
            return {"json": b}
        if path == "/api/v1/standards":
            return {"json": {"name": f"Standar Uji {rnd}", "requirements": self.requirements,
                             "effective_from": (TODAY + dt.timedelta(days=30)).isoformat()}}
        if path == "/api/v1/standards/{id}/versions":
            return {"json": {"requirements": self.requirements,
                             "effective_from": (TODAY + dt.timedelta(days=45)).isoformat(),
                             "note": "uji otorisasi"}}
        if path == "/api/v1/compliance/policies":
            return {"json": {"min_agreements": 1, "min_products": 1, "min_producers": 1,
                             "effective_from": (TODAY + dt.timedelta(days=90)).isoformat(),
                             "note": "uji"}}
        if path == "/api/v1/inspections":
            return {"json": {"store_id": self.ctx["s1"], "date": TODAY.isoformat(), "seen": [],
                             "not_seen": [], "notes": "uji"}}
        if path == "/api/v1/notices":
            return {"json": {"store_id": self.ctx["n_store_ms"]}}
        if path == "/api/v1/search/reindex":
            return {}
        return {"json": {}}

    def store_json(self, chain_code: str, rnd: str) -> dict:
        return {"code": f"RZ-{rnd}", "name": f"Gerai Uji {rnd}", "chain_code": chain_code,
                "format": "minimarket", "address": "Jl. Uji Otorisasi 1",
                "kelurahan_code": "36.73.01.1003", "lat": -6.1251, "lon": 106.1786,
                "local_facings": 5}

    def import_body(self, chain_code: str, rnd: str) -> dict:
        csv = (corpus.CSV_HEADER + "\n" +
               f"RI-{rnd},Gerai Impor Uji {rnd},{chain_code},minimarket,Jl. Uji 2,36.73.01.1003,"
               "-6.1251,106.1786,4\n")
        return {"content": csv.encode(), "headers": {"content-type": "text/csv"}}

    # ---- one cell ----
    def cell(self, op: dict, role: str, o: Obj | None, relation: str, variant: str = "",
             kwargs: dict | None = None):
        method, path = op["method"], op["path"]
        mutating = method in MUTATING
        url = path
        if o is not None:
            for k, val in o.ids.items():
                url = url.replace("{" + k + "}", str(val))
        if "{" in url:
            return  # a parameter we have no object for
        kw = kwargs if kwargs is not None else self.body(method, path, o, role)
        allowed = ALLOWED.get((method, path))
        foreign = relation == "foreign"
        readers = (o.readers | READ_ALSO.get((method, path), set())) if (o is not None and o.readers is not None) else None
        private = (not mutating and readers is not None and role not in readers
                   and role != "anonymous")
        before = self.fingerprint(o) if (mutating and o is not None and (foreign or role == "anonymous")) else None
        counts0 = self.counts() if (mutating and o is None) else None
        headers = dict(kw.pop("headers", {}) or {})
        headers.update(lib.auth(self.tok[role]))
        try:
            r = self.c.request(method.upper(), url, headers=headers, **kw)
            status, text = r.status_code, r.text[:300]
        except httpx.HTTPError as e:
            status, text = 0, f"{type(e).__name__}: {e}"
        verdict, severity, expect = "ok", "", ""
        if status == 0 or status >= 500:
            verdict, severity, expect = "FAIL", "server error", "no 5xx"
        elif role == "anonymous":
            expect = "401" if op["secured"] else "not 5xx"
            if op["secured"] and status != 401:
                verdict = "FAIL"
                severity = "CRITICAL anonymous write succeeded" if (mutating and 200 <= status < 300) else "anonymous not 401"
        elif status == 401:
            verdict, severity, expect = "FAIL", "signed-in role got 401", "not 401"
        elif mutating and (foreign or (allowed is not None and role not in allowed)):
            expect = "403/404"
            if 200 <= status < 300:
                verdict = "FAIL"
                severity = ("CRITICAL foreign object changed" if foreign else "CRITICAL role escalation")
            elif status not in (403, 404):
                verdict, severity = "FAIL", "wrong status class (expected 403/404)"
        elif private:
            expect = "403/404"
            if 200 <= status < 300:
                verdict, severity = "FAIL", "CRITICAL private object readable"
            elif status not in (403, 404):
                verdict, severity = "FAIL", "wrong status class (expected 403/404)"
        else:
            expect = "not 5xx/401"
        tol = TOLERATED.get((f"{method.upper()} {path}", role, variant))
        if verdict == "FAIL" and tol and status == 422 and not severity.startswith("CRITICAL"):
            verdict, severity = "ok", f"tolerated: {tol}"
        changed = []
        if before is not None:
            after = self.fingerprint(o)
            changed = [k for k in before if before[k] != after.get(k)]
            if changed:
                verdict, severity = "FAIL", "CRITICAL foreign object changed"
        if counts0 is not None and (role == "anonymous" or (allowed is not None and role not in allowed)
                                    or variant):
            counts1 = self.counts()
            grown = {t: counts1[t] - counts0[t] for t in counts0 if counts1[t] != counts0[t]}
            if grown:
                changed = [f"{t} +{n}" for t, n in grown.items()]
                if not (200 <= status < 300):
                    verdict, severity = "FAIL", "CRITICAL refused request still wrote rows"
        self.rows.append({"op": f"{method.upper()} {path}", "role": role,
                          "target": (o.name if o else "-") + (f" [{variant}]" if variant else ""),
                          "relation": relation, "status": status, "expect": expect,
                          "verdict": verdict, "severity": severity, "changed": changed,
                          "request": f"{method.upper()} {url}" + (
                              f" body={json.dumps(kw.get('json'))[:300]}" if kw.get("json") is not None else ""),
                          "response": text if verdict == "FAIL" else ""})

    # ---- the whole matrix ----
    def run(self, ops: list[dict]):
        own_later = []
        logout = [op for op in ops if op["path"] == "/api/v1/auth/logout"]
        ops = [op for op in ops if op["path"] != "/api/v1/auth/logout"]
        for op in ops:
            kind = kind_of(op["path"])
            for role in lib.ROLES:
                if kind is None:
                    mutating = op["method"] in MUTATING
                    allowed = ALLOWED.get((op["method"], op["path"]))
                    if mutating and role != "anonymous" and allowed is not None and role in allowed:
                        own_later.append((op, role, None, "own"))
                    else:
                        self.cell(op, role, None, "n/a" if not mutating else "wrong-role")
                    continue
                for o in self.targets(kind):
                    rel = "own" if role in o.writers else "foreign"
                    if op["method"] in MUTATING and rel == "own" and role != "anonymous":
                        own_later.append((op, role, o, rel))
                    else:
                        self.cell(op, role, o, rel)
        # objects named in the body: a store of another chain, another producer's product
        ctx = self.ctx
        ag = next(op for op in ops if op["method"] == "post" and op["path"] == "/api/v1/agreements")
        st = next(op for op in ops if op["method"] == "post" and op["path"] == "/api/v1/stores")
        im = next(op for op in ops if op["method"] == "post" and op["path"] == "/api/v1/stores/import")
        sl = next(op for op in ops if op["method"] == "post" and op["path"] == "/api/v1/stores/{id}/shortlist")
        rnd = uuid.uuid4().hex[:6].upper()
        for role in ("toko", "jaringan"):
            self.cell(ag, role, None, "foreign", "store of another chain",
                      {"json": {"store_id": ctx["s3"], "terms": self.terms(ctx["o_pub"])}})
        self.cell(ag, "toko", None, "foreign", "another store of the same chain",
                  {"json": {"store_id": ctx["s2"], "terms": self.terms(ctx["o_pub"])}})
        self.cell(ag, "umkm", None, "foreign", "another producer's product",
                  {"json": {"store_id": ctx["s1"], "terms": self.terms(ctx["o_pub"])}})
        self.cell(st, "jaringan", None, "foreign", "store in another chain",
                  {"json": self.store_json(ctx["other_chain_code"], rnd)})
        self.cell(im, "jaringan", None, "foreign", "import into another chain",
                  self.import_body(ctx["other_chain_code"], rnd + "X"))
        self.cell(sl, "toko", self.objs["store:toko's"], "foreign", "another producer's draft",
                  {"json": {"product_id": ctx["o_draft"]}})
        # own objects (may change them): deletions last
        own_later.sort(key=lambda x: (x[0]["method"] == "delete", x[0]["path"].endswith("/archive")))
        for op, role, o, rel in own_later:
            self.cell(op, role, o, rel)
        # logout last, with a throwaway token per role
        for op in logout:
            for role in lib.ROLES:
                saved = self.tok[role]
                if role != "anonymous":
                    self.tok[role] = lib.login(self.srv.url, role)
                self.cell(op, role, None, "own")
                self.tok[role] = saved


def operations(spec: dict) -> list[dict]:
    ops = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method not in ("get", "post", "patch", "put", "delete"):
                continue
            secured = bool(op.get("security", spec.get("security")))
            ops.append({"method": method, "path": path, "secured": secured})
    return ops


def run() -> dict:
    data = lib.fresh_data_dir("authz")
    srv = lib.Server(data, "authz")
    srv.start()
    try:
        spec = httpx.get(f"{srv.url}/api/openapi.json", timeout=30).json()
        ops = operations(spec)
        tok = lib.tokens(srv.url)
        m = Matrix(srv, tok)
        m.setup()
        m.run(ops)
        alive = srv.alive() and srv.healthy()
    finally:
        srv.stop()
    rows = m.rows
    fails = [r for r in rows if r["verdict"] == "FAIL"]
    critical = [r for r in fails if r["severity"].startswith("CRITICAL") or r["severity"] == "server error"]
    sev: dict = {}
    for r in fails:
        sev[r["severity"]] = sev.get(r["severity"], 0) + 1
    return {"operations": len(ops), "cells": len(rows), "roles": lib.ROLES,
            "objects": {k: {"kind": o.kind, "ids": o.ids, "writers": sorted(o.writers),
                            "readers": sorted(o.readers) if o.readers is not None else None}
                        for k, o in m.objs.items()},
            "failures": len(fails), "critical": len(critical), "by_severity": sev,
            "foreign_mutations": sum(1 for r in rows if r["relation"] == "foreign" and r["op"].split()[0] != "GET"),
            "rows": rows, "server_alive": alive, "canary": m.canary,
            "ok": not fails and alive}


if __name__ == "__main__":
    res = run()
    lib.save_result("authz", res)
    lib.log(f"authz: {res['cells']} cells over {res['operations']} operations, "
            f"{res['failures']} failures ({res['critical']} critical)")
    for r in res["rows"]:
        if r["verdict"] == "FAIL":
            print(f"  FAIL [{r['severity']}] {r['role']} {r['request']} on {r['target']} -> "
                  f"{r['status']} (expected {r['expect']}) {r['changed'] or ''} {r['response'][:160]}")
    sys.exit(0 if res["ok"] else 1)
