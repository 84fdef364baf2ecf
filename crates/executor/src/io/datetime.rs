//! Text I/O of the date/time types, over `tusk_types::adt::datetime`.

use tusk_types::{Datum, Error, Oid, Result};

use crate::OutputSettings;

/// Text output of a date/time value per `DateStyle`, `IntervalStyle` and `TimeZone`.
pub(crate) fn text_out(value: &Datum, type_oid: Oid, settings: &OutputSettings) -> Result<String> {
    let _ = (value, type_oid, settings);
    Err(Error::feature_not_supported("output of date/time values"))
}

/// Text input of a date/time value.
pub(crate) fn text_in(
    text: &str,
    type_oid: Oid,
    typmod: i32,
    settings: &OutputSettings,
) -> Result<Datum> {
    let _ = (text, type_oid, typmod, settings);
    Err(Error::feature_not_supported("input of date/time values"))
}
