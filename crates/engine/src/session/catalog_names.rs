//! The session's [`CatalogNames`]: names of relations, types, schemas and roles for the
//! input and output of `regclass`, `regtype`, `regnamespace` and `regrole` (PostgreSQL
//! docs §8.19), read from the catalogs a statement sees.
//!
//! Invariant: one [`SessionCatalogNames`] belongs to one statement: it keeps that
//! statement's catalog snapshot and search path, and decodes each catalog it needs at
//! most once, starting from the rows the backend's cache already holds. Building one
//! reads nothing, so statements that print no such values pay a few copies.
//!
//! Entry points: [`SessionCatalogNames::new`] (the output settings' names while a
//! statement runs), [`ReaderNames`] (literals the analyzer reads through a
//! [`CatalogReader`]).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::sync::Arc;

use parking_lot::Mutex;
use tusk_catalog::rows::CatalogRows;
use tusk_catalog::syscat::{self, SysCatalog};
use tusk_executor::CatalogNames;
use tusk_sql::view_query::quote_identifier;
use tusk_types::{Datum, Oid, Result};

use crate::cluster::Cluster;
use crate::heap::ReadView;
use crate::relcache::{CatalogReader, RelCache};

const PG_TYPE: Oid = Oid(1247);
const PG_AUTHID: Oid = Oid(1260);

/// Where catalog rows come from, and the search path names are resolved on.
pub(crate) trait NameSource {
    /// The visible rows of `catalog`; `None` if they cannot be read (the value then
    /// prints as a number, as for an OID nothing has).
    fn catalog(&self, catalog: Oid) -> Option<Arc<CatalogRows>>;
    /// Schemas searched for unqualified names, in order, the temporary schema and
    /// `pg_catalog` included where they are searched.
    fn search_path(&self) -> &[String];
}

/// Catalog names as one statement sees them (see the module header).
pub(crate) struct SessionCatalogNames {
    cluster: Arc<Cluster>,
    db: Oid,
    view: ReadView,
    generation: u64,
    search_path: Vec<String>,
    /// Decoded catalogs by catalog OID.
    rows: Mutex<HashMap<Oid, Arc<CatalogRows>>>,
}

/// Catalog names read through a [`CatalogReader`] and its cache.
pub(crate) struct ReaderNames<'r, 'a>(pub &'r CatalogReader<'a>);

impl NameSource for ReaderNames<'_, '_> {
    fn catalog(&self, catalog: Oid) -> Option<Arc<CatalogRows>> {
        self.0.rows(syscat::system_catalog(catalog)?).ok()
    }

    fn search_path(&self) -> &[String] {
        &self.0.search_path
    }
}

impl NameSource for SessionCatalogNames {
    fn catalog(&self, catalog: Oid) -> Option<Arc<CatalogRows>> {
        if let Some(rows) = self.rows.lock().get(&catalog) {
            return Some(rows.clone());
        }
        let scratch = RefCell::new(RelCache::default());
        let reader = CatalogReader {
            pool: &self.cluster.pool,
            clog: &self.cluster.xact.clog,
            db: self.db,
            view: RefCell::new(self.view.clone()),
            generation: Cell::new(self.generation),
            cache: &scratch,
            bypass_cache: true,
            own_changes_cid: None,
            search_path: Vec::new(),
            row_security_user: None,
        };
        let rows = reader.rows(syscat::system_catalog(catalog)?).ok()?;
        self.rows.lock().insert(catalog, rows.clone());
        Some(rows)
    }

    fn search_path(&self) -> &[String] {
        &self.search_path
    }
}

impl SessionCatalogNames {
    /// Names read through `reader`'s snapshot and search path, reusing the decoded
    /// catalogs its cache holds now.
    pub(crate) fn new(cluster: Arc<Cluster>, reader: &CatalogReader<'_>) -> SessionCatalogNames {
        let cached = reader.cache.borrow();
        let rows = [syscat::PG_CLASS, syscat::PG_NAMESPACE, PG_TYPE, PG_AUTHID]
            .into_iter()
            .filter_map(|c| Some((c, cached.cached_rows(c, reader.own_changes_cid)?)))
            .collect();
        SessionCatalogNames {
            cluster,
            db: reader.db,
            view: reader.view.borrow().clone(),
            generation: reader.generation.get(),
            search_path: reader.search_path.clone(),
            rows: Mutex::new(rows),
        }
    }
}

