//! A do-nothing reverse proxy (nginx) in the API's place, for the Meilisearch half: the same
//! bodies as the direct runs, through one more loopback hop and one more process, so the
//! report can tell the hop's own cost from the API's work. Only when nginx is installed
//! (`make bench-search` installs it with wrk).

use std::path::Path;
use std::process::{Child, Command, Stdio};

/// nginx running in the foreground as this process's child; stopped when dropped.
pub(super) struct Proxy {
    child: Child,
    /// `-c CONF -p DIR`, to signal it (`-s stop`).
    args: [std::path::PathBuf; 2],
    /// `http://127.0.0.1:PORT`.
    pub(super) url: String,
}

impl Proxy {
    /// Starts nginx (one worker, no access log, kept-alive connections to Meilisearch, as the
    /// API keeps them) in front of `meili_url`, its files in `dir`; `None` when nginx is
    /// missing or does not answer.
    pub(super) fn start(meili_url: &str, dir: &Path) -> Option<Proxy> {
        let upstream = meili_url.strip_prefix("http://")?.trim_end_matches('/');
        let port = std::net::TcpListener::bind("127.0.0.1:0").ok()?.local_addr().ok()?.port();
        std::fs::create_dir_all(dir).ok()?;
        let dir = dir.canonicalize().ok()?;
        let d = dir.display();
        let conf = format!(
            "worker_processes 1;\ndaemon off;\nerror_log {d}/error.log warn;\npid {d}/nginx.pid;\n\
             events {{ worker_connections 1024; }}\n\
             http {{\n  access_log off;\n  client_body_temp_path {d}/body;\n\
               proxy_temp_path {d}/proxy;\n\
               upstream meili {{ server {upstream}; keepalive 64; }}\n\
               server {{\n    listen 127.0.0.1:{port};\n    location / {{\n\
                 proxy_pass http://meili;\n      proxy_http_version 1.1;\n\
                 proxy_set_header Connection \"\";\n    }}\n  }}\n}}\n"
        );
        let path = dir.join("nginx.conf");
        std::fs::write(&path, conf).ok()?;
        let child = nginx(&path, &dir).spawn().ok()?;
        let proxy =
            Proxy { child, url: format!("http://127.0.0.1:{port}"), args: [path, dir.clone()] };
        for _ in 0..50 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Some(proxy);
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        None
    }
}

impl Drop for Proxy {
    /// Stops nginx with its own signal (killing only the master would leave its worker
    /// listening); kills it if it is still there after 5 s.
    fn drop(&mut self) {
        let [conf, dir] = &self.args;
        let _ = nginx(conf, dir).args(["-s", "stop"]).status();
        for _ in 0..50 {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// nginx with the configuration `conf` and prefix `dir`, its output discarded.
fn nginx(conf: &Path, dir: &Path) -> Command {
    let mut c = Command::new("nginx");
    c.arg("-c").arg(conf).arg("-p").arg(dir).stdout(Stdio::null()).stderr(Stdio::null());
    c
}
