//! Access control lists (PostgreSQL's `utils/adt/acl.c`): the `aclitem` type and the
//! operations GRANT, REVOKE and the privilege checks perform on an object's ACL.
//!
//! An [`AclItem`] says that `grantor` gave `grantee` (0 = PUBLIC) some privileges
//! ([`AclMode`] bits, PostgreSQL's `ACL_*`), some of them with grant option. An ACL is a
//! list of items, at most one per (grantee, grantor) pair; a NULL ACL column stands for
//! [`acl_default`] of the object's kind and owner.
//!
//! Values: an `aclitem` is held as `Datum::Text` of its *stored form*, the text form with
//! role OIDs instead of names (`16384=arwdDxt/10`, `=r/10` for PUBLIC), so a renamed role
//! keeps its privileges and equal items are equal text; [`AclItem::to_text`] with a
//! role-name lookup gives PostgreSQL's text form (`alice=r*/bob`, names quoted as
//! identifiers when needed) and [`AclItem::parse_text`] reads it back.
//!
//! Entry points: [`AclItem`], [`acl_default`], [`acl_grant`], [`acl_revoke`],
//! [`acl_mask`], [`ObjectKind`].

use crate::{pg_err, Datum, Oid, Result};

/// A set of privileges (PostgreSQL's `AclMode` rights bits, without grant options).
pub type AclMode = u32;

/// `INSERT` (`a`).
pub const ACL_INSERT: AclMode = 1 << 0;
/// `SELECT` (`r`).
pub const ACL_SELECT: AclMode = 1 << 1;
/// `UPDATE` (`w`).
pub const ACL_UPDATE: AclMode = 1 << 2;
/// `DELETE` (`d`).
pub const ACL_DELETE: AclMode = 1 << 3;
/// `TRUNCATE` (`D`).
pub const ACL_TRUNCATE: AclMode = 1 << 4;
/// `REFERENCES` (`x`).
pub const ACL_REFERENCES: AclMode = 1 << 5;
/// `TRIGGER` (`t`).
pub const ACL_TRIGGER: AclMode = 1 << 6;
/// `EXECUTE` (`X`).
pub const ACL_EXECUTE: AclMode = 1 << 7;
/// `USAGE` (`U`).
pub const ACL_USAGE: AclMode = 1 << 8;
/// `CREATE` (`C`).
pub const ACL_CREATE: AclMode = 1 << 9;
/// `TEMPORARY` (`T`).
pub const ACL_CREATE_TEMP: AclMode = 1 << 10;
/// `CONNECT` (`c`).
pub const ACL_CONNECT: AclMode = 1 << 11;
/// `SET` (`s`).
pub const ACL_SET: AclMode = 1 << 12;
/// `ALTER SYSTEM` (`A`).
pub const ACL_ALTER_SYSTEM: AclMode = 1 << 13;

/// The privilege letters in bit order (PostgreSQL's `ACL_ALL_RIGHTS_STR`).
pub const ACL_ALL_RIGHTS_STR: &str = "arwdDxtXUCTcsA";

/// PUBLIC as a grantee.
pub const ACL_ID_PUBLIC: Oid = Oid(0);

/// The kinds of objects that have ACLs, with the letters `acldefault` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectKind {
    /// Tables, views, materialized views, foreign tables (`r`).
    Relation,
    /// Sequences (`s`).
    Sequence,
    /// Functions, procedures, aggregates (`f`).
    Function,
    /// Procedural languages (`l`).
    Language,
    /// Large objects (`L`).
    LargeObject,
    /// Schemas (`n`).
    Schema,
    /// Tablespaces (`t`).
    Tablespace,
    /// Foreign-data wrappers (`F`).
    ForeignDataWrapper,
    /// Foreign servers (`S`).
    ForeignServer,
    /// Types and domains (`T`).
    Type,
    /// Databases (`d`).
    Database,
    /// Configuration parameters (`p`).
    Parameter,
    /// Table columns (`c`).
    Column,
}

