//! `xml` as PostgreSQL 15 has it when built without libxml (PostgreSQL docs §8.13 "XML
//! Type"): the type exists and holds text, but reading a value or running an operation
//! that needs an XML parser fails with [`no_xml_support`].

use crate::{pg_err, Error};

/// PostgreSQL's `NO_XML_SUPPORT()`: 0A000 `unsupported XML feature`, DETAIL `This
/// functionality requires the server to be built with libxml support.`
pub fn no_xml_support() -> Error {
    pg_err!(FEATURE_NOT_SUPPORTED, "unsupported XML feature")
        .detail("This functionality requires the server to be built with libxml support.")
}
