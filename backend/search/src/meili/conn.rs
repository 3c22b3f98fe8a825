//! Owns the search's own HTTP/1.1 connections to Meilisearch (plain `http://`; over `https://`
//! the search goes through the reqwest client): each search drives its connection inside its
//! own task, where reqwest hands the request to a connection task of its own and back, two
//! task wakes more per search. Kept-alive connections wait in a small pool; one the server
//! has closed meanwhile is found out on use, and the search is sent once more on a fresh one
//! (a search changes nothing, so sending it twice is harmless).

use bytes::Bytes;
use futures::FutureExt;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1;
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HOST, HeaderValue, USER_AGENT};
use hyper_util::rt::TokioIo;
use std::pin::Pin;
use std::sync::Mutex;
use tokio::net::TcpStream;

/// Connections kept for later searches (more are closed after use).
const KEEP: usize = 64;

type Driver = http1::Connection<TokioIo<TcpStream>, Full<Bytes>>;

struct Conn {
    send: http1::SendRequest<Full<Bytes>>,
    driver: Pin<Box<Driver>>,
}

/// Failure on a connection of the search's own.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ConnError {
    #[error("koneksi ke Meilisearch: {0}")]
    Io(#[from] std::io::Error),
    #[error("HTTP ke Meilisearch: {0}")]
    Http(#[from] hyper::Error),
    #[error("permintaan ke Meilisearch: {0}")]
    Request(#[from] hyper::http::Error),
    #[error("Meilisearch menutup koneksi sebelum menjawab")]
    Closed,
}

/// The search's connections to one Meilisearch.
pub(crate) struct Conns {
    /// `host:port`, to connect to and for the `Host` header.
    authority: String,
    host: HeaderValue,
    path: hyper::Uri,
    auth: Option<HeaderValue>,
    idle: Mutex<Vec<Conn>>,
}

impl Conns {
    /// For `url` (the multi-search's) when it is plain `http://`; `None` otherwise.
    pub(crate) fn new(url: &reqwest::Url, api_key: Option<&str>) -> Option<Conns> {
        if url.scheme() != "http" {
            return None;
        }
        let authority = format!("{}:{}", url.host_str()?, url.port_or_known_default()?);
        let auth = match api_key {
            Some(key) => Some(HeaderValue::from_str(&format!("Bearer {key}")).ok()?),
            None => None,
        };
        Some(Conns {
            host: HeaderValue::from_str(&authority).ok()?,
            path: url.path().parse().ok()?,
            authority,
            auth,
            idle: Mutex::new(Vec::new()),
        })
    }

    /// POSTs the JSON `body`; the answer's status and bytes.
    pub(crate) async fn post(&self, body: Bytes) -> Result<(u16, Bytes), ConnError> {
        let kept = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let reused = kept.is_some();
        let mut conn = match kept {
            Some(conn) => conn,
            None => self.connect().await?,
        };
        let out = match exchange(&mut conn, self.request(body.clone())?).await {
            Err(_) if reused => {
                conn = self.connect().await?;
                exchange(&mut conn, self.request(body)?).await?
            }
            out => out?,
        };
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < KEEP
            && !conn.send.is_closed()
        {
            idle.push(conn);
        }
        Ok(out)
    }

    async fn connect(&self) -> Result<Conn, ConnError> {
        let stream = TcpStream::connect(&self.authority).await?;
        stream.set_nodelay(true)?;
        let (send, driver) = http1::handshake(TokioIo::new(stream)).await?;
        Ok(Conn { send, driver: Box::pin(driver) })
    }

    fn request(&self, body: Bytes) -> Result<hyper::Request<Full<Bytes>>, ConnError> {
        let mut request = hyper::Request::post(self.path.clone())
            .header(HOST, self.host.clone())
            .header(USER_AGENT, "Etalase (meilisearch-sdk)")
            .header(CONTENT_TYPE, "application/json");
        if let Some(auth) = &self.auth {
            request = request.header(AUTHORIZATION, auth.clone());
        }
        Ok(request.body(Full::new(body))?)
    }
}

/// Sends `request` on `conn` and reads the whole answer, driving the connection meanwhile.
async fn exchange(
    conn: &mut Conn,
    request: hyper::Request<Full<Bytes>>,
) -> Result<(u16, Bytes), ConnError> {
    let Conn { send, driver } = conn;
    let work = async move {
        send.ready().await?;
        let response = send.send_request(request).await?;
        let status = response.status().as_u16();
        let body = response.into_body().collect().await?.to_bytes();
        Ok::<_, ConnError>((status, body))
    };
    let mut work = std::pin::pin!(work);
    tokio::select! {
        biased;
        out = &mut work => return out,
        end = driver.as_mut() => end?,
    }
    // The connection has ended cleanly, as after an answer with `Connection: close`: that
    // answer is whole already, or there is none.
    work.now_or_never().unwrap_or(Err(ConnError::Closed))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    /// A server answering every request on a connection with `{"n":<request number>}`, and
    /// closing each connection after `per_connection` answers (without saying so). Counts the
    /// connections it accepted.
    async fn server(per_connection: usize) -> (reqwest::Url, Arc<AtomicUsize>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/multi-search", listener.local_addr().unwrap());
        let accepted = Arc::new(AtomicUsize::new(0));
        let (count, answered) = (accepted.clone(), Arc::new(AtomicUsize::new(0)));
        tokio::spawn(async move {
            loop {
                let (mut socket, _) = listener.accept().await.unwrap();
                count.fetch_add(1, Ordering::SeqCst);
                let answered = answered.clone();
                tokio::spawn(async move {
                    let mut raw = Vec::new();
                    for _ in 0..per_connection {
                        // One request: the head, then `Content-Length` bytes.
                        let (end, length) = loop {
                            let text = String::from_utf8_lossy(&raw).to_ascii_lowercase();
                            if let Some(end) = text.find("\r\n\r\n") {
                                let length = text[..end]
                                    .lines()
                                    .find_map(|l| l.strip_prefix("content-length: "))
                                    .map_or(0, |v| v.trim().parse::<usize>().unwrap());
                                if raw.len() >= end + 4 + length {
                                    break (end, length);
                                }
                            }
                            let mut buf = [0u8; 4096];
                            match socket.read(&mut buf).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => raw.extend_from_slice(&buf[..n]),
                            }
                        };
                        raw.drain(..end + 4 + length);
                        let n = answered.fetch_add(1, Ordering::SeqCst) + 1;
                        let body = format!("{{\"n\":{n}}}");
                        let reply = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                            body.len()
                        );
                        socket.write_all(reply.as_bytes()).await.unwrap();
                    }
                });
            }
        });
        (url.parse().unwrap(), accepted)
    }

    #[tokio::test]
    async fn searches_reuse_a_kept_connection() {
        let (url, accepted) = server(100).await;
        let conns = Conns::new(&url, Some("rahasia")).unwrap();
        for n in 1..=3 {
            let (status, body) = conns.post(Bytes::from_static(b"{}")).await.unwrap();
            assert_eq!((status, body), (200, Bytes::from(format!("{{\"n\":{n}}}"))));
        }
        assert_eq!(accepted.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_connection_the_server_closed_is_replaced_and_the_search_sent_again() {
        let (url, accepted) = server(1).await;
        let conns = Conns::new(&url, None).unwrap();
        for n in 1..=3 {
            let (_, body) = conns.post(Bytes::from_static(b"{}")).await.unwrap();
            assert_eq!(body, Bytes::from(format!("{{\"n\":{n}}}")));
        }
        assert_eq!(accepted.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn nothing_listening_is_an_error_not_a_hang() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/multi-search", listener.local_addr().unwrap());
        drop(listener);
        let conns = Conns::new(&url.parse().unwrap(), None).unwrap();
        assert!(matches!(conns.post(Bytes::new()).await, Err(ConnError::Io(_))));
    }

    #[test]
    fn https_goes_through_the_tls_client() {
        let url = "https://meili.example.id/multi-search".parse().unwrap();
        assert!(Conns::new(&url, None).is_none());
        let url = "http://meili.example.id/multi-search".parse().unwrap();
        let conns = Conns::new(&url, Some("k")).unwrap();
        assert_eq!(conns.authority, "meili.example.id:80");
        assert_eq!(conns.path, "/multi-search");
    }
}
