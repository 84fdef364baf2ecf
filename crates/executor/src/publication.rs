//! Which tables a publication publishes, read from the catalogs (`pg_publication`,
//! `pg_publication_rel`, `pg_publication_namespace`, `pg_class`, `pg_inherits`), as
//! PostgreSQL 15's `pg_get_publication_tables` and `GetRelationPublications` compute it.
//!
//! Rules:
//! 1. A relation is publishable when it is an ordinary or partitioned table, permanent,
//!    and not a system relation (OID at or above `FirstNormalObjectId`).
//! 2. A publication's relations: every publishable table for `FOR ALL TABLES`; else its
//!    `pg_publication_rel` tables and the publishable tables of its schemas. With
//!    `publish_via_partition_root` a partitioned table stands for its partitions and a
//!    relation whose ancestor is also listed is left out; without it a partitioned
//!    table is replaced by its leaf partitions.
//! 3. A relation is published by a publication that lists it, one of its ancestors, its
//!    schema or an ancestor's schema, or is `FOR ALL TABLES`.
//!
//! Entry points: [`Publication::all`], [`publication_tables`], [`is_publishable`],
//! [`relation_publications`]. Used by the built-in functions and by the engine's
//! replica identity checks.

use std::sync::Arc;

use tusk_catalog::rows::CatalogRows;
use tusk_catalog::syscat::{self, SysCatalog};
use tusk_types::{Datum, Oid, Result};

/// A reader of one catalog's visible rows.
pub type CatalogSource<'a> = &'a dyn Fn(&'static SysCatalog) -> Result<Arc<CatalogRows>>;

/// PostgreSQL's `FirstNormalObjectId`.
const FIRST_NORMAL_OBJECT_ID: u32 = 16384;

fn catalog(name: &str) -> &'static SysCatalog {
    syscat::system_catalog_by_name(name).expect("PostgreSQL 15 system catalog")
}

fn oid_of(d: &Datum) -> Oid {
    match d {
        Datum::Oid(o) => Oid(*o),
        _ => Oid::INVALID,
    }
}

fn flag(d: &Datum) -> bool {
    *d == Datum::Bool(true)
}

fn char_of(d: &Datum) -> char {
    match d {
        Datum::Text(t) => t.chars().next().unwrap_or(' '),
        _ => ' ',
    }
}

/// One `pg_publication` row.
#[derive(Debug, Clone, PartialEq)]
pub struct Publication {
    /// Its OID.
    pub oid: Oid,
    /// `pubname`.
    pub name: String,
    /// `pubowner`.
    pub owner: Oid,
    /// `puballtables`.
    pub all_tables: bool,
    /// `pubinsert`.
    pub insert: bool,
    /// `pubupdate`.
    pub update: bool,
    /// `pubdelete`.
    pub delete: bool,
    /// `pubtruncate`.
    pub truncate: bool,
    /// `pubviaroot`.
    pub via_root: bool,
}

impl Publication {
    /// Every publication, in name order.
    ///
    /// Errors: catalog read errors.
    pub fn all(source: CatalogSource<'_>) -> Result<Vec<Publication>> {
        let cat = catalog("pg_publication");
        let c = |n: &str| cat.col(n);
        let rows = source(cat)?;
        let mut out: Vec<Publication> = rows
            .iter()
            .map(|r| Publication {
                oid: oid_of(&r[c("oid")]),
                name: match &r[c("pubname")] {
                    Datum::Text(t) => t.clone(),
                    _ => String::new(),
                },
                owner: oid_of(&r[c("pubowner")]),
                all_tables: flag(&r[c("puballtables")]),
                insert: flag(&r[c("pubinsert")]),
                update: flag(&r[c("pubupdate")]),
                delete: flag(&r[c("pubdelete")]),
                truncate: flag(&r[c("pubtruncate")]),
                via_root: flag(&r[c("pubviaroot")]),
            })
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }
}

/// One `pg_publication_rel` row.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicationRel {
    /// Its OID.
    pub oid: Oid,
    /// `prpubid`.
    pub publication: Oid,
    /// `prrelid`.
    pub relation: Oid,
    /// `prqual`: the row filter's text.
    pub qual: Option<String>,
    /// `prattrs`: the column list.
    pub attrs: Option<Vec<i16>>,
}

