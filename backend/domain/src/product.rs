//! Owns the product (one SKU) vocabulary: storage temperature, net content unit, packaging
//! type, and the validation of the product form (`ProductInput` → `ValidProduct`).

mod input;

pub use input::{ProductInput, ValidProduct};

use crate::code_enum::code_enum;

code_enum! {
    /// How the product must be stored (`Ambient` by default).
    #[derive(Default)]
    pub enum StorageType : "jenis penyimpanan" {
        #[default]
        Ambient => ("ambient", "Suhu ruang"),
        Chilled => ("chilled", "Dingin (chiller)"),
        Frozen => ("frozen", "Beku (freezer)"),
    }
}

code_enum! {
    /// Unit of the net content printed on the label.
    pub enum NetUnit : "satuan isi bersih" {
        G => ("g", "gram (g)"),
        Kg => ("kg", "kilogram (kg)"),
        Ml => ("ml", "mililiter (ml)"),
        L => ("l", "liter (L)"),
        Pcs => ("pcs", "buah (pcs)"),
    }
}

impl NetUnit {
    /// Symbol for labels: `g`, `kg`, `ml`, `L`, `pcs`.
    pub fn symbol(self) -> &'static str {
        match self {
            NetUnit::G => "g",
            NetUnit::Kg => "kg",
            NetUnit::Ml => "ml",
            NetUnit::L => "L",
            NetUnit::Pcs => "pcs",
        }
    }

    /// Net content as written on a label, e.g. `250 g`.
    pub fn format(self, amount: i64) -> String {
        format!("{amount} {}", self.symbol())
    }
}

code_enum! {
    /// Type of the consumer packaging.
    pub enum Packaging : "jenis kemasan" {
        StandingPouch => ("standing_pouch", "Standing pouch"),
        PlastikKlip => ("plastik_klip", "Plastik klip"),
        Sachet => ("sachet", "Sachet"),
        BotolKaca => ("botol_kaca", "Botol kaca"),
        BotolPlastik => ("botol_plastik", "Botol plastik"),
        Kaleng => ("kaleng", "Kaleng"),
        Toples => ("toples", "Toples"),
        KotakKarton => ("kotak_karton", "Kotak karton"),
        Besek => ("besek", "Besek (anyaman bambu)"),
        Lainnya => ("lainnya", "Lainnya"),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
