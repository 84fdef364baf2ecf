//! TOAST relations for DDL (PostgreSQL's `toasting.c`): a table with a varlena column
//! gets `pg_toast.pg_toast_<table oid>` (relkind `t`, columns `chunk_id oid, chunk_seq
//! int4, chunk_data bytea`) and its unique B-tree index `pg_toast_<table oid>_index` on
//! `(chunk_id, chunk_seq)`, both in namespace `pg_toast` (temporary tables' too: tusk has
//! no `pg_toast_temp_N`), and `pg_class.reltoastrelid` names it; they are dropped with
//! the table. Written in the session's transaction like every catalog change.
//!
//! Entry points: `Session::ensure_toast_table`, `Session::remove_toast_table`.

use tusk_access::nbtree::BTreeIndex;
use tusk_access::row::type_is_varlena;
use tusk_access::ToastRelation;
use tusk_catalog::syscat::{self, CatalogRow};
use tusk_types::{type_oid, Datum, Oid, Result};

use super::index_ddl::{default_btree_opclass, int2vector, oidvector, BTREE_AM_OID};
use super::Session;
use crate::catalog_bootstrap::attribute_row;
use crate::relcache::RelEntry;

/// The new files of a TOAST relation and its index during a table rewrite:
/// `(relation, new relfilenode, old files)` of each.
pub(crate) struct ToastRewrite {
    toast: (Oid, Oid, tusk_types::RelFileLocator),
    index: (Oid, Oid, tusk_types::RelFileLocator),
}

impl Session {
    /// Gives table `rel` a TOAST relation if it has none and needs one
    /// (`AlterTableCreateToastTable`): a plain table (relkind `r`) or materialized view
    /// (`m`) with a column whose values are varlenas.
    ///
    /// Errors: catalog read and write errors; I/O errors creating the files.
    pub(crate) fn ensure_toast_table(&mut self, rel: Oid) -> Result<()> {
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        let (persistence, owner) = {
            let reader = self.catalog_reader();
            let classes = reader.rows(class)?;
            let Some(row) = classes.first_matching(class.col("oid"), rel) else {
                return Ok(());
            };
            let kind = matches!(&row[class.col("relkind")], Datum::Text(k) if k == "r" || k == "m");
            if !kind || row[class.col("reltoastrelid")] != Datum::Oid(0) {
                return Ok(());
            }
            let Some(entry) = reader.entry(rel)? else {
                return Ok(());
            };
            if !entry.attrs.iter().any(|a| type_is_varlena(a.type_oid)) {
                return Ok(());
            }
            (entry.persistence, row[class.col("relowner")].clone())
        };
        let cluster = self.db.cluster.clone();
        let toast_oid = cluster.xact.oids.next_oid(&cluster.wal);
        let index_oid = cluster.xact.oids.next_oid(&cluster.wal);
        let toast_name = format!("pg_toast_{}", rel.0);
        let persistence = Datum::Text((persistence as char).to_string());
        let class_row = |oid: Oid, name: &str, am: Oid, kind: &str, natts: i16| {
            CatalogRow::new(class)
                .set("oid", Datum::Oid(oid.0))
                .set("relname", Datum::Text(name.to_string()))
                .set("relnamespace", Datum::Oid(syscat::PG_TOAST_NAMESPACE.0))
                .set("relowner", owner.clone())
                .set("relam", Datum::Oid(am.0))
                .set("relfilenode", Datum::Oid(oid.0))
                .set("reltuples", Datum::Float4(-1.0))
                .set("relpersistence", persistence.clone())
                .set("relkind", Datum::Text(kind.into()))
                .set("relnatts", Datum::Int2(natts))
                .set("relispopulated", Datum::Bool(true))
                .set("relreplident", Datum::Text("n".into()))
        };
        self.insert_catalog_row(
            class_row(toast_oid, &toast_name, syscat::HEAP_TABLE_AM, "t", 3)
                .set("relhasindex", Datum::Bool(true))
                .set(
                    "relfrozenxid",
                    Datum::Oid(self.txn.top_xid().map_or(0, |x| x.0)),
                )
                .set("relminmxid", Datum::Oid(1)),
        )?;
        let columns = [
            ("chunk_id", type_oid::OID),
            ("chunk_seq", type_oid::INT4),
            ("chunk_data", type_oid::BYTEA),
        ];
        for (i, (name, type_oid)) in columns.iter().enumerate() {
            // chunk_data is never toasted again (attstorage PLAIN, as PostgreSQL).
            self.insert_catalog_row(
                attribute_row(toast_oid, i as i16 + 1, name, *type_oid, -1, false)
                    .set("attstorage", Datum::Text("p".into())),
            )?;
        }
        self.insert_system_attribute_rows(toast_oid)?;
        let index_name = format!("{toast_name}_index");
        self.insert_catalog_row(
            class_row(index_oid, &index_name, BTREE_AM_OID, "i", 2)
                .set("relminmxid", Datum::Oid(0)),
        )?;
        for (i, (name, type_oid)) in columns.iter().take(2).enumerate() {
            self.insert_catalog_row(attribute_row(
                index_oid,
                i as i16 + 1,
                name,
                *type_oid,
                -1,
                false,
            ))?;
        }
        let pg_index = syscat::system_catalog(syscat::PG_INDEX).expect("pg_index");
        self.insert_catalog_row(
            CatalogRow::new(pg_index)
                .set("indexrelid", Datum::Oid(index_oid.0))
                .set("indrelid", Datum::Oid(toast_oid.0))
                .set("indnatts", Datum::Int2(2))
                .set("indnkeyatts", Datum::Int2(2))
                .set("indisunique", Datum::Bool(true))
                .set("indimmediate", Datum::Bool(true))
                .set("indisvalid", Datum::Bool(true))
                .set("indisready", Datum::Bool(true))
                .set("indislive", Datum::Bool(true))
                .set("indkey", int2vector(vec![1, 2]))
                .set("indcollation", oidvector(vec![Oid(0), Oid(0)]))
                .set(
                    "indclass",
                    oidvector(vec![
                        default_btree_opclass(type_oid::OID),
                        default_btree_opclass(type_oid::INT4),
                    ]),
                )
                .set("indoption", int2vector(vec![0, 0])),
        )?;
        self.create_relation_file(toast_oid)?;
        let index_locator = self.create_relation_file(index_oid)?;
        BTreeIndex::new(
            cluster.pool.clone(),
            index_locator,
            ToastRelation::index_desc(&toast_name),
        )?
        .build_empty(&cluster.checkpointer)?;
        let c_toast = class.col("reltoastrelid");
        self.update_class_row(rel, |r| r[c_toast] = Datum::Oid(toast_oid.0))?;
        self.txn.command_counter_increment();
        Ok(())
    }

