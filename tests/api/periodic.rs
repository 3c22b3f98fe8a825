//! Periodic work with several instances: each task runs once per period, whoever claims it
//! first; a run whose instance died is taken over once its lease ends; a re-evaluation job left
//! running by a dead instance is started again.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::Duration;
use etalase_server::service::periodic::run_claimed;

use crate::helpers::*;

#[tokio::test]
async fn two_instances_run_a_period_once_and_the_next_period_again() {
    let app = spawn_app().await;
    let a = app.state.clone();
    let b = app.state.edited(|s| s.instance = "instance-b".into());
    let runs = Arc::new(AtomicUsize::new(0));
    let work = |runs: Arc<AtomicUsize>| async move {
        runs.fetch_add(1, Ordering::SeqCst);
        tokio::task::yield_now().await;
        Ok(())
    };

    let (ra, rb) = tokio::join!(
        run_claimed(&a, "uji", "2026-12-02T13:00", Duration::minutes(5), work(runs.clone())),
        run_claimed(&b, "uji", "2026-12-02T13:00", Duration::minutes(5), work(runs.clone())),
    );

    assert_eq!(runs.load(Ordering::SeqCst), 1, "one run for the period");
    assert_eq!([ra.unwrap().is_some(), rb.unwrap().is_some()].iter().filter(|x| **x).count(), 1);
    let again =
        run_claimed(&b, "uji", "2026-12-02T13:00", Duration::minutes(5), work(runs.clone()));
    assert!(again.await.unwrap().is_none(), "a finished period is not run again");
    let next = run_claimed(&b, "uji", "2026-12-02T14:00", Duration::minutes(5), work(runs.clone()));
    assert!(next.await.unwrap().is_some());
    assert_eq!(runs.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_run_whose_instance_died_is_taken_over_after_its_lease() {
    let app = spawn_app().await;
    let now = app.now();
    // Instance "mati" claimed the period and never finished.
    let claimed = etalase_db::repo::task_runs::claim(
        &app.state.db,
        "uji",
        "p1",
        "mati",
        now,
        now + Duration::minutes(10),
    )
    .await
    .unwrap();
    assert!(claimed);
    let ran = run_claimed(&app.state, "uji", "p1", Duration::minutes(10), async { Ok(1) });
    assert!(ran.await.unwrap().is_none(), "still within the dead instance's lease");

    app.advance(Duration::minutes(11));
    let ran = run_claimed(&app.state, "uji", "p1", Duration::minutes(10), async { Ok(1) });
    assert_eq!(ran.await.unwrap(), Some(1), "taken over once the lease ran out");
    let runs = etalase_db::repo::task_runs::recent(&app.state.db, "uji", 5).await.unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].holder, app.state.instance.as_ref());
    assert_eq!(runs[0].outcome.as_deref(), Some("selesai"));
}

#[tokio::test]
async fn a_panicking_run_is_recorded_as_failed_and_the_next_period_runs() {
    let app = spawn_app().await;
    let boom = run_claimed(&app.state, "uji", "p1", Duration::minutes(1), async {
        if app.now().timestamp() > 0 {
            panic!("sengaja");
        }
        Ok(())
    });
    assert!(boom.await.is_err());
    let runs = etalase_db::repo::task_runs::recent(&app.state.db, "uji", 5).await.unwrap();
    assert_eq!(runs[0].outcome.as_deref(), Some("gagal: panic"));
    let next = run_claimed(&app.state, "uji", "p2", Duration::minutes(1), async { Ok(2) });
    assert_eq!(next.await.unwrap(), Some(2));
}

#[tokio::test]
async fn a_re_evaluation_job_left_running_by_a_dead_instance_is_given_up_and_run_again() {
    use etalase_domain::{JobKind, JobStatus};
    let app = spawn_app().await;
    let kind = JobKind::ReevaluateVersion;
    let old =
        etalase_db::repo::jobs::start(&app.state.db, kind, Some(999), 10, app.now()).await.unwrap();
    let fresh_start = app.now() + Duration::minutes(14);
    app.advance(Duration::minutes(14));
    let fresh = etalase_db::repo::jobs::start(&app.state.db, kind, Some(998), 10, fresh_start)
        .await
        .unwrap();
    app.advance(Duration::minutes(2));

    etalase_server::service::standards::daily_tick(&app.state).await.unwrap();

    let old = etalase_db::repo::jobs::find(&app.state.db, old.id).await.unwrap().unwrap();
    assert_eq!(old.status, JobStatus::Failed, "16 minutes without progress: given up");
    assert!(old.message.unwrap_or_default().contains("dijalankan ulang"));
    let fresh = etalase_db::repo::jobs::find(&app.state.db, fresh.id).await.unwrap().unwrap();
    assert_eq!(fresh.status, JobStatus::Running, "2 minutes quiet is still alive");
    let started = etalase_db::repo::jobs::subjects_started(&app.state.db, kind).await.unwrap();
    assert!(!started.contains(&999) && started.contains(&998), "999 will be started again");
}
