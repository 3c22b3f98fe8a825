"""Part 4: the hostile corpus. Each case must be refused with a 4xx, the server must still answer
/healthz after it, and the server's peak RSS (VmHWM) must stay under RSS_BOUND_MB.

usage: hostile.py [--rss-bound-mb 400]
"""

from __future__ import annotations

import argparse
import sys
import time

import httpx

import corpus
import lib
import world

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BIG_DATE = "+262142-12-31"


def cases(ctx: dict) -> list[dict]:
    """(name, role, method, path, kwargs, expect) — expect '4xx' (refused) or a status set."""
    own = ctx["own_draft"]
    photo = ctx["own_photo"]
    store = ctx["store"]
    out = []

    def add(name, role, method, path, expect="4xx", **kw):
        out.append({"name": name, "role": role, "method": method, "path": path, "kw": kw,
                    "expect": expect})

    # controls: the same builders make files the server accepts (so a refusal below is the
    # limit speaking, not a broken file)
    add("control: XLSX with one good row", "dinas", "POST", "/api/v1/stores/import", expect="2xx",
        content=lambda: corpus.xlsx_control([["RLX-1", "Gerai Kontrol XLSX", ctx["chain_code"], "minimarket",
                                              "Jl. Kontrol 1", "36.73.01.1003", "-6.1251", "106.1786", "3"]]),
        headers={"content-type": XLSX})
    add("control: PNG 800x600", "umkm", "POST", f"/api/v1/products/{own}/photos", expect="2xx",
        files=lambda: [("photos", ("ok.png", corpus.png_small(800, 600, seed=11), "image/png"))])
    # spreadsheets
    add("XLSX with only cells A1 and XFD1048576", "dinas", "POST", "/api/v1/stores/import",
        content=lambda: corpus.xlsx_a1_and_xfd(), headers={"content-type": XLSX})
    add("XLSX whose sharedStrings.xml inflates to 1 GiB (zip bomb)", "dinas", "POST",
        "/api/v1/stores/import", content=lambda: corpus.xlsx({(0, 0): "code"},
                                                              shared_bomb_bytes=1 << 30),
        headers={"content-type": XLSX})
    add("CSV with 40,000 rows", "dinas", "POST", "/api/v1/stores/import",
        content=lambda: corpus.csv_rows(40_000), headers={"content-type": "text/csv"})
    add("CSV with 40,000 rows as the chain office", "jaringan", "POST", "/api/v1/stores/import",
        content=lambda: corpus.csv_rows(40_000, "J"), headers={"content-type": "text/csv"})
    add("CSV with 5,000 columns", "dinas", "POST", "/api/v1/stores/import",
        content=lambda: (",".join(f"c{i}" for i in range(5000)) + "\n" + ",".join("x" * 1 for _ in range(5000)) + "\n").encode(),
        headers={"content-type": "text/csv"})
    add("CSV that is not UTF-8", "dinas", "POST", "/api/v1/stores/import",
        content=lambda: b"\xff\xfe" + corpus.CSV_HEADER.encode("utf-16-le"),
        headers={"content-type": "text/csv"})
    # images
    png = "image/png"
    add("PNG declaring 60000x60000", "umkm", "POST", f"/api/v1/products/{own}/photos",
        files=lambda: [("photos", ("bom.png", corpus.png_header_only(60000, 60000), png))])
    add("PNG decompression bomb (20000x20000 real pixels, 400 MB inflated)", "umkm", "POST",
        f"/api/v1/products/{own}/photos",
        files=lambda: [("photos", ("bom2.png", corpus.png_bomb(20000, 20000), png))])
    add("PNG pixel bomb (9000x9000 = 81 MP, sides within limit)", "umkm", "POST",
        f"/api/v1/products/{own}/photos",
        files=lambda: [("photos", ("bom3.png", corpus.png_bomb(9000, 9000), png))])
    add("JPEG declaring 65500x65500", "umkm", "POST", f"/api/v1/products/{own}/photos",
        files=lambda: [("photos", ("bom.jpg", corpus.jpeg_header_only(65500, 65500), "image/jpeg"))])
    add("PNG declaring 60000x60000 as the Dinas", "dinas", "POST",
        f"/api/v1/products/{own}/photos",
        files=lambda: [("photos", ("bom.png", corpus.png_header_only(60000, 60000), png))])
    add("nine photos at once (limit 8 per product)", "umkm", "POST",
        f"/api/v1/products/{own}/photos",
        files=lambda: [("photos", (f"p{i}.png", corpus.png_small(64, 48, seed=100 + i), png))
                       for i in range(9)])
    add("photo part that is not an image", "umkm", "POST", f"/api/v1/products/{own}/photos",
        files=lambda: [("photos", ("x.png", b"%PDF-1.4 not an image" * 100, png))])
    # query parameters
    add("catalog page=18446744073709551615", "anonymous", "GET",
        "/api/v1/catalog?page=18446744073709551615")
    add("catalog page=18446744073709551616 (u64 overflow)", "anonymous", "GET",
        "/api/v1/catalog?page=18446744073709551616")
    add("catalog per_page=18446744073709551615 (4xx, or 200 clamped to <= 100 items)",
        "anonymous", "GET", "/api/v1/catalog?per_page=18446744073709551615", expect="clamped")
    add("products page=18446744073709551615", "umkm", "GET",
        "/api/v1/products?page=18446744073709551615")
    add("stores page=-1", "dinas", "GET", "/api/v1/stores?page=-1")
    add("search price_min=9223372036854775808", "anonymous", "GET",
        "/api/v1/search/products?q=keripik&price_min=9223372036854775808")
    add("search near=1e308,1e308 radius_km=1e308", "anonymous", "GET",
        "/api/v1/search/products?near=1e308,1e308&radius_km=1e308")
    add("search q of 60,000 characters", "anonymous", "GET",
        "/api/v1/search/products?q=" + "a" * 60_000, expect="any")
    for p in ("/api/v1/compliance/stores", "/api/v1/compliance/summary",
              "/api/v1/compliance/export.csv", "/api/v1/compliance/export.xlsx",
              f"/api/v1/compliance/stores/{store}", "/api/v1/compliance/permendag",
              "/api/v1/compliance/trend"):
        add(f"{p.replace('/api/v1/', '')} ?date={BIG_DATE}", "dinas", "GET",
            f"{p}?date={BIG_DATE}")
    add("compliance/stores ?date=-262143-01-01", "dinas", "GET",
        "/api/v1/compliance/stores?date=-262143-01-01")
    # photo position
    for pos in (9223372036854775807, -9223372036854775808, 18446744073709551615, 2 ** 70):
        add(f"photo position {pos}", "umkm", "PATCH", f"/api/v1/products/{own}/photos/{photo}",
            json={"position": pos})
    add("photo alt_text of 1 MB", "umkm", "PATCH", f"/api/v1/products/{own}/photos/{photo}",
        json={"alt_text": "a" * 1_000_000})
    # bodies
    add("JSON nested 100,000 deep", "umkm", "POST", "/api/v1/products",
        content=lambda: ("[" * 100_000 + "]" * 100_000).encode(),
        headers={"content-type": "application/json"})
    add("JSON body of 50 MB", "umkm", "POST", "/api/v1/products",
        content=lambda: b'{"name":"' + b"a" * (50 << 20) + b'"}',
        headers={"content-type": "application/json"})
    add("certificate issued_on +262142-12-31", "umkm", "POST",
        f"/api/v1/products/{own}/certificates",
        json={"kind": "pirt", "number": ctx["cert_number"], "issued_on": BIG_DATE})
    add("agreement end_date +262142-12-31", "toko", "POST", "/api/v1/agreements",
        json={"store_id": ctx["toko_store"], "terms": {
            "items": [{"product_id": ctx["listed"], "price": 9223372036854775807, "facings": 9223372036854775807}],
            "scheme": "beli_putus", "payment_term_days": 9223372036854775807,
            "start_date": "2027-01-01", "end_date": BIG_DATE, "delivery_schedule": "x"}})
    # last, so it does not hide the others' memory: a real 40 MP photo is within the limits and
    # is decoded (2 at a time); the figure shows what a legitimate worst case costs
    add("memory probe: PNG 7000x5700 (39.9 MP, within the limits)", "umkm", "POST",
        f"/api/v1/products/{own}/photos", expect="any",
        files=lambda: [("photos", ("big.png", corpus.png_bomb(7000, 5700, 2), png))])
    return out


