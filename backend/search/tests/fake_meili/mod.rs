//! A tiny stand-in for a Meilisearch server (HTTP/1.1, one request per connection) that
//! records every request and answers from a routing closure. It lets the adapter's wire
//! behaviour — the settings body, documents with `_geo`, the multi-search body, task waiting
//! and task failures — be tested on a machine without Meilisearch.

#![allow(dead_code)]

use serde_json::Value;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One request the fake received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub body: Option<Value>,
}

/// Answers one request: (status, JSON body); status 0 never answers (a stalled server).
pub type Router = Arc<dyn Fn(&Recorded, usize) -> (u16, Value) + Send + Sync>;

/// A running fake with its base URL and the requests seen so far.
pub struct Fake {
    pub url: String,
    pub seen: Arc<Mutex<Vec<Recorded>>>,
}

impl Fake {
    /// Starts a fake that routes with `route(request, how many times this method+path was seen
    /// before)`.
    pub async fn start(
        route: impl Fn(&Recorded, usize) -> (u16, Value) + Send + Sync + 'static,
    ) -> Fake {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen: Arc<Mutex<Vec<Recorded>>> = Arc::default();
        let router: Router = Arc::new(route);
        let log = seen.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let (router, log) = (router.clone(), log.clone());
                tokio::spawn(async move {
                    let _ = serve(socket, router, log).await;
                });
            }
        });
        Fake { url, seen }
    }

    /// Requests seen with this method and path prefix.
    pub fn requests(&self, method: &str, path: &str) -> Vec<Recorded> {
        let seen = self.seen.lock().unwrap();
        seen.iter().filter(|r| r.method == method && r.path.starts_with(path)).cloned().collect()
    }
}

async fn serve(
    socket: tokio::net::TcpStream,
    router: Router,
    log: Arc<Mutex<Vec<Recorded>>>,
) -> std::io::Result<()> {
    let (read, mut write) = socket.into_split();
    let mut reader = BufReader::new(read);
    let mut line = String::new();
    reader.read_line(&mut line).await?;
    let mut parts = line.split_whitespace();
    let (method, path) =
        (parts.next().unwrap_or("").to_string(), parts.next().unwrap_or("").to_string());
    let (mut length, mut chunked) = (0usize, false);
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).await?;
        let h = header.trim().to_ascii_lowercase();
        if h.is_empty() {
            break;
        }
        if let Some(v) = h.strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
        if h.starts_with("transfer-encoding:") && h.contains("chunked") {
            chunked = true;
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size).await?;
            let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
            let mut chunk = vec![0; n + 2];
            reader.read_exact(&mut chunk).await?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    } else {
        body.resize(length, 0);
        reader.read_exact(&mut body).await?;
    }
    let recorded = Recorded { method, path, body: serde_json::from_slice(&body).ok() };
    let count = {
        let mut seen = log.lock().unwrap();
        let n =
            seen.iter().filter(|r| r.method == recorded.method && r.path == recorded.path).count();
        seen.push(recorded.clone());
        n
    };
    let (status, answer) = router(&recorded, count);
    if status == 0 {
        // Holds the connection open, answering nothing.
        std::future::pending::<()>().await;
    }
    let text = answer.to_string();
    let head = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        text.len()
    );
    write.write_all(head.as_bytes()).await?;
    write.write_all(text.as_bytes()).await?;
    write.shutdown().await
}

/// The answer to a write: an enqueued task.
pub fn enqueued(uid: u32, kind: &str) -> (u16, Value) {
    let v = serde_json::json!({
        "taskUid": uid, "indexUid": "x", "status": "enqueued", "type": kind,
        "enqueuedAt": "2025-01-01T00:00:00Z"
    });
    (202, v)
}

/// A task in `status` ("processing", "succeeded" or "failed" with `error`).
pub fn task(uid: u32, kind: &str, status: &str, error: Option<(&str, &str)>) -> (u16, Value) {
    let mut v = serde_json::json!({
        "uid": uid, "indexUid": "x", "status": status, "type": kind, "details": null,
        "canceledBy": null, "error": null,
        "duration": "PT0.010S",
        "enqueuedAt": "2025-01-01T00:00:00Z",
        "startedAt": "2025-01-01T00:00:00Z",
        "finishedAt": "2025-01-01T00:00:01Z"
    });
    if status == "processing" {
        v["duration"] = Value::Null;
        v["finishedAt"] = Value::Null;
    }
    if let Some((code, message)) = error {
        v["error"] = serde_json::json!({
            "message": message, "code": code, "type": "invalid_request",
            "link": format!("https://docs.meilisearch.com/errors#{code}")
        });
    }
    (200, v)
}
