//! The standard editor's form, usable on a phone: one row per requirement kind with a
//! checkbox and its parameters. Turns requirements into rows (to prefill) and posted fields
//! back into requirements. Field names: `on_{kind}`, `{kind}_{param}`, and for sets
//! `{kind}_{param}_{code}`.

use std::collections::HashMap;

use etalase_domain::producer::BusinessScale;
use etalase_domain::product::{Packaging, StorageType};
use etalase_domain::standards::{CertificateNeed, Requirement};
use serde_json::{Map, Value};

/// How a parameter is entered.
#[derive(Debug, Clone, Copy)]
enum Param {
    Int(&'static str, &'static str, i64),
    OptInt(&'static str, &'static str),
    Choice(&'static str, &'static str, fn() -> Vec<(&'static str, &'static str)>),
    Set(&'static str, &'static str, fn() -> Vec<(&'static str, &'static str)>),
}

fn needs() -> Vec<(&'static str, &'static str)> {
    CertificateNeed::all().iter().map(|c| (c.as_str(), c.label())).collect()
}
fn packagings() -> Vec<(&'static str, &'static str)> {
    Packaging::all().iter().map(|c| (c.as_str(), c.label())).collect()
}
fn storages() -> Vec<(&'static str, &'static str)> {
    StorageType::all().iter().map(|c| (c.as_str(), c.label())).collect()
}
fn scales() -> Vec<(&'static str, &'static str)> {
    BusinessScale::all().iter().map(|c| (c.as_str(), c.label())).collect()
}

/// Each kind's title and parameters, in the order of `Requirement::KINDS`.
fn spec(kind: &str) -> (&'static str, Vec<Param>) {
    match kind {
        "certificate" => {
            ("Sertifikat/izin berlaku", vec![Param::Choice("certificate", "Jenis", needs)])
        }
        "halal" => ("Sertifikat halal berlaku", vec![]),
        "gtin" => ("Barcode GTIN-13 valid", vec![]),
        "shelf_life" => ("Masa simpan minimal", vec![Param::Int("min_days", "hari", 30)]),
        "photos" => (
            "Foto tajam",
            vec![
                Param::Int("min_count", "jumlah foto", 1),
                Param::Int("min_long_side", "sisi panjang (px)", 1000),
            ],
        ),
        "net_content" => ("Isi bersih dan satuan tercantum", vec![]),
        "pack_size" => (
            "Isi per kemasan",
            vec![Param::OptInt("min", "minimal"), Param::OptInt("max", "maksimal")],
        ),
        "packaging" => ("Jenis kemasan yang diterima", vec![Param::Set("allowed", "", packagings)]),
        "storage" => ("Penyimpanan yang diterima", vec![Param::Set("allowed", "", storages)]),
        "monthly_capacity" => {
            ("Kapasitas per bulan minimal", vec![Param::Int("min", "kemasan/bulan", 300)])
        }
        "producer_verified" => ("Usaha terverifikasi Dinas", vec![]),
        "producer_scale" => ("Skala usaha", vec![Param::Set("allowed", "", scales)]),
        "price" => ("Harga grosir dan eceran tercantum", vec![]),
        _ => ("", vec![]),
    }
}

/// One input of a row.
#[derive(Debug, Clone)]
pub struct EditorInput {
    pub name: String,
    pub label: String,
    /// `number`, `select` or `checks`.
    pub input: &'static str,
    pub value: String,
    /// (code, label, selected) for selects and check sets.
    pub options: Vec<(String, String, bool)>,
}

/// One requirement kind in the editor.
#[derive(Debug, Clone)]
pub struct EditorRow {
    pub kind: String,
    pub title: String,
    pub checked: bool,
    pub inputs: Vec<EditorInput>,
}

/// The flat field map of a list of requirements.
pub fn fields_of(requirements: &[Requirement]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for r in requirements {
        let k = r.kind();
        out.insert(format!("on_{k}"), "on".to_string());
        if let Ok(Value::Object(m)) = serde_json::to_value(r) {
            for (p, v) in m.into_iter().filter(|(p, _)| p != "kind") {
                match v {
                    Value::Array(items) => {
                        for i in items.iter().filter_map(Value::as_str) {
                            out.insert(format!("{k}_{p}_{i}"), "on".to_string());
                        }
                    }
                    Value::String(s) => drop(out.insert(format!("{k}_{p}"), s)),
                    Value::Number(n) => drop(out.insert(format!("{k}_{p}"), n.to_string())),
                    _ => {}
                }
            }
        }
    }
    out
}

