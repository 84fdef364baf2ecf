//! CREATE SEQUENCE, DROP SEQUENCE, and the sequences of `serial` columns (PostgreSQL's
//! `DefineSequence`, `init_params`): parameter defaults and checks with PostgreSQL's
//! messages, the `pg_class` (relkind `S`), `pg_attribute`, `pg_sequence` and, for owned
//! sequences, `pg_depend` (deptype `a`) rows, and the sequence's one-page relation.

use tusk_catalog::syscat::{self, CatalogRow};
use tusk_sql::analyze::Analyzer;
use tusk_sql::ast_ddl::{CreateSequenceStmt, SequenceOptions};
use tusk_types::{pg_err, type_oid, Datum, Oid, Result};

use super::lookup::SessionLookup;
use super::Session;
use crate::catalog_bootstrap::attribute_row;
use crate::sequence::SeqParams;
use crate::sink::{NoticeSeverity, Sink};

/// Computes a new sequence's parameters from its options (`init_params`).
///
/// Errors: 22023 with PostgreSQL's messages for invalid combinations.
pub(crate) fn sequence_params(options: &SequenceOptions, type_oid: Oid) -> Result<SeqParams> {
    init_params(options, None, type_oid)
}

/// The range and name of sequence type `type_oid`.
fn type_range(type_oid: Oid) -> (i64, i64, &'static str) {
    match type_oid {
        type_oid::INT2 => (i64::from(i16::MIN), i64::from(i16::MAX), "smallint"),
        type_oid::INT4 => (i64::from(i32::MIN), i64::from(i32::MAX), "integer"),
        _ => (i64::MIN, i64::MAX, "bigint"),
    }
}

/// PostgreSQL's `init_params`: the parameters `options` give a new sequence of type
/// `type_oid` (`existing` `None`), or an existing one with parameters `existing.0` of
/// type `existing.1` now of type `type_oid` (ALTER SEQUENCE: what is not written stays,
/// and a bound at the old type's limit follows a type change).
///
/// Errors: 22023 with PostgreSQL's messages for invalid combinations.
pub(crate) fn init_params(
    options: &SequenceOptions,
    existing: Option<(&SeqParams, Oid)>,
    type_oid: Oid,
) -> Result<SeqParams> {
    let (type_min, type_max, type_name) = type_range(type_oid);
    let (reset_max, reset_min) = match existing {
        Some((old, old_type)) if old_type != type_oid => {
            let (old_min, old_max, _) = type_range(old_type);
            (old.max == old_max, old.min == old_min)
        }
        _ => (false, false),
    };
    let increment = options
        .increment
        .or(existing.map(|(p, _)| p.increment))
        .unwrap_or(1);
    if increment == 0 {
        return Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "INCREMENT must not be zero"
        ));
    }
    let default_max = if increment > 0 || reset_max {
        type_max
    } else {
        -1
    };
    let max = match (options.max, existing) {
        (Some(Some(v)), _) => v,
        (Some(None), _) | (None, None) => default_max,
        (None, Some((old, _))) => {
            if reset_max {
                default_max
            } else {
                old.max
            }
        }
    };
    if max < type_min || max > type_max {
        return Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "MAXVALUE ({}) is out of range for sequence data type {}",
            max,
            type_name
        ));
    }
    let default_min = if increment < 0 || reset_min {
        type_min
    } else {
        1
    };
    let min = match (options.min, existing) {
        (Some(Some(v)), _) => v,
        (Some(None), _) | (None, None) => default_min,
        (None, Some((old, _))) => {
            if reset_min {
                default_min
            } else {
                old.min
            }
        }
    };
    if min < type_min || min > type_max {
        return Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "MINVALUE ({}) is out of range for sequence data type {}",
            min,
            type_name
        ));
    }
    if min >= max {
        return Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "MINVALUE ({}) must be less than MAXVALUE ({})",
            min,
            max
        ));
    }
    let start = match (options.start, existing) {
        (Some(v), _) => v,
        (None, Some((old, _))) => old.start,
        (None, None) => {
            if increment > 0 {
                min
            } else {
                max
            }
        }
    };
    if start < min {
        return Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "START value ({}) cannot be less than MINVALUE ({})",
            start,
            min
        ));
    }
    if start > max {
        return Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "START value ({}) cannot be greater than MAXVALUE ({})",
            start,
            max
        ));
    }
    let cache = options
        .cache
        .or(existing.map(|(p, _)| p.cache))
        .unwrap_or(1);
    if cache <= 0 {
        return Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "CACHE ({}) must be greater than zero",
            cache
        ));
    }
    Ok(SeqParams {
        start,
        increment,
        max,
        min,
        cache,
        cycle: options
            .cycle
            .or(existing.map(|(p, _)| p.cycle))
            .unwrap_or(false),
    })
}

