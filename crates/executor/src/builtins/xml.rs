//! The `xml` functions as PostgreSQL 15 has them when built without libxml (PostgreSQL docs
//! §9.15): those that need an XML parser or writer fail with 0A000 `unsupported XML
//! feature` (`tusk_types::adt::xml::no_xml_support`); `text(xml)` and `xmlconcat2` with
//! a NULL argument work, as they need none. `xmlvalidate` is not implemented in
//! PostgreSQL either.
//!
//! Entry point: `register` (called from `builtins/mod.rs`).

use tusk_types::adt::xml::no_xml_support;
use tusk_types::{Datum, Error, SqlState};

use super::{reg, Table};

pub(super) fn register(t: &mut Table) {
    reg(
        t,
        &[
            "xmlcomment",
            "texttoxml",
            "xmlexists",
            "xpath",
            "xpath_exists",
            "xml_is_well_formed",
            "xml_is_well_formed_document",
            "xml_is_well_formed_content",
            "table_to_xml",
            "query_to_xml",
            "cursor_to_xml",
            "table_to_xmlschema",
            "query_to_xmlschema",
            "cursor_to_xmlschema",
            "table_to_xml_and_xmlschema",
            "query_to_xml_and_xmlschema",
            "schema_to_xml",
            "schema_to_xmlschema",
            "schema_to_xml_and_xmlschema",
            "database_to_xml",
            "database_to_xmlschema",
            "database_to_xml_and_xmlschema",
        ],
        |_, _| Err(no_xml_support()),
    );
    // The value is its text.
    reg(t, &["xmltotext"], |_, a| Ok(a[0].clone()));
    // Not strict: NULLs drop out; two values would need libxml to concatenate.
    reg(t, &["xmlconcat2"], |_, a| match (&a[0], &a[1]) {
        (Datum::Null, other) | (other, Datum::Null) => Ok(other.clone()),
        _ => Err(no_xml_support()),
    });
    reg(t, &["xmlvalidate"], |_, _| {
        Err(Error::new(
            SqlState::FEATURE_NOT_SUPPORTED,
            "xmlvalidate is not implemented",
        ))
    });
}
