//! Assignment: values into variables (converted to the declared type), rows into
//! targets (a record takes the whole row, a list of variables one column each), and
//! `INTO [STRICT]`'s row-count rules (P0002 no rows, P0003 more than one).

use std::sync::Arc;

use tusk_types::adt::record::{Record, RecordDesc, RecordField};
use tusk_types::{pg_err, type_oid, Datum, Error, Oid};

use super::{with_context_line, Exec, ExtraLevel, Interpreter};
use crate::ast::{self, Target};
use crate::{Host, NoticeLevel, SqlResult};

impl Interpreter<'_> {
    /// `target[i][j] := value` (and `rec.field[i] := value`): the value converted to the
    /// array's element type is stored at the subscripts (PostgreSQL's
    /// `array_set_element`); a NULL array starts empty.
    ///
    /// Errors: 22004 for a NULL subscript; 42804 when the target is no array; 0A000 for
    /// slices; the array's subscript errors.
    pub(super) fn assign_element(
        &mut self,
        host: &mut dyn Host,
        target: usize,
        site: &ast::Expr,
        source: &str,
        subscripts: &[(String, Option<String>)],
    ) -> Exec<()> {
        if subscripts.iter().any(|(_, upper)| upper.is_some()) {
            return Err(
                Error::feature_not_supported("assignment to an array slice in PL/pgSQL").into(),
            );
        }
        let mut sql = format!("SELECT {source}");
        for (sub, _) in subscripts {
            sql.push_str(&format!(", ({sub})::integer"));
        }
        let result = self
            .run_sql_at_runtime(host, site, &sql)
            .map_err(|f| with_context_line(f, format!("PL/pgSQL assignment \"{}\"", site.query)))?;
        let row = result.rows.into_iter().next().unwrap_or_default();
        let value = row.first().cloned().unwrap_or(Datum::Null);
        let value_type = result
            .columns
            .first()
            .map_or(type_oid::TEXT, |c| c.type_oid);
        let mut indexes = Vec::with_capacity(subscripts.len());
        for v in row.iter().skip(1) {
            match v {
                Datum::Int4(i) => indexes.push(*i),
                _ => {
                    return Err(pg_err!(
                        NULL_VALUE_NOT_ALLOWED,
                        "array subscript in assignment must not be null"
                    )
                    .into())
                }
            }
        }
        let (current, array_type) = match &self.function.datums[target] {
            ast::Datum::RecordField { record, field } => {
                let var = &self.vars[*record];
                let desc = var.desc.clone();
                let index = desc
                    .as_ref()
                    .and_then(|d| d.fields.iter().position(|f| &f.name == field));
                match (desc, index) {
                    (Some(desc), Some(i)) => {
                        let value = match &var.value {
                            Datum::Record(r) => r.values.get(i).cloned().unwrap_or(Datum::Null),
                            _ => Datum::Null,
                        };
                        (value, desc.fields[i].type_oid)
                    }
                    // The record's own errors.
                    _ => {
                        return self.assign_datum(host, target, Datum::Null, type_oid::TEXT);
                    }
                }
            }
            _ => (self.vars[target].value.clone(), self.vars[target].type_oid),
        };
        let elem_type = match &current {
            Datum::Array(a) => a.elem_type,
            _ => match tusk_types::adt::array::builtin_element_type(array_type) {
                Some(t) => t,
                None => self.element_type(host, array_type)?,
            },
        };
        let value = self.cast(host, value, value_type, elem_type, -1)?;
        let array = match current {
            Datum::Array(a) => *a,
            _ => tusk_types::adt::array::Array::new(elem_type, Vec::new(), Vec::new())?,
        };
        let array = array.assign_element(&indexes, value)?;
        self.assign_datum(host, target, Datum::Array(Box::new(array)), array_type)
    }

    /// The element type of `array_type` (42804 when it is no array type).
    fn element_type(&mut self, host: &mut dyn Host, array_type: Oid) -> Exec<Oid> {
        let name = host.output_text(&Datum::Oid(array_type.0), type_oid::REGTYPE)?;
        let no_subscripts = || {
            pg_err!(
                DATATYPE_MISMATCH,
                "cannot subscript type {} because it does not support subscripting",
                name
            )
        };
        // Found while analysing the assignment in PostgreSQL: no SQL CONTEXT line.
        let refuse = || super::Fail {
            error: no_subscripts(),
            located: false,
            analysis: true,
        };
        if array_type == Oid(0) {
            return Err(refuse());
        }
        match self.prepare_text(host, &format!("SELECT (NULL::{name})[1]")) {
            Ok(p) => Ok(p.columns.first().map_or(type_oid::TEXT, |c| c.type_oid)),
            Err(_) => Err(refuse()),
        }
    }

    pub(super) fn assign_datum(
        &mut self,
        host: &mut dyn Host,
        target: usize,
        value: Datum,
        type_oid: Oid,
    ) -> Exec<()> {
        match &self.function.datums[target] {
            ast::Datum::Var(_) => self.assign_var(host, target, value, type_oid, false),
            ast::Datum::RecordField { record, field } => {
                let record = *record;
                let var = &self.vars[record];
                let Some(desc) = var.desc.clone() else {
                    return Err(pg_err!(
                        OBJECT_NOT_IN_PREREQUISITE_STATE,
                        "record \"{}\" is not assigned yet",
                        var.name
                    )
                    .detail("The tuple structure of a not-yet-assigned record is indeterminate.")
                    .into());
                };
                let Some(index) = desc.fields.iter().position(|f| &f.name == field) else {
                    return Err(pg_err!(
                        UNDEFINED_COLUMN,
                        "record \"{}\" has no field \"{}\"",
                        var.name,
                        field
                    )
                    .into());
                };
                let f = &desc.fields[index];
                let value = self.cast(host, value, type_oid, f.type_oid, f.typmod)?;
                let mut values = match &self.vars[record].value {
                    Datum::Record(r) => r.values.clone(),
                    _ => vec![Datum::Null; desc.fields.len()],
                };
                values[index] = value;
                self.vars[record].value = Datum::Record(Box::new(Record::new(desc, values)));
                Ok(())
            }
            ast::Datum::Row(fields) => {
                let fields = fields.clone();
                match value {
                    Datum::Record(r) => {
                        let columns = r.desc.fields.clone();
                        self.assign_row(host, &fields, &columns, Some(&r.values))
                    }
                    _ => Err(Error::feature_not_supported("assigning a scalar to a row").into()),
                }
            }
        }
    }

    pub(super) fn assign_var(
        &mut self,
        host: &mut dyn Host,
        varno: usize,
        value: Datum,
        from: Oid,
        initializing: bool,
    ) -> Exec<()> {
        let var = &self.vars[varno];
        if var.constant && !initializing {
            return Err(pg_err!(
                SYNTAX_ERROR,
                "variable \"{}\" is declared CONSTANT",
                var.name
            )
            .into());
        }
        if var.record {
            match value {
                Datum::Record(r) => {
                    let declared = var.type_oid != Oid(0) && var.type_oid != type_oid::RECORD;
                    if declared {
                        let columns = r.desc.fields.clone();
                        return self.assign_row(host, &[varno], &columns, Some(&r.values));
                    }
                    let var = &mut self.vars[varno];
                    var.desc = Some(r.desc.clone());
                    var.value = Datum::Record(r);
                }
                Datum::Null => self.vars[varno].value = Datum::Null,
                _ => {
                    return Err(pg_err!(
                        DATATYPE_MISMATCH,
                        "cannot assign non-composite value to a record variable"
                    )
                    .into())
                }
            }
            return Ok(());
        }
        let (to, typmod, not_null) = (var.type_oid, var.typmod, var.not_null);
        if value.is_null() && not_null {
            return Err(pg_err!(
                NULL_VALUE_NOT_ALLOWED,
                "null value cannot be assigned to variable \"{}\" declared NOT NULL",
                var.name
            )
            .into());
        }
        let value = if to == Oid(0) {
            self.vars[varno].type_oid = from;
            value
        } else {
            self.cast(host, value, from, to, typmod)?
        };
        self.vars[varno].value = value;
        Ok(())
    }

    /// Fills `target` from one result row (`None`: no row, all NULL).
    pub(super) fn assign_row(
        &mut self,
        host: &mut dyn Host,
        target: &[usize],
        columns: &[RecordField],
        row: Option<&Vec<Datum>>,
    ) -> Exec<()> {
        if let [one] = target {
            if self.vars[*one].record {
                let declared = self.vars[*one].desc.clone().filter(|d| {
                    d.type_oid != type_oid::RECORD
                        && self.vars[*one].type_oid != type_oid::RECORD
                        && self.vars[*one].type_oid != Oid(0)
                });
                let Some(row) = row else {
                    self.vars[*one].value = Datum::Null;
                    if declared.is_none() {
                        self.vars[*one].desc = Some(Arc::new(RecordDesc {
                            type_oid: type_oid::RECORD,
                            fields: columns.to_vec(),
                        }));
                    }
                    return Ok(());
                };
                let record = match declared {
                    Some(desc) => {
                        let mut values = Vec::with_capacity(desc.fields.len());
                        for (i, f) in desc.fields.iter().enumerate() {
                            let v = row.get(i).cloned().unwrap_or(Datum::Null);
                            let t = columns.get(i).map_or(f.type_oid, |c| c.type_oid);
                            values.push(self.cast(host, v, t, f.type_oid, f.typmod)?);
                        }
                        Record::new(desc, values)
                    }
                    None => {
                        let desc = Arc::new(RecordDesc {
                            type_oid: type_oid::RECORD,
                            fields: columns.to_vec(),
                        });
                        self.vars[*one].desc = Some(desc.clone());
                        Record::new(desc, row.clone())
                    }
                };
                self.vars[*one].value = Datum::Record(Box::new(record));
                return Ok(());
            }
        }
        for (i, &varno) in target.iter().enumerate() {
            let value = row.and_then(|r| r.get(i).cloned()).unwrap_or(Datum::Null);
            let type_oid = columns.get(i).map_or(type_oid::TEXT, |c| c.type_oid);
            self.assign_datum(host, varno, value, type_oid)?;
        }
        Ok(())
    }

    /// `INTO [STRICT]`: the first row (or NULLs), with STRICT's and data-modifying
    /// statements' row-count checks.
    pub(super) fn store_into(
        &mut self,
        host: &mut dyn Host,
        target: &Target,
        single_row: bool,
        strict: bool,
        result: &SqlResult,
    ) -> Exec<()> {
        if result.columns.is_empty() {
            return Err(pg_err!(
                SYNTAX_ERROR,
                "INTO used with a command that cannot return data"
            )
            .into());
        }
        if strict && result.rows.is_empty() {
            return Err(pg_err!(NO_DATA_FOUND, "query returned no rows").into());
        }
        if result.rows.len() > 1 {
            let error = pg_err!(TOO_MANY_ROWS, "query returned more than one row")
                .hint("Make sure the query returns a single row, or use LIMIT 1.");
            match (single_row, self.extra_checks.too_many_rows) {
                (true, _) | (false, Some(ExtraLevel::Error)) => return Err(error.into()),
                (false, Some(ExtraLevel::Warning)) => host.notice(NoticeLevel::Warning, &error),
                (false, None) => {}
            }
        }
        if let (Some(level), Some(_)) = (
            self.extra_checks.strict_multi_assignment,
            result.rows.first(),
        ) {
            let expected = match target.as_slice() {
                [one] if self.vars[*one].record => self.vars[*one]
                    .desc
                    .as_ref()
                    .filter(|d| d.type_oid != type_oid::RECORD)
                    .map(|d| d.fields.len()),
                _ => Some(target.len()),
            };
            if expected.is_some_and(|n| n != result.columns.len()) {
                let which = match level {
                    ExtraLevel::Warning => "extra_warnings",
                    ExtraLevel::Error => "extra_errors",
                };
                let error = pg_err!(
                    DATATYPE_MISMATCH,
                    "number of source and target fields in assignment does not match"
                )
                .detail(format!(
                    "strict_multi_assignment check of {which} is active."
                ))
                .hint("Make sure the query returns the exact list of columns.");
                match level {
                    ExtraLevel::Error => return Err(error.into()),
                    ExtraLevel::Warning => host.notice(NoticeLevel::Warning, &error),
                }
            }
        }
        self.assign_row(host, target, &result.columns, result.rows.first())
    }
}