/// The type `AS type` names, if written.
///
/// Errors: 42704 for an unknown type; 22023 `sequence type must be smallint, integer, or
/// bigint`.
pub(super) fn sequence_type(
    output: &tusk_executor::OutputSettings,
    reader: &crate::relcache::CatalogReader<'_>,
    options: &SequenceOptions,
    sql: &str,
) -> Result<Option<Oid>> {
    let Some(t) = &options.as_type else {
        return Ok(None);
    };
    let lookup = SessionLookup {
        builtin: tusk_executor::BuiltinLookup { settings: output },
        catalog: reader,
    };
    let (oid, _) = Analyzer::new(&lookup, sql, Vec::new()).resolve_type_name(t)?;
    if !matches!(oid, type_oid::INT2 | type_oid::INT4 | type_oid::INT8) {
        return Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "sequence type must be smallint, integer, or bigint"
        ));
    }
    Ok(Some(oid))
}

/// The column `OWNED BY table.column` names (`Some(None)` for OWNED BY NONE, `None`
/// without the option), for a sequence in namespace `seq_namespace`.
///
/// Errors: 22023 `invalid OWNED BY option`; 42P01, 42703; 42809 `sequence cannot be owned
/// by relation "x"`; 55000 `sequence must be in same schema as table it is linked to`.
pub(super) fn owned_by_target(
    reader: &crate::relcache::CatalogReader<'_>,
    options: &SequenceOptions,
    seq_namespace: Oid,
) -> Result<Option<Option<(Oid, i16)>>> {
    let names = match options.owned_by.as_deref() {
        None => return Ok(None),
        Some([]) => return Ok(Some(None)),
        Some(names) if names.len() >= 2 => names,
        Some(_) => {
            return Err(pg_err!(INVALID_PARAMETER_VALUE, "invalid OWNED BY option")
                .hint("Specify OWNED BY table.column or OWNED BY NONE."))
        }
    };
    let (table, column) = (&names[names.len() - 2], &names[names.len() - 1]);
    let schema = (names.len() > 2).then(|| names[names.len() - 3].as_str());
    let entry = match reader.resolve(schema, table)? {
        Some(oid) => reader.entry(oid)?,
        None => None,
    }
    .ok_or_else(|| pg_err!(UNDEFINED_TABLE, "relation \"{}\" does not exist", table))?;
    if !matches!(entry.info.kind, b'r' | b'f' | b'v' | b'p') {
        let what = match entry.info.kind {
            b'S' => "sequences",
            b'i' | b'I' => "indexes",
            b'm' => "materialized views",
            b'c' => "composite types",
            _ => "relations of this kind",
        };
        return Err(pg_err!(
            WRONG_OBJECT_TYPE,
            "sequence cannot be owned by relation \"{}\"",
            entry.info.name
        )
        .detail(format!("This operation is not supported for {what}.")));
    }
    if entry.namespace_oid != seq_namespace {
        return Err(pg_err!(
            OBJECT_NOT_IN_PREREQUISITE_STATE,
            "sequence must be in same schema as table it is linked to"
        ));
    }
    let attnum = entry
        .info
        .columns
        .iter()
        .position(|c| !c.dropped && c.name == *column)
        .ok_or_else(|| {
            pg_err!(
                UNDEFINED_COLUMN,
                "column \"{}\" of relation \"{}\" does not exist",
                column,
                table
            )
        })?;
    Ok(Some(Some((entry.info.oid, attnum as i16 + 1))))
}

