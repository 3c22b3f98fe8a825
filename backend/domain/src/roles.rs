//! Owns the roles of the people who use Etalase: UMKM owners, store managers, chain head
//! offices, Dinas officers and administrators; and where their sessions are used.

use crate::code_enum::code_enum;

code_enum! {
    /// What a signed-in user is allowed to do.
    pub enum Role : "peran" {
        /// A producer (pelaku usaha) in Kota Serang.
        Umkm => ("umkm", "Pelaku UMKM"),
        /// Manager of one minimarket / toko modern outlet.
        Store => ("store", "Manajer toko"),
        /// Head office of a retail chain.
        Chain => ("chain", "Kantor jaringan"),
        /// Officer of the Dinas Koperasi, UKM, Perindustrian dan Perdagangan.
        Dinas => ("dinas", "Petugas Dinas"),
        /// System administrator.
        Admin => ("admin", "Admin"),
        /// Procurement officer of one Perangkat Daerah or BUMD (Pasal 11).
        Buyer => ("buyer", "Pengadaan Perangkat Daerah/BUMD"),
    }
}

code_enum! {
    /// Where a login session is used.
    pub enum SessionKind : "jenis sesi" {
        /// Browser: cookie, with a CSRF token for forms.
        Web => ("web", "Peramban"),
        /// API: `Authorization: Bearer …`.
        Api => ("api", "API"),
    }
}

impl Role {
    /// Store side: a store manager or a chain's head office.
    pub fn is_retail(self) -> bool {
        matches!(self, Role::Store | Role::Chain)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_labels() {
        crate::code_enum::assert_serde_codes::<Role>();
        crate::code_enum::assert_serde_codes::<SessionKind>();
        let codes: Vec<&str> = Role::all().iter().map(|r| r.as_str()).collect();
        assert_eq!(codes, ["umkm", "store", "chain", "dinas", "admin", "buyer"]);
        let labels: Vec<&str> = Role::all().iter().map(|r| r.label()).collect();
        assert_eq!(
            labels,
            [
                "Pelaku UMKM",
                "Manajer toko",
                "Kantor jaringan",
                "Petugas Dinas",
                "Admin",
                "Pengadaan Perangkat Daerah/BUMD"
            ]
        );
        assert_eq!("dinas".parse::<Role>().unwrap(), Role::Dinas);
        assert!("Dinas".parse::<Role>().is_err());
        assert!(Role::Chain.is_retail() && !Role::Dinas.is_retail());
    }
}
