//! Valid request bodies for the common resources, and random identifiers that pass their
//! check rules.

use serde_json::{Value, json};

pub fn producer_body(nib: &str) -> Value {
    json!({
        "name": "Dapur Emping Bu Sari",
        "owner_name": "Sari Wulandari",
        "nib": nib,
        "capital_range": "up_to1",
        "risk_level": "rendah",
        "address": "Jl. Raya Taktakan No. 12",
        "kelurahan_code": "36.73.06.1001",
        "whatsapp": "0812-3456-7890"
    })
}

pub fn product_body() -> Value {
    json!({
        "name": "Emping Melinjo Pedas",
        "category": "makanan-ringan",
        "description": "Emping melinjo Taktakan, digoreng dengan bumbu pedas.",
        "net_content": 250,
        "net_unit": "g",
        "pack_size": 1,
        "packaging": "standing_pouch",
        "shelf_life_days": 180,
        "storage": "ambient",
        "wholesale_price": 22000,
        "retail_price": 28000,
        "min_order": 10,
        "monthly_capacity": 500
    })
}

/// A random 13-digit NIB (fictional).
pub fn random_nib() -> String {
    format!(
        "{:013}",
        rand::Rng::gen_range(&mut rand::thread_rng(), 1_000_000_000_000u64..9_999_999_999_999u64)
    )
}
