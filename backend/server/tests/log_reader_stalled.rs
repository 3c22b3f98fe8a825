//! `etalase serve` whose log nobody reads: its stdout is a pipe that fills (64 KB here) after a
//! few hundred request lines. The server must go on answering: before its log went through a
//! queue (`log_sink`), the request thread blocked in the write and every request after it hung.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// `GET path` on a connection of its own; the status code (0 when there is no answer in 10 s).
fn get(port: u16, path: &str) -> u16 {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else { return 0 };
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    if s.write_all(request.as_bytes()).is_err() {
        return 0;
    }
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    answer.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0)
}

#[test]
fn a_log_nobody_reads_does_not_stop_the_server() {
    let dir = std::env::temp_dir().join(format!("etalase-log-stall-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_etalase"))
        .args(["serve", "--data-dir"])
        .arg(&dir)
        .env("ETALASE_BIND", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "info")
        .env_remove("DATABASE_URL")
        .env_remove("MEILI_URL")
        .stdout(Stdio::piped()) // never read
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while get(port, "/healthz") != 200 {
        assert!(started.elapsed() < Duration::from_secs(120), "the server did not start");
        std::thread::sleep(Duration::from_millis(200));
    }
    // Each request logs a line of ≈ 200 bytes: 2,000 of them are six times the pipe's 64 KB.
    let mut answered = 0;
    for _ in 0..2_000 {
        if get(port, "/healthz") != 200 {
            break;
        }
        answered += 1;
    }
    let search = get(port, "/api/v1/search/products?q=kopi");
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(answered, 2_000, "the server stopped answering after {answered} requests");
    assert_eq!(search, 200);
}