/// The editor rows, filled from `fields` (a posted form or `fields_of` a version).
pub fn rows(fields: &HashMap<String, String>) -> Vec<EditorRow> {
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    Requirement::KINDS
        .iter()
        .map(|kind| {
            let (title, params) = spec(kind);
            let inputs = params
                .into_iter()
                .map(|p| match p {
                    Param::Int(n, label, default) => {
                        let name = format!("{kind}_{n}");
                        let v = fields.get(&name).cloned().unwrap_or_else(|| default.to_string());
                        EditorInput {
                            name,
                            label: label.into(),
                            input: "number",
                            value: v,
                            options: vec![],
                        }
                    }
                    Param::OptInt(n, label) => {
                        let name = format!("{kind}_{n}");
                        EditorInput {
                            value: get(&name),
                            name,
                            label: label.into(),
                            input: "number",
                            options: vec![],
                        }
                    }
                    Param::Choice(n, label, opts) => {
                        let name = format!("{kind}_{n}");
                        let v = get(&name);
                        let options = opts()
                            .into_iter()
                            .map(|(c, l)| (c.to_string(), l.to_string(), v == c))
                            .collect();
                        EditorInput {
                            name,
                            label: label.into(),
                            input: "select",
                            value: v,
                            options,
                        }
                    }
                    Param::Set(n, label, opts) => {
                        let name = format!("{kind}_{n}");
                        let options = opts()
                            .into_iter()
                            .map(|(c, l)| {
                                (
                                    c.to_string(),
                                    l.to_string(),
                                    fields.contains_key(&format!("{name}_{c}")),
                                )
                            })
                            .collect();
                        EditorInput {
                            name,
                            label: label.into(),
                            input: "checks",
                            value: String::new(),
                            options,
                        }
                    }
                })
                .collect();
            EditorRow {
                kind: kind.to_string(),
                title: title.into(),
                checked: fields.contains_key(&format!("on_{kind}")),
                inputs,
            }
        })
        .collect()
}

/// Reads the ticked rows of a posted form into requirements; the message names the row.
pub fn read(fields: &HashMap<String, String>) -> Result<Vec<Requirement>, String> {
    let mut out = Vec::new();
    for kind in Requirement::KINDS.iter().filter(|k| fields.contains_key(&format!("on_{k}"))) {
        let (title, params) = spec(kind);
        let mut m = Map::new();
        m.insert("kind".into(), Value::String(kind.to_string()));
        for p in params {
            let (n, value) = match p {
                Param::Int(n, _, _) | Param::OptInt(n, _) => {
                    let raw: String = fields
                        .get(&format!("{kind}_{n}"))
                        .map(|v| v.trim().replace('.', ""))
                        .unwrap_or_default();
                    if raw.is_empty() {
                        if matches!(p, Param::OptInt(..)) {
                            continue;
                        }
                        return Err(format!("{title}: isi angkanya."));
                    }
                    let v: i64 = raw
                        .parse()
                        .map_err(|_| format!("{title}: \"{raw}\" bukan bilangan bulat."))?;
                    (n, Value::from(v))
                }
                Param::Choice(n, _, _) => (
                    n,
                    Value::String(fields.get(&format!("{kind}_{n}")).cloned().unwrap_or_default()),
                ),
                Param::Set(n, _, opts) => {
                    let chosen: Vec<Value> = opts()
                        .into_iter()
                        .filter(|(c, _)| fields.contains_key(&format!("{kind}_{n}_{c}")))
                        .map(|(c, _)| Value::String(c.into()))
                        .collect();
                    (n, Value::Array(chosen))
                }
            };
            m.insert(n.into(), value);
        }
        out.push(serde_json::from_value(Value::Object(m)).map_err(|e| format!("{title}: {e}"))?);
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_version_round_trips_through_the_form() {
        let reqs: Vec<Requirement> = serde_json::from_value(serde_json::json!([
            {"kind": "certificate", "certificate": "izin_edar"},
            {"kind": "photos", "min_count": 2, "min_long_side": 1000},
            {"kind": "pack_size", "max": 6},
            {"kind": "packaging", "allowed": ["standing_pouch", "toples"]},
            {"kind": "gtin"}
        ]))
        .unwrap();
        let fields = fields_of(&reqs);
        let mut back = read(&fields).unwrap();
        let mut want = reqs.clone();
        back.sort_by_key(|r| r.kind());
        want.sort_by_key(|r| r.kind());
        assert_eq!(back, want);
        let rows = rows(&fields);
        assert_eq!(rows.len(), Requirement::KINDS.len());
        assert!(rows.iter().find(|r| r.kind == "gtin").unwrap().checked);
        assert!(!rows.iter().find(|r| r.kind == "halal").unwrap().checked);
    }

    #[test]
    fn a_bad_number_names_its_row() {
        let mut f = HashMap::new();
        f.insert("on_shelf_life".to_string(), "on".to_string());
        f.insert("shelf_life_min_days".to_string(), "tiga".to_string());
        assert_eq!(read(&f).unwrap_err(), "Masa simpan minimal: \"tiga\" bukan bilangan bulat.");
    }
}
