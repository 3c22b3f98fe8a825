//! Owns the HTTP client the Meilisearch SDK talks through: the SDK's own sends every body as a
//! chunked stream (`Transfer-Encoding: chunked`), even a search of a few hundred bytes; this one
//! sends the body whole, with its `Content-Length`, as any other client of Meilisearch does.
//! Query strings, headers and the answer's parsing are the SDK's.

use async_trait::async_trait;
use futures::AsyncReadExt;
use meilisearch_sdk::errors::Error;
use meilisearch_sdk::request::{HttpClient, Method, parse_response};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue, USER_AGENT};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The SDK's client with this HTTP client.
pub(crate) type Client = meilisearch_sdk::client::Client<SizedHttp>;
/// An index of `Client`.
pub(crate) type Index = meilisearch_sdk::indexes::Index<SizedHttp>;

/// Sends each request with its whole body and its length.
#[derive(Debug, Clone)]
pub struct SizedHttp {
    client: reqwest::Client,
}

impl SizedHttp {
    /// A client sending `api_key` as its bearer token.
    pub fn new(api_key: Option<&str>) -> Result<SizedHttp, Error> {
        let mut headers = HeaderMap::new();
        headers.insert(USER_AGENT, HeaderValue::from_static("Etalase (meilisearch-sdk)"));
        if let Some(key) = api_key {
            let value = HeaderValue::from_str(&format!("Bearer {key}"))
                .map_err(|e| Error::Other(Box::new(e)))?;
            headers.insert(AUTHORIZATION, value);
        }
        // Meilisearch never redirects: without the redirect policy's layer each request is
        // one service call less.
        let client = reqwest::Client::builder()
            .default_headers(headers)
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(SizedHttp { client })
    }

    /// POSTs the JSON `body` to `url` (parsed once by the caller, not per request) and returns
    /// the answer's bytes when the status is `expected` (else Meilisearch's error): the
    /// search's own path, without the SDK's query string and URL building, so the caller can
    /// read the answer borrowing from these bytes.
    pub(crate) async fn post(
        &self,
        url: &reqwest::Url,
        body: Vec<u8>,
        expected: u16,
    ) -> Result<bytes::Bytes, Error> {
        let request = self.client.post(url.clone()).header(CONTENT_TYPE, "application/json");
        let response = request.body(body).send().await?;
        let status = response.status().as_u16();
        checked(status, expected, response.bytes().await?, url)
    }

    /// Sends `method` to `url` with `body` (and its content type), expecting `expected`.
    async fn send<Query: Serialize, Output: DeserializeOwned>(
        &self,
        url: &str,
        method: &Method<Query, ()>,
        body: Option<(&str, Vec<u8>)>,
        expected: u16,
    ) -> Result<Output, Error> {
        let url = format!("{url}{}", yaup::to_string(method.query())?);
        let verb = match method {
            Method::Get { .. } => reqwest::Method::GET,
            Method::Delete { .. } => reqwest::Method::DELETE,
            Method::Post { .. } => reqwest::Method::POST,
            Method::Put { .. } => reqwest::Method::PUT,
            Method::Patch { .. } => reqwest::Method::PATCH,
        };
        let mut request = self.client.request(verb, &url);
        if let Some((content_type, bytes)) = body {
            request = request.header(CONTENT_TYPE, content_type).body(bytes);
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        // `text()` would copy the answer through the lossy decoder, byte by byte.
        let bytes = response.bytes().await?;
        let lossy;
        let text = match std::str::from_utf8(&bytes) {
            Ok(text) => text,
            Err(_) => {
                lossy = String::from_utf8_lossy(&bytes);
                &lossy
            }
        };
        let text = if text.is_empty() { "null" } else { text };
        parse_response(status, expected, text, url)
    }
}

/// `bytes` when `status` is `expected`, else Meilisearch's error (read from `bytes`).
pub(crate) fn checked(
    status: u16,
    expected: u16,
    bytes: bytes::Bytes,
    url: &reqwest::Url,
) -> Result<bytes::Bytes, Error> {
    if status == expected {
        return Ok(bytes);
    }
    let text = String::from_utf8_lossy(&bytes);
    let text = if text.is_empty() { "null" } else { &text };
    match parse_response::<serde::de::IgnoredAny>(status, expected, text, url.to_string()) {
        Err(e) => Err(e),
        Ok(_) => Err(Error::Other(format!("status {status}").into())),
    }
}

#[async_trait]
impl HttpClient for SizedHttp {
    async fn request<Query, Body, Output>(
        &self,
        url: &str,
        method: Method<Query, Body>,
        expected_status_code: u16,
    ) -> Result<Output, Error>
    where
        Query: Serialize + Send + Sync,
        Body: Serialize + Send + Sync,
        Output: DeserializeOwned + 'static + Send,
    {
        let bytes = method.body().map(serde_json::to_vec).transpose()?;
        let method = method.map_body(|_| ());
        let body = bytes.map(|b| ("application/json", b));
        self.send(url, &method, body, expected_status_code).await
    }

