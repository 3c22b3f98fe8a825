//! Store lists through the shared import (`/api/v1/imports/gerai`, the page, the CLI): every
//! problem of every row at once and nothing saved; kelurahan, format and chain matched
//! forgivingly; the same file again changes nothing; a changed row updates the store (versioned)
//! and is audited with what changed; a chain office imports only its own chain's stores; the
//! template explains its columns.

use calamine::{Reader, Xlsx};
use etalase_db::entities::{audit, store};
use etalase_domain::roles::Role;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::imports::{XLSX, post_file, preview, save};
use crate::stores::{STORE_HEADER, chain, office};

const STORES: &str = "\
kode_gerai,nama_gerai,jaringan,format,alamat,kecamatan,kelurahan,lat,lon,facing_lokal
ms-cpr-1,Mitra Swalayan Cipare,ms,Minimarket,Jl. Cipare Raya 1,,Kel. Cipare,,,8
MS-CPJ-2,Mitra Swalayan Cipocok,Jaringan MS,supermarket,Jl. Cipocok 2,,cipocok,-6.1387,106.1741,20
SKW-3,Toko Sukawana,,toko modern lainnya,Jl. Sukawana 3,Curug,Sukawana,,,
";

async fn stores(app: &TestApp) -> Vec<store::Model> {
    let mut all = store::Entity::find().all(&app.state.db).await.unwrap();
    all.sort_by(|a, b| a.code.cmp(&b.code));
    all
}

fn matched(p: &Value) -> Vec<String> {
    p["rows"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["matched"].as_array().unwrap().iter().map(|m| m.as_str().unwrap().into()))
        .collect()
}

#[tokio::test]
async fn every_problem_of_every_row_is_reported_at_once_and_nothing_is_saved() {
    let app = spawn_app().await;
    chain(&app, "MS").await;
    let dinas = app.user(Role::Dinas).await;
    let (lat, lon) = crate::stores::centroid();
    let csv = format!(
        "{STORE_HEADER}\n\
         MS-1,Mitra Swalayan Baik,MS,minimarket,Jl. Baik 1,36.73.01.1001,{lat},{lon},5\n\
         a b,X,ZZ,warung,Jl,Atlantis,abc,,lima\n\
         MS-3,Toko Jauh,,minimarket,Jl. Jauh 3,Serang,-6.9,107.6,20000\n\
         MS-4,Toko Sukawana,,minimarket,Jl. Sukawana 4,Sukawana,{lat},,5\n\
         ms-1,Mitra Swalayan Lagi,MS,minimarket,Jl. Baik 5,36.73.01.1001,{lat},{lon},5\n"
    );

    let p = preview(&app, "gerai", &dinas.token, &csv).await;

    assert_eq!((p["clean"].as_bool(), p["total_rows"].as_u64()), (Some(false), Some(5)), "{p}");
    let errors = p["errors"].as_array().unwrap();
    let at = |line: i64| -> Vec<(&str, &str)> {
        let mut v: Vec<(&str, &str)> = errors
            .iter()
            .filter(|e| e["line"] == line)
            .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
            .collect();
        v.sort_unstable();
        v
    };
    assert_eq!(
        at(3),
        [
            ("alamat", "too_short"),
            ("facing_lokal", "invalid_number"),
            ("format", "invalid_choice"),
            ("jaringan", "unknown_chain"),
            ("kelurahan", "unknown_kelurahan"),
            ("kode_gerai", "invalid_format"),
            ("lat", "invalid_number"),
            ("nama_gerai", "too_short"),
        ],
        "{errors:?}"
    );
    assert_eq!(at(4), [("facing_lokal", "out_of_range"), ("lat", "not_in_kota_serang")]);
    // Sukawana is in two kecamatan: never guessed; and a lat without its lon.
    assert_eq!(at(5), [("kelurahan", "unknown_kelurahan"), ("lon", "required")]);
    assert_eq!(at(6), [("kode_gerai", "duplicate_in_file")]);
    let text: Vec<&str> = errors.iter().map(|e| e["message"].as_str().unwrap()).collect();
    assert!(text.iter().any(|m| m.contains("Sukawana") && m.contains("bisa berarti")), "{text:?}");
    assert!(text.iter().any(|m| m.contains("\"ZZ\"")), "{text:?}");

    let r = save(&app, "gerai", &dinas.token, &csv).await;
    let problem = expect_problem(r, 422, "validation_failed").await;
    assert!(fields(&problem).contains(&"rows[6].kode_gerai".to_string()), "{problem}");
    assert_eq!(store::Entity::find().count(&app.state.db).await.unwrap(), 0, "not even line 2");
}

