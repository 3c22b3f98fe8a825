//! The table of error codes: every `code` a problem+json body can carry, with its HTTP status,
//! an Indonesian title and a one-sentence explanation. `/problems/{code}` renders one row and
//! the OpenAPI document lists the codes as the `ErrorCode` schema. Field-level codes inside
//! `errors[]` (`required`, `invalid_choice`, …) belong to the domain's `FieldError`, not here.

use std::borrow::Cow;

use axum::http::StatusCode;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

macro_rules! error_codes {
    ($(
        $(#[$m:meta])*
        $variant:ident => ($code:literal, $status:ident, $title:literal, $explain:literal),
    )+) => {
        /// A stable, machine-readable error code (the `code` of a problem+json body).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum ErrorCode {
            $( $(#[$m])* $variant, )+
        }

        impl ErrorCode {
            /// Every code, in the order of the table.
            pub const ALL: &'static [ErrorCode] = &[ $( ErrorCode::$variant, )+ ];

            /// The stable snake_case code (never changes once published).
            pub const fn as_str(self) -> &'static str {
                match self { $( ErrorCode::$variant => $code, )+ }
            }

            /// The HTTP status answered with this code.
            pub const fn status(self) -> StatusCode {
                match self { $( ErrorCode::$variant => StatusCode::$status, )+ }
            }

            /// Short Indonesian title.
            pub const fn title(self) -> &'static str {
                match self { $( ErrorCode::$variant => $title, )+ }
            }

            /// One Indonesian sentence: what it means and what to do.
            pub const fn explanation(self) -> &'static str {
                match self { $( ErrorCode::$variant => $explain, )+ }
            }
        }
    };
}