/// Every `pg_publication_rel` row.
///
/// Errors: catalog read errors.
pub fn publication_rels(source: CatalogSource<'_>) -> Result<Vec<PublicationRel>> {
    let cat = catalog("pg_publication_rel");
    let c = |n: &str| cat.col(n);
    let rows = source(cat)?;
    Ok(rows
        .iter()
        .map(|r| PublicationRel {
            oid: oid_of(&r[c("oid")]),
            publication: oid_of(&r[c("prpubid")]),
            relation: oid_of(&r[c("prrelid")]),
            qual: match &r[c("prqual")] {
                Datum::Text(t) => Some(t.clone()),
                _ => None,
            },
            attrs: match &r[c("prattrs")] {
                Datum::Array(a) => Some(
                    a.elems
                        .iter()
                        .map(|e| match e {
                            Datum::Int2(v) => *v,
                            _ => 0,
                        })
                        .collect(),
                ),
                _ => None,
            },
        })
        .collect())
}

/// Every `pg_publication_namespace` row: (OID, publication, schema).
///
/// Errors: catalog read errors.
pub fn publication_namespaces(source: CatalogSource<'_>) -> Result<Vec<(Oid, Oid, Oid)>> {
    let cat = catalog("pg_publication_namespace");
    let rows = source(cat)?;
    Ok(rows
        .iter()
        .map(|r| {
            (
                oid_of(&r[cat.col("oid")]),
                oid_of(&r[cat.col("pnpubid")]),
                oid_of(&r[cat.col("pnnspid")]),
            )
        })
        .collect())
}

/// What the publication rules need of a `pg_class` row.
#[derive(Debug, Clone, Copy)]
struct ClassInfo {
    namespace: Oid,
    kind: char,
    persistence: char,
    is_partition: bool,
}

struct Classes {
    rows: Arc<CatalogRows>,
    inherits: Arc<CatalogRows>,
}

impl Classes {
    fn read(source: CatalogSource<'_>) -> Result<Classes> {
        Ok(Classes {
            rows: source(catalog("pg_class"))?,
            inherits: source(catalog("pg_inherits"))?,
        })
    }

    fn info(&self, rel: Oid) -> Option<ClassInfo> {
        let cat = catalog("pg_class");
        let r = self.rows.first_matching(cat.col("oid"), rel)?;
        Some(ClassInfo {
            namespace: oid_of(&r[cat.col("relnamespace")]),
            kind: char_of(&r[cat.col("relkind")]),
            persistence: char_of(&r[cat.col("relpersistence")]),
            is_partition: flag(&r[cat.col("relispartition")]),
        })
    }

    fn publishable(&self, rel: Oid) -> bool {
        self.info(rel).is_some_and(|c| {
            matches!(c.kind, 'r' | 'p') && c.persistence == 'p' && rel.0 >= FIRST_NORMAL_OBJECT_ID
        })
    }

    /// Every relation with its info, in OID order.
    fn all(&self) -> Vec<(Oid, ClassInfo)> {
        let cat = catalog("pg_class");
        let mut out: Vec<(Oid, ClassInfo)> = self
            .rows
            .iter()
            .filter_map(|r| {
                let oid = oid_of(&r[cat.col("oid")]);
                self.info(oid).map(|i| (oid, i))
            })
            .collect();
        out.sort_by_key(|(o, _)| o.0);
        out
    }

    fn parents(&self, rel: Oid) -> Vec<Oid> {
        let cat = catalog("pg_inherits");
        self.inherits
            .matching(cat.col("inhrelid"), rel)
            .map(|r| oid_of(&r[cat.col("inhparent")]))
            .collect()
    }

    fn children(&self, rel: Oid) -> Vec<Oid> {
        let cat = catalog("pg_inherits");
        let mut out: Vec<Oid> = self
            .inherits
            .matching(cat.col("inhparent"), rel)
            .map(|r| oid_of(&r[cat.col("inhrelid")]))
            .collect();
        out.sort_by_key(|o| o.0);
        out
    }

    /// The partition ancestors of `rel`, nearest first.
    fn ancestors(&self, rel: Oid) -> Vec<Oid> {
        let mut out = Vec::new();
        let mut at = rel;
        while self.info(at).is_some_and(|i| i.is_partition) {
            let Some(parent) = self.parents(at).first().copied() else {
                break;
            };
            if out.contains(&parent) {
                break;
            }
            out.push(parent);
            at = parent;
        }
        out
    }

    /// `rel` itself, or for a partitioned table with `leaves` its leaf partitions.
    fn expand(&self, rel: Oid, leaves: bool, out: &mut Vec<Oid>) {
        let partitioned = self.info(rel).is_some_and(|i| i.kind == 'p');
        if !partitioned || !leaves {
            if !out.contains(&rel) {
                out.push(rel);
            }
            return;
        }
        for child in self.children(rel) {
            self.expand(child, leaves, out);
        }
    }
}

