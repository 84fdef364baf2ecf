//! The `aclitem` functions (PostgreSQL docs §9.26, table 9.70): `acldefault`,
//! `aclexplode`, `makeaclitem`, `aclcontains`, and `aclitem = aclitem`.
//!
//! Entry point: `register` (called from `builtins/mod.rs`).

use tusk_types::adt::acl::{
    acl_default, acl_from_datum, privilege_name, AclItem, ObjectKind, ACL_ALL_RIGHTS_STR,
};
use tusk_types::{pg_err, Datum, Oid, Result};

use super::catalog_info::oid_arg;
use super::{reg, Table};

fn text(d: &Datum) -> &str {
    match d {
        Datum::Text(s) => s,
        _ => "",
    }
}

fn item(d: &Datum) -> Option<AclItem> {
    AclItem::from_stored(text(d))
}

/// `makeaclitem`'s privilege list: comma-separated names, each perhaps `WITH GRANT
/// OPTION`.
///
/// Errors: 22023 `unrecognized privilege type: "x"`.
fn parse_privileges(list: &str) -> Result<u32> {
    let mut mode = 0;
    for part in list.split(',') {
        let upper = part.trim().to_ascii_uppercase();
        let name = upper
            .strip_suffix("WITH GRANT OPTION")
            .map_or(upper.as_str(), str::trim_end);
        let bit = tusk_types::adt::acl::privilege_by_name(name).ok_or_else(|| {
            pg_err!(
                INVALID_PARAMETER_VALUE,
                "unrecognized privilege type: \"{}\"",
                part.trim()
            )
        })?;
        mode |= bit;
    }
    Ok(mode)
}

pub(super) fn register(t: &mut Table) {
    reg(t, &["acldefault_sql"], |_, a| {
        let letter = text(&a[0]).chars().next().unwrap_or(' ');
        let kind = ObjectKind::from_letter(letter).ok_or_else(|| {
            pg_err!(
                INTERNAL_ERROR,
                "unrecognized object type abbreviation: {}",
                letter
            )
        })?;
        let owner = oid_arg(&a[1]).unwrap_or(Oid::INVALID);
        Ok(tusk_types::adt::acl::acl_to_datum(&acl_default(
            kind, owner,
        )))
    });
    reg(t, &["makeaclitem"], |_, a| {
        let privileges = parse_privileges(text(&a[2]))?;
        let grantable = matches!(a[3], Datum::Bool(true));
        Ok(AclItem {
            grantee: oid_arg(&a[0]).unwrap_or(Oid::INVALID),
            grantor: oid_arg(&a[1]).unwrap_or(Oid::INVALID),
            privileges,
            grant_options: if grantable { privileges } else { 0 },
        }
        .to_datum())
    });
    reg(t, &["aclitem_eq"], |_, a| {
        Ok(Datum::Bool(
            item(&a[0]).is_some() && item(&a[0]) == item(&a[1]),
        ))
    });
    reg(t, &["aclcontains"], |_, a| {
        // PostgreSQL's aclcontains: same grantee and grantor, and at least the item's
        // privileges and grant options.
        let Some(wanted) = item(&a[1]) else {
            return Ok(Datum::Bool(false));
        };
        let found = acl_from_datum(&a[0]).unwrap_or_default().iter().any(|i| {
            i.grantee == wanted.grantee
                && i.grantor == wanted.grantor
                && i.privileges & wanted.privileges == wanted.privileges
                && i.grant_options & wanted.grant_options == wanted.grant_options
        });
        Ok(Datum::Bool(found))
    });
    t.insert(
        "aclexplode",
        super::Builtin::Rows(|_, a| {
            let mut rows = Vec::new();
            for i in acl_from_datum(&a[0]).unwrap_or_default() {
                for bit in 0..ACL_ALL_RIGHTS_STR.len() {
                    let mask = 1 << bit;
                    if i.privileges & mask != 0 {
                        rows.push(vec![
                            Datum::Oid(i.grantor.0),
                            Datum::Oid(i.grantee.0),
                            Datum::Text(privilege_name(mask).to_string()),
                            Datum::Bool(i.grant_options & mask != 0),
                        ]);
                    }
                }
            }
            Ok(rows)
        }),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn privilege_lists_of_makeaclitem() {
        assert_eq!(
            parse_privileges("SELECT, insert WITH GRANT OPTION").expect("valid"),
            tusk_types::adt::acl::ACL_SELECT | tusk_types::adt::acl::ACL_INSERT
        );
        assert_eq!(
            parse_privileges("foo").expect_err("bad").message,
            "unrecognized privilege type: \"foo\""
        );
    }
}