impl ObjectKind {
    /// The kind `acldefault` names by `letter`, if any.
    pub fn from_letter(letter: char) -> Option<ObjectKind> {
        Some(match letter {
            'c' => ObjectKind::Column,
            'r' => ObjectKind::Relation,
            's' => ObjectKind::Sequence,
            'd' => ObjectKind::Database,
            'f' => ObjectKind::Function,
            'l' => ObjectKind::Language,
            'L' => ObjectKind::LargeObject,
            'n' => ObjectKind::Schema,
            'p' => ObjectKind::Parameter,
            't' => ObjectKind::Tablespace,
            'F' => ObjectKind::ForeignDataWrapper,
            'S' => ObjectKind::ForeignServer,
            'T' => ObjectKind::Type,
            _ => return None,
        })
    }

    /// Every privilege an object of this kind can have (PostgreSQL's `ACL_ALL_RIGHTS_*`).
    pub fn all_rights(self) -> AclMode {
        match self {
            ObjectKind::Column => ACL_INSERT | ACL_SELECT | ACL_UPDATE | ACL_REFERENCES,
            ObjectKind::Relation => {
                ACL_INSERT
                    | ACL_SELECT
                    | ACL_UPDATE
                    | ACL_DELETE
                    | ACL_TRUNCATE
                    | ACL_REFERENCES
                    | ACL_TRIGGER
            }
            ObjectKind::Sequence => ACL_USAGE | ACL_SELECT | ACL_UPDATE,
            ObjectKind::Database => ACL_CREATE | ACL_CREATE_TEMP | ACL_CONNECT,
            ObjectKind::Function => ACL_EXECUTE,
            ObjectKind::Language
            | ObjectKind::ForeignDataWrapper
            | ObjectKind::ForeignServer
            | ObjectKind::Type => ACL_USAGE,
            ObjectKind::LargeObject => ACL_SELECT | ACL_UPDATE,
            ObjectKind::Schema => ACL_USAGE | ACL_CREATE,
            ObjectKind::Tablespace => ACL_CREATE,
            ObjectKind::Parameter => ACL_SET | ACL_ALTER_SYSTEM,
        }
    }

    /// What PUBLIC has by default (PostgreSQL's `acldefault`).
    pub fn public_default(self) -> AclMode {
        match self {
            ObjectKind::Database => ACL_CREATE_TEMP | ACL_CONNECT,
            ObjectKind::Function => ACL_EXECUTE,
            ObjectKind::Language | ObjectKind::Type => ACL_USAGE,
            _ => 0,
        }
    }
}

/// One ACL entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AclItem {
    /// Who has the privileges ([`ACL_ID_PUBLIC`] = everyone).
    pub grantee: Oid,
    /// Who granted them.
    pub grantor: Oid,
    /// The privileges.
    pub privileges: AclMode,
    /// The privileges held with grant option (a subset of `privileges`).
    pub grant_options: AclMode,
}

/// Quotes a role name as `aclitemout`'s `putid` does: in double quotes (inner quotes
/// doubled) unless every character is alphanumeric or `_`.
fn put_id(out: &mut String, name: &str) {
    let safe = !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_');
    if safe {
        out.push_str(name);
        return;
    }
    out.push('"');
    for c in name.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    out.push('"');
}

/// Reads a role name as `aclitemin`'s `getid` does (stopping at `=`, `/` or whitespace
/// outside quotes); returns it and the rest.
///
/// Errors: 22P02 for an unterminated quote or a name that is too long.
fn get_id(s: &str) -> Result<(String, &str)> {
    let s = s.trim_start();
    let mut name = String::new();
    let mut in_quotes = false;
    let mut chars = s.char_indices().peekable();
    let mut end = s.len();
    while let Some((i, c)) = chars.next() {
        if c == '"' {
            if in_quotes && chars.peek().map(|(_, c)| *c) == Some('"') {
                chars.next();
                name.push('"');
                continue;
            }
            in_quotes = !in_quotes;
            continue;
        }
        if !in_quotes && (c == '=' || c == '/' || c.is_whitespace() || c == ',') {
            end = i;
            break;
        }
        name.push(c);
    }
    if in_quotes {
        return Err(pg_err!(INVALID_TEXT_REPRESENTATION, "unterminated name"));
    }
    if name.len() >= 64 {
        return Err(pg_err!(NAME_TOO_LONG, "identifier too long")
            .detail("Identifier must be less than 64 characters."));
    }
    Ok((name, s[end..].trim_start()))
}

