"""The cluster under test: one PostgreSQL database, one Garage bucket (a fresh prefix per run),
search on Meilisearch (MEILI_URL) or per instance (embedded), THREE `etalase serve` instances
and nginx in front of them (round robin, X-Forwarded-For).

Reuses scripts/reliability/lib.py (ports, config files, logins, psql) without changing it.

Environment:
  ETALASE_BIN     binary (default target/debug/etalase)
  CLUSTER_OUT     report and nginx.conf (default target/cluster)
  CLUSTER_WORK    data dirs and logs (default $CLUSTER_OUT/work)
  CLUSTER_PORTS   port range (default 19000-19999)
  GARAGE_ENV      S3 settings written by scripts/ensure-garage.sh (/var/tmp/etalase-garage/env)
  MEILI_URL, MEILI_MASTER_KEY   shared Meilisearch (optional)
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(os.environ.get("CLUSTER_OUT", ROOT / "target/cluster")).resolve()
WORK = Path(os.environ.get("CLUSTER_WORK", OUT / "work")).resolve()
# lib.py reads these at import time: our ports, our scratch folder.
os.environ["RELIABILITY_PORTS"] = os.environ.get("CLUSTER_PORTS", "19000-19999")
os.environ.setdefault("RELIABILITY_WORK", str(WORK))
os.environ.setdefault("RELIABILITY_OUT", str(OUT))
sys.path.insert(0, str(ROOT / "scripts/reliability"))

import httpx  # noqa: E402

import lib  # noqa: E402  (scripts/reliability/lib.py)

log = lib.log
BIN = lib.BIN
N_INSTANCES = 3
_used_ports: set[int] = set()


def port() -> int:
    while True:
        p = lib.free_port()
        if p not in _used_ports:
            _used_ports.add(p)
            return p


def garage_s3_env(prefix: str) -> dict[str, str]:
    """S3_* for the instances, from the file scripts/ensure-garage.sh writes."""
    path = Path(os.environ.get("GARAGE_ENV", "/var/tmp/etalase-garage/env"))
    vals: dict[str, str] = {}
    for line in path.read_text().splitlines():
        m = re.match(r"\s*(?:export\s+)?([A-Z0-9_]+)=(.*)$", line)
        if m:
            vals[m.group(1)] = m.group(2).strip().strip("'\"")
    return {
        "S3_ENDPOINT": vals["ETALASE_TEST_S3_ENDPOINT"],
        "S3_REGION": vals.get("ETALASE_TEST_S3_REGION", "garage"),
        "S3_BUCKET": vals["ETALASE_TEST_S3_BUCKET"],
        "S3_ACCESS_KEY_ID": vals["ETALASE_TEST_S3_ACCESS_KEY"],
        "S3_SECRET_ACCESS_KEY": vals["ETALASE_TEST_S3_SECRET_KEY"],
        "S3_PATH_STYLE": "true",
        "S3_PREFIX": prefix,
    }


def base_env(shared: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ETALASE_", "S3_", "DATABASE_URL", "MEILI_"))}
    env.update(shared)
    return env


class Instance:
    """One `etalase serve` of the cluster (its own data dir, port and log)."""

    def __init__(self, idx: int, database_url: str, shared_env: dict[str, str]):
        self.idx = idx
        self.name = f"i{idx}"
        self.data_dir = WORK / self.name
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.database_url = database_url
        self.shared_env = shared_env
        # The media sweep every minute (default hourly): several task_runs periods in one run.
        self.config = lib.write_config(WORK / f"{self.name}.toml",
                                       {"blob_gc_interval_minutes": 1})
        self.port = port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = WORK / f"{self.name}.log"
        self.proc: subprocess.Popen | None = None
        self.pids: list[int] = []  # every process this instance has been

    def start(self, wait: float = 180) -> None:
        env = base_env(self.shared_env)
        env["ETALASE_BIND"] = f"127.0.0.1:{self.port}"
        env.setdefault("RUST_LOG", "info")
        cmd = [str(BIN), "serve", "--data-dir", str(self.data_dir), "--config", str(self.config),
               "--database-url", self.database_url]
        logf = open(self.log_path, "a")
        logf.write(f"\n==== start {len(self.pids)} {time.ctime()} ====\n")
        logf.flush()
        self.proc = subprocess.Popen(cmd, stdout=logf, stderr=subprocess.STDOUT, env=env,
                                     cwd=str(WORK))
        self.pids.append(self.proc.pid)
        deadline = time.time() + wait
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"instance {self.name} exited ({self.proc.returncode}), "
                                   f"see {self.log_path}")
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"instance {self.name} did not answer /healthz in {wait}s")

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill9(self) -> None:
        if self.alive():
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.alive():
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill9()


NGINX_CONF = """\
# Written by scripts/cluster/cluster.py for `make test-cluster`.
worker_processes 1;
daemon off;
pid {out}/nginx.pid;
error_log {out}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    log_format up '$status $upstream_addr $upstream_status $request_method $uri';
    access_log {out}/nginx-access.log up;
    client_body_temp_path {out}/nginx-tmp/body;
    proxy_temp_path {out}/nginx-tmp/proxy;
    fastcgi_temp_path {out}/nginx-tmp/fastcgi;
    uwsgi_temp_path {out}/nginx-tmp/uwsgi;
    scgi_temp_path {out}/nginx-tmp/scgi;
    client_max_body_size 50m;

    upstream etalase {{
{servers}
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://etalase;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 300s;
            proxy_connect_timeout 2s;
        }}
    }}
}}
"""


class Nginx:
    def __init__(self, instances: list[Instance]):
        self.port = port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.prefix = OUT
        self.conf = OUT / "nginx.conf"
        servers = "\n".join(f"        server 127.0.0.1:{i.port} max_fails=1 fail_timeout=3s;"
                            for i in instances)
        (OUT / "nginx-tmp").mkdir(parents=True, exist_ok=True)
        (OUT / "nginx-access.log").unlink(missing_ok=True)
        self.conf.write_text(NGINX_CONF.format(out=OUT, servers=servers, port=self.port))
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        subprocess.run([nginx, "-t", "-c", str(self.conf), "-p", str(self.prefix)], check=True,
                       capture_output=True)
        self.proc = subprocess.Popen([nginx, "-c", str(self.conf), "-p", str(self.prefix)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError("nginx did not answer")

    def upstream_counts(self) -> tuple[dict[str, int], int]:
        """Requests nginx passed to each upstream (from the access log), and how many it passed
        on to another upstream after the first refused the connection."""
        counts: dict[str, int] = {}
        failovers = 0
        path = OUT / "nginx-access.log"
        if path.exists():
            for line in path.read_text().splitlines():
                ups = re.findall(r"127\.0\.0\.1:\d+", line)
                failovers += max(0, len(ups) - 1)
                for up in ups:
                    counts[up] = counts.get(up, 0) + 1
        return counts, failovers

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Cluster:
    def __init__(self):
        self.run_id = time.strftime("%Y%m%d%H%M%S") + "-" + uuid.uuid4().hex[:6]
        self.dbname = "etalase_cluster"
        self.meili = os.environ.get("MEILI_URL") or None
        self.search_index = f"products_cluster_{self.run_id.replace('-', '_')}"
        self.s3 = garage_s3_env(f"cluster-{self.run_id}/")
        self.database_url = ""
        self.instances: list[Instance] = []
        self.nginx: Nginx | None = None
        self.seed_seconds = 0.0

    def shared_env(self) -> dict[str, str]:
        env = dict(self.s3)
        env["ETALASE_TRUSTED_PROXY_HEADER"] = "X-Forwarded-For"
        # The workload registers more accounts from one address (nginx) than the default 10/h.
        env["ETALASE_REGISTER_PER_HOUR"] = os.environ.get("CLUSTER_REGISTER_PER_HOUR", "100000")
        if self.meili:
            env["MEILI_URL"] = self.meili
            if os.environ.get("MEILI_MASTER_KEY"):
                env["MEILI_MASTER_KEY"] = os.environ["MEILI_MASTER_KEY"]
            env["ETALASE_SEARCH_INDEX"] = self.search_index
        else:
            # Embedded index per instance: the server refuses that on PostgreSQL without this.
            env["ETALASE_ALLOW_LOCAL_STATE"] = "1"
        return env

    def setup(self) -> None:
        shutil.rmtree(WORK, ignore_errors=True)
        WORK.mkdir(parents=True)
        self.database_url = lib.pg_create(self.dbname)
        seed_dir = WORK / "seed"
        seed_dir.mkdir()
        cfg = lib.write_config(WORK / "seed.toml")
        t0 = time.time()
        r = subprocess.run([str(BIN), "seed-demo", "--data-dir", str(seed_dir), "--config",
                            str(cfg), "--database-url", self.database_url],
                           env=base_env(self.shared_env()), capture_output=True, text=True,
                           timeout=1800)
        self.seed_seconds = time.time() - t0
        if r.returncode != 0:
            raise RuntimeError(f"seed-demo failed:\n{r.stdout}\n{r.stderr}")
        log(f"seed-demo on PostgreSQL + Garage took {self.seed_seconds:.0f}s")
        for i in range(N_INSTANCES):
            inst = Instance(i, self.database_url, self.shared_env())
            # Each instance starts from the seeded data dir (its own copy: the embedded index,
            # if seed-demo built one there).
            shutil.rmtree(inst.data_dir)
            shutil.copytree(seed_dir, inst.data_dir)
            self.instances.append(inst)
        for inst in self.instances:
            inst.start()
            log(f"instance {inst.name} on {inst.url} (pid {inst.proc.pid})")
        self.nginx = Nginx(self.instances)
        self.nginx.start()
        log(f"nginx on {self.nginx.url} → {', '.join(i.url for i in self.instances)}")

    def teardown(self, drop_db: bool = True) -> None:
        if self.nginx:
            self.nginx.stop()
        for inst in self.instances:
            inst.stop()
        if drop_db and os.environ.get("CLUSTER_KEEP_DB") != "1":
            lib.pg_drop(self.dbname)

    def psql(self, sql: str) -> list[list[str]]:
        r = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(lib.PG_PORT), "-U", "postgres",
                            "-d", self.dbname, "-v", "ON_ERROR_STOP=1", "-At", "-F", "\t", "-c",
                            sql], check=True, capture_output=True, text=True)
        return [line.split("\t") for line in r.stdout.splitlines() if line]
