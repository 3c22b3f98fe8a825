//! Paging for every list page: "Menampilkan 51–100 dari 237 produk", with "← Sebelumnya" and
//! "Berikutnya →" links that keep the list's other parameters. Templates include `pager.html`
//! with a `pager` in scope.

/// Where a list is and how long it is.
#[derive(Debug, Clone)]
pub struct Pager {
    /// 1-based page number (clamped to the last page).
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
    /// What is counted, e.g. "produk", "akun", "toko".
    pub noun: String,
    /// The list's path and query without `page`, e.g. `/dinas/verifikasi?q=kripik`.
    base: String,
    /// The query parameter holding the page number (`page`; another when a page has two lists).
    param: &'static str,
}

impl Pager {
    /// `query` is the list's other parameters (already without empty ones); `page` is what the
    /// visitor asked for (1 when absent).
    pub fn new(
        path: &str,
        query: &[(&str, String)],
        page: Option<u64>,
        per_page: u64,
        total: u64,
        noun: &str,
    ) -> Pager {
        Pager::with_param("page", path, query, page, per_page, total, noun)
    }

    /// Like [`Pager::new`] for a second list on the same page, paged by `param` (`upage`).
    pub fn with_param(
        param: &'static str,
        path: &str,
        query: &[(&str, String)],
        page: Option<u64>,
        per_page: u64,
        total: u64,
        noun: &str,
    ) -> Pager {
        let per_page = per_page.max(1);
        let last = total.div_ceil(per_page).max(1);
        let page = page.unwrap_or(1).clamp(1, last);
        let qs = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(query.iter().filter(|(k, v)| *k != param && !v.trim().is_empty()))
            .finish();
        let base = if qs.is_empty() { path.to_string() } else { format!("{path}?{qs}") };
        Pager { page, per_page, total, noun: noun.to_string(), base, param }
    }

    /// Rows to skip for this page.
    pub fn offset(&self) -> u64 {
        (self.page - 1) * self.per_page
    }
    pub fn pages(&self) -> u64 {
        self.total.div_ceil(self.per_page).max(1)
    }
    pub fn has_prev(&self) -> bool {
        self.page > 1
    }
    pub fn has_next(&self) -> bool {
        self.page < self.pages()
    }
    pub fn link(&self, page: u64) -> String {
        let sep = if self.base.contains('?') { '&' } else { '?' };
        format!("{}{sep}{}={page}", self.base, self.param)
    }
    pub fn prev_link(&self) -> String {
        self.link(self.page.saturating_sub(1).max(1))
    }
    pub fn next_link(&self) -> String {
        self.link(self.page + 1)
    }
    /// "Menampilkan 51–100 dari 237 produk" (or "Belum ada produk").
    pub fn summary(&self) -> String {
        if self.total == 0 {
            return format!("Belum ada {}.", self.noun);
        }
        let first = self.offset() + 1;
        let last = (self.offset() + self.per_page).min(self.total);
        format!("Menampilkan {first}–{last} dari {} {}", thousands(self.total), self.noun)
    }
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_keep_the_other_parameters_and_say_where_they_are() {
        let q = [("q", "kripik".to_string()), ("status", String::new()), ("page", "3".into())];
        let p = Pager::new("/dinas/verifikasi", &q, Some(3), 50, 237, "produk");
        assert_eq!(p.offset(), 100);
        assert_eq!(p.summary(), "Menampilkan 101–150 dari 237 produk");
        assert_eq!(p.next_link(), "/dinas/verifikasi?q=kripik&page=4");
        assert_eq!(p.prev_link(), "/dinas/verifikasi?q=kripik&page=2");
        let last = Pager::new("/x", &[], Some(99), 50, 237, "produk");
        assert_eq!(
            (last.page, last.has_next(), last.summary()),
            (5, false, "Menampilkan 201–237 dari 237 produk".into())
        );
        assert_eq!(Pager::new("/x", &[], None, 50, 0, "akun").summary(), "Belum ada akun.");
        assert_eq!(thousands(1234567), "1.234.567");
        let two = [("page", "2".to_string()), ("upage", "1".to_string())];
        let u = Pager::with_param("upage", "/dinas/verifikasi", &two, Some(1), 20, 45, "usaha");
        assert_eq!(u.next_link(), "/dinas/verifikasi?page=2&upage=2");
    }
}
