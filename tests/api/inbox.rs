//! The inbox: proposals wait for the other side's answer, not the proposer's.

use etalase_domain::roles::Role;

use crate::agreements::{propose, world};
use crate::helpers::*;

#[tokio::test]
async fn a_proposal_waits_in_the_other_sides_inbox() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let id = propose(&app, &w.umkm.token, w.store, w.product).await["id"].as_i64().expect("id");

    let store_inbox = app.read("/api/v1/inbox", Some(&w.manager.token)).await;
    assert_eq!(store_inbox[0]["agreement"]["id"], id);
    assert_eq!(store_inbox[0]["kind"], "awaiting_answer");
    assert!(store_inbox[0]["message"].as_str().expect("m").contains("Tempo bayar 45 hari"));
    assert_eq!(
        app.read("/api/v1/inbox", Some(&w.office.token)).await.as_array().expect("list").len(),
        1
    );
    assert!(
        app.read("/api/v1/inbox", Some(&w.umkm.token)).await.as_array().expect("list").is_empty()
    );
    let dinas = app.user(Role::Dinas).await;
    assert!(
        app.read("/api/v1/inbox", Some(&dinas.token)).await.as_array().expect("list").is_empty()
    );

    app.post_empty(&format!("/api/v1/agreements/{id}/accept"), Some(&w.manager.token)).await;
    let umkm_inbox = app.read("/api/v1/inbox", Some(&w.umkm.token)).await;
    assert_eq!(umkm_inbox[0]["kind"], "starting_soon");
    assert_eq!(umkm_inbox[0]["message"], "Mulai 9 hari lagi");
}

/// A surat teguran to an MS store lands in the MS chain office's inbox, not in SM's.
#[tokio::test]
async fn a_notice_reaches_its_chain_offices_inbox_and_no_other_chains() {
    let app = spawn_app().await;
    let w = crate::compliance_world::world(&app).await;
    let ms_store = w.stores[2];
    assert!(
        app.read("/api/v1/inbox", Some(&w.ms_office.token))
            .await
            .as_array()
            .expect("list")
            .is_empty()
    );

    let n = json_ok(
        app.post(
            "/api/v1/notices",
            Some(&w.dinas.token),
            serde_json::json!({"store_id": ms_store}),
        )
        .await,
        201,
    )
    .await;

    let ms = app.read("/api/v1/inbox", Some(&w.ms_office.token)).await;
    let ms = ms.as_array().expect("list");
    assert_eq!(ms.len(), 1, "{ms:?}");
    assert_eq!(ms[0]["kind"], "notice");
    assert_eq!(ms[0]["notice"]["id"], n["id"]);
    assert_eq!(ms[0]["notice"]["store_id"], ms_store);
    assert!(ms[0].get("agreement").is_none());
    let sm = app.read("/api/v1/inbox", Some(&w.sm_office.token)).await;
    assert!(sm.as_array().expect("list").iter().all(|i| i["kind"] != "notice"), "{sm:?}");
    assert!(
        app.read("/api/v1/inbox", Some(&w.dinas.token)).await.as_array().expect("list").is_empty()
    );
}