def run(bound_mb: float) -> dict:
    data = lib.fresh_data_dir("hostile")
    srv = lib.Server(data, "hostile")
    srv.start()
    tok = lib.tokens(srv.url)
    c = httpx.Client(base_url=srv.url, timeout=300, limits=lib.NO_KEEPALIVE)
    rows = []
    try:
        w = world.discover(srv.url, tok)
        own = c.post("/api/v1/products", headers=lib.auth(tok["umkm"]),
                     json=world.product_body("korpus")).json()
        ph = c.post(f"/api/v1/products/{own['id']}/photos", headers=lib.auth(tok["umkm"]),
                    files=[("photos", ("a.png", corpus.png_small(320, 240, seed=3), "image/png"))])
        ph.raise_for_status()
        own = c.get(f"/api/v1/products/{own['id']}", headers=lib.auth(tok["umkm"])).json()
        cert_number = next(cf["number"] for pid in w["umkm_products"]
                           for cf in c.get(f"/api/v1/products/{pid}",
                                           headers=lib.auth(tok["umkm"])).json()["certificates"]
                           if cf["kind"] == "pirt")
        ctx = {"chain_code": "MS", "own_draft": own["id"], "own_photo": own["photos"][0]["id"],
               "store": w["toko_store"], "toko_store": w["toko_store"],
               "listed": w["published_products"][0], "cert_number": cert_number}
        base_rss = srv.vm_hwm_kb() / 1024
        stores0 = c.get("/api/v1/stores?per_page=1", headers=lib.auth(tok["dinas"])).json()["total"]
        for case in cases(ctx):
            kw = dict(case["kw"])
            for k in ("content", "files"):
                if callable(kw.get(k)):
                    kw[k] = kw[k]()
            size = len(kw["content"]) if "content" in kw else (
                sum(len(f[1][1]) for f in kw["files"]) if "files" in kw else 0)
            headers = dict(kw.pop("headers", {}))
            headers.update(lib.auth(tok.get(case["role"])))
            t0 = time.time()
            try:
                r = c.request(case["method"], case["path"], headers=headers, **kw)
                status, text = r.status_code, r.text[:200]
            except httpx.HTTPError as e:
                status, text = 0, f"{type(e).__name__}: {e}"
            secs = time.time() - t0
            alive = srv.alive()
            healthy = alive and srv.healthy()
            hwm = srv.vm_hwm_kb() / 1024 if alive else float("nan")
            if case["expect"] == "2xx":
                ok = 200 <= status < 300
            elif case["expect"] == "clamped":
                ok = 400 <= status < 500 or (status == 200 and len(r.json().get("items", [])) <= 100)
            elif case["expect"] == "any":
                ok = 0 < status < 500
            else:
                ok = 400 <= status < 500
            ok = ok and healthy
            rows.append({"case": case["name"], "role": case["role"],
                         "request": f"{case['method']} {case['path'][:120]}", "bytes": size,
                         "status": status, "expect": case["expect"], "seconds": round(secs, 2),
                         "peak_rss_mb": round(hwm, 1), "healthz": healthy, "ok": ok,
                         "response": text if not ok or status >= 400 else text[:80]})
            lib.log(f"hostile: {case['name']}: {status} in {secs:.1f}s, healthz "
                    f"{'ok' if healthy else 'DOWN'}, VmHWM {hwm:.0f} MB {'' if ok else 'FAIL'} "
                    f"{text[:110]}")
            if not alive:
                rows[-1]["response"] += f" | server died, see {srv.log_path}"
                srv.start()
        stores1 = c.get("/api/v1/stores?per_page=1", headers=lib.auth(tok["dinas"])).json()["total"]
        peak = max((r["peak_rss_mb"] for r in rows if r["peak_rss_mb"] == r["peak_rss_mb"]
                    and not r["case"].startswith("memory probe")), default=0)
        probe = max((r["peak_rss_mb"] for r in rows if r["case"].startswith("memory probe")),
                    default=0)
    finally:
        c.close()
        srv.stop()
    problems = [f"{r['case']}: {r['status']} ({'healthz ok' if r['healthz'] else 'server not answering'})"
                f" {r['response'][:150]}" for r in rows if not r["ok"]]
    if peak > bound_mb:
        problems.append(f"peak RSS {peak:.0f} MB above the bound {bound_mb:.0f} MB")
    # a legitimate 40 MP photo is decoded (RGBA ~160 MB, plus resized variants): its own bound
    probe_bound = bound_mb * 1.5
    if probe > probe_bound:
        problems.append(f"peak RSS after the 40 MP memory probe {probe:.0f} MB above "
                        f"{probe_bound:.0f} MB")
    if stores1 != stores0 + 1:  # the one control row
        problems.append(f"refused imports changed the store count: {stores0} -> {stores1} "
                        "(expected +1, the control XLSX)")
    return {"cases": rows, "rss_bound_mb": bound_mb, "baseline_rss_mb": round(base_rss, 1),
            "peak_rss_mb": peak, "probe_rss_mb": probe, "probe_bound_mb": probe_bound,
            "problems": problems, "ok": not problems}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--rss-bound-mb", type=float, default=400)
    a = ap.parse_args()
    res = run(a.rss_bound_mb)
    lib.save_result("hostile", res)
    for p in res["problems"]:
        print("  FAIL", p)
    sys.exit(0 if res["ok"] else 1)
