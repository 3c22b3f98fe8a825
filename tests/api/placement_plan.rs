//! The city-wide placement plan through the API (issue 16): the Dinas computes a plan with the
//! policy in force, reads it by kecamatan and chain, sends it once as draft agreements that the
//! store side still accepts; other roles get 403.

use etalase_domain::roles::Role;
use serde_json::json;

use crate::agreements::world;
use crate::compliance_world::{policy_from, today};
use crate::helpers::*;

async fn agreement_count(app: &TestApp) -> u64 {
    use sea_orm::{EntityTrait, PaginatorTrait};
    etalase_db::entities::agreement::Entity::find().count(&app.state.db).await.expect("count")
}

#[tokio::test]
async fn the_dinas_computes_views_and_sends_a_plan_once() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let (_, second) = app.published_product().await;
    policy_from(&app, today(), 1, 1, 1).await;
    let dinas = app.user(Role::Dinas).await;

    let plan =
        json_ok(app.post("/api/v1/placement-plans", Some(&dinas.token), json!({})).await, 201)
            .await;

    assert_eq!(plan["stores_below"], 2, "{plan}");
    assert_eq!(plan["stores_reaching"], 2);
    assert_eq!(plan["placements"], 2);
    assert_eq!(plan["objective"], plan["lower_bound"]);
    assert_eq!(plan["plan_date"], today().to_string());
    let stores = plan["stores"].as_array().expect("stores");
    for s in stores {
        let p = s["proposals"].as_array().expect("proposals");
        assert_eq!(p.len(), 1, "{s}");
        assert!([w.product, second].contains(&p[0]["product_id"].as_i64().unwrap_or(0)));
        assert!(p[0]["reason"].as_str().unwrap_or("").contains(" km"), "{s}");
        assert_eq!(s["reaches_policy"], true);
    }
    let chains: Vec<&str> =
        plan["by_chain"].as_array().unwrap().iter().filter_map(|g| g["name"].as_str()).collect();
    assert_eq!(chains.len(), 2, "{chains:?}");
    assert!(chains.iter().all(|c| !c.is_empty()));
    assert!(!plan["by_kecamatan"].as_array().unwrap().is_empty());
    let id = plan["id"].as_i64().expect("id");
    let latest = app.read("/api/v1/placement-plans/latest", Some(&dinas.token)).await;
    assert_eq!(latest["id"], id);
    assert_eq!(latest["stores"], plan["stores"], "the kept plan is the computed one");

    let before = agreement_count(&app).await;
    let send = format!("/api/v1/placement-plans/{id}/send");
    let p = expect_problem(
        app.post(&send, Some(&dinas.token), json!({})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(field_code(&p, "confirm").as_deref(), Some("confirmation_required"));
    assert_eq!(agreement_count(&app).await, before, "no confirmation, nothing sent");

    let sent =
        json_ok(app.post(&send, Some(&dinas.token), json!({"confirm": true})).await, 200).await;
    assert_eq!((sent["created"].as_i64(), sent["skipped"].as_i64()), (Some(2), Some(0)));
    assert_eq!(agreement_count(&app).await, before + 2);
    expect_problem(
        app.post(&send, Some(&dinas.token), json!({"confirm": true})).await,
        409,
        "plan_already_sent",
    )
    .await;
    assert_eq!(agreement_count(&app).await, before + 2, "sending twice duplicates nothing");
    let again =
        json_ok(app.post("/api/v1/placement-plans", Some(&dinas.token), json!({})).await, 201)
            .await;
    assert_eq!(again["stores_below"], 0, "the drafts on the table count: {again}");
    assert_eq!(again["placements"], 0);
    let kept = app.read(&format!("/api/v1/placement-plans/{id}"), Some(&dinas.token)).await;
    assert_eq!(kept["sent_agreements"], 2);
    assert!(kept["sent_at"].is_string());

    // The draft reaches the store as a proposal it may accept as any other.
    let mine = app.read("/api/v1/agreements", Some(&w.manager.token)).await;
    let items = mine["items"].as_array().or(mine.as_array()).expect("agreements").clone();
    let draft = items.iter().find(|a| a["store_id"] == w.store).expect("a draft for MS-1");
    assert_eq!(draft["status"], "proposed");
    let aid = draft["id"].as_i64().unwrap();
    let r = app
        .post(
            &format!("/api/v1/agreements/{aid}/accept"),
            Some(&w.manager.token),
            json!({"version": 1, "note": "Setuju"}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap_or_default());
    let audit = etalase_db::repo::audit::for_entity(&app.state.db, "placement_plan", id)
        .await
        .expect("audit");
    let actions: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
    assert!(
        actions.contains(&"placement_plan.compute") && actions.contains(&"placement_plan.send")
    );
}

#[tokio::test]
async fn stores_that_cannot_reach_the_policy_are_listed_with_the_reason() {
    let app = spawn_app().await;
    world(&app).await;
    app.published_product().await;
    // Three UMKM are needed and only two have products.
    policy_from(&app, today(), 1, 1, 3).await;
    let dinas = app.user(Role::Dinas).await;

    let plan =
        json_ok(app.post("/api/v1/placement-plans", Some(&dinas.token), json!({})).await, 201)
            .await;

    assert_eq!(plan["stores_reaching"], 0, "{plan}");
    for s in plan["stores"].as_array().unwrap() {
        assert_eq!(s["reaches_policy"], false);
        assert_eq!(s["reason_code"], "too_few_producers");
        assert!(s["reason"].as_str().unwrap().contains("terlalu sedikit"));
        assert_eq!(s["needed"], 3);
        assert_eq!(s["proposals"].as_array().unwrap().len(), 2, "it still gets what there is");
    }
}

#[tokio::test]
async fn only_the_dinas_plans_and_sends() {
    let app = spawn_app().await;
    let w = world(&app).await;
    policy_from(&app, today(), 1, 1, 1).await;
    let dinas = app.user(Role::Dinas).await;
    let plan =
        json_ok(app.post("/api/v1/placement-plans", Some(&dinas.token), json!({})).await, 201)
            .await;
    let id = plan["id"].as_i64().unwrap();
    for token in [&w.manager.token, &w.office.token, &w.umkm.token] {
        expect_problem(
            app.post("/api/v1/placement-plans", Some(token), json!({})).await,
            403,
            "forbidden",
        )
        .await;
        expect_problem(
            app.get("/api/v1/placement-plans/latest", Some(token)).await,
            403,
            "forbidden",
        )
        .await;
        let send = format!("/api/v1/placement-plans/{id}/send");
        expect_problem(
            app.post(&send, Some(token), json!({"confirm": true})).await,
            403,
            "forbidden",
        )
        .await;
    }
    let admin = app.user(Role::Admin).await;
    assert_eq!(
        app.get(&format!("/api/v1/placement-plans/{id}"), Some(&admin.token)).await.status(),
        200
    );
    let r = app.get("/api/v1/placement-plans/latest", None).await;
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn two_sends_at_once_make_the_drafts_once() {
    let app = spawn_app().await;
    world(&app).await;
    app.published_product().await;
    policy_from(&app, today(), 1, 1, 1).await;
    let dinas = app.user(Role::Dinas).await;
    let plan =
        json_ok(app.post("/api/v1/placement-plans", Some(&dinas.token), json!({})).await, 201)
            .await;
    let before = agreement_count(&app).await;
    let path = format!("/api/v1/placement-plans/{}/send", plan["id"]);
    let bodies = vec![json!({"confirm": true}); 3];

    let answers = app.concurrently(reqwest::Method::POST, &path, &dinas.token, bodies).await;

    let mut statuses: Vec<u16> = answers.iter().map(|(s, _)| *s).collect();
    statuses.sort_unstable();
    assert_eq!(statuses, vec![200, 409, 409], "{answers:?}");
    assert_eq!(agreement_count(&app).await, before + 2);
}
