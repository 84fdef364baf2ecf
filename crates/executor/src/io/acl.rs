//! `aclitem` input and output (`aclitemin`, `aclitemout`): between PostgreSQL's text form
//! with role names and the stored form with role OIDs (`tusk_types::adt::acl`), through
//! the session's [`crate::CatalogNames`].
//!
//! Entry points: [`aclitem_in`], [`aclitem_out`].

use tusk_types::adt::acl::AclItem;
use tusk_types::{pg_err, Datum, Oid, Result};

use crate::OutputSettings;

/// The bootstrap superuser, PostgreSQL's default grantor of an item written without one.
const BOOTSTRAP_SUPERUSER: Oid = Oid(10);

/// `aclitemin`: PostgreSQL's text form to the stored form.
///
/// Errors: 22P02 for malformed items; 42704 `role "x" does not exist`; 0A000 outside a
/// session (no catalog to look names up in).
pub(crate) fn aclitem_in(text: &str, settings: &OutputSettings) -> Result<Datum> {
    let Some(names) = &settings.catalog_names else {
        return Err(tusk_types::Error::feature_not_supported(
            "input of type aclitem outside a session",
        ));
    };
    let role_oid = |name: &str| -> Result<Oid> {
        names
            .0
            .role_oid(name)?
            .ok_or_else(|| pg_err!(UNDEFINED_OBJECT, "role \"{}\" does not exist", name))
    };
    Ok(AclItem::parse_text(text, &role_oid, BOOTSTRAP_SUPERUSER)?.to_datum())
}

/// `aclitemout`: the stored form to PostgreSQL's text form (roles by name; a role that no
/// longer exists prints as its OID, as PostgreSQL does).
pub(crate) fn aclitem_out(stored: &str, settings: &OutputSettings) -> String {
    let Some(item) = AclItem::from_stored(stored) else {
        return stored.to_string();
    };
    let role_name = |oid: Oid| {
        settings
            .catalog_names
            .as_ref()
            .and_then(|n| n.0.role_name(oid))
    };
    item.to_text(&role_name)
}