fn privilege_letters(out: &mut String, privileges: AclMode, grant_options: AclMode) {
    for (bit, c) in ACL_ALL_RIGHTS_STR.chars().enumerate() {
        let mask = 1 << bit;
        if privileges & mask != 0 {
            out.push(c);
            if grant_options & mask != 0 {
                out.push('*');
            }
        }
    }
}

/// Parses the privilege letters of an `aclitem` (each perhaps followed by `*`).
fn parse_letters(s: &str) -> Result<(AclMode, AclMode, &str)> {
    let (mut privileges, mut options) = (0, 0);
    let mut last = 0;
    for (i, c) in s.char_indices() {
        if c == '*' {
            options |= last;
            continue;
        }
        if c == '/' || c.is_whitespace() {
            return Ok((privileges, options, &s[i..]));
        }
        let bit = ACL_ALL_RIGHTS_STR.find(c).ok_or_else(|| {
            pg_err!(
                INVALID_TEXT_REPRESENTATION,
                "invalid mode character: must be one of \"{}\"",
                ACL_ALL_RIGHTS_STR
            )
        })?;
        last = 1 << bit;
        privileges |= last;
    }
    Ok((privileges, options, ""))
}

impl AclItem {
    /// The stored form: the text form with OIDs for names (see the module header).
    pub fn to_stored(&self) -> String {
        let mut out = String::new();
        if self.grantee != ACL_ID_PUBLIC {
            out.push_str(&self.grantee.0.to_string());
        }
        out.push('=');
        privilege_letters(&mut out, self.privileges, self.grant_options);
        out.push('/');
        out.push_str(&self.grantor.0.to_string());
        out
    }

    /// Reads the stored form back; `None` if `text` is not one.
    pub fn from_stored(text: &str) -> Option<AclItem> {
        let (grantee, rest) = text.split_once('=')?;
        let (letters, grantor) = rest.rsplit_once('/')?;
        let grantee = if grantee.is_empty() {
            ACL_ID_PUBLIC
        } else {
            Oid(grantee.parse().ok()?)
        };
        let (privileges, grant_options, tail) = parse_letters(letters).ok()?;
        if !tail.is_empty() {
            return None;
        }
        Some(AclItem {
            grantee,
            grantor: Oid(grantor.parse().ok()?),
            privileges,
            grant_options,
        })
    }

    /// The item as a `Datum` (its stored form).
    pub fn to_datum(&self) -> Datum {
        Datum::Text(self.to_stored())
    }

    /// PostgreSQL's text form (`aclitemout`): `grantee=privileges/grantor`, PUBLIC as an
    /// empty grantee, `*` after a privilege held with grant option, names quoted as
    /// needed; a role `role_name` does not know prints as its OID.
    pub fn to_text(&self, role_name: &dyn Fn(Oid) -> Option<String>) -> String {
        let name = |oid: Oid| role_name(oid).unwrap_or_else(|| oid.0.to_string());
        let mut out = String::new();
        if self.grantee != ACL_ID_PUBLIC {
            put_id(&mut out, &name(self.grantee));
        }
        out.push('=');
        privilege_letters(&mut out, self.privileges, self.grant_options);
        out.push('/');
        put_id(&mut out, &name(self.grantor));
        out
    }