#[tokio::test]
async fn kelurahan_format_and_chain_are_matched_forgivingly_and_shown() {
    let app = spawn_app().await;
    let ms = chain(&app, "MS").await;
    let dinas = app.user(Role::Dinas).await;

    let p = preview(&app, "gerai", &dinas.token, STORES).await;

    assert_eq!((p["clean"].as_bool(), p["new"].as_u64()), (Some(true), Some(3)), "{p}");
    let m = matched(&p);
    assert!(m.iter().any(|m| m.contains("\"Kel. Cipare\"") && m.contains("Cipare (36.73.01.1002")));
    assert!(m.iter().any(|m| m.contains("\"cipocok\"") && m.contains("Cipocok Jaya")), "{m:?}");
    assert!(m.iter().any(|m| m.contains("\"Jaringan MS\"") && m.contains("(MS)")), "{m:?}");
    assert_eq!(p["rows"][0]["key"], "kode MS-CPR-1");
    assert_eq!(p["rows"][0]["note"], "Titik lokasi: titik tengah kelurahan");
    assert_eq!(store::Entity::find().count(&app.state.db).await.unwrap(), 0, "a preview only");

    let saved = json_ok(save(&app, "gerai", &dinas.token, STORES).await, 201).await;
    assert_eq!(saved["new"], 3);
    let all = stores(&app).await;
    let got: Vec<(&str, Option<i64>, &str)> =
        all.iter().map(|s| (s.code.as_str(), s.chain_id, s.kelurahan_code.as_str())).collect();
    assert_eq!(
        got,
        [
            ("MS-CPJ-2", Some(ms), "36.73.05.1001"),
            ("MS-CPR-1", Some(ms), "36.73.01.1002"),
            ("SKW-3", None, "36.73.04.1007"),
        ]
    );
    let cipare = etalase_domain::wilayah::kota_serang().kelurahan_by_code("36.73.01.1002").unwrap();
    assert_eq!((all[1].lat, all[1].lon), (cipare.lat, cipare.lon), "the kelurahan's centre");
    assert_eq!(all[2].format, etalase_domain::store::StoreFormat::TokoModernLainnya);
    assert_eq!(all[2].local_facings, 0, "an empty facing_lokal is 0");
}