/// Lookups every [`NameSource`] answers the same way.
trait NameLookups: NameSource {
    /// The visible rows of `catalog` with its description.
    fn rows(&self, catalog: Oid) -> Option<(Arc<CatalogRows>, &'static SysCatalog)> {
        let description = syscat::system_catalog(catalog)?;
        Some((self.catalog(catalog)?, description))
    }

    /// The OID of schema `name` (`pg_temp` is the session's temporary schema, once the
    /// search path holds it).
    fn namespace(&self, name: &str) -> Option<Oid> {
        if name == "pg_temp" {
            let temp = self
                .search_path()
                .iter()
                .find(|s| s.starts_with("pg_temp_"))?
                .clone();
            return self.namespace(&temp);
        }
        let (rows, d) = self.rows(syscat::PG_NAMESPACE)?;
        let (oid, nspname) = (d.col("oid"), d.col("nspname"));
        rows.iter()
            .find(|r| text(&r[nspname]) == name)
            .and_then(|r| oid_of(&r[oid]))
    }

    /// The object named `name` in the first schema of the search path holding one;
    /// `objects` lists the candidates as (namespace, oid).
    fn first_on_path(&self, objects: &[(Oid, Oid)]) -> Option<Oid> {
        self.search_path().iter().find_map(|schema| {
            let ns = self.namespace(schema)?;
            objects.iter().find(|(n, _)| *n == ns).map(|(_, oid)| *oid)
        })
    }

    /// `name`, qualified with its schema unless the object `oid` is the one the search
    /// path finds under that name (PostgreSQL's `RelationIsVisible`, `TypeIsVisible`).
    fn qualified_name(
        &self,
        catalog: Oid,
        name_col: &str,
        namespace_col: &str,
        oid: Oid,
    ) -> Option<String> {
        let (rows, d) = self.rows(catalog)?;
        let (c_oid, c_name, c_ns) = (d.col("oid"), d.col(name_col), d.col(namespace_col));
        let row = rows.first_matching(c_oid, oid)?;
        let name = text(&row[c_name]);
        let namespace = oid_of(&row[c_ns])?;
        let same_name: Vec<(Oid, Oid)> = rows
            .iter()
            .filter(|r| text(&r[c_name]) == name)
            .filter_map(|r| Some((oid_of(&r[c_ns])?, oid_of(&r[c_oid])?)))
            .collect();
        if self.first_on_path(&same_name) == Some(oid) {
            return Some(quote_identifier(name));
        }
        let schema = self.name_of(syscat::PG_NAMESPACE, "nspname", namespace)?;
        Some(format!(
            "{}.{}",
            quote_identifier(&schema),
            quote_identifier(name)
        ))
    }

    /// Column `name_col` of the row of `catalog` with OID `oid`, unquoted.
    fn name_of(&self, catalog: Oid, name_col: &str, oid: Oid) -> Option<String> {
        let (rows, d) = self.rows(catalog)?;
        let row = rows.first_matching(d.col("oid"), oid)?;
        Some(text(&row[d.col(name_col)]).to_string())
    }
}

impl<S: NameSource> NameLookups for S {}

/// [`CatalogNames`] over a [`NameSource`].
pub(crate) struct Names<S>(pub S);

impl<S: NameSource> CatalogNames for Names<S> {
    fn relation_name(&self, rel: Oid) -> Option<String> {
        self.0
            .qualified_name(syscat::PG_CLASS, "relname", "relnamespace", rel)
    }

    fn function_name(&self, proc: Oid) -> Option<String> {
        self.0
            .qualified_name(syscat::PG_PROC, "proname", "pronamespace", proc)
    }

    fn function_oids(&self, name: &str) -> Result<Vec<Oid>> {
        let Some((rows, d)) = self.0.rows(syscat::PG_PROC) else {
            return Ok(Vec::new());
        };
        let (c_oid, c_name) = (d.col("oid"), d.col("proname"));
        Ok(rows
            .iter()
            .filter(|r| text(&r[c_name]) == name)
            .filter_map(|r| oid_of(&r[c_oid]))
            .filter(|o| o.0 >= 16384)
            .collect())
    }

    fn function_signature(&self, proc: Oid) -> Option<String> {
        let name = self.function_name(proc)?;
        let (rows, d) = self.0.rows(syscat::PG_PROC)?;
        let row = rows.first_matching(d.col("oid"), proc)?;
        let args: Vec<String> = match &row[d.col("proargtypes")] {
            Datum::Array(a) => a
                .elems
                .iter()
                .filter_map(oid_of)
                .map(|t| {
                    if tusk_catalog::builtin().type_by_oid(t).is_some() {
                        tusk_executor::io::format_type(t)
                    } else {
                        self.type_name(t).unwrap_or_else(|| t.0.to_string())
                    }
                })
                .collect(),
            _ => Vec::new(),
        };
        Some(format!("{name}({})", args.join(",")))
    }