    /// Parses PostgreSQL's text form (`aclitemin`): `[group ] grantee=privileges/grantor`;
    /// without a grantor, `default_grantor` is used (PostgreSQL warns and uses the
    /// bootstrap superuser).
    ///
    /// Errors: 22P02 `unrecognized key word: "x"`, `missing "=" sign`, `invalid mode
    /// character: must be one of "arwdDxtXUCTcsA"`, `a name must follow the "/" sign`,
    /// `extra garbage at the end of the ACL specification`; whatever `role_oid` returns
    /// for unknown roles (42704).
    pub fn parse_text(
        text: &str,
        role_oid: &dyn Fn(&str) -> Result<Oid>,
        default_grantor: Oid,
    ) -> Result<AclItem> {
        let (mut name, mut rest) = get_id(text)?;
        if !rest.starts_with('=') {
            if name != "group" && name != "user" {
                return Err(pg_err!(
                    INVALID_TEXT_REPRESENTATION,
                    "unrecognized key word: \"{}\"",
                    name
                ))
                .map_err(|e| e.hint("ACL key word must be \"group\" or \"user\"."));
            }
            (name, rest) = get_id(rest)?;
            if name.is_empty() {
                return Err(pg_err!(INVALID_TEXT_REPRESENTATION, "missing name")
                    .hint("A name must follow the \"group\" or \"user\" key word."));
            }
        }
        let Some(rest) = rest.strip_prefix('=') else {
            return Err(pg_err!(INVALID_TEXT_REPRESENTATION, "missing \"=\" sign"));
        };
        let (privileges, grant_options, rest) = parse_letters(rest.trim_start())?;
        let rest = rest.trim_start();
        let (grantor, rest) = match rest.strip_prefix('/') {
            Some(after) => {
                let (grantor, rest) = get_id(after)?;
                if grantor.is_empty() {
                    return Err(pg_err!(
                        INVALID_TEXT_REPRESENTATION,
                        "a name must follow the \"/\" sign"
                    ));
                }
                (role_oid(&grantor)?, rest)
            }
            None => (default_grantor, rest),
        };
        if !rest.trim().is_empty() {
            return Err(pg_err!(
                INVALID_TEXT_REPRESENTATION,
                "extra garbage at the end of the ACL specification"
            ));
        }
        let grantee = if name.is_empty() {
            ACL_ID_PUBLIC
        } else {
            role_oid(&name)?
        };
        Ok(AclItem {
            grantee,
            grantor,
            privileges,
            grant_options,
        })
    }
}

/// The ACL a NULL ACL column stands for (PostgreSQL's `acldefault`): PUBLIC's default
/// privileges first (if any), then the owner's, all granted by the owner.
pub fn acl_default(kind: ObjectKind, owner: Oid) -> Vec<AclItem> {
    let mut acl = Vec::new();
    let public = kind.public_default();
    if public != 0 {
        acl.push(AclItem {
            grantee: ACL_ID_PUBLIC,
            grantor: owner,
            privileges: public,
            grant_options: 0,
        });
    }
    // Columns have no default privileges of their own (the table's apply). The owner's
    // grant options are implicit, so the item shows none.
    if kind != ObjectKind::Column {
        acl.push(AclItem {
            grantee: owner,
            grantor: owner,
            privileges: kind.all_rights(),
            grant_options: 0,
        });
    }
    acl
}

/// Reads an `aclitem[]` value; `None` for NULL (the default ACL).
pub fn acl_from_datum(value: &Datum) -> Option<Vec<AclItem>> {
    match value {
        Datum::Array(a) => Some(
            a.elems
                .iter()
                .filter_map(|e| match e {
                    Datum::Text(t) => AclItem::from_stored(t),
                    _ => None,
                })
                .collect(),
        ),
        _ => None,
    }
}

/// An `aclitem[]` value of `acl` (one dimension; an empty ACL is the empty array).
pub fn acl_to_datum(acl: &[AclItem]) -> Datum {
    let elements: Vec<Datum> = acl.iter().map(AclItem::to_datum).collect();
    Datum::Array(Box::new(crate::adt::array::Array::from_elements(
        crate::type_oid::ACLITEM,
        elements,
    )))
}

/// Adds `privileges` (and `grant_options`, a subset) for `grantee` from `grantor`
/// (PostgreSQL's `aclupdate` with `ACL_MODECHG_ADD`): the item of that pair gains them,
/// or a new item is appended.
pub fn acl_grant(
    acl: &mut Vec<AclItem>,
    grantee: Oid,
    grantor: Oid,
    privileges: AclMode,
    grant_options: AclMode,
) {
    if let Some(item) = acl
        .iter_mut()
        .find(|i| i.grantee == grantee && i.grantor == grantor)
    {
        item.privileges |= privileges;
        item.grant_options |= grant_options;
        return;
    }
    if privileges == 0 {
        return;
    }
    acl.push(AclItem {
        grantee,
        grantor,
        privileges,
        grant_options,
    });
}