#[tokio::test]
async fn the_same_file_again_changes_nothing_and_a_changed_row_is_updated_and_audited() {
    let app = spawn_app().await;
    chain(&app, "MS").await;
    let dinas = app.user(Role::Dinas).await;
    json_ok(save(&app, "gerai", &dinas.token, STORES).await, 201).await;
    let before = stores(&app).await;

    let again = json_ok(save(&app, "gerai", &dinas.token, STORES).await, 201).await;

    assert_eq!(
        (again["new"].as_u64(), again["updated"].as_u64(), again["unchanged"].as_u64()),
        (Some(0), Some(0), Some(3))
    );
    assert_eq!(stores(&app).await, before, "nothing changed, not even a version");

    let changed =
        STORES.replace("Jl. Cipare Raya 1,", "Jl. Cipare Baru 10,").replace(",,,8", ",,,12");
    let p = preview(&app, "gerai", &dinas.token, &changed).await;
    let row = p["rows"].as_array().unwrap().iter().find(|r| r["line"] == 2).unwrap().clone();
    assert_eq!(
        (row["action"].as_str(), &row["changes"]),
        (Some("update"), &json!(["alamat", "facing lokal"]))
    );
    assert_eq!((p["updated"].as_u64(), p["unchanged"].as_u64()), (Some(1), Some(2)));

    json_ok(save(&app, "gerai", &dinas.token, &changed).await, 201).await;

    let old = before.iter().find(|s| s.code == "MS-CPR-1").unwrap();
    let now = store::Entity::find_by_id(old.id).one(&app.state.db).await.unwrap().unwrap();
    assert_eq!((now.address.as_str(), now.local_facings), ("Jl. Cipare Baru 10", 12));
    assert_eq!(now.version, old.version + 1);
    assert_eq!((now.lat, now.lon), (old.lat, old.lon), "no coordinates: the point is kept");
    let trail = audit::Entity::find()
        .filter(audit::Column::Action.eq("store_import_update"))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(trail.len(), 1, "only the changed store");
    assert_eq!((trail[0].entity_id, trail[0].actor_user_id), (old.id, Some(dinas.user_id)));
    assert!(trail[0].detail.as_deref().unwrap().contains("alamat, facing lokal"), "{trail:?}");
    let created = audit::Entity::find()
        .filter(audit::Column::Action.eq("store_import"))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(created, 3, "one audit row per store created");
}

#[tokio::test]
async fn a_chain_office_imports_only_its_own_chains_stores() {
    let app = spawn_app().await;
    let ms = chain(&app, "MS").await;
    chain(&app, "SM").await;
    let sm_store = crate::stores::store(&app, "SM-1", "SM").await;
    let o = office(&app, ms).await;
    let csv = "\
kode_gerai,nama_gerai,jaringan,format,alamat,kelurahan
MS-9,Mitra Swalayan Sembilan,,minimarket,Jl. Sembilan 9,Cipare
MS-10,Mitra Swalayan Sepuluh,MS,minimarket,Jl. Sepuluh 10,Cipare
SM-2,Serang Mart Dua,SM,minimarket,Jl. Dua 2,Cipare
SM-1,Serang Mart Diambil,,minimarket,Jl. Satu 1,Cipare
";

    let p = preview(&app, "gerai", &o.token, csv).await;

    let errs: Vec<(i64, &str, &str)> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (e["line"].as_i64().unwrap(), e["field"].as_str().unwrap(), e["code"].as_str().unwrap())
        })
        .collect();
    assert_eq!(
        errs,
        [(4, "jaringan", "not_your_chain"), (5, "kode_gerai", "not_your_chain")],
        "another chain's store, and another chain's existing code: {p}"
    );
    expect_problem(save(&app, "gerai", &o.token, csv).await, 422, "validation_failed").await;
    let sm = store::Entity::find_by_id(sm_store).one(&app.state.db).await.unwrap().unwrap();
    assert_eq!(sm.name, "Gerai SM-1", "the other chain's store is untouched");

    let own: String = csv.lines().take(3).map(|l| format!("{l}\n")).collect();
    let saved = json_ok(save(&app, "gerai", &o.token, &own).await, 201).await;
    assert_eq!(saved["new"], 2);
    let mine = store::Entity::find()
        .filter(store::Column::ChainId.eq(ms))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(mine, 2, "an empty jaringan is the office's own chain");

    // Stores only: businesses and products stay the Dinas'.
    let r = save(&app, "usaha", &o.token, crate::imports::BUSINESSES).await;
    expect_problem(r, 403, "forbidden").await;
    for kind in ["usaha", "gerai"] {
        let r = app.get(&format!("/api/v1/imports/{kind}/template.csv"), Some(&o.token)).await;
        assert_eq!(r.status(), if kind == "gerai" { 200 } else { 403 });
    }
    let umkm = app.user(Role::Umkm).await;
    expect_problem(save(&app, "gerai", &umkm.token, &own).await, 403, "forbidden").await;

    // The page offers a chain office its stores only.
    let web = app.web_client(&o).await;
    let html = web.get(app.url("/dinas/impor")).send().await.unwrap().text().await.unwrap();
    assert!(
        html.contains("value=\"gerai\" selected") && !html.contains("value=\"usaha\""),
        "{html}"
    );
    assert_eq!(web.get(app.url("/dinas/impor?jenis=usaha")).send().await.unwrap().status(), 403);
}