    /// Gives the TOAST relation of `table` (if any) and its index new, empty files, as
    /// TRUNCATE does for the table.
    ///
    /// Errors: catalog read and write errors; I/O errors.
    pub(crate) fn truncate_toast_table(&mut self, table: &RelEntry) -> Result<()> {
        let Some(toast) = table.heap.toast().map(|t| t.oid()) else {
            return Ok(());
        };
        let Some(entry) = self.catalog_reader().entry(toast)? else {
            return Ok(());
        };
        let (node, _) = self.new_relation_file()?;
        self.set_relation_file(toast, node, entry.locator, Some((0, -1.0)))?;
        self.txn.command_counter_increment();
        self.reset_table_indexes(&entry)?;
        self.txn.command_counter_increment();
        Ok(())
    }

    /// New, empty files for the TOAST relation of `table` and its index, for a table
    /// rewrite (PostgreSQL's `make_new_heap` gives the new heap a new TOAST table): the
    /// relation to toast the rewritten rows into, and what
    /// [`Session::finish_toast_rewrite`] installs once the table's file is swapped. The
    /// old files, with the chunks of the old rows, are removed at commit.
    ///
    /// Errors: catalog read errors; I/O errors creating the files.
    pub(crate) fn begin_toast_rewrite(
        &mut self,
        table: &RelEntry,
    ) -> Result<Option<(std::sync::Arc<ToastRelation>, ToastRewrite)>> {
        let Some(toast_oid) = table.heap.toast().map(|t| t.oid()) else {
            return Ok(None);
        };
        let Some(toast) = self.catalog_reader().entry(toast_oid)? else {
            return Ok(None);
        };
        let Some(index) = self.table_indexes(&toast)?.into_iter().next() else {
            return Ok(None);
        };
        let cluster = self.db.cluster.clone();
        let (heap_node, heap_locator) = self.new_relation_file()?;
        let (index_node, index_locator) = self.new_relation_file()?;
        let relation = crate::toast::toast_relation_at(
            &cluster.pool,
            &cluster.xact.clog,
            toast_oid,
            toast.info.name.clone(),
            heap_locator,
            index_locator,
        )?;
        BTreeIndex::new(
            cluster.pool.clone(),
            index_locator,
            ToastRelation::index_desc(&toast.info.name),
        )?
        .build_empty(&cluster.checkpointer)?;
        Ok(Some((
            relation,
            ToastRewrite {
                toast: (toast_oid, heap_node, toast.locator),
                index: (index.oid, index_node, index.locator),
            },
        )))
    }

    /// Points the TOAST relation and its index at the files of `rewrite`.
    ///
    /// Errors: catalog write errors.
    pub(crate) fn finish_toast_rewrite(&mut self, rewrite: ToastRewrite) -> Result<()> {
        for (rel, node, old) in [rewrite.toast, rewrite.index] {
            self.set_relation_file(rel, node, old, None)?;
        }
        self.txn.command_counter_increment();
        Ok(())
    }

    /// VACUUMs the TOAST relation of `table` (if any) and its index, as the table's:
    /// chunks deleted by committed transactions older than every snapshot go, with their
    /// index entries.
    ///
    /// Errors: I/O errors; 57014 on cancel.
    pub(crate) fn vacuum_toast_table(&mut self, table: &RelEntry) -> Result<()> {
        let Some(toast) = table.heap.toast() else {
            return Ok(());
        };
        self.lazy_vacuum_heap(toast.heap(), &[toast.index()])?;
        Ok(())
    }

    /// Drops the TOAST relation of `rel` and its index, if it has one (with the table).
    ///
    /// Errors: catalog read and write errors.
    pub(crate) fn remove_toast_table(&mut self, rel: Oid) -> Result<()> {
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        let pg_index = syscat::system_catalog(syscat::PG_INDEX).expect("pg_index");
        let (toast, indexes) = {
            let reader = self.catalog_reader();
            let classes = reader.rows(class)?;
            let toast = match classes
                .first_matching(class.col("oid"), rel)
                .map(|r| &r[class.col("reltoastrelid")])
            {
                Some(Datum::Oid(t)) if *t != 0 => Oid(*t),
                _ => return Ok(()),
            };
            let indexes: Vec<Oid> = reader
                .rows(pg_index)?
                .matching(pg_index.col("indrelid"), toast)
                .filter_map(|r| match r[pg_index.col("indexrelid")] {
                    Datum::Oid(o) => Some(Oid(o)),
                    _ => None,
                })
                .collect();
            (toast, indexes)
        };
        for index in indexes {
            self.remove_index_catalog(index)?;
        }
        self.remove_relation_catalog(toast)
    }
}
