"""`make test-cluster`: three `etalase serve` on one PostgreSQL and one Garage bucket behind
nginx; a mixed workload for ~60 s with ~16 clients (registrations, UMKM drafts with photos and
submits, Dinas verifications and publishes, agreements, searches), a reindex and a kill -9 of one
instance in the middle; then the invariants; report in target/cluster/report.md.

usage: run.py [--seconds 60] [--clients 16]
Exit status: 0 when every invariant holds, 1 otherwise (2: the cluster could not be set up).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import random
import sys
import time
import traceback
import uuid
from collections import Counter, defaultdict

import httpx

import cluster as cl
from cluster import lib, log

sys.path.insert(0, str(cl.ROOT / "scripts/reliability"))
import corpus  # noqa: E402  (scripts/reliability/corpus.py: small valid PNGs)
import world  # noqa: E402  (scripts/reliability/world.py: demo ids, product body, paging)

QUERIES = ["keripik", "emping", "kopi", "sambal", "kerupuk", "dodol", "madu", "rengginang",
           "sate bandeng", "emping melinjo", "kripik", "gipang", "uji"]
PASSWORD = "cluster-Sandi-2026"


def producer_body(nib: str, i: str) -> dict:
    return {"name": f"Usaha Uji Klaster {i}", "owner_name": f"Pemilik {i}", "nib": nib,
            "capital_range": "up_to1", "risk_level": "rendah",
            "address": "Jl. Raya Taktakan No. 12", "kelurahan_code": "36.73.06.1001",
            "whatsapp": "0812-3456-7890"}


def terms(product_id: int) -> dict:
    today = dt.date.today()
    return {"items": [{"product_id": product_id, "price": 22000, "facings": 2}],
            "scheme": "konsinyasi", "store_margin_percent": 15, "payment_term_days": 14,
            "start_date": (today + dt.timedelta(days=14)).isoformat(),
            "end_date": (today + dt.timedelta(days=200)).isoformat(),
            "delivery_schedule": "Setiap Senin pagi", "listing_fee": 0}


class Stats:
    def __init__(self):
        self.requests = 0
        self.by_op: dict[str, Counter] = defaultdict(Counter)
        self.retries_502 = 0
        self.retried_ops: Counter = Counter()
        self.busy_503 = 0
        self.throttled_429 = 0
        self.errors: list[str] = []       # 5xx other than nginx 502 (retried), connection errors
        self.unexpected: list[str] = []   # 4xx we did not expect
        self.ambiguous: list[str] = []    # a write answered 502, then 409 on retry: done before
        self.latencies: list[float] = []
        self.events: list[str] = []


class World:
    """What the workload created and what the server acknowledged."""

    def __init__(self):
        self.users: list[dict] = []                 # {email, token, user_id}
        self.producers: dict[int, dict] = {}        # id -> {token, verified}
        self.verify_queue: list[int] = []
        self.verified_owners: list[dict] = []       # {token, producer_id}
        self.products: dict[int, dict] = {}         # id -> {token, status, photos: [..], demo}
        self.publish_queue: list[int] = []
        self.contest_publish_queue: list[int] = []
        self.listed_demo: list[int] = []            # umkm demo's published products
        self.used_pairs: set[tuple[int, int]] = set()
        self.agreements: dict[int, dict] = {}       # id -> {status, store, product, side}
        self.accept_queue: list[int] = []           # proposed by store side: umkm accepts
        self.store_accept_queue: list[int] = []     # proposed by umkm to a chain store
        self.contests: list[dict] = []
        self.photos: list[dict] = []                # {product, id, urls}


class Run:
    def __init__(self, c: cl.Cluster, seconds: int, clients: int):
        self.c = c
        self.seconds = seconds
        self.clients = clients
        self.st = Stats()
        self.w = World()
        self.tok: dict = {}
        self.demo: dict = {}
        self.pngs = [corpus.png_small(360, 270, seed=s) for s in range(64)]
        self.png_i = 0
        self.t0 = 0.0
        self.http: httpx.AsyncClient | None = None
        self.direct: httpx.AsyncClient | None = None

    # ---- requests ---------------------------------------------------------------------------

    async def req(self, op: str, method: str, path: str, token: str | None = None,
                  ok=(200, 201, 204), expect=(), base: str | None = None, write=True, **kw):
        """One request through nginx (or `base`); nginx 502s are retried and counted. Returns
        the response (None on a connection error), with `.retried` set."""
        url = (base or self.c.nginx.url) + path
        client = self.direct if base else self.http
        retried = False
        for attempt in range(30):
            t0 = time.perf_counter()
            try:
                r = await client.request(method, url, headers=lib.auth(token), **kw)
            except httpx.HTTPError as e:
                self.st.requests += 1
                self.st.by_op[op]["conn_error"] += 1
                if base:
                    raise
                self.st.errors.append(f"{op}: {method} {path}: {type(e).__name__}: {e}")
                return None
            self.st.requests += 1
            self.st.latencies.append(time.perf_counter() - t0)
            self.st.by_op[op][r.status_code] += 1
            if r.status_code == 502 and not base:
                self.st.retries_502 += 1
                self.st.retried_ops[op] += 1
                retried = True
                await asyncio.sleep(0.3)
                continue
            if r.status_code == 503 and "busy" in r.text:
                # documented back-pressure (hash queue full, Retry-After): retried, counted
                self.st.busy_503 += 1
                await asyncio.sleep(float(r.headers.get("retry-after", "1")))
                continue
            if r.status_code == 429 and op == "register" and attempt < 10:
                # every registration comes from nginx's one address: concurrent ones contend
                # for the same throttle row (refused with Retry-After 1 after 24 lost swaps)
                self.st.throttled_429 += 1
                await asyncio.sleep(float(r.headers.get("retry-after", "1")))
                continue
            r.retried = retried  # type: ignore[attr-defined]
            if r.status_code >= 500:
                self.st.errors.append(f"{op}: {method} {url} -> {r.status_code} "
                                      f"(x-request-id {r.headers.get('x-request-id')}) "
                                      f"{r.text[:300]}")
            elif r.status_code not in ok and r.status_code not in expect:
                if retried and write and r.status_code == 409:
                    self.st.ambiguous.append(f"{op}: {method} {path}: 502 then 409")
                else:
                    self.st.unexpected.append(f"{op}: {method} {path} -> {r.status_code} "
                                              f"{r.text[:240]}")
            return r
        self.st.errors.append(f"{op}: {method} {path}: still 502 after 30 tries")
        return None

    def live(self) -> list[cl.Instance]:
        return [i for i in self.c.instances if i.alive()]

    def png(self) -> bytes:
        self.png_i += 1
        return self.pngs[self.png_i % len(self.pngs)]

    # ---- workload steps ---------------------------------------------------------------------

    async def register(self, rnd: random.Random):
        tag = uuid.uuid4().hex[:10]
        email = f"klaster-{tag}@uji.etalase.id"
        r = await self.req("register", "POST", "/api/v1/auth/register",
                           json={"email": email, "password": PASSWORD,
                                 "display_name": f"Pelaku Uji {tag}"})
        if r is None:
            return
        if r.status_code == 409 and r.retried:
            r = await self.req("login (after 502)", "POST", "/api/v1/auth/login",
                               json={"email": email, "password": PASSWORD})
            if r is None or r.status_code != 200:
                return
        elif r.status_code != 201:
            return
        j = r.json()
        u = {"email": email, "token": j["token"], "user_id": j["user"]["id"]}
        self.w.users.append(u)
        nib = f"{rnd.randrange(10**12, 10**13):013d}"
        r = await self.req("create producer", "POST", "/api/v1/producers", u["token"],
                           json=producer_body(nib, tag))
        if r is not None and r.status_code == 201:
            pid = r.json()["id"]
            self.w.producers[pid] = {"token": u["token"], "verified": False}
            self.w.verify_queue.append(pid)

    async def verify(self, rnd):
        if not self.w.verify_queue:
            return await self.search(rnd)
        pid = self.w.verify_queue.pop(0)
        r = await self.req("verify producer", "POST", f"/api/v1/producers/{pid}/verify",
                           self.tok["dinas"])
        if r is not None and r.status_code == 200:
            self.w.producers[pid]["verified"] = True
            self.w.verified_owners.append({"token": self.w.producers[pid]["token"],
                                           "producer_id": pid})

    async def draft(self, rnd, token: str, demo: bool):
        """A draft, one or two photos, submitted: queued for a publish (plain or contested)."""
        r = await self.req("create product", "POST", "/api/v1/products", token,
                           json=world.product_body(f"Klaster {uuid.uuid4().hex[:8]}"))
        if r is None or r.status_code != 201:
            return
        pid = r.json()["id"]
        p = {"token": token, "status": "draft", "photos": [], "demo": demo,
             "version": r.json().get("version")}
        self.w.products[pid] = p
        files = [("photos", (f"foto{k}.png", self.png(), "image/png"))
                 for k in range(rnd.choice([1, 1, 2]))]
        r = await self.req("upload photos", "POST", f"/api/v1/products/{pid}/photos", token,
                           files=files)
        if r is not None and r.status_code == 201:
            for ph in r.json():
                urls = [ph["thumbnail_url"], ph["src"]]
                p["photos"].append(ph["id"])
                self.w.photos.append({"product": pid, "id": ph["id"], "urls": urls})
        r = await self.req("submit product", "POST", f"/api/v1/products/{pid}/submit", token)
        if r is not None and (r.status_code == 200 or (r.status_code == 409 and r.retried)):
            p["status"] = "submitted"
            if r.status_code == 200:
                p["version"] = r.json().get("version")
            (self.w.contest_publish_queue if rnd.random() < 0.4
             else self.w.publish_queue).append(pid)

    async def umkm_draft(self, rnd):
        await self.draft(rnd, self.tok["umkm"], True)

    async def new_owner_draft(self, rnd):
        if not self.w.verified_owners:
            return await self.register(rnd)
        o = rnd.choice(self.w.verified_owners)
        await self.draft(rnd, o["token"], False)

    def published(self, pid: int, version):
        p = self.w.products[pid]
        p["status"] = "published"
        p["published_version"] = version
        if p["demo"]:
            self.w.listed_demo.append(pid)

    async def publish(self, rnd):
        if not self.w.publish_queue:
            return await self.catalog(rnd)
        pid = self.w.publish_queue.pop(0)
        r = await self.req("publish product", "POST", f"/api/v1/products/{pid}/publish",
                           self.tok["dinas"])
        if r is not None and (r.status_code == 200 or (r.status_code == 409 and r.retried)):
            self.published(pid, r.json().get("version") if r.status_code == 200 else None)

    async def contest(self, kind: str, obj: int, method: str, path: str, token: str,
                      json_body=None, n: int = 2):
        """The same action sent at once to `n` different live instances, directly."""
        live = self.live()
        if len(live) < 2:
            return None
        targets = random.sample(live, min(n, len(live)))
        kw = {"json": json_body} if json_body is not None else {}

        async def one(inst):
            try:
                r = await self.req(f"contested {kind}", method, path, token, base=inst.url,
                                   expect=(409,), **kw)
                return inst.name, r.status_code, r
            except httpx.HTTPError as e:
                return inst.name, f"conn:{type(e).__name__}", None
        res = await asyncio.gather(*[one(t) for t in targets])
        rec = {"kind": kind, "object": obj, "answers": [(name, code) for name, code, _ in res]}
        self.w.contests.append(rec)
        return res

    async def contested_publish(self, rnd):
        if not self.w.contest_publish_queue:
            return await self.publish(rnd)
        pid = self.w.contest_publish_queue.pop(0)
        res = await self.contest("publish", pid, "POST", f"/api/v1/products/{pid}/publish",
                                 self.tok["dinas"])
        if res is None:
            self.w.publish_queue.append(pid)
            return
        wins = [r for _, code, r in res if code == 200]
        if wins:
            self.published(pid, wins[0].json().get("version"))

    def free_pair(self, rnd, stores: list[int]) -> tuple[int, int] | None:
        if not self.w.listed_demo or not stores:
            return None
        for _ in range(20):
            pair = (rnd.choice(stores), rnd.choice(self.w.listed_demo))
            if pair not in self.w.used_pairs:
                self.w.used_pairs.add(pair)
                return pair
        return None

    async def store_proposes(self, rnd):
        pair = self.free_pair(rnd, [self.demo["toko_store"]])
        if pair is None:
            return await self.search(rnd)
        store, product = pair
        r = await self.req("propose (toko)", "POST", "/api/v1/agreements", self.tok["toko"],
                           expect=(409,), json={"store_id": store, "terms": terms(product),
                                                "note": "Uji klaster"})
        if r is not None and r.status_code == 201:
            aid = r.json()["id"]
            self.w.agreements[aid] = {"status": "proposed", "store": store, "product": product}
            self.w.accept_queue.append(aid)

    async def umkm_proposes(self, rnd, contested: bool = False):
        pair = self.free_pair(rnd, self.demo["chain_stores"])
        if pair is None:
            return await self.search(rnd)
        store, product = pair
        body = {"store_id": store, "terms": terms(product), "note": "Uji klaster"}
        if contested:
            res = await self.contest("propose (same store and product)", store * 10**7 + product,
                                     "POST", "/api/v1/agreements", self.tok["umkm"], body)
            oks = [r for _, code, r in (res or []) if code == 201]
            if res is not None:
                self.w.contests[-1].update({"store": store, "product": product})
            for r in oks:
                aid = r.json()["id"]
                self.w.agreements[aid] = {"status": "proposed", "store": store,
                                          "product": product}
            if oks:
                self.w.store_accept_queue.append(oks[0].json()["id"])
            return
        r = await self.req("propose (umkm)", "POST", "/api/v1/agreements", self.tok["umkm"],
                           expect=(409,), json=body)
        if r is not None and r.status_code == 201:
            aid = r.json()["id"]
            self.w.agreements[aid] = {"status": "proposed", "store": store, "product": product}
            self.w.store_accept_queue.append(aid)

    async def accept(self, rnd, contested: bool):
        store_side = bool(self.w.store_accept_queue) and (
            not self.w.accept_queue or rnd.random() < 0.5)
        queue = self.w.store_accept_queue if store_side else self.w.accept_queue
        if not queue:
            return await self.store_proposes(rnd)
        aid = queue.pop(0)
        token = self.tok["jaringan"] if store_side else self.tok["umkm"]
        path = f"/api/v1/agreements/{aid}/accept"
        if contested:
            # half with the version read, half without (the server's own check must hold)
            body = {"version": 1, "note": "Setuju"} if rnd.random() < 0.5 else {"note": "Setuju"}
            res = await self.contest("accept", aid, "POST", path, token, body)
            if res is None:
                queue.append(aid)
                return
            if any(code == 200 for _, code, _ in res):
                self.w.agreements[aid]["status"] = "accepted"
            return
        r = await self.req("accept", "POST", path, token, json={"version": 1})
        if r is not None and (r.status_code == 200 or (r.status_code == 409 and r.retried)):
            self.w.agreements[aid]["status"] = "accepted"

    async def search(self, rnd):
        q = rnd.choice(QUERIES)
        await self.req("search", "GET", f"/api/v1/search/products?q={q}", write=False)

    async def catalog(self, rnd):
        if rnd.random() < 0.5 and self.demo["published"]:
            await self.req("catalog read", "GET",
                           f"/api/v1/catalog/{rnd.choice(self.demo['published'])}", write=False)
        else:
            await self.req("catalog list", "GET", f"/api/v1/catalog?page={rnd.randint(1, 10)}",
                           write=False)

    async def reads(self, rnd):
        who, path = rnd.choice([("toko", "/api/v1/inbox"), ("jaringan", "/api/v1/agreements"),
                                ("umkm", "/api/v1/products"), ("dinas",
                                "/api/v1/products?status=submitted")])
        await self.req(f"list ({who})", "GET", path, self.tok[who], write=False)

    async def client_loop(self, cid: int, deadline: float):
        rnd = random.Random(cid * 7919 + 1)
        ops = [
            (14, self.search), (8, self.catalog), (6, self.reads),
            (6, self.register), (5, self.verify),
            (10, self.umkm_draft), (6, self.new_owner_draft),
            (7, self.publish), (6, self.contested_publish),
            (6, self.store_proposes), (6, self.umkm_proposes),
            (3, lambda r: self.umkm_proposes(r, contested=True)),
            (5, lambda r: self.accept(r, False)), (6, lambda r: self.accept(r, True)),
        ]
        weights = [w for w, _ in ops]
        while time.time() < deadline:
            _, fn = rnd.choices(ops, weights=weights)[0]
            try:
                await fn(rnd)
            except Exception as e:  # a bug in this script must not pass for a server bug
                self.st.errors.append(f"client {cid}: script exception {type(e).__name__}: {e}"
                                      f"\n{traceback.format_exc(limit=3)}")

    async def chaos(self):
        """Mid-run: a reindex through nginx (as admin), then instance i2 killed with SIGKILL
        and restarted ~10 s later."""
        s = self.seconds
        await asyncio.sleep(s * 0.30)
        t = time.time()
        r = await self.req("reindex (admin)", "POST", "/api/v1/search/reindex", self.tok["admin"],
                           write=False)
        self.st.events.append(f"t={t - self.t0:.0f}s reindex through nginx: "
                              f"{r.status_code if r is not None else 'no answer'} "
                              f"{r.text[:120] if r is not None else ''} ({time.time() - t:.1f}s)")
        await asyncio.sleep(max(0.0, self.t0 + s * 0.40 - time.time()))
        victim = self.c.instances[-1]
        old = victim.proc.pid
        victim.kill9()
        self.st.events.append(f"t={time.time() - self.t0:.0f}s kill -9 {victim.name} (pid {old})")
        await asyncio.sleep(10)
        await asyncio.to_thread(victim.start)
        self.st.events.append(f"t={time.time() - self.t0:.0f}s {victim.name} restarted "
                              f"(pid {victim.proc.pid}), healthy")

    async def workload(self):
        limits = httpx.Limits(max_connections=64, max_keepalive_connections=32)
        async with httpx.AsyncClient(timeout=120, limits=limits) as http, \
                httpx.AsyncClient(timeout=120, limits=limits) as direct:
            self.http, self.direct = http, direct
            self.t0 = time.time()
            deadline = self.t0 + self.seconds
            await asyncio.gather(self.chaos(),
                                 *[self.client_loop(i, deadline) for i in range(self.clients)])
            # queued publishes/accepts left over: finish them so the checks see more objects
            self.elapsed = time.time() - self.t0

    # ---- set-up and checks ------------------------------------------------------------------

    def prepare(self):
        base = self.c.nginx.url
        self.tok = {"anonymous": None}
        for role in lib.LOGINS:
            self.tok[role] = lib.login(base, role)
        w = world.discover(base, self.tok)
        chain = w.get("chain_id")
        self.demo = {
            "toko_store": w["toko_store"],
            "chain_stores": [s for s, c in w["stores"].items() if chain and c == chain][:60],
            "published": w["published_products"],
        }
        self.w.listed_demo = [p for p in w["umkm_listed_products"]]
        log(f"demo: umkm has {len(self.w.listed_demo)} published products, chain "
            f"{chain} has {len(self.demo['chain_stores'])} stores, toko store "
            f"{w['toko_store']}")


class Checks:
    def __init__(self):
        self.items: list[dict] = []

    def add(self, name: str, ok: bool, detail: str, failures: list[str] | None = None,
            info: bool = False):
        self.items.append({"name": name, "ok": ok, "detail": detail,
                           "failures": (failures or [])[:25], "info": info})
        log(f"{'ok  ' if ok else ('info' if info else 'FAIL')} {name}: {detail}")

    @property
    def failed(self) -> list[dict]:
        return [c for c in self.items if not c["ok"] and not c["info"]]


async def gather_limited(coros, n=24):
    sem = asyncio.Semaphore(n)

    async def one(c):
        async with sem:
            return await c
    return await asyncio.gather(*[one(c) for c in coros])


async def check_writes(run: Run, chk: Checks):
    insts = run.c.instances
    w = run.w
    dinas = run.tok["dinas"]
    async with httpx.AsyncClient(timeout=60) as c:
        async def get(inst, path, token):
            try:
                return await c.get(inst.url + path, headers=lib.auth(token))
            except httpx.HTTPError as e:
                return e

        # accounts: the registration's token works on every instance, as the same user
        bad = []

        async def user(inst, u):
            r = await get(inst, "/api/v1/me", u["token"])
            if not isinstance(r, httpx.Response) or r.status_code != 200:
                bad.append(f"{inst.name}: GET /me of {u['email']} -> {r}")
            elif r.json()["user"]["email"] != u["email"]:
                bad.append(f"{inst.name}: /me of {u['email']} says {r.json()['user']['email']}")
        await gather_limited([user(i, u) for i in insts for u in w.users])
        chk.add("registered accounts readable on every instance", not bad,
                f"{len(w.users)} accounts × {len(insts)} instances", bad)

        bad = []

        async def producer(inst, pid, p):
            r = await get(inst, f"/api/v1/producers/{pid}", dinas)
            if not isinstance(r, httpx.Response) or r.status_code != 200:
                bad.append(f"{inst.name}: producer {pid} -> {r}")
            elif p["verified"] and r.json().get("status") != "verified":
                bad.append(f"{inst.name}: producer {pid} verified (acknowledged) but status "
                           f"{r.json().get('status')}")
        await gather_limited([producer(i, k, v) for i in insts for k, v in w.producers.items()])
        nver = sum(1 for p in w.producers.values() if p["verified"])
        chk.add("producers (and their verification) on every instance", not bad,
                f"{len(w.producers)} producers, {nver} verified", bad)

        bad = []
        order = {"draft": 0, "submitted": 1, "published": 2}

        async def product(inst, pid, p):
            r = await get(inst, f"/api/v1/products/{pid}", dinas)
            if not isinstance(r, httpx.Response) or r.status_code != 200:
                bad.append(f"{inst.name}: product {pid} -> {r}")
                return
            j = r.json()
            if order.get(j.get("status"), -1) < order[p["status"]]:
                bad.append(f"{inst.name}: product {pid}: acknowledged {p['status']}, stored "
                           f"{j.get('status')}")
            have = {ph["id"] for ph in j.get("photos", [])}
            missing = [x for x in p["photos"] if x not in have]
            if missing:
                bad.append(f"{inst.name}: product {pid}: acknowledged photos {missing} missing")
        await gather_limited([product(i, k, v) for i in insts for k, v in w.products.items()])
        st = Counter(p["status"] for p in w.products.values())
        chk.add("products, their status and photos on every instance", not bad,
                f"{len(w.products)} products ({dict(st)})", bad)

        bad = []

        async def agreement(inst, aid, a):
            r = await get(inst, f"/api/v1/agreements/{aid}", dinas)
            if not isinstance(r, httpx.Response) or r.status_code != 200:
                bad.append(f"{inst.name}: agreement {aid} -> {r}")
            elif a["status"] == "accepted" and r.json()["status"] not in ("accepted", "active"):
                bad.append(f"{inst.name}: agreement {aid}: accept acknowledged, status "
                           f"{r.json()['status']}")
            elif a["status"] == "proposed" and r.json()["status"] != "proposed":
                bad.append(f"{inst.name}: agreement {aid}: status {r.json()['status']}, "
                           "no answer acknowledged")
        await gather_limited([agreement(i, k, v) for i in insts for k, v in w.agreements.items()])
        st = Counter(a["status"] for a in w.agreements.values())
        chk.add("agreements and their status on every instance", not bad,
                f"{len(w.agreements)} agreements ({dict(st)})", bad)

        # photos uploaded through one instance are served by every instance
        bad = []
        n = 0

        async def photo(inst, ph, url):
            nonlocal n
            r = await get(inst, url, dinas)
            n += 1
            if not isinstance(r, httpx.Response) or r.status_code != 200 or not r.content:
                bad.append(f"{inst.name}: photo {ph['id']} (product {ph['product']}) {url} -> "
                           f"{r if not isinstance(r, httpx.Response) else r.status_code}")
        await gather_limited([photo(i, ph, u) for i in insts for ph in w.photos
                              for u in ph["urls"]])
        chk.add("photos readable from every instance (Garage)", not bad,
                f"{len(w.photos)} photos, {n} variant GETs", bad)

        # contested actions: exactly one winner
        bad = []
        void = 0
        kinds: Counter = Counter()
        for ct in w.contests:
            codes = [code for _, code in ct["answers"]]
            if any(isinstance(code, str) for code in codes):
                void += 1  # an instance died under it: the answer is unknown
                continue
            kinds[ct["kind"]] += 1
            wins = sum(1 for code in codes if code in (200, 201))
            losers_ok = all(code in (200, 201, 409) for code in codes)
            if ct["kind"].startswith("propose"):
                if wins > 1 or not losers_ok:
                    bad.append(f"propose of product {ct.get('product')} to store "
                               f"{ct.get('store')}: answers {ct['answers']} (two open "
                               "agreements for one store and product)")
            elif wins != 1 or not losers_ok:
                bad.append(f"{ct['kind']} {ct['object']}: answers {ct['answers']}")
        # and in the history: one accept event per contested agreement
        for ct in w.contests:
            if ct["kind"] != "accept":
                continue
            for inst in insts[:1]:
                r = await get(inst, f"/api/v1/agreements/{ct['object']}/events", dinas)
                if isinstance(r, httpx.Response) and r.status_code == 200:
                    acc = [e for e in r.json() if e.get("action") == "accept"]
                    if len(acc) != 1:
                        bad.append(f"agreement {ct['object']}: {len(acc)} accept events "
                                   f"(answers {ct['answers']})")
        chk.add("contested actions have exactly one winner", not bad,
                f"{sum(kinds.values())} contests ({dict(kinds)}), {void} void (instance died)",
                bad)


def check_db(run: Run, chk: Checks) -> dict:
    c = run.c
    out: dict = {}
    # at most one open agreement per store and product (what `propose` promises)
    rows = c.psql("SELECT a.store_id, i.product_id, count(*), string_agg(a.id::text, ',') "
                  "FROM agreements a JOIN agreement_items i ON i.agreement_id = a.id "
                  "WHERE a.status IN ('proposed','countered','accepted','active','suspended') "
                  "GROUP BY 1, 2 HAVING count(*) > 1")
    chk.add("at most one open agreement per store and product (database)", not rows,
            f"{len(rows)} store/product pairs with more than one",
            [f"store {r[0]} product {r[1]}: agreements {r[3]}" for r in rows])
    # periodic work
    rows = c.psql("SELECT task, period, holder, started_at, lease_until, finished_at, "
                  "coalesce(outcome, ''), now() FROM task_runs ORDER BY task, period")
    out["task_runs"] = rows
    dup = c.psql("SELECT task, period, count(*) FROM task_runs GROUP BY 1, 2 HAVING count(*) > 1")
    chk.add("task_runs: no (task, period) twice", not dup, f"{len(rows)} runs", [str(d) for d in dup])
    pids = {str(p): i.name for i in c.instances for p in i.pids}
    bad = []
    for task, period, holder, started, lease, finished, outcome, now in rows:
        pid = holder.split("-")[0]
        if not holder:
            bad.append(f"{task} {period}: no holder")
        elif pid not in pids:
            bad.append(f"{task} {period}: holder {holder} is none of our instances "
                       f"(pids {sorted(pids)})")
        if not finished and lease < now:
            bad.append(f"{task} {period}: unfinished and its lease ran out ({lease}) — "
                       f"holder {holder} ({pids.get(pid, '?')}), not taken over yet")
        if outcome.startswith("gagal"):
            bad.append(f"{task} {period}: outcome {outcome}")
    per_task = Counter(r[0] for r in rows)
    chk.add("task_runs: each run has one holder (one of ours), finished or leased", not bad,
            f"tasks {dict(per_task)}", bad)
    return out


async def drift(run: Run, inst: cl.Instance) -> dict | str:
    async with httpx.AsyncClient(timeout=120) as c:
        try:
            r = await c.get(inst.url + "/api/v1/search/drift", headers=lib.auth(run.tok["admin"]))
        except httpx.HTTPError as e:
            return f"{type(e).__name__}"
        if r.status_code != 200:
            return f"{r.status_code} {r.text[:200]}"
        return r.json()


def drift_line(d) -> str:
    if isinstance(d, str):
        return d
    return (f"missing {len(d['missing'])}, stale {len(d['stale'])}, extra {len(d['extra'])}, "
            f"database {d['database']}, index {d['index']}, pending {d['pending']}")


def drift_zero(d) -> bool:
    return not isinstance(d, str) and not (d["missing"] or d["stale"] or d["extra"])


async def check_search(run: Run, chk: Checks) -> dict:
    insts = run.c.instances
    out: dict = {"mode": "meilisearch" if run.c.meili else "embedded per instance"}
    # settle: the outbox drained (pending 0), then drift
    t0 = time.time()
    d = None
    while time.time() - t0 < 90:
        d = await drift(run, insts[0])
        if not isinstance(d, str) and d["pending"] == 0 and (not run.c.meili or drift_zero(d)):
            break
        await asyncio.sleep(2)
    out["settle_s"] = round(time.time() - t0, 1)
    chk.add("search outbox drained after the run", not isinstance(d, str) and d["pending"] == 0,
            f"pending {d if isinstance(d, str) else d['pending']} after {out['settle_s']}s")
    if run.c.meili:
        out["drift"] = {insts[0].name: drift_line(d)}
        chk.add("search drift 0 (shared Meilisearch index)", drift_zero(d), drift_line(d),
                [json.dumps(d)[:600]] if not drift_zero(d) else [])
        return out
    # embedded: each instance's own index only receives what its own relay claimed from the
    # shared outbox, so drift is expected there (that is why `serve` refuses this set-up without
    # ETALASE_ALLOW_LOCAL_STATE). Reported, then each instance reindexes itself: 0 after that.
    before = {i.name: await drift(run, i) for i in insts}
    out["drift_before"] = {k: drift_line(v) for k, v in before.items()}
    chk.add("per-instance drift after the relay settled (embedded: expected)", True,
            "; ".join(f"{k}: {drift_line(v)}" for k, v in before.items()), info=True)
    after = {}
    async with httpx.AsyncClient(timeout=600) as c:
        for i in insts:
            r = await c.post(i.url + "/api/v1/search/reindex",
                             headers=lib.auth(run.tok["admin"]))
            if r.status_code >= 500:
                run.st.errors.append(f"reindex on {i.name}: {r.status_code} {r.text[:200]}")
            after[i.name] = await drift(run, i)
    out["drift_after_reindex"] = {k: drift_line(v) for k, v in after.items()}
    ok = all(drift_zero(v) for v in after.values())
    chk.add("search drift 0 on each instance after its own reindex", ok,
            "; ".join(f"{k}: {drift_line(v)}" for k, v in after.items()),
            [f"{k}: {json.dumps(v)[:400]}" for k, v in after.items() if not drift_zero(v)])
    return out


def report(run: Run, chk: Checks, extra: dict, path) -> None:
    st = run.st
    c = run.c
    L = []
    ok = not chk.failed and not st.errors
    L.append(f"# make test-cluster — {'PASS' if ok else 'FAIL'}\n")
    L.append(f"Run {c.run_id}, {time.strftime('%Y-%m-%d %H:%M:%S')}. Binary `{cl.BIN}`.\n")
    L.append("## Set-up\n")
    L.append(f"- PostgreSQL database `{c.dbname}` on 127.0.0.1:{lib.PG_PORT}; `seed-demo` once "
             f"({c.seed_seconds:.0f}s)")
    L.append(f"- Garage S3 bucket `{c.s3['S3_BUCKET']}` at {c.s3['S3_ENDPOINT']}, prefix "
             f"`{c.s3['S3_PREFIX']}`")
    if c.meili:
        L.append(f"- Search: Meilisearch {c.meili}, index `{c.search_index}` (shared)")
    else:
        L.append("- Search: **MEILI_URL not set — each instance has its own embedded index "
                 "(`ETALASE_ALLOW_LOCAL_STATE=1`); the shared-search part (one index for all "
                 "instances, drift 0 without a per-instance reindex) was SKIPPED.**")
    L.append(f"- {len(c.instances)} instances: " + ", ".join(
        f"{i.name} {i.url} (pids {', '.join(map(str, i.pids))})" for i in c.instances))
    L.append(f"- nginx {c.nginx.url}, round robin, `X-Forwarded-For`; config "
             f"`{c.nginx.conf}`; instances trust `ETALASE_TRUSTED_PROXY_HEADER=X-Forwarded-For`\n")
    L.append("## Workload\n")
    L.append(f"{run.clients} clients for {run.elapsed:.0f}s through nginx (contested actions "
             "straight to two instances at once).\n")
    lat = st.latencies
    L.append("| figure | value |\n|---|---|")
    L.append(f"| requests | {st.requests} ({st.requests / max(run.elapsed, 1):.0f}/s) |")
    L.append(f"| latency p50 / p99 | {lib.percentile(lat, 50) * 1000:.0f} ms / "
             f"{lib.percentile(lat, 99) * 1000:.0f} ms |")
    L.append(f"| nginx 502 retried | {st.retries_502} "
             f"({', '.join(f'{k}: {v}' for k, v in st.retried_ops.items()) or '—'}) |")
    L.append(f"| 502 then 409 on retry (write done before the 502) | {len(st.ambiguous)} |")
    L.append(f"| 503 busy (back-pressure, retried) | {st.busy_503} |")
    L.append(f"| 429 on registration (one address behind nginx, retried) | {st.throttled_429} |")
    up, failovers = c.nginx.upstream_counts()
    names = {f"127.0.0.1:{i.port}": i.name for i in c.instances}
    L.append("| requests nginx sent to each instance | " + ", ".join(
        f"{names.get(k, k)}: {v}" for k, v in sorted(up.items(), key=lambda x: names.get(x[0], x[0]))) + " |")
    L.append(f"| nginx passed on to the next instance (connection refused, no error seen) | "
             f"{failovers} |")
    L.append(f"| errors (other 5xx, connection errors, script errors) | {len(st.errors)} |")
    L.append(f"| unexpected 4xx | {len(st.unexpected)} |")
    L.append(f"| accounts registered | {len(run.w.users)} |")
    L.append(f"| producers created / verified | {len(run.w.producers)} / "
             f"{sum(1 for p in run.w.producers.values() if p['verified'])} |")
    L.append(f"| products created / published | {len(run.w.products)} / "
             f"{sum(1 for p in run.w.products.values() if p['status'] == 'published')} |")
    L.append(f"| photos uploaded | {len(run.w.photos)} |")
    L.append(f"| agreements proposed / accepted | {len(run.w.agreements)} / "
             f"{sum(1 for a in run.w.agreements.values() if a['status'] == 'accepted')} |")
    L.append(f"| contested actions | {len(run.w.contests)} |\n")
    L.append("Events: " + "; ".join(st.events) + "\n")
    L.append("| operation | answers |\n|---|---|")
    for op, cnt in sorted(st.by_op.items()):
        L.append(f"| {op} | {', '.join(f'{k}: {v}' for k, v in sorted(cnt.items(), key=str))} |")
    L.append("")
    if st.errors:
        L.append("### Errors\n")
        L += [f"- `{e[:500]}`" for e in st.errors[:30]]
        L.append("")
    if st.unexpected:
        L.append("### Unexpected 4xx\n")
        L += [f"- `{e[:300]}`" for e in st.unexpected[:20]]
        L.append("")
    L.append("## Invariants\n")
    L.append("| check | result | detail |\n|---|---|---|")
    for it in chk.items:
        res = "ok" if it["ok"] else ("info" if it["info"] else "**FAIL**")
        L.append(f"| {it['name']} | {res} | {it['detail']} |")
    L.append(f"| no 5xx other than nginx 502 during the kill | "
             f"{'ok' if not st.errors else '**FAIL**'} | {len(st.errors)} |")
    L.append("")
    for it in chk.items:
        if it["failures"]:
            L.append(f"### {it['name']}\n")
            L += [f"- {f}" for f in it["failures"]]
            L.append("")
    s = extra.get("search", {})
    L.append("## Search\n")
    L.append(f"Mode: {s.get('mode')}; outbox drained after {s.get('settle_s')}s.\n")
    for k in ("drift", "drift_before", "drift_after_reindex"):
        if k in s:
            L.append(f"- {k.replace('_', ' ')}: " + "; ".join(f"{a}: {b}" for a, b in s[k].items()))
    L.append("")
    L.append("## task_runs\n")
    L.append("| task | period | holder | started | lease until | finished | outcome |")
    L.append("|---|---|---|---|---|---|---|")
    pids = {str(p): i.name for i in c.instances for p in i.pids}
    for r in extra.get("db", {}).get("task_runs", []):
        who = pids.get(r[2].split("-")[0], "?")
        L.append(f"| {r[0]} | {r[1]} | {r[2]} ({who}) | {r[3][11:19]} | {r[4][11:19]} | "
                 f"{r[5][11:19] if r[5] else '—'} | {r[6]} |")
    L.append("")
    path.write_text("\n".join(L) + "\n")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=int(cl.os.environ.get("CLUSTER_SECONDS", 60)))
    ap.add_argument("--clients", type=int, default=int(cl.os.environ.get("CLUSTER_CLIENTS", 16)))
    a = ap.parse_args()
    cl.OUT.mkdir(parents=True, exist_ok=True)
    c = cl.Cluster()
    rc = 1
    try:
        try:
            c.setup()
        except Exception as e:
            log(f"set-up failed: {e}")
            traceback.print_exc()
            return 2
        run = Run(c, a.seconds, a.clients)
        run.prepare()
        log(f"workload: {a.clients} clients for {a.seconds}s through {c.nginx.url}")
        asyncio.run(run.workload())
        log(f"workload done: {run.st.requests} requests, {run.st.retries_502} 502 retried, "
            f"{len(run.st.errors)} errors")
        chk = Checks()
        extra: dict = {}
        for i in c.instances:
            if not i.alive():
                chk.add(f"instance {i.name} alive after the run", False, "exited")
        asyncio.run(check_writes(run, chk))
        extra["db"] = check_db(run, chk)
        extra["search"] = asyncio.run(check_search(run, chk))
        path = cl.OUT / "report.md"
        report(run, chk, extra, path)
        (cl.OUT / "result.json").write_text(json.dumps({
            "checks": chk.items, "errors": run.st.errors, "unexpected": run.st.unexpected,
            "contests": run.w.contests, "events": run.st.events,
            "by_op": {k: dict(v) for k, v in run.st.by_op.items()}}, indent=1, default=str))
        log(f"report: {path}")
        rc = 0 if not chk.failed and not run.st.errors else 1
    finally:
        c.teardown()
    return rc


if __name__ == "__main__":
    sys.exit(main())