#[tokio::test]
async fn the_template_explains_every_column_and_its_example_previews_clean() {
    let app = spawn_app().await;
    chain(&app, "MS").await;
    let dinas = app.user(Role::Dinas).await;
    let r = app.get("/api/v1/imports/gerai/template.xlsx", Some(&dinas.token)).await;
    assert_eq!(r.status(), 200);
    let bytes = r.bytes().await.unwrap().to_vec();
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
    assert_eq!(wb.sheet_names(), ["Daftar gerai", "Penjelasan"]);
    let explain = wb.worksheet_range("Penjelasan").unwrap();
    let data = wb.worksheet_range("Daftar gerai").unwrap();
    let columns: Vec<String> = data.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(columns[0], "kode_gerai");
    for (i, col) in columns.iter().enumerate() {
        let line: Vec<String> =
            explain.rows().nth(i + 1).unwrap().iter().map(|c| c.to_string()).collect();
        assert_eq!(&line[0], col);
        assert!(line[2].len() > 10, "{col} is explained: {line:?}");
    }
    let aliases: Vec<String> = explain
        .rows()
        .skip(1)
        .map(|r| r.get(4).map(|c| c.to_string()).unwrap_or_default())
        .collect();
    assert!(aliases.iter().any(|a| a.contains("chain_code")), "the older headers: {aliases:?}");

    let r = post_file(&app, "/api/v1/imports/gerai/preview", &dinas.token, bytes, XLSX).await;
    let p = json_ok(r, 200).await;
    assert_eq!((p["total_rows"].as_u64(), p["clean"].as_bool()), (Some(1), Some(true)), "{p}");
    let csv = app.get("/api/v1/imports/gerai/template.csv", Some(&dinas.token)).await;
    let csv = csv.text().await.unwrap();
    assert_eq!(csv.lines().next().unwrap().split(',').count(), columns.len());
}

#[tokio::test]
async fn the_command_line_imports_stores_for_the_officer_it_names() {
    let app = spawn_app().await;
    chain(&app, "MS").await;
    let dinas = app.user(Role::Dinas).await;
    let umkm = app.user(Role::Umkm).await;
    let file = std::env::temp_dir().join(format!("etalase-gerai-{}.csv", dinas.user_id));
    std::fs::write(&file, STORES).unwrap();
    let run = |email: String, dry: bool| {
        let (state, file) = (app.state.clone(), file.clone());
        async move {
            etalase_server::service::imports::run::run(&state, "stores", &file, dry, &email, 100)
                .await
        }
    };

    let dry = run(dinas.email.clone(), true).await.unwrap();
    assert!(dry.contains("3 baru") && dry.contains("--dry-run"), "{dry}");
    assert_eq!(store::Entity::find().count(&app.state.db).await.unwrap(), 0);
    assert!(run(umkm.email.clone(), false).await.is_err(), "a UMKM account imports no stores");
    let out = run(dinas.email.clone(), false).await.unwrap();
    assert!(out.starts_with("Daftar gerai disimpan: 3 baru"), "{out}");
    let again = run(dinas.email.clone(), false).await.unwrap();
    assert!(again.contains("0 baru, 0 diubah, 3 tetap"), "{again}");
    std::fs::remove_file(&file).ok();
}
