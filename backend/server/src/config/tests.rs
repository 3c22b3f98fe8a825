//! Configuration layers, env parsing and the deployment check.
#![allow(clippy::unwrap_used)]

use super::*;

#[test]
fn layers_apply_in_order_file_then_env_then_flags() {
    let mut c: Config = toml::from_str("bind = \"0.0.0.0:9000\"\nweb_session_hours = 3\n").unwrap();
    assert_eq!(c.bind, "0.0.0.0:9000");
    assert_eq!(c.web_session_hours, 3);
    assert_eq!(c.api_token_hours, Config::default().api_token_hours);
    c.apply_env(|k| match k {
        "ETALASE_BIND" => Some("127.0.0.1:7000".into()),
        "DATABASE_URL" => Some("postgres://x@localhost/db".into()),
        _ => None,
    })
    .unwrap();
    assert_eq!(c.bind, "127.0.0.1:7000");
    assert_eq!(c.database_url(), "postgres://x@localhost/db");
}

#[test]
fn unknown_keys_in_the_file_are_refused() {
    assert!(toml::from_str::<Config>("bnid = \"x\"").is_err());
}

#[test]
fn a_non_numeric_env_value_names_the_variable() {
    let mut c = Config::default();
    let err =
        c.apply_env(|k| (k == "ETALASE_WEB_SESSION_HOURS").then(|| "dua".to_string())).unwrap_err();
    assert!(err.to_string().contains("ETALASE_WEB_SESSION_HOURS"));
}

#[test]
fn a_shared_database_with_local_search_or_blobs_is_refused_unless_allowed() {
    let sqlite = Config::default();
    assert!(sqlite.check_deployment().is_ok(), "SQLite is one instance by nature");
    let mut pg = Config { database_url: Some("postgres://x@h/db".into()), ..Config::default() };
    let err = pg.check_deployment().unwrap_err().to_string();
    assert!(err.contains("MEILI_URL") && err.contains("S3_ENDPOINT"), "{err}");
    pg.meili_url = Some("http://meili:7700".into());
    pg.s3 =
        Some(S3Settings { endpoint: "http://s3".into(), bucket: "b".into(), ..Default::default() });
    assert!(pg.check_deployment().is_ok());
    pg.s3 = None;
    assert!(pg.check_deployment().unwrap_err().to_string().contains("S3_ENDPOINT"));
    pg.allow_local_state = true;
    assert!(pg.check_deployment().is_ok());
}

#[test]
fn default_database_is_sqlite_in_the_data_dir() {
    let c = Config { data_dir: PathBuf::from("/tmp/x"), ..Config::default() };
    assert_eq!(c.database_url(), "sqlite:///tmp/x/etalase.db");
}

#[test]
fn request_threads_default_to_half_the_cores_and_can_be_set() {
    let c = Config::default();
    assert_eq!(c.worker_threads(1), 1, "one core still gets a thread");
    assert_eq!(c.worker_threads(2), 1);
    assert_eq!(c.worker_threads(8), 4);
    let mut c: Config = toml::from_str("workers = 3").unwrap();
    assert_eq!(c.worker_threads(2), 3, "the file's figure wins over the default");
    c.apply_env(|k| (k == "ETALASE_WORKERS").then(|| "2".to_string())).unwrap();
    assert_eq!(c.worker_threads(16), 2, "the environment wins over the file");
    let err = c.apply_env(|k| (k == "ETALASE_WORKERS").then(|| "0".to_string())).unwrap_err();
    assert!(err.to_string().contains("ETALASE_WORKERS"), "{err}");
    assert_eq!(c.workers, Some(2), "a refused value leaves the figure in force");
}
