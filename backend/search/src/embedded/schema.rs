//! Owns the embedded engine's tantivy schema: one word-indexed field per text attribute (the
//! settings pick which are searched and in which order), keyword fields (lowercased for
//! filtering, raw fast columns for facets), numeric fast fields for filters, sorting, facets
//! and geo, and the whole `ProductDoc` stored as JSON for the hits.

use crate::error::{Error, Result};
use crate::settings::TEXT_ATTRIBUTES;
use crate::text::{KEYWORD_TOKENIZER, WORDS_TOKENIZER, indexed_words_analyzer, keyword_analyzer};
use etalase_domain::search::ProductDoc;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, TantivyDocument};

/// Stored JSON of the whole document.
const DOC: &str = "_doc";

/// The fields of the schema.
#[derive(Debug, Clone)]
pub(crate) struct Fields {
    pub id: Field,
    pub doc: Field,
    /// Text attributes, in `TEXT_ATTRIBUTES` order.
    pub text: Vec<(&'static str, Field)>,
    pub category: Field,
    pub kecamatan_code: Field,
    pub cert_kinds: Field,
    pub halal: Field,
    pub retail_price: Field,
    pub pack_size: Field,
    pub published_at: Field,
    pub eligible_standards: Field,
    pub producer_id: Field,
    pub lat: Field,
    pub lon: Field,
}

impl Fields {
    /// The field of a text attribute.
    pub fn text_field(&self, attribute: &str) -> Option<Field> {
        self.text.iter().find(|(n, _)| *n == attribute).map(|(_, f)| *f)
    }
}

/// The schema every generation of the embedded index uses.
pub(crate) fn schema() -> Schema {
    let mut b = Schema::builder();
    b.add_i64_field("id", INDEXED | FAST | STORED);
    b.add_text_field(DOC, STORED);
    let words = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(WORDS_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    for name in TEXT_ATTRIBUTES {
        b.add_text_field(name, words.clone());
    }
    let keyword = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(KEYWORD_TOKENIZER)
                .set_index_option(IndexRecordOption::Basic),
        )
        .set_fast("raw");
    for name in ["category", "kecamatan_code", "cert_kinds"] {
        b.add_text_field(name, keyword.clone());
    }
    b.add_bool_field("halal", INDEXED | FAST);
    for name in ["retail_price", "pack_size", "published_at", "eligible_standards", "producer_id"] {
        b.add_i64_field(name, INDEXED | FAST);
    }
    b.add_f64_field("lat", FAST);
    b.add_f64_field("lon", FAST);
    b.build()
}

/// Looks the fields up in an index's schema (fails on an index of another shape).
pub(crate) fn fields(schema: &Schema) -> Result<Fields> {
    let f = |name: &str| schema.get_field(name).map_err(Error::from);
    let mut text = Vec::new();
    for name in TEXT_ATTRIBUTES {
        text.push((name, f(name)?));
    }
    Ok(Fields {
        id: f("id")?,
        doc: f(DOC)?,
        text,
        category: f("category")?,
        kecamatan_code: f("kecamatan_code")?,
        cert_kinds: f("cert_kinds")?,
        halal: f("halal")?,
        retail_price: f("retail_price")?,
        pack_size: f("pack_size")?,
        published_at: f("published_at")?,
        eligible_standards: f("eligible_standards")?,
        producer_id: f("producer_id")?,
        lat: f("lat")?,
        lon: f("lon")?,
    })
}

/// Registers the tokenizers the schema names (they are not stored in the index). Stop words
/// are left out of the indexed words, as Meilisearch leaves them out.
pub(crate) fn register_tokenizers(index: &Index, stop_words: &[String]) {
    index.tokenizers().register(WORDS_TOKENIZER, indexed_words_analyzer(stop_words));
    index.tokenizers().register(KEYWORD_TOKENIZER, keyword_analyzer());
}

/// What a keyword field's term is for `value`: lowercased, as Meilisearch normalizes filter
/// strings (a filter's value is trimmed first; the columns keep the value as given, for the
/// facets).
pub(crate) fn keyword_text(value: &str) -> String {
    let mut analyzer = keyword_analyzer();
    let mut stream = analyzer.token_stream(value);
    if stream.advance() { stream.token().text.clone() } else { String::new() }
}

/// The tantivy document of a product.
pub(crate) fn to_document(f: &Fields, d: &ProductDoc) -> Result<TantivyDocument> {
    let mut doc = TantivyDocument::new();
    doc.add_i64(f.id, d.id);
    let json = serde_json::to_string(d).map_err(|e| Error::Corrupt(e.to_string()))?;
    doc.add_text(f.doc, json);
    for (name, field) in &f.text {
        let value = match *name {
            "name" => Some(d.name.as_str()),
            "brand" => d.brand.as_deref(),
            "category_name" => Some(d.category_name.as_str()),
            "description" => Some(d.description.as_str()),
            "producer_name" => Some(d.producer_name.as_str()),
            "kecamatan" => Some(d.kecamatan.as_str()),
            "gtin" => d.gtin.as_deref(),
            "nib" => Some(d.nib.as_str()),
            _ => None,
        };
        if let Some(v) = value {
            doc.add_text(*field, v);
        }
    }
    doc.add_text(f.category, d.category.trim());
    doc.add_text(f.kecamatan_code, d.kecamatan_code.trim());
    for c in &d.cert_kinds {
        doc.add_text(f.cert_kinds, c.trim());
    }
    doc.add_bool(f.halal, d.halal);
    if let Some(p) = d.retail_price {
        doc.add_i64(f.retail_price, p);
    }
    if let Some(p) = d.pack_size {
        doc.add_i64(f.pack_size, p);
    }
    doc.add_i64(f.published_at, d.published_at);
    for s in &d.eligible_standards {
        doc.add_i64(f.eligible_standards, *s);
    }
    doc.add_i64(f.producer_id, d.producer_id);
    doc.add_f64(f.lat, d.lat);
    doc.add_f64(f.lon, d.lon);
    Ok(doc)
}

/// The product stored in a tantivy document.
pub(crate) fn from_document(f: &Fields, doc: &TantivyDocument) -> Result<ProductDoc> {
    use tantivy::schema::Value;
    let json = doc
        .get_first(f.doc)
        .and_then(|v| v.as_str())
        .ok_or_else(|| Error::Corrupt("dokumen tanpa _doc".into()))?;
    serde_json::from_str(json).map_err(|e| Error::Corrupt(e.to_string()))
}
