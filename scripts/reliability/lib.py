"""Shared pieces of the reliability suite: paths, the `etalase` binary, a server process we
start/kill/measure, demo logins, PostgreSQL databases and result files.

Environment:
  ETALASE_BIN          binary to test (default: target/debug/etalase)
  RELIABILITY_WORK     scratch directory for data dirs and logs (default: target/reliability/work)
  RELIABILITY_OUT      where results and report.md go (default: target/reliability)
  RELIABILITY_PORTS    port range for servers we start (default: 18000-18999)
  ETALASE_TEST_PG_PORT PostgreSQL port (default: 55432, see scripts/ensure-postgres.sh)
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("ETALASE_BIN", ROOT / "target/debug/etalase")).resolve()
OUT = Path(os.environ.get("RELIABILITY_OUT", ROOT / "target/reliability")).resolve()
WORK = Path(os.environ.get("RELIABILITY_WORK", OUT / "work")).resolve()
RESULTS = OUT / "results"
PG_PORT = int(os.environ.get("ETALASE_TEST_PG_PORT", "55432"))
PASSWORD = "etalase-demo"
LOGINS = {
    "admin": "admin@demo.etalase.id",
    "dinas": "dinas@demo.etalase.id",
    "umkm": "umkm@demo.etalase.id",
    "toko": "toko@demo.etalase.id",
    "jaringan": "jaringan@demo.etalase.id",
}
ROLES = ["anonymous", "admin", "dinas", "umkm", "toko", "jaringan"]


def log(*a) -> None:
    print(time.strftime("%H:%M:%S"), *a, flush=True)


def port_range() -> tuple[int, int]:
    lo, hi = os.environ.get("RELIABILITY_PORTS", "18000-18999").split("-")
    return int(lo), int(hi)


def free_port() -> int:
    lo, hi = port_range()
    for _ in range(200):
        p = random.randint(lo, hi)
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("127.0.0.1", p))
            except OSError:
                continue
            return p
    raise RuntimeError("no free port in range")


def write_config(path: Path, extra: dict | None = None) -> Path:
    """An explicit config file, so a stray ./etalase.toml never leaks into a run."""
    lines = []
    for k, v in (extra or {}).items():
        lines.append(f"{k} = {json.dumps(v)}")
    path.write_text("\n".join(lines) + "\n")
    return path


def cli(args: list[str], data_dir: Path, database_url: str | None = None,
        config: Path | None = None, timeout: float = 1800, check: bool = True):
    cfg = config or write_config(data_dir.parent / f"{data_dir.name}.toml")
    cmd = [str(BIN), *args, "--data-dir", str(data_dir), "--config", str(cfg)]
    if database_url:
        cmd += ["--database-url", database_url]
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    if check and r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
    return r


class Server:
    """One `etalase serve` process on a port of our range."""

    def __init__(self, data_dir: Path, name: str, database_url: str | None = None,
                 config: dict | None = None):
        self.data_dir = Path(data_dir)
        self.name = name
        self.database_url = database_url
        self.config_path = write_config(WORK / f"{name}.toml", config)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.log_path = WORK / f"{name}.log"
        self.starts = 0

    def start(self, wait: float = 180) -> "Server":
        env = dict(os.environ)
        env.pop("DATABASE_URL", None)
        env["ETALASE_BIND"] = f"127.0.0.1:{self.port}"
        # One instance on PostgreSQL with its own search index and blob folder.
        env["ETALASE_ALLOW_LOCAL_STATE"] = "1"
        env.setdefault("RUST_LOG", "warn")
        cmd = [str(BIN), "serve", "--data-dir", str(self.data_dir), "--config",
               str(self.config_path)]
        if self.database_url:
            cmd += ["--database-url", self.database_url]
        logf = open(self.log_path, "a")
        logf.write(f"\n==== start {self.starts} {time.ctime()} ====\n")
        logf.flush()
        self.proc = subprocess.Popen(cmd, stdout=logf, stderr=subprocess.STDOUT, env=env,
                                     cwd=str(WORK))
        self.starts += 1
        deadline = time.time() + wait
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server {self.name} exited ({self.proc.returncode}), "
                                   f"see {self.log_path}")
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"server {self.name} did not answer /healthz in {wait}s")

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def healthy(self) -> bool:
        try:
            return httpx.get(self.url + "/healthz", timeout=10).status_code == 200
        except httpx.HTTPError:
            return False

    def vm_hwm_kb(self) -> int:
        """Peak resident set size of the server process (VmHWM)."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
        return 0

    def vm_rss_kb(self) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def kill9(self) -> None:
        if self.alive():
            os.kill(self.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.alive():
            os.kill(self.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill9()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def login(base: str, role: str) -> str:
    r = httpx.post(f"{base}/api/v1/auth/login",
                   json={"email": LOGINS[role], "password": PASSWORD}, timeout=60)
    r.raise_for_status()
    return r.json()["token"]


def tokens(base: str) -> dict[str, str | None]:
    t: dict[str, str | None] = {"anonymous": None}
    for role in LOGINS:
        t[role] = login(base, role)
    return t


# The server may close a keep-alive connection after refusing a request whose body it did not
# read (hyper), without `Connection: close`; the next request on that connection then fails on
# the client's side. Where refused uploads are part of the test, use one connection per request.
NO_KEEPALIVE = httpx.Limits(max_keepalive_connections=0)


def auth(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


# ---- demo data ------------------------------------------------------------------------------

def sources_id() -> str:
    import hashlib
    h = hashlib.sha256()
    for d in ("backend/server/src/seed", "backend/db/src/migration", "assets/data"):
        for p in sorted((ROOT / d).rglob("*")):
            if p.is_file():
                h.update(str(p.relative_to(ROOT)).encode())
                h.update(p.read_bytes())
    return h.hexdigest()


def binary_id() -> str:
    st = BIN.stat()
    return f"{BIN}:{st.st_mtime_ns}:{st.st_size}"


def seed_is_current(marker: Path) -> bool:
    """A seeded template is reused for the same binary; with RELIABILITY_SEED_KEY=sources also
    for another binary built from the same seed code, migrations and demo assets (`serve`
    migrates the copy forward)."""
    if not marker.exists():
        return False
    try:
        m = json.loads(marker.read_text())
    except ValueError:
        return False
    if m.get("binary") == binary_id():
        return True
    return os.environ.get("RELIABILITY_SEED_KEY") == "sources" and m.get("sources") == sources_id()


def mark_seeded(marker: Path) -> None:
    marker.write_text(json.dumps({"binary": binary_id(), "sources": sources_id()}))


def seeded_template() -> Path:
    """The demo catalog seeded (SQLite) into WORK/template, reused while current."""
    tpl = WORK / "template"
    marker = tpl / ".seeded"
    if seed_is_current(marker):
        return tpl
    shutil.rmtree(tpl, ignore_errors=True)
    tpl.mkdir(parents=True)
    t0 = time.time()
    cli(["seed-demo"], tpl)
    log(f"seed-demo (SQLite) took {time.time() - t0:.1f}s")
    mark_seeded(marker)
    return tpl


def fresh_data_dir(name: str) -> Path:
    """A copy of the seeded demo data dir (SQLite, search index, blobs)."""
    tpl = seeded_template()
    d = WORK / name
    shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(tpl, d, ignore=shutil.ignore_patterns(".seeded"))
    return d


# ---- PostgreSQL -----------------------------------------------------------------------------

def pg_admin_url() -> str:
    return f"postgres://postgres@127.0.0.1:{PG_PORT}/postgres"


def psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-d",
                    "postgres", "-v", "ON_ERROR_STOP=1", "-q", "-c", sql], check=True,
                   capture_output=True, text=True)


def pg_create(name: str) -> str:
    psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{name}"')
    return f"postgres://postgres@127.0.0.1:{PG_PORT}/{name}"


PG_TEMPLATE = "etalase_rel_template"


def pg_template() -> Path:
    """The demo catalog seeded into a PostgreSQL template database (and its data dir for the
    blobs), once per binary. `pg_fresh` clones it with CREATE DATABASE … TEMPLATE."""
    tpl = WORK / "template-pg"
    marker = tpl / ".seeded"
    if seed_is_current(marker):
        return tpl
    shutil.rmtree(tpl, ignore_errors=True)
    tpl.mkdir(parents=True)
    url = pg_create(PG_TEMPLATE)
    t0 = time.time()
    cli(["seed-demo"], tpl, database_url=url)
    log(f"seed-demo (PostgreSQL) took {time.time() - t0:.1f}s")
    mark_seeded(marker)
    return tpl


def pg_fresh(name: str) -> tuple[str, Path]:
    """A database cloned from the seeded template, and a copy of its data dir."""
    tpl = pg_template()
    psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{name}" TEMPLATE "{PG_TEMPLATE}"')
    d = WORK / name
    shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(tpl, d, ignore=shutil.ignore_patterns(".seeded"))
    return f"postgres://postgres@127.0.0.1:{PG_PORT}/{name}", d


def pg_drop(name: str) -> None:
    try:
        psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except subprocess.CalledProcessError:
        pass


# ---- results --------------------------------------------------------------------------------

def save_result(part: str, data: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{part}.json").write_text(json.dumps(data, indent=2, default=str))


def load_result(part: str) -> dict | None:
    p = RESULTS / f"{part}.json"
    return json.loads(p.read_text()) if p.exists() else None


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    k = min(len(s) - 1, max(0, int(round(q / 100 * (len(s) - 1)))))
    return s[k]