/// Refuses `SEQUENCE NAME` outside identity column definitions.
///
/// Errors: 42601 `invalid sequence option SEQUENCE NAME`.
pub(super) fn refuse_sequence_name(options: &SequenceOptions) -> Result<()> {
    if options.sequence_name.is_some() {
        return Err(pg_err!(
            SYNTAX_ERROR,
            "invalid sequence option SEQUENCE NAME"
        ));
    }
    Ok(())
}

/// The relation names a default expression's text gives as `regclass` constants:
/// `'name'::regclass`, and `nextval('name')` (an unknown literal coerced to `regclass`,
/// as PostgreSQL records it), each possibly qualified.
fn regclass_literals(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'\'' {
            i += 1;
            continue;
        }
        let start = i;
        let mut literal = String::new();
        i += 1;
        while i < bytes.len() {
            if bytes[i] == b'\'' {
                if bytes.get(i + 1) == Some(&b'\'') {
                    literal.push('\'');
                    i += 2;
                    continue;
                }
                break;
            }
            let ch = text[i..].chars().next().expect("in bounds");
            literal.push(ch);
            i += ch.len_utf8();
        }
        i += 1;
        let rest = &text[i.min(text.len())..];
        let before = text[..start].trim_end();
        let is_regclass = rest.starts_with("::regclass")
            || (before.ends_with("nextval(") && rest.trim_start().starts_with(')'));
        if is_regclass {
            out.push(literal);
        }
    }
    out
}

/// Splits a possibly qualified name written in a regclass literal (`s.t`, `"S"."t"`).
fn split_qualified(name: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                current.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            '.' if !quoted => parts.push(std::mem::take(&mut current)),
            c if quoted => current.push(c),
            c => current.extend(c.to_lowercase()),
        }
    }
    parts.push(current);
    parts
}

impl Session {
    /// The column defaults that use sequence `seq` (PostgreSQL's `n` dependencies of
    /// `pg_attrdef` rows on the sequence): attrdef OID, table, attnum, and PostgreSQL's
    /// description.
    ///
    /// Errors: catalog read errors.
    fn sequence_defaults(&self, seq: Oid) -> Result<Vec<(Oid, Oid, i16, String)>> {
        let attrdef = syscat::system_catalog(syscat::PG_ATTRDEF).expect("pg_attrdef");
        let reader = self.catalog_reader();
        let mut out = Vec::new();
        for r in reader.rows(attrdef)?.iter() {
            let (Datum::Oid(oid), Datum::Oid(table), Datum::Int2(attnum), Datum::Text(text)) = (
                &r[attrdef.col("oid")],
                &r[attrdef.col("adrelid")],
                &r[attrdef.col("adnum")],
                &r[attrdef.col("adbin")],
            ) else {
                continue;
            };
            let mut uses = false;
            for literal in regclass_literals(text) {
                let parts = split_qualified(&literal);
                let (schema, name) = match parts.as_slice() {
                    [name] => (None, name.as_str()),
                    [.., schema, name] => (Some(schema.as_str()), name.as_str()),
                    [] => continue,
                };
                if reader.resolve(schema, name)? == Some(seq) {
                    uses = true;
                }
            }
            if !uses {
                continue;
            }
            let Some(entry) = reader.entry(Oid(*table))? else {
                continue;
            };
            let column = entry
                .info
                .columns
                .get(*attnum as usize - 1)
                .map(|c| c.name.clone())
                .unwrap_or_default();
            out.push((
                Oid(*oid),
                Oid(*table),
                *attnum,
                format!(
                    "default value for column {column} of table {}",
                    entry.info.name
                ),
            ));
        }
        Ok(out)
    }

