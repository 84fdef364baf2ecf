//! `pg_relation_is_publishable(regclass)` and `pg_get_publication_tables(pubname)` (the
//! function behind the `pg_publication_tables` view), over the statement's catalog rows.
//!
//! See also: `crate::publication` (the rules).

use tusk_types::adt::array::{Array, ArrayDim};
use tusk_types::{pg_err, type_oid, Datum, Oid, Result};

use super::{reg, Table};
use crate::context::SessionContext;
use crate::publication::{self, Publication};

fn int2vector(values: &[i16]) -> Datum {
    if values.is_empty() {
        return Datum::Array(Box::new(Array::empty(type_oid::INT2)));
    }
    Datum::Array(Box::new(Array {
        elem_type: type_oid::INT2,
        dims: vec![ArrayDim {
            len: values.len() as i32,
            lower: 0,
        }],
        elems: values.iter().map(|v| Datum::Int2(*v)).collect(),
    }))
}

fn rows_of(
    session: &dyn SessionContext,
) -> impl Fn(
    &'static tusk_catalog::syscat::SysCatalog,
) -> Result<std::sync::Arc<tusk_catalog::rows::CatalogRows>>
       + '_ {
    move |cat| session.catalog_rows(cat.oid)
}

/// `pg_get_publication_tables(pubname)`: (relid, attrs, qual) per published table.
///
/// Errors: 42704 `publication "p" does not exist`; catalog read errors.
fn publication_tables(session: &dyn SessionContext, name: &str) -> Result<Vec<Vec<Datum>>> {
    let source = rows_of(session);
    let Some(publication) = Publication::all(&source)?
        .into_iter()
        .find(|p| p.name == name)
    else {
        return Err(pg_err!(
            UNDEFINED_OBJECT,
            "publication \"{}\" does not exist",
            name
        ));
    };
    let tables = publication::publication_tables(&source, &publication)?;
    Ok(tables
        .into_iter()
        .map(|t| {
            vec![
                Datum::Oid(t.relation.0),
                t.attrs.as_deref().map_or(Datum::Null, int2vector),
                t.qual.map_or(Datum::Null, Datum::Text),
            ]
        })
        .collect())
}

pub(super) fn register(t: &mut Table) {
    reg(t, &["pg_relation_is_publishable"], |ctx, a| {
        let rel = match a.first() {
            Some(Datum::Oid(o)) => Oid(*o),
            _ => return Ok(Datum::Null),
        };
        let source = rows_of(ctx.session);
        Ok(publication::is_publishable(&source, rel)?.map_or(Datum::Null, Datum::Bool))
    });
    t.insert(
        "pg_get_publication_tables",
        super::Builtin::Rows(|ctx, a| {
            let name = match a.first() {
                Some(Datum::Text(t)) => t.clone(),
                _ => return Ok(Vec::new()),
            };
            publication_tables(ctx.session, &name)
        }),
    );
}