/// Whether `rel` may be published (rule 1); `None` for an unknown relation.
///
/// Errors: catalog read errors.
pub fn is_publishable(source: CatalogSource<'_>, rel: Oid) -> Result<Option<bool>> {
    let classes = Classes::read(source)?;
    if classes.info(rel).is_none() {
        return Ok(None);
    }
    Ok(Some(classes.publishable(rel)))
}

/// A published table with its column list and row filter (`pg_get_publication_tables`).
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedTable {
    /// The table.
    pub relation: Oid,
    /// `prattrs` (`None`: every column).
    pub attrs: Option<Vec<i16>>,
    /// `prqual`'s text.
    pub qual: Option<String>,
}

/// The tables publication `publication` publishes (rule 2).
///
/// Errors: catalog read errors.
pub fn publication_tables(
    source: CatalogSource<'_>,
    publication: &Publication,
) -> Result<Vec<PublishedTable>> {
    let classes = Classes::read(source)?;
    let leaves = !publication.via_root;
    let mut rels: Vec<Oid> = Vec::new();
    let mut has_schemas = false;
    if publication.all_tables {
        for (oid, info) in classes.all() {
            if !classes.publishable(oid) {
                continue;
            }
            let take = if publication.via_root {
                !info.is_partition
            } else {
                info.kind == 'r'
            };
            if take {
                rels.push(oid);
            }
        }
    } else {
        let members = publication_rels(source)?;
        for m in members.iter().filter(|m| m.publication == publication.oid) {
            classes.expand(m.relation, leaves, &mut rels);
        }
        let schemas: Vec<Oid> = publication_namespaces(source)?
            .into_iter()
            .filter(|(_, p, _)| *p == publication.oid)
            .map(|(_, _, n)| n)
            .collect();
        has_schemas = !schemas.is_empty();
        for (oid, info) in classes.all() {
            if !schemas.contains(&info.namespace) || !classes.publishable(oid) {
                continue;
            }
            classes.expand(oid, leaves, &mut rels);
        }
    }
    if publication.via_root {
        let listed = rels.clone();
        rels.retain(|r| !classes.ancestors(*r).iter().any(|a| listed.contains(a)));
    }
    let members = if publication.all_tables || has_schemas {
        Vec::new()
    } else {
        publication_rels(source)?
    };
    Ok(rels
        .into_iter()
        .map(|relation| {
            let member = members
                .iter()
                .find(|m| m.publication == publication.oid && m.relation == relation);
            PublishedTable {
                relation,
                attrs: member.and_then(|m| m.attrs.clone()),
                qual: member.and_then(|m| m.qual.clone()),
            }
        })
        .collect())
}

/// How publication `publication` reaches relation `rel` (rule 3): the relation the
/// membership names (`rel` or an ancestor) and its `pg_publication_rel` row, if any.
#[derive(Debug, Clone)]
pub struct RelationPublication {
    /// The publication.
    pub publication: Publication,
    /// The `pg_publication_rel` row of `rel` or of its topmost listed ancestor, when
    /// the membership is through one.
    pub member: Option<PublicationRel>,
}

/// The publications that publish `rel` (rule 3), in name order.
///
/// Errors: catalog read errors.
pub fn relation_publications(
    source: CatalogSource<'_>,
    rel: Oid,
) -> Result<Vec<RelationPublication>> {
    let classes = Classes::read(source)?;
    if !classes.publishable(rel) {
        return Ok(Vec::new());
    }
    let mut chain = vec![rel];
    chain.extend(classes.ancestors(rel));
    let namespaces: Vec<Oid> = chain
        .iter()
        .filter_map(|r| classes.info(*r).map(|i| i.namespace))
        .collect();
    let members = publication_rels(source)?;
    let schemas = publication_namespaces(source)?;
    let mut out = Vec::new();
    for publication in Publication::all(source)? {
        // The topmost listed relation of the chain decides the row filter and columns
        // when publishing via the root.
        let mut listed: Vec<&PublicationRel> = chain
            .iter()
            .filter_map(|r| {
                members
                    .iter()
                    .find(|m| m.publication == publication.oid && m.relation == *r)
            })
            .collect();
        if publication.via_root {
            listed.reverse();
        }
        let in_schema = schemas
            .iter()
            .any(|(_, p, n)| *p == publication.oid && namespaces.contains(n));
        if publication.all_tables || in_schema || !listed.is_empty() {
            // Without publishing via the root, only the relation's own row counts.
            let member = if publication.all_tables || in_schema {
                None
            } else if publication.via_root {
                listed.first().map(|m| (*m).clone())
            } else {
                listed
                    .iter()
                    .find(|m| m.relation == rel)
                    .map(|m| (*m).clone())
            };
            out.push(RelationPublication {
                publication,
                member,
            });
        }
    }
    Ok(out)
}