error_codes! {
    // 400: the request cannot be read.
    InvalidParameter => ("invalid_parameter", BAD_REQUEST, "Parameter tidak sah",
        "Parameter pada alamat (query) tidak dikenal atau nilainya salah bentuk; periksa nama dan \
         format parameter yang disebut di `detail`."),
    InvalidPath => ("invalid_path", BAD_REQUEST, "Alamat tidak sah",
        "Bagian alamat seperti nomor data salah bentuk; pakai nomor atau kode yang sah."),
    MalformedJson => ("malformed_json", BAD_REQUEST, "JSON tidak sah",
        "Isi permintaan bukan JSON yang sah; periksa tanda kutip, koma dan kurungnya lalu kirim \
         ulang."),
    MalformedBody => ("malformed_body", BAD_REQUEST, "Isi permintaan salah bentuk",
        "Isi permintaan harus berupa objek JSON; kirim objek berisi isian yang ingin diubah."),
    UnreadableBody => ("unreadable_body", BAD_REQUEST, "Isi permintaan tidak terbaca",
        "Isi permintaan tidak bisa dibaca sampai selesai; kirim ulang permintaannya."),
    MalformedMultipart => ("malformed_multipart", BAD_REQUEST, "Unggahan tidak terbaca",
        "Formulir unggahan (multipart/form-data) rusak atau tidak lengkap; unggah ulang \
         berkasnya."),
    MalformedForm => ("malformed_form", BAD_REQUEST, "Formulir tidak terbaca",
        "Formulir yang dikirim rusak atau tidak lengkap; muat ulang halaman lalu isi kembali."),
    MalformedQuery => ("malformed_query", BAD_REQUEST, "Pilihan belum lengkap",
        "Halaman ini butuh pilihan yang tidak ada di alamatnya; kembali lalu pilih ulang."),
    UnknownAction => ("unknown_action", BAD_REQUEST, "Tindakan tidak dikenal",
        "Tindakan yang diminta tidak ada untuk data ini; pakai salah satu tombol atau tindakan \
         yang tersedia."),
    FutureMonth => ("future_month", BAD_REQUEST, "Bulan belum dimulai",
        "Potret bulanan hanya bisa dibuat untuk bulan yang sudah dimulai; pilih bulan ini atau \
         sebelumnya."),
    UnreadableFile => ("unreadable_file", BAD_REQUEST, "Berkas tidak terbaca",
        "Berkas impor harus CSV (teks UTF-8) atau XLSX yang sah; simpan ulang berkas dalam salah \
         satu format itu."),
    EmptyFile => ("empty_file", BAD_REQUEST, "Berkas kosong",
        "Berkas impor tidak berisi satu baris data pun; isi berkas sesuai contoh lalu unggah \
         ulang."),
    // 401, 403, 404
    Unauthenticated => ("unauthenticated", UNAUTHORIZED, "Belum masuk",
        "Permintaan ini butuh sesi; masuk dulu lalu kirim token `Authorization: Bearer` atau \
         cookie sesinya."),
    Forbidden => ("forbidden", FORBIDDEN, "Tidak diizinkan",
        "Akun Anda tidak berhak melakukan ini pada data tersebut; hubungi admin bila seharusnya \
         berhak."),
    NotFound => ("not_found", NOT_FOUND, "Tidak ditemukan",
        "Data atau alamat yang diminta tidak ada atau tidak terlihat oleh akun Anda; periksa \
         nomornya."),
    MethodNotAllowed => ("method_not_allowed", METHOD_NOT_ALLOWED, "Metode tidak didukung",
        "Alamat ini ada, tetapi tidak menerima metode HTTP tersebut; lihat header `Allow` untuk \
         metode yang diterima."),
    // 409: the request is understood but the data's state refuses it.
    VersionConflict => ("version_conflict", CONFLICT, "Versi bentrok",
        "Data sudah diubah orang lain sejak Anda membacanya; muat ulang lalu ulangi perubahan \
         dengan `version` terbaru."),
    InvalidTransition => ("invalid_transition", CONFLICT, "Perubahan status tidak sah",
        "Status data sekarang tidak mengizinkan tindakan ini; muat ulang untuk melihat status dan \
         tindakan yang tersedia."),
    AlreadyExists => ("already_exists", CONFLICT, "Sudah terdaftar",
        "Data dengan kunci yang sama (misalnya kode) sudah ada; pakai data yang ada atau ganti \
         kuncinya."),
    EmailTaken => ("email_taken", CONFLICT, "Email sudah terdaftar",
        "Email ini sudah dipakai akun lain; masuk dengan email itu atau daftar dengan email lain."),
    NibMissing => ("nib_missing", CONFLICT, "NIB belum ada",
        "Usaha dalam pendampingan belum punya NIB: NIB diisi dan diperiksa dulu sebelum usaha \
         diverifikasi atau produknya tayang."),
    NibTaken => ("nib_taken", CONFLICT, "NIB sudah dipakai",
        "Nomor Induk Berusaha ini sudah dipakai usaha lain di Etalase; periksa NIB-nya atau \
         hubungi Dinas."),
    ProducerExists => ("producer_exists", CONFLICT, "Usaha sudah terdaftar",
        "Akun ini sudah punya data usaha; ubah data usaha yang ada alih-alih mendaftar lagi."),
    ProducerRequired => ("producer_required", CONFLICT, "Data usaha belum ada",
        "Tindakan ini butuh data usaha; daftarkan data usaha Anda terlebih dahulu."),
    ProducerNotVerified => ("producer_not_verified", CONFLICT, "Usaha belum diverifikasi",
        "Produk hanya bisa ditayangkan bila usaha pemiliknya sudah diverifikasi Dinas; verifikasi \
         usahanya dulu."),
    NotEditable => ("not_editable", CONFLICT, "Produk tidak bisa diubah",
        "Status produk ini tidak mengizinkan perubahan isian; lihat `detail` untuk langkah yang \
         mungkin."),
    NotDeletable => ("not_deletable", CONFLICT, "Produk tidak bisa dihapus",
        "Hanya draf atau produk ditolak yang belum pernah tayang yang bisa dihapus; arsipkan \
         produk lainnya."),
    NotPublished => ("not_published", CONFLICT, "Produk belum tayang",
        "Hanya produk yang sudah tayang yang bisa ditawarkan ke toko; ajukan dan tayangkan \
         produknya dulu."),
    Archived => ("archived", CONFLICT, "Produk diarsipkan",
        "Produk yang diarsipkan tidak bisa diubah lagi, termasuk ditambah sertifikat; pakai \
         produk yang masih aktif."),
    AlreadyPlaced => ("already_placed", CONFLICT, "Produk sudah ditempatkan",
        "Produk ini sudah ada di gerai itu atau sedang dirundingkan; lihat perjanjian yang sudah \
         ada."),
    PlanAlreadySent => ("plan_already_sent", CONFLICT, "Rencana sudah dikirim",
        "Usulan rencana penempatan ini sudah dikirim sebagai draf perjanjian; hitung rencana \
         baru untuk usulan berikutnya."),
    StandardExists => ("standard_exists", CONFLICT, "Standar sudah ada",
        "Pemilik ini sudah punya standar; terbitkan versi baru dari standar yang ada."),
    NoStore => ("no_store", CONFLICT, "Belum ada gerai",
        "Akun atau jaringan Anda belum terhubung ke gerai terdaftar; minta admin mendaftarkan \
         atau menghubungkan gerainya."),
    // 413, 415, 422, 429
    PayloadTooLarge => ("payload_too_large", PAYLOAD_TOO_LARGE, "Terlalu besar",
        "Isi permintaan atau berkas melebihi batas ukuran; perkecil berkasnya lalu kirim ulang."),
    UnsupportedMediaType => ("unsupported_media_type", UNSUPPORTED_MEDIA_TYPE,
        "Jenis isi tidak didukung",
        "Jenis isi permintaan atau berkas tidak diterima di sini; kirim `application/json` atau \
         jenis berkas yang disebut di `detail`."),
    ValidationFailed => ("validation_failed", UNPROCESSABLE_ENTITY, "Data tidak valid",
        "Satu atau lebih isian tidak memenuhi aturan; lihat daftar `errors` untuk isian dan \
         alasannya, perbaiki, lalu kirim ulang."),
    TooManyRequests => ("too_many_requests", TOO_MANY_REQUESTS, "Terlalu banyak percobaan",
        "Terlalu banyak permintaan dalam waktu singkat; tunggu selama `Retry-After` detik lalu \
         coba lagi."),
    // 5xx: the server's side; the cause is logged, never shown.
    InternalError => ("internal_error", INTERNAL_SERVER_ERROR, "Kesalahan internal",
        "Terjadi kesalahan di server yang sudah dicatat; coba lagi, dan bila berulang hubungi \
         admin dengan waktu kejadiannya."),
    Busy => ("busy", SERVICE_UNAVAILABLE, "Server sedang sibuk",
        "Terlalu banyak permintaan sejenis sedang diproses; tunggu selama `Retry-After` detik \
         lalu coba lagi."),
    Unavailable => ("unavailable", SERVICE_UNAVAILABLE, "Layanan belum siap",
        "Mesin pendukung seperti indeks pencarian sedang tidak tersedia; coba lagi beberapa saat \
         lagi, dan bila berlanjut hubungi admin."),
}