    fn function_signatures(
        &self,
        schema: Option<&str>,
        name: &str,
    ) -> Result<Vec<(Oid, Vec<Oid>)>> {
        let namespace = match schema {
            Some(s) => match self.namespace_oid(s)? {
                Some(ns) => Some(ns),
                None => return Ok(Vec::new()),
            },
            None => None,
        };
        let Some((rows, d)) = self.0.rows(syscat::PG_PROC) else {
            return Ok(Vec::new());
        };
        let (c_oid, c_name, c_ns, c_args) = (
            d.col("oid"),
            d.col("proname"),
            d.col("pronamespace"),
            d.col("proargtypes"),
        );
        Ok(rows
            .iter()
            .filter(|r| text(&r[c_name]) == name)
            .filter(|r| namespace.is_none_or(|ns| oid_of(&r[c_ns]) == Some(ns)))
            .filter_map(|r| {
                let oid = oid_of(&r[c_oid]).filter(|o| o.0 >= 16384)?;
                let args = match &r[c_args] {
                    Datum::Array(a) => a.elems.iter().filter_map(oid_of).collect(),
                    _ => Vec::new(),
                };
                Some((oid, args))
            })
            .collect())
    }

    fn type_name(&self, type_oid: Oid) -> Option<String> {
        let (rows, d) = self.0.rows(PG_TYPE)?;
        let row = rows.first_matching(d.col("oid"), type_oid)?;
        let elem = oid_of(&row[d.col("typelem")]).unwrap_or(Oid::INVALID);
        let is_array = elem != Oid::INVALID && text(&row[d.col("typname")]).starts_with('_');
        if is_array {
            let element = if tusk_catalog::builtin().type_by_oid(elem).is_some() {
                tusk_executor::io::format_type(elem)
            } else {
                self.type_name(elem)?
            };
            return Some(format!("{element}[]"));
        }
        self.0
            .qualified_name(PG_TYPE, "typname", "typnamespace", type_oid)
    }

    fn namespace_name(&self, namespace: Oid) -> Option<String> {
        self.0
            .name_of(syscat::PG_NAMESPACE, "nspname", namespace)
            .map(|n| quote_identifier(&n))
    }

    fn role_name(&self, role: Oid) -> Option<String> {
        self.0
            .name_of(PG_AUTHID, "rolname", role)
            .map(|n| quote_identifier(&n))
    }

    fn relation_oid(&self, schema: Option<&str>, name: &str) -> Result<Option<Oid>> {
        let Some((rows, d)) = self.0.rows(syscat::PG_CLASS) else {
            return Ok(None);
        };
        let (c_oid, c_name, c_ns) = (d.col("oid"), d.col("relname"), d.col("relnamespace"));
        let same_name: Vec<(Oid, Oid)> = rows
            .iter()
            .filter(|r| text(&r[c_name]) == name)
            .filter_map(|r| Some((oid_of(&r[c_ns])?, oid_of(&r[c_oid])?)))
            .collect();
        Ok(match schema {
            Some(schema) => self.0.namespace(schema).and_then(|ns| {
                same_name
                    .iter()
                    .find(|(n, _)| *n == ns)
                    .map(|(_, oid)| *oid)
            }),
            None => self.0.first_on_path(&same_name),
        })
    }

    fn namespace_oid(&self, name: &str) -> Result<Option<Oid>> {
        Ok(self.0.namespace(name))
    }

    fn role_oid(&self, name: &str) -> Result<Option<Oid>> {
        let Some((rows, d)) = self.0.rows(PG_AUTHID) else {
            return Ok(None);
        };
        let (oid, rolname) = (d.col("oid"), d.col("rolname"));
        Ok(rows
            .iter()
            .find(|r| text(&r[rolname]) == name)
            .and_then(|r| oid_of(&r[oid])))
    }
}

fn text(d: &Datum) -> &str {
    match d {
        Datum::Text(s) => s,
        _ => "",
    }
}

fn oid_of(d: &Datum) -> Option<Oid> {
    match d {
        Datum::Oid(v) => Some(Oid(*v)),
        Datum::Int4(v) => Some(Oid(*v as u32)),
        _ => None,
    }
}