    async fn stream_request<
        Query: Serialize + Send + Sync,
        Body: futures::AsyncRead + Send + Sync + 'static,
        Output: DeserializeOwned + 'static,
    >(
        &self,
        url: &str,
        method: Method<Query, Body>,
        content_type: &str,
        expected_status_code: u16,
    ) -> Result<Output, Error> {
        // Method's query is borrowed while the body is read: split them first.
        let (method, reader) = match method {
            Method::Get { query } => (Method::Get { query }, None),
            Method::Delete { query } => (Method::Delete { query }, None),
            Method::Post { query, body } => (Method::Post { query, body: () }, Some(body)),
            Method::Put { query, body } => (Method::Put { query, body: () }, Some(body)),
            Method::Patch { query, body } => (Method::Patch { query, body: () }, Some(body)),
        };
        let body = match reader {
            Some(reader) => {
                let mut bytes = Vec::new();
                std::pin::pin!(reader)
                    .read_to_end(&mut bytes)
                    .await
                    .map_err(|e| Error::Other(Box::new(e)))?;
                Some((content_type, bytes))
            }
            None => None,
        };
        self.send(url, &method, body, expected_status_code).await
    }

    fn is_tokio(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt};
    use tokio::net::TcpListener;

    /// A one-request server: returns the raw request it read (head and `Content-Length` bytes
    /// of body) and answers `status` with `answer`.
    async fn one_request(
        status: &'static str,
        answer: &'static str,
    ) -> (String, tokio::task::JoinHandle<String>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut raw = Vec::new();
            let mut buf = [0u8; 4096];
            loop {
                let n = socket.read(&mut buf).await.unwrap();
                raw.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&raw).to_string();
                if let Some(end) = text.find("\r\n\r\n") {
                    let length = text[..end]
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length: ")
                                .map(str::to_string)
                        })
                        .map(|v| v.trim().parse::<usize>().unwrap())
                        .unwrap_or(0);
                    if raw.len() >= end + 4 + length || n == 0 {
                        break;
                    }
                }
            }
            let reply = format!(
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                answer.len()
            );
            socket.write_all(reply.as_bytes()).await.unwrap();
            String::from_utf8(raw).unwrap()
        });
        (url, task)
    }

    #[derive(Serialize)]
    struct Query {
        limit: u32,
    }

    #[tokio::test]
    async fn a_json_body_is_sent_whole_with_its_length() {
        let (url, server) = one_request("200 OK", r#"{"ok":true}"#).await;
        let http = SizedHttp::new(Some("rahasia")).unwrap();
        let body = serde_json::json!({"queries": [{"indexUid": "produk", "q": "keripik"}]});
        let out: serde_json::Value = http
            .request(
                &format!("{url}/multi-search"),
                Method::Post { query: Query { limit: 3 }, body: body.clone() },
                200,
            )
            .await
            .unwrap();
        assert_eq!(out, serde_json::json!({"ok": true}));
        let raw = server.await.unwrap();
        let lower = raw.to_ascii_lowercase();
        assert!(raw.starts_with("POST /multi-search?limit=3 HTTP/1.1\r\n"), "{raw}");
        let sent = serde_json::to_vec(&body).unwrap();
        assert!(lower.contains(&format!("content-length: {}\r\n", sent.len())), "{raw}");
        assert!(!lower.contains("transfer-encoding"), "{raw}");
        assert!(lower.contains("authorization: bearer rahasia\r\n"), "{raw}");
        assert!(raw.ends_with(std::str::from_utf8(&sent).unwrap()), "{raw}");
    }

    #[tokio::test]
    async fn a_streamed_body_is_read_first_and_sent_with_its_length() {
        let (url, server) = one_request("202 Accepted", r#"{"taskUid":7}"#).await;
        let http = SizedHttp::new(None).unwrap();
        let ndjson = b"{\"id\":1}\n{\"id\":2}\n".to_vec();
        let out: serde_json::Value = http
            .stream_request(
                &format!("{url}/indexes/produk/documents"),
                Method::Put { query: (), body: futures::io::Cursor::new(ndjson.clone()) },
                "application/x-ndjson",
                202,
            )
            .await
            .unwrap();
        assert_eq!(out["taskUid"], 7);
        let raw = server.await.unwrap();
        let lower = raw.to_ascii_lowercase();
        assert!(raw.starts_with("PUT /indexes/produk/documents HTTP/1.1\r\n"), "{raw}");
        assert!(lower.contains(&format!("content-length: {}\r\n", ndjson.len())), "{raw}");
        assert!(lower.contains("content-type: application/x-ndjson\r\n"), "{raw}");
        assert!(!lower.contains("transfer-encoding"), "{raw}");
        assert!(!lower.contains("authorization"), "{raw}");
    }

    #[tokio::test]
    async fn an_unexpected_status_is_meilisearchs_error() {
        let answer = r#"{"message":"Index `x` not found.","code":"index_not_found","type":"invalid_request","link":"https://docs.meilisearch.com/errors#index_not_found"}"#;
        let (url, server) = one_request("404 Not Found", answer).await;
        let http = SizedHttp::new(None).unwrap();
        let out: Result<serde_json::Value, Error> = http
            .request(&format!("{url}/indexes/x"), Method::<(), ()>::Get { query: () }, 200)
            .await;
        let Err(Error::Meilisearch(e)) = out else { panic!("{out:?}") };
        assert_eq!(e.error_code, meilisearch_sdk::errors::ErrorCode::IndexNotFound);
        assert!(server.await.unwrap().starts_with("GET /indexes/x HTTP/1.1\r\n"));
    }
}
