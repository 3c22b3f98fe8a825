//! A panic in a handler must not drop the connection: it becomes the one problem+json body
//! (500, `internal_error`), and the panic message is logged, never shown. A panic in one pass of
//! a background loop (search relay, standards tick, agreement calendar, snapshots, media sweep)
//! must not end the loop: [`pass`] catches it, logs it with the loop's name, and the loop goes on.

use std::any::Any;

use axum::Router;
use axum::response::{IntoResponse, Response};
use tower_http::catch_panic::CatchPanicLayer;

use crate::error::AppError;

fn message(err: &(dyn Any + Send)) -> &str {
    err.downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("(bukan teks)")
}

/// Runs one pass of the background loop `task`; `None` when it panicked (logged).
pub async fn pass<T>(task: &'static str, work: impl std::future::Future<Output = T>) -> Option<T> {
    use futures::FutureExt as _;
    match std::panic::AssertUnwindSafe(work).catch_unwind().await {
        Ok(v) => Some(v),
        Err(err) => {
            tracing::error!(
                task,
                panic = message(err.as_ref()),
                "a background pass panicked; the loop goes on"
            );
            None
        }
    }
}

fn panic_response(err: Box<dyn Any + Send + 'static>) -> Response {
    let detail = message(err.as_ref());
    tracing::error!(panic = detail, "a request handler panicked");
    AppError::Internal(anyhow::anyhow!("handler panicked")).into_response()
}

/// Wraps every route so that a panic answers 500 instead of closing the connection.
pub fn guard<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    router.layer(CatchPanicLayer::custom(panic_response))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use axum::routing::get;
    use tower::ServiceExt;

    use super::*;

    #[tokio::test]
    async fn a_panicking_handler_answers_a_problem_500_without_its_message() {
        async fn boom() -> &'static str {
            let v: Vec<u8> = Vec::new();
            let i = v.len() + 3;
            if i > 1 {
                panic!("rahasia: index {i}");
            }
            "tidak sampai"
        }
        let app = guard(Router::new().route("/boom", get(boom)));
        let r = app.oneshot(Request::get("/boom").body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(r.headers()["content-type"], "application/problem+json");
        let body = axum::body::to_bytes(r.into_body(), 1 << 16).await.unwrap();
        let text = String::from_utf8(body.to_vec()).unwrap();
        assert!(text.contains("\"code\":\"internal_error\""), "{text}");
        assert!(!text.contains("rahasia"), "the panic message stays in the log: {text}");
    }

    #[tokio::test]
    async fn a_panicking_pass_ends_that_pass_only_and_the_loop_goes_on() {
        let calls = std::sync::atomic::AtomicU32::new(0);
        let mut results = Vec::new();
        for _ in 0..3 {
            let r = pass("uji", async {
                let n = calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                assert_ne!(n, 1, "the second pass fails");
                n
            })
            .await;
            results.push(r);
        }
        assert_eq!(results, vec![Some(0), None, Some(2)]);
    }
}