/// How REVOKE handles privileges others received through the revoked grant options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DropBehavior {
    /// `RESTRICT` (the default): refuse.
    Restrict,
    /// `CASCADE`: revoke them too.
    Cascade,
}

/// Removes `privileges` (or, with `grant_option_only`, just their grant options) that
/// `grantor` gave `grantee` (PostgreSQL's `aclupdate` with `ACL_MODECHG_DEL`, and its
/// `recursive_revoke`): an item left without privileges disappears; grant options lost
/// take away what the grantee granted from them with CASCADE.
///
/// Errors: 2BP01 `dependent privileges exist` (hint `Use CASCADE to revoke them too.`)
/// when the grantee passed on a privilege whose grant option goes, under RESTRICT.
pub fn acl_revoke(
    acl: &mut Vec<AclItem>,
    grantee: Oid,
    grantor: Oid,
    privileges: AclMode,
    grant_option_only: bool,
    behavior: DropBehavior,
) -> Result<()> {
    // On error the ACL is left as it was.
    let mut changed = acl.clone();
    revoke_in(
        &mut changed,
        grantee,
        grantor,
        privileges,
        grant_option_only,
        behavior,
    )?;
    *acl = changed;
    Ok(())
}

fn revoke_in(
    acl: &mut Vec<AclItem>,
    grantee: Oid,
    grantor: Oid,
    privileges: AclMode,
    grant_option_only: bool,
    behavior: DropBehavior,
) -> Result<()> {
    let Some(pos) = acl
        .iter()
        .position(|i| i.grantee == grantee && i.grantor == grantor)
    else {
        return Ok(());
    };
    let item = &mut acl[pos];
    let old_options = item.grant_options;
    item.grant_options &= !privileges;
    if !grant_option_only {
        item.privileges &= !privileges;
    }
    let lost_options = old_options & !item.grant_options;
    if item.privileges == 0 {
        acl.remove(pos);
    }
    if lost_options == 0 || grantee == ACL_ID_PUBLIC {
        return Ok(());
    }
    // What the grantee still holds with grant option from others keeps its grants valid.
    let still = acl_mask_direct(acl, grantee) >> 16;
    let lost = lost_options & !still;
    if lost == 0 {
        return Ok(());
    }
    let dependents: Vec<Oid> = acl
        .iter()
        .filter(|i| i.grantor == grantee && i.privileges & lost != 0)
        .map(|i| i.grantee)
        .collect();
    if dependents.is_empty() {
        return Ok(());
    }
    if behavior == DropBehavior::Restrict {
        return Err(
            pg_err!(DEPENDENT_OBJECTS_STILL_EXIST, "dependent privileges exist")
                .hint("Use CASCADE to revoke them too."),
        );
    }
    for dependent in dependents {
        revoke_in(acl, dependent, grantee, lost, false, behavior)?;
    }
    Ok(())
}

/// Privileges (low 16 bits) and grant options (high 16 bits) `role` holds directly.
fn acl_mask_direct(acl: &[AclItem], role: Oid) -> u32 {
    acl.iter()
        .filter(|i| i.grantee == role)
        .fold(0, |m, i| m | i.privileges | (i.grant_options << 16))
}

/// The privileges `roles` (a role and every role whose privileges it has, PUBLIC not
/// included) hold in `acl`, PUBLIC's included: `(privileges, grant options)`
/// (PostgreSQL's `aclmask`, over an already computed membership).
pub fn acl_mask(acl: &[AclItem], roles: &[Oid]) -> (AclMode, AclMode) {
    let mut privileges = 0;
    let mut options = 0;
    for item in acl {
        if item.grantee == ACL_ID_PUBLIC || roles.contains(&item.grantee) {
            privileges |= item.privileges;
            if item.grantee != ACL_ID_PUBLIC {
                options |= item.grant_options;
            }
        }
    }
    (privileges, options)
}

