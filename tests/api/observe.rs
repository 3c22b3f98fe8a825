//! What operators see: a request id on every response, and `GET /metrics` (Prometheus text)
//! with per-route latency, throttle refusals and the shared outbox/job gauges, readable by an
//! admin or the configured token only.

use etalase_domain::roles::Role;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn every_response_carries_a_request_id_and_a_sane_one_is_kept() {
    let app = spawn_app().await;
    let r = app.get("/api/v1/catalog", None).await;
    let id = r.headers().get("x-request-id").expect("an id").to_str().unwrap().to_string();
    assert_eq!(id.len(), 16, "{id}");
    let again = app.get("/api/v1/catalog", None).await;
    assert_ne!(
        again.headers().get("x-request-id").unwrap().to_str().unwrap(),
        id,
        "fresh per request"
    );

    let kept = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "lb-abc_123")
        .send()
        .await
        .unwrap();
    assert_eq!(kept.headers().get("x-request-id").unwrap(), "lb-abc_123");
    let odd =
        app.client.get(app.url("/healthz")).header("x-request-id", "a b\"c").send().await.unwrap();
    assert_ne!(odd.headers().get("x-request-id").unwrap(), "a b\"c", "not echoed as given");
    let missing = app.get("/tidak/ada", None).await;
    assert!(missing.headers().get("x-request-id").is_some(), "also on a 404");
}

/// The security headers are on every answer: a JSON one, a problem (404, 405), a page, an asset;
/// one a handler set itself is kept.
#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let app = spawn_app().await;
    let answers = [
        app.get("/api/v1/catalog", None).await,
        app.get("/api/v1/search/products?q=kopi", None).await,
        app.get("/api/v1/tidak-ada", None).await,
        app.delete("/api/v1/me", None).await,
        app.get("/masuk", None).await,
        app.get("/tidak/ada", None).await,
        app.get("/assets/icon.svg", None).await,
    ];
    let expected = [
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "same-origin"),
    ];
    for r in &answers {
        for (name, value) in expected {
            let got = r.headers().get_all(name).iter().collect::<Vec<_>>();
            assert_eq!(got, [value], "{name} on {} {}", r.url(), r.status());
        }
    }
    assert_eq!(answers[3].status(), 405);
}

#[tokio::test]
async fn metrics_count_requests_per_route_and_throttle_refusals_for_the_token_holder() {
    let app = spawn_app_with(|c| c.metrics_token = Some("rahasia-prometheus".into()), None).await;
    let admin = app.user(Role::Admin).await;
    let store = app.user(Role::Store).await;
    for _ in 0..3 {
        assert_eq!(app.get("/api/v1/catalog", None).await.status(), 200);
    }
    for _ in 0..6 {
        let body = json!({"email": store.email, "password": "salah-sekali"});
        app.post("/api/v1/auth/login", None, body).await;
    }

    expect_problem(app.get("/metrics", None).await, 403, "forbidden").await;
    expect_problem(app.get("/metrics", Some(&store.token)).await, 403, "forbidden").await;
    let by_admin = app.get("/metrics", Some(&admin.token)).await;
    assert_eq!(by_admin.status(), 200);
    let r =
        app.client.get(app.url("/metrics")).bearer_auth("rahasia-prometheus").send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
    let text = r.text().await.unwrap();

    let line = "etalase_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/catalog\",status=\"200\"} 3";
    assert!(text.contains(line), "per-route count:\n{text}");
    assert!(text.contains("route=\"/api/v1/auth/login\",status=\"422\"} 5"), "{text}");
    assert!(text.contains("etalase_login_throttled_total 1"), "one refusal counted:\n{text}");
    assert!(text.contains("\netalase_log_lines_dropped_total 0\n"), "no log line dropped:\n{text}");
    assert!(text.contains("etalase_search_outbox_depth "), "{text}");
    assert!(text.contains("etalase_jobs_running 0"), "{text}");
    assert!(text.contains("etalase_photo_pipeline_seconds_count{} 0"), "{text}");
}
