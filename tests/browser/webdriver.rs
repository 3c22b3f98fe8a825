//! A minimal W3C WebDriver client over HTTP, enough to drive Debian's chromedriver: open
//! pages, fill and click elements, read the page and save screenshots.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use base64::Engine;
use serde_json::{Value, json};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct Driver {
    child: Child,
    base: String,
    session: String,
    http: reqwest::Client,
    pub shots: PathBuf,
    shot_no: usize,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

// A toolkit: not every test uses every verb.
#[allow(dead_code)]
impl Driver {
    /// Starts chromedriver and a headless Chromium the size of a phone.
    pub async fn start() -> Driver {
        let port = free_port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver is installed (make services installs Debian's chromium-driver)");
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        for _ in 0..100 {
            if http.get(format!("{base}/status")).send().await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = std::env::temp_dir().join(format!("etalase-chrome-{port}"));
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                         "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--window-size=412,1200", format!("--user-data-dir={}", profile.display())]
            }
        }}});
        let r: Value = http
            .post(format!("{base}/session"))
            .json(&caps)
            .send()
            .await
            .expect("new session")
            .json()
            .await
            .expect("json");
        let session = r["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {r}"))
            .to_string();
        let shots = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
        std::fs::create_dir_all(&shots).expect("screenshot folder");
        Driver { child, base, session, http, shots, shot_no: 0 }
    }

    async fn cmd(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/session/{}{}", self.base, self.session, path);
        let mut req = self.http.request(method, url);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let v: Value =
            req.send().await.expect("webdriver request").json().await.expect("webdriver json");
        if v["value"].get("error").is_some() {
            panic!("webdriver {path}: {}", v["value"]);
        }
        v["value"].clone()
    }

    pub async fn goto(&self, url: &str) {
        self.cmd(reqwest::Method::POST, "/url", Some(json!({"url": url}))).await;
    }

    pub async fn url(&self) -> String {
        self.cmd(reqwest::Method::GET, "/url", None).await.as_str().unwrap_or("").to_string()
    }

    pub async fn source(&self) -> String {
        self.cmd(reqwest::Method::GET, "/source", None).await.as_str().unwrap_or("").to_string()
    }

    /// Waits (up to 10 s) until the page contains `text`; false if it never does.
    pub async fn wait_for_text(&self, text: &str) -> bool {
        for _ in 0..100 {
            if self.source().await.contains(text) {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        false
    }

    /// Waits (up to 10 s) until the address satisfies `pred`; returns the last address seen.
    pub async fn wait_for_url(&self, pred: impl Fn(&str) -> bool) -> String {
        let mut url = String::new();
        for _ in 0..100 {
            url = self.url().await;
            if pred(&url) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        url
    }

    async fn find(&self, css: &str) -> String {
        for _ in 0..50 {
            let url = format!("{}/session/{}/element", self.base, self.session);
            let v: Value = self
                .http
                .post(url)
                .json(&json!({"using": "css selector", "value": css}))
                .send()
                .await
                .expect("find")
                .json()
                .await
                .expect("json");
            if let Some(id) = v["value"][ELEMENT].as_str() {
                return id.to_string();
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let src = self.source().await;
        panic!("element {css} not found on {}\n{}", self.url().await, &src[..src.len().min(3000)]);
    }

    pub async fn fill(&self, css: &str, text: &str) {
        let id = self.find(css).await;
        self.cmd(reqwest::Method::POST, &format!("/element/{id}/clear"), Some(json!({}))).await;
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{id}/value"),
            Some(json!({"text": text})),
        )
        .await;
    }

    /// Clicks the element `css` finds. When the page replaced that element between finding
    /// and clicking (the live search re-renders its results), it is found again and clicked.
    pub async fn click(&self, css: &str) {
        for _ in 0..5 {
            let id = self.find(css).await;
            let url = format!("{}/session/{}/element/{id}/click", self.base, self.session);
            let v: Value = self
                .http
                .post(url)
                .json(&json!({}))
                .send()
                .await
                .expect("webdriver request")
                .json()
                .await
                .expect("webdriver json");
            match v["value"].get("error").and_then(Value::as_str) {
                None => return,
                Some("stale element reference") => {
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await
                }
                Some(_) => panic!("webdriver click {css}: {}", v["value"]),
            }
        }
        panic!("webdriver click {css}: the element kept being replaced");
    }

    /// Chooses an option of a `<select>` by value.
    pub async fn select(&self, select_css: &str, value: &str) {
        self.click(&format!("{select_css} option[value='{value}']")).await;
    }

    /// Signs in through the login page at `login_url` and waits until the browser has left it.
    pub async fn sign_in(&self, login_url: &str, email: &str, password: &str) {
        self.goto(login_url).await;
        self.fill("#email", email).await;
        self.fill("#password", password).await;
        self.click("form button[type=submit]").await;
        let url = self.wait_for_url(|u| !u.contains("/masuk")).await;
        assert!(!url.contains("/masuk"), "signed in as {email}, not {url}");
    }

    /// Screenshots of this test go to `target/screenshots/<name>/`.
    pub fn shots_in(&mut self, name: &str) {
        self.shots = self.shots.join(name);
        std::fs::create_dir_all(&self.shots).expect("screenshot folder");
    }

    /// Resizes the window (CSS pixels of the viewport's outer window).
    pub async fn window(&self, width: u32, height: u32) {
        self.cmd(
            reqwest::Method::POST,
            "/window/rect",
            Some(json!({"width": width, "height": height})),
        )
        .await;
    }
    /// A phone (390×844) — the size most people here use.
    pub async fn phone(&self) {
        self.window(390, 844).await;
    }
    /// A desktop browser (1366×900).
    pub async fn desktop(&self) {
        self.window(1366, 900).await;
    }

    pub async fn back(&self) {
        self.cmd(reqwest::Method::POST, "/back", Some(json!({}))).await;
    }
    pub async fn refresh(&self) {
        self.cmd(reqwest::Method::POST, "/refresh", Some(json!({}))).await;
    }

    /// Types into a field without clearing it (keys as a person types them).
    pub async fn type_keys(&self, css: &str, text: &str) {
        let id = self.find(css).await;
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{id}/value"),
            Some(json!({"text": text})),
        )
        .await;
    }
    /// Presses Enter in a field (submits its form the way a person does).
    pub async fn press_enter(&self, css: &str) {
        self.type_keys(css, "\u{E007}").await;
    }
    /// Chooses a file for an `<input type=file>`.
    pub async fn attach(&self, css: &str, path: &std::path::Path) {
        self.type_keys(css, &path.display().to_string()).await;
    }

    /// Whether an element matching `css` is on the page now (no waiting).
    pub async fn exists(&self, css: &str) -> bool {
        let url = format!("{}/session/{}/elements", self.base, self.session);
        let v: Value = self
            .http
            .post(url)
            .json(&json!({"using": "css selector", "value": css}))
            .send()
            .await
            .expect("find")
            .json()
            .await
            .expect("json");
        v["value"].as_array().is_some_and(|a| !a.is_empty())
    }
    /// The visible text of the first element matching `css`.
    pub async fn text(&self, css: &str) -> String {
        let id = self.find(css).await;
        let v = self.cmd(reqwest::Method::GET, &format!("/element/{id}/text"), None).await;
        v.as_str().unwrap_or("").to_string()
    }

    /// Runs a script in the page and returns its value.
    pub async fn script(&self, js: &str) -> Value {
        self.cmd(reqwest::Method::POST, "/execute/sync", Some(json!({"script": js, "args": []})))
            .await
    }
    /// Whether the page is wider than the window (content overflowing sideways).
    pub async fn overflows_sideways(&self) -> bool {
        self.script(
            "return document.documentElement.scrollWidth > document.documentElement.clientWidth;",
        )
        .await
        .as_bool()
        .unwrap_or(true)
    }

    /// Accepts (`true`) or dismisses a `confirm()` dialog; returns its text.
    pub async fn answer_dialog(&self, accept: bool) -> String {
        let text = self.cmd(reqwest::Method::GET, "/alert/text", None).await;
        let path = if accept { "/alert/accept" } else { "/alert/dismiss" };
        self.cmd(reqwest::Method::POST, path, Some(json!({}))).await;
        text.as_str().unwrap_or("").to_string()
    }

    /// Removes every cookie (the server-side session stays; the browser forgets it).
    pub async fn delete_cookies(&self) {
        self.cmd(reqwest::Method::DELETE, "/cookie", None).await;
    }

    /// Saves a screenshot as `target/screenshots/NN-name.png`.
    pub async fn screenshot(&mut self, name: &str) -> PathBuf {
        self.shot_no += 1;
        let b64 = self.cmd(reqwest::Method::GET, "/screenshot", None).await;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().unwrap_or(""))
            .expect("png");
        let path = self.shots.join(format!("{:02}-{name}.png", self.shot_no));
        std::fs::write(&path, bytes).expect("write screenshot");
        path
    }

    pub async fn quit(mut self) {
        let _ = self.http.delete(format!("{}/session/{}", self.base, self.session)).send().await;
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