/// Moves an ACL to a new owner (PostgreSQL's `aclnewowner`): every mention of the old
/// owner, as grantee or grantor, becomes the new owner, and items that then coincide
/// merge.
pub fn acl_new_owner(acl: &[AclItem], old_owner: Oid, new_owner: Oid) -> Vec<AclItem> {
    let mut out: Vec<AclItem> = Vec::with_capacity(acl.len());
    for item in acl {
        let mut item = *item;
        if item.grantee == old_owner {
            item.grantee = new_owner;
        }
        if item.grantor == old_owner {
            item.grantor = new_owner;
        }
        match out
            .iter_mut()
            .find(|i| i.grantee == item.grantee && i.grantor == item.grantor)
        {
            Some(existing) => {
                existing.privileges |= item.privileges;
                existing.grant_options |= item.grant_options;
            }
            None => out.push(item),
        }
    }
    out
}

/// The privilege named `name` (`SELECT`, `usage`, ..., as `has_*_privilege` and GRANT
/// spell them, any case; `TEMP` = `TEMPORARY`), if any.
pub fn privilege_by_name(name: &str) -> Option<AclMode> {
    Some(match name.trim().to_ascii_uppercase().as_str() {
        "INSERT" => ACL_INSERT,
        "SELECT" => ACL_SELECT,
        "UPDATE" => ACL_UPDATE,
        "DELETE" => ACL_DELETE,
        "TRUNCATE" => ACL_TRUNCATE,
        "REFERENCES" => ACL_REFERENCES,
        "TRIGGER" => ACL_TRIGGER,
        "EXECUTE" => ACL_EXECUTE,
        "USAGE" => ACL_USAGE,
        "CREATE" => ACL_CREATE,
        "TEMP" | "TEMPORARY" => ACL_CREATE_TEMP,
        "CONNECT" => ACL_CONNECT,
        "SET" => ACL_SET,
        "ALTER SYSTEM" => ACL_ALTER_SYSTEM,
        _ => return None,
    })
}