impl ErrorCode {
    /// The code with this exact spelling, if any.
    pub fn from_code(code: &str) -> Option<ErrorCode> {
        Self::ALL.iter().copied().find(|c| c.as_str() == code)
    }

    /// The problem type URI: `/problems/{code}`.
    pub fn type_uri(self) -> String {
        format!("/problems/{}", self.as_str())
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The OpenAPI schema: a string enum of every code, its description naming status and title.
impl utoipa::PartialSchema for ErrorCode {
    fn schema() -> RefOr<Schema> {
        let rows: Vec<String> = ErrorCode::ALL
            .iter()
            .map(|c| format!("- `{}` ({}): {}", c.as_str(), c.status().as_u16(), c.title()))
            .collect();
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(format!(
                "Kode galat tetap; artinya di `/problems/{{code}}`.\n\n{}",
                rows.join("\n")
            )))
            .enum_values(Some(ErrorCode::ALL.iter().map(|c| c.as_str())))
            .into()
    }
}

impl utoipa::ToSchema for ErrorCode {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("ErrorCode")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_snake_case_and_serialize_as_themselves() {
        let mut seen = std::collections::HashSet::new();
        for c in ErrorCode::ALL {
            assert!(seen.insert(c.as_str()), "duplicate {c}");
            assert!(c.as_str().chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'), "{c}");
            assert_eq!(serde_json::to_string(c).unwrap(), format!("\"{}\"", c.as_str()));
            assert_eq!(ErrorCode::from_code(c.as_str()), Some(*c));
            assert!(c.status().is_client_error() || c.status().is_server_error(), "{c}");
            assert!(!c.title().is_empty() && c.explanation().ends_with('.'), "{c}");
        }
        assert_eq!(ErrorCode::from_code("nope"), None);
    }
}