    /// DROP SEQUENCE's dependent defaults: refused without CASCADE (2BP01 with
    /// PostgreSQL's DETAIL and HINT), removed with a NOTICE with it.
    ///
    /// Errors: 2BP01; catalog errors.
    pub(crate) fn drop_sequence_defaults(
        &mut self,
        seq: Oid,
        name: &str,
        cascade: bool,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let defaults = self.sequence_defaults(seq)?;
        if defaults.is_empty() {
            return Ok(());
        }
        let lines: Vec<String> = defaults
            .iter()
            .map(|d| format!("{} depends on sequence {name}", d.3))
            .collect();
        if !cascade {
            return Err(pg_err!(
                DEPENDENT_OBJECTS_STILL_EXIST,
                "cannot drop sequence {} because other objects depend on it",
                name
            )
            .detail(lines.join("\n"))
            .hint("Use DROP ... CASCADE to drop the dependent objects too."));
        }
        let notice = if defaults.len() == 1 {
            pg_err!(SUCCESSFUL_COMPLETION, "drop cascades to {}", defaults[0].3)
        } else {
            pg_err!(
                SUCCESSFUL_COMPLETION,
                "drop cascades to {} other objects",
                defaults.len()
            )
            .detail(
                defaults
                    .iter()
                    .map(|d| format!("drop cascades to {}", d.3))
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
        };
        sink.notice(NoticeSeverity::Notice, &notice);
        let attrdef = syscat::system_catalog(syscat::PG_ATTRDEF).expect("pg_attrdef");
        let attribute = syscat::system_catalog(syscat::PG_ATTRIBUTE).expect("pg_attribute");
        let c_has_default = attribute.col("atthasdef");
        for (oid, table, attnum, _) in defaults {
            let c_oid = attrdef.col("oid");
            self.delete_catalog_rows(syscat::PG_ATTRDEF, move |r: &[Datum]| {
                r[c_oid] == Datum::Oid(oid.0)
            })?;
            self.update_attribute_row(table, attnum, |r| r[c_has_default] = Datum::Bool(false))?;
        }
        self.txn.command_counter_increment();
        Ok(())
    }

    /// The namespace and name of the sequence of a new serial or identity column
    /// `column` of `table` in `namespace`: `SEQUENCE NAME` if given, else PostgreSQL's
    /// `ChooseRelationName` (`<table>_<column>_seq`, numbered on collision).
    ///
    /// Errors: 3F000 for an unknown schema; catalog read errors.
    pub(crate) fn column_sequence_name(
        &self,
        namespace: Oid,
        table: &str,
        column: &str,
        options: &SequenceOptions,
    ) -> Result<(Oid, String)> {
        let reader = self.catalog_reader();
        if let Some(names) = options.sequence_name.as_deref().filter(|n| !n.is_empty()) {
            let name = names[names.len() - 1].clone();
            let namespace = if names.len() >= 2 {
                reader.creation_namespace(Some(&names[names.len() - 2]))?.0
            } else {
                namespace
            };
            return Ok((namespace, name));
        }
        let base = format!("{table}_{column}_seq");
        let mut name = base.clone();
        let mut n = 0;
        while reader.relation_oid(namespace, &name)?.is_some() {
            n += 1;
            name = format!("{base}{n}");
        }
        Ok((namespace, name))
    }

    /// Creates a sequence named `name` in `namespace`; with `owner`, it belongs to that
    /// table column (dropped with it). Returns the sequence's OID.
    ///
    /// Errors: as [`sequence_params`]; I/O errors.
    pub(crate) fn define_sequence(
        &mut self,
        namespace: Oid,
        name: &str,
        params: &SeqParams,
        type_oid: Oid,
        owner: Option<(Oid, i16, u8)>,
    ) -> Result<Oid> {
        let cluster = self.db.cluster.clone();
        let persistence = (self.namespace_persistence(namespace)? as char).to_string();
        let seq = cluster.xact.oids.next_oid(&cluster.wal);
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        self.insert_catalog_row(
            CatalogRow::new(class)
                .set("oid", Datum::Oid(seq.0))
                .set("relname", Datum::Text(name.to_string()))
                .set("relnamespace", Datum::Oid(namespace.0))
                .set("relowner", Datum::Oid(self.current_user_oid()?.0))
                .set("relfilenode", Datum::Oid(seq.0))
                .set("relpages", Datum::Int4(1))
                .set("reltuples", Datum::Float4(1.0))
                .set("relpersistence", Datum::Text(persistence))
                .set("relkind", Datum::Text("S".into()))
                .set("relnatts", Datum::Int2(3))
                .set("relispopulated", Datum::Bool(true))
                .set("relreplident", Datum::Text("n".into())),
        )?;
        for (i, (col, t)) in [
            ("last_value", type_oid::INT8),
            ("log_cnt", type_oid::INT8),
            ("is_called", type_oid::BOOL),
        ]
        .into_iter()
        .enumerate()
        {
            self.insert_catalog_row(attribute_row(seq, i as i16 + 1, col, t, -1, true))?;
        }
        self.insert_system_attribute_rows(seq)?;
        let sequence = syscat::system_catalog_by_name("pg_sequence").expect("pg_sequence");
        self.insert_catalog_row(
            CatalogRow::new(sequence)
                .set("seqrelid", Datum::Oid(seq.0))
                .set("seqtypid", Datum::Oid(type_oid.0))
                .set("seqstart", Datum::Int8(params.start))
                .set("seqincrement", Datum::Int8(params.increment))
                .set("seqmax", Datum::Int8(params.max))
                .set("seqmin", Datum::Int8(params.min))
                .set("seqcache", Datum::Int8(params.cache))
                .set("seqcycle", Datum::Bool(params.cycle)),
        )?;
        if let Some((table, attnum, deptype)) = owner {
            self.insert_owned_by(seq, table, attnum, deptype)?;
        }
        let locator = self.create_relation_file(seq)?;
        crate::sequence::create_storage(
            &cluster.pool,
            &cluster.checkpointer,
            locator,
            params.start,
        )?;
        Ok(seq)
    }

    /// A `pg_depend` row making sequence `seq` belong to column `attnum` of `table`.
    /// Restarts sequence `seq` at its start value transactionally, as PostgreSQL's
    /// `ResetSequence` does for `TRUNCATE ... RESTART IDENTITY`: new storage holding the
    /// start value replaces the old at commit.
    ///
    /// Errors: 42P01 if `seq` is gone; catalog and storage errors.
    pub(crate) fn reset_sequence(&mut self, seq: Oid) -> Result<()> {
        let entry = self.catalog_reader().entry(seq)?.ok_or_else(|| {
            pg_err!(
                UNDEFINED_TABLE,
                "relation with OID {} does not exist",
                seq.0
            )
        })?;
        let sequence = syscat::system_catalog_by_name("pg_sequence").expect("pg_sequence");
        let start = self
            .catalog_reader()
            .scan(sequence)?
            .into_iter()
            .find(|(_, r)| r[sequence.col("seqrelid")] == Datum::Oid(seq.0))
            .and_then(|(_, r)| match r[sequence.col("seqstart")] {
                Datum::Int8(n) => Some(n),
                _ => None,
            })
            .unwrap_or(1);
        let cluster = self.db.cluster.clone();
        let (node, locator) = self.new_relation_file()?;
        crate::sequence::create_storage(&cluster.pool, &cluster.checkpointer, locator, start)?;
        self.set_relation_file(seq, node, entry.locator, None)
    }

    pub(super) fn insert_owned_by(
        &mut self,
        seq: Oid,
        table: Oid,
        attnum: i16,
        deptype: u8,
    ) -> Result<()> {
        let depend = syscat::system_catalog(syscat::PG_DEPEND).expect("pg_depend");
        self.insert_catalog_row(
            CatalogRow::new(depend)
                .set("classid", Datum::Oid(syscat::PG_CLASS.0))
                .set("objid", Datum::Oid(seq.0))
                .set("objsubid", Datum::Int4(0))
                .set("refclassid", Datum::Oid(syscat::PG_CLASS.0))
                .set("refobjid", Datum::Oid(table.0))
                .set("refobjsubid", Datum::Int4(i32::from(attnum)))
                .set("deptype", Datum::Text((deptype as char).to_string())),
        )
    }

    /// `CREATE SEQUENCE`.
    ///
    /// Errors: 42P07, 3F000, 22023 (parameters), 25006, 42704 for an unknown type,
    /// 22023 `sequence type must be smallint, integer, or bigint`.
    pub(crate) fn create_sequence(
        &mut self,
        stmt: &CreateSequenceStmt,
        sql: &str,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        if self.config.get_string("transaction_read_only") == "on" {
            return Err(pg_err!(
                READ_ONLY_SQL_TRANSACTION,
                "cannot execute CREATE SEQUENCE in a read-only transaction"
            ));
        }
        refuse_sequence_name(&stmt.options)?;
        let rv = &stmt.relation;
        let (ns, _) = if self.is_temp_creation(stmt.persistence, rv)? {
            self.temp_creation_namespace()?
        } else {
            self.checked_creation_namespace(rv.schema.as_deref())?
        };
        self.lock_relation(ns, crate::lock::LockMode::AccessExclusive)?;
        let (namespace, seq_type, owner) = {
            let reader = self.catalog_reader();
            if reader.relation_oid(ns, &rv.name)?.is_some() {
                if stmt.if_not_exists {
                    sink.notice(
                        NoticeSeverity::Notice,
                        &pg_err!(
                            DUPLICATE_TABLE,
                            "relation \"{}\" already exists, skipping",
                            rv.name
                        ),
                    );
                    return Ok("CREATE SEQUENCE".into());
                }
                return Err(pg_err!(
                    DUPLICATE_TABLE,
                    "relation \"{}\" already exists",
                    rv.name
                ));
            }
            let seq_type =
                sequence_type(&self.output, &reader, &stmt.options, sql)?.unwrap_or(type_oid::INT8);
            let owner = owned_by_target(&reader, &stmt.options, ns)?;
            (ns, seq_type, owner)
        };
        let params = sequence_params(&stmt.options, seq_type)?;
        self.define_sequence(
            namespace,
            &rv.name,
            &params,
            seq_type,
            owner.flatten().map(|(table, attnum)| (table, attnum, b'a')),
        )?;
        self.txn.command_counter_increment();
        Ok("CREATE SEQUENCE".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regclass_literals_are_regclass_casts_and_bare_nextval_arguments() {
        assert_eq!(
            regclass_literals("nextval('t_a_seq'::regclass)"),
            vec!["t_a_seq".to_string()]
        );
        assert_eq!(
            regclass_literals("nextval('myseq2')"),
            vec!["myseq2".to_string()]
        );
        assert!(regclass_literals("nextval('myseq3'::text)").is_empty());
        assert!(regclass_literals("'x'").is_empty());
        assert_eq!(
            regclass_literals("nextval('s.\"O''k\"'::regclass) + 1"),
            vec!["s.\"O'k\"".to_string()]
        );
    }

    #[test]
    fn qualified_names_split_on_unquoted_dots_and_fold_case() {
        assert_eq!(split_qualified("Seq"), vec!["seq"]);
        assert_eq!(split_qualified("s.\"A.b\""), vec!["s", "A.b"]);
    }

    #[test]
    fn altered_parameters_keep_what_is_not_written() {
        let old = sequence_params(&SequenceOptions::default(), type_oid::INT8).expect("valid");
        let options = SequenceOptions {
            increment: Some(10),
            ..SequenceOptions::default()
        };
        let new =
            init_params(&options, Some((&old, type_oid::INT8)), type_oid::INT8).expect("valid");
        assert_eq!(new.increment, 10);
        assert_eq!((new.min, new.max, new.start), (1, i64::MAX, 1));
    }

    #[test]
    fn a_type_change_moves_bounds_at_the_old_types_limits() {
        let old = sequence_params(&SequenceOptions::default(), type_oid::INT8).expect("valid");
        let new = init_params(
            &SequenceOptions::default(),
            Some((&old, type_oid::INT8)),
            type_oid::INT2,
        )
        .expect("valid");
        assert_eq!(new.max, i64::from(i16::MAX));
        let bounded = SeqParams { max: 100, ..old };
        let new = init_params(
            &SequenceOptions::default(),
            Some((&bounded, type_oid::INT8)),
            type_oid::INT2,
        )
        .expect("valid");
        assert_eq!(new.max, 100);
    }

    #[test]
    fn minvalue_above_maxvalue_is_refused_with_postgres_message() {
        let old = sequence_params(&SequenceOptions::default(), type_oid::INT8).expect("valid");
        let options = SequenceOptions {
            min: Some(Some(10)),
            max: Some(Some(5)),
            ..SequenceOptions::default()
        };
        let err = init_params(&options, Some((&old, type_oid::INT8)), type_oid::INT8)
            .expect_err("invalid");
        assert_eq!(err.message, "MINVALUE (10) must be less than MAXVALUE (5)");
    }
}