/// The SQL name of one privilege bit (`SELECT`, ...), as error messages spell it.
pub fn privilege_name(privilege: AclMode) -> &'static str {
    match privilege {
        ACL_INSERT => "INSERT",
        ACL_SELECT => "SELECT",
        ACL_UPDATE => "UPDATE",
        ACL_DELETE => "DELETE",
        ACL_TRUNCATE => "TRUNCATE",
        ACL_REFERENCES => "REFERENCES",
        ACL_TRIGGER => "TRIGGER",
        ACL_EXECUTE => "EXECUTE",
        ACL_USAGE => "USAGE",
        ACL_CREATE => "CREATE",
        ACL_CREATE_TEMP => "TEMPORARY",
        ACL_CONNECT => "CONNECT",
        ACL_SET => "SET",
        ACL_ALTER_SYSTEM => "ALTER SYSTEM",
        _ => "???",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(oid: Oid) -> Option<String> {
        match oid.0 {
            10 => Some("postgres".into()),
            20 => Some("alice".into()),
            30 => Some("Bob Smith".into()),
            _ => None,
        }
    }

    fn oids(name: &str) -> Result<Oid> {
        match name {
            "postgres" => Ok(Oid(10)),
            "alice" => Ok(Oid(20)),
            "Bob Smith" => Ok(Oid(30)),
            other => Err(pg_err!(
                UNDEFINED_OBJECT,
                "role \"{}\" does not exist",
                other
            )),
        }
    }

    fn text(acl: &[AclItem]) -> Vec<String> {
        acl.iter().map(|i| i.to_text(&names)).collect()
    }

    #[test]
    fn default_acls_follow_acldefault() {
        assert_eq!(
            text(&acl_default(ObjectKind::Relation, Oid(10))),
            ["postgres=arwdDxt/postgres"]
        );
        assert_eq!(
            text(&acl_default(ObjectKind::Function, Oid(10))),
            ["=X/postgres", "postgres=X/postgres"]
        );
        assert_eq!(
            text(&acl_default(ObjectKind::Database, Oid(10))),
            ["=Tc/postgres", "postgres=CTc/postgres"]
        );
        assert_eq!(
            text(&acl_default(ObjectKind::Sequence, Oid(10))),
            ["postgres=rwU/postgres"]
        );
    }

    #[test]
    fn text_form_quotes_names_and_marks_grant_options() {
        let item = AclItem {
            grantee: Oid(30),
            grantor: Oid(10),
            privileges: ACL_SELECT | ACL_INSERT,
            grant_options: ACL_SELECT,
        };
        assert_eq!(item.to_text(&names), "\"Bob Smith\"=ar*/postgres");
        let back = AclItem::parse_text(&item.to_text(&names), &oids, Oid(10)).expect("parses");
        assert_eq!(back, item);
        assert_eq!(AclItem::from_stored(&item.to_stored()), Some(item));
        let public = AclItem::parse_text("=r/alice", &oids, Oid(10)).expect("parses");
        assert_eq!(public.grantee, ACL_ID_PUBLIC);
        assert_eq!(public.to_stored(), "=r/20");
    }

    #[test]
    fn bad_text_forms_have_postgres_messages() {
        let err = |s: &str| {
            AclItem::parse_text(s, &oids, Oid(10))
                .expect_err("refused")
                .message
        };
        assert_eq!(
            err("alice=rq/postgres"),
            "invalid mode character: must be one of \"arwdDxtXUCTcsA\""
        );
        assert_eq!(err("alice"), "unrecognized key word: \"alice\"");
        assert_eq!(err("group alice"), "missing \"=\" sign");
        assert_eq!(err("alice=r/"), "a name must follow the \"/\" sign");
        assert_eq!(err("nobody=r/postgres"), "role \"nobody\" does not exist");
    }

    #[test]
    fn grant_merges_by_grantee_and_grantor() {
        let mut acl = acl_default(ObjectKind::Relation, Oid(10));
        acl_grant(&mut acl, Oid(20), Oid(10), ACL_SELECT, 0);
        acl_grant(&mut acl, Oid(20), Oid(10), ACL_INSERT, ACL_INSERT);
        acl_grant(&mut acl, ACL_ID_PUBLIC, Oid(10), ACL_SELECT, 0);
        assert_eq!(
            text(&acl),
            [
                "postgres=arwdDxt/postgres",
                "alice=a*r/postgres",
                "=r/postgres"
            ]
        );
        assert_eq!(acl_mask(&acl, &[Oid(30)]), (ACL_SELECT, 0));
        assert_eq!(
            acl_mask(&acl, &[Oid(20)]),
            (ACL_SELECT | ACL_INSERT, ACL_INSERT)
        );
    }

    #[test]
    fn revoke_removes_empty_items_and_needs_cascade_for_dependents() {
        let mut acl = acl_default(ObjectKind::Relation, Oid(10));
        acl_grant(&mut acl, Oid(20), Oid(10), ACL_SELECT, ACL_SELECT);
        acl_grant(&mut acl, Oid(30), Oid(20), ACL_SELECT, 0);
        let err = acl_revoke(
            &mut acl,
            Oid(20),
            Oid(10),
            ACL_SELECT,
            true,
            DropBehavior::Restrict,
        )
        .expect_err("dependent");
        assert_eq!(err.message, "dependent privileges exist");
        let mut cascaded = acl.clone();
        acl_revoke(
            &mut cascaded,
            Oid(20),
            Oid(10),
            ACL_SELECT,
            true,
            DropBehavior::Cascade,
        )
        .expect("cascade");
        assert_eq!(
            text(&cascaded),
            ["postgres=arwdDxt/postgres", "alice=r/postgres"]
        );
        acl_revoke(
            &mut cascaded,
            Oid(20),
            Oid(10),
            ACL_SELECT,
            false,
            DropBehavior::Restrict,
        )
        .expect("revoke");
        assert_eq!(text(&cascaded), ["postgres=arwdDxt/postgres"]);
    }

    #[test]
    fn new_owner_takes_over_the_old_owners_entries() {
        let mut acl = acl_default(ObjectKind::Relation, Oid(10));
        acl_grant(&mut acl, Oid(20), Oid(10), ACL_SELECT, 0);
        assert_eq!(
            text(&acl_new_owner(&acl, Oid(10), Oid(30))),
            [
                "\"Bob Smith\"=arwdDxt/\"Bob Smith\"",
                "alice=r/\"Bob Smith\""
            ]
        );
    }
}
