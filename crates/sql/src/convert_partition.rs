//! Conversion of pg_query's partitioning nodes (`PartitionSpec`, `PartitionBoundSpec`,
//! `PartitionCmd`) into [`crate::ast_partition`].
//!
//! In PostgreSQL's raw parse tree `MINVALUE` and `MAXVALUE` of a range bound are column
//! references of those names; they become [`RangeBoundDatum::MinValue`] /
//! [`RangeBoundDatum::MaxValue`] here, as `transformPartitionRangeBounds` does.

use pg_query::protobuf as pb;
use pg_query::NodeEnum;
use tusk_types::{Error, Result};

use crate::ast::Expr;
use crate::ast_partition::{PartitionBoundSpec, PartitionSpec, PartitionStrategy, RangeBoundDatum};
use crate::convert::expr;

fn loc(l: i32) -> usize {
    if l < 0 {
        usize::MAX
    } else {
        l as usize
    }
}

/// `PARTITION BY strategy (key, ...)`.
///
/// Errors: 42P17 `unrecognized partitioning strategy "x"` (the grammar accepts any word).
pub(crate) fn partition_spec(spec: &pb::PartitionSpec) -> Result<PartitionSpec> {
    let strategy = match spec.strategy.to_ascii_lowercase().as_str() {
        "range" => PartitionStrategy::Range,
        "list" => PartitionStrategy::List,
        "hash" => PartitionStrategy::Hash,
        other => {
            return Err(tusk_types::pg_err!(
                INVALID_OBJECT_DEFINITION,
                "unrecognized partitioning strategy \"{}\"",
                other
            ))
        }
    };
    let mut out = PartitionSpec {
        strategy,
        columns: Vec::new(),
        exprs: Vec::new(),
        column_locations: Vec::new(),
        opclasses: Vec::new(),
        location: loc(spec.location),
        unsupported: None,
    };
    for param in &spec.part_params {
        let Some(NodeEnum::PartitionElem(elem)) = param.node.as_ref() else {
            continue;
        };
        if !elem.collation.is_empty() {
            out.unsupported = Some("COLLATE in a partition key".into());
        }
        out.opclasses
            .push(crate::convert_ddl::opclass_name(&elem.opclass));
        // A bare or parenthesized column name is the column, as in PostgreSQL.
        let column = match elem.expr.as_deref().and_then(|e| e.node.as_ref()) {
            None => Some(elem.name.clone()),
            Some(NodeEnum::ColumnRef(c)) => match c.fields.as_slice() {
                [field] => match field.node.as_ref() {
                    Some(NodeEnum::String(s)) => Some(s.sval.clone()),
                    _ => None,
                },
                _ => None,
            },
            Some(_) => None,
        };
        match (column, elem.expr.as_deref()) {
            (Some(name), _) => {
                out.columns.push(name);
                out.exprs.push(None);
            }
            (None, Some(e)) => {
                out.columns.push(String::new());
                out.exprs.push(Some(expr(e)?));
            }
            (None, None) => return Err(Error::internal("partition key element without a column")),
        }
        out.column_locations.push(loc(elem.location));
    }
    Ok(out)
}

/// A bound: `DEFAULT`, `IN (...)`, `FROM (...) TO (...)`, `WITH (MODULUS m, REMAINDER r)`.
///
/// Errors: the conversion errors of the bound's expressions.
pub(crate) fn partition_bound(bound: &pb::PartitionBoundSpec) -> Result<PartitionBoundSpec> {
    if bound.is_default {
        return Ok(PartitionBoundSpec::Default);
    }
    Ok(match bound.strategy.as_str() {
        "l" => PartitionBoundSpec::List(
            bound
                .listdatums
                .iter()
                .map(expr)
                .collect::<Result<Vec<Expr>>>()?,
        ),
        "r" => PartitionBoundSpec::Range {
            from: range_datums(&bound.lowerdatums)?,
            to: range_datums(&bound.upperdatums)?,
        },
        "h" => PartitionBoundSpec::Hash {
            modulus: bound.modulus,
            remainder: bound.remainder,
        },
        other => {
            return Err(Error::internal(format!(
                "unrecognized partition bound strategy \"{other}\""
            )))
        }
    })
}

fn range_datums(nodes: &[pb::Node]) -> Result<Vec<RangeBoundDatum>> {
    nodes
        .iter()
        .map(|n| {
            if let Some(NodeEnum::ColumnRef(c)) = n.node.as_ref() {
                if let [field] = c.fields.as_slice() {
                    if let Some(NodeEnum::String(s)) = field.node.as_ref() {
                        match s.sval.to_ascii_lowercase().as_str() {
                            "minvalue" => return Ok(RangeBoundDatum::MinValue),
                            "maxvalue" => return Ok(RangeBoundDatum::MaxValue),
                            _ => {}
                        }
                    }
                }
            }
            Ok(RangeBoundDatum::Value(expr(n)?))
        })
        .collect()
}

/// The location of a bound in the statement text.
pub(crate) fn bound_location(bound: &pb::PartitionBoundSpec) -> usize {
    loc(bound.location)
}

#[cfg(test)]
mod tests {
    use crate::ast::Statement;
    use crate::ast_partition::{PartitionBoundSpec, PartitionStrategy, RangeBoundDatum};

    fn create(sql: &str) -> crate::ast_ddl::CreateTableStmt {
        match crate::parse(sql).expect("parses").remove(0).stmt {
            Statement::CreateTable(c) => *c,
            other => panic!("not CREATE TABLE: {other:?}"),
        }
    }

    #[test]
    fn partition_by_range_names_its_key_columns() {
        let c = create("create table p (a int, b text) partition by range (a, b)");
        let spec = c.partition.by.expect("partitioned");
        assert_eq!(spec.strategy, PartitionStrategy::Range);
        assert_eq!(spec.columns, vec!["a".to_string(), "b".to_string()]);
        assert!(spec.unsupported.is_none());
        let e = create("create table p (a int) partition by list ((a + 1))");
        let spec = e.partition.by.expect("partitioned");
        assert!(spec.unsupported.is_none());
        assert_eq!(spec.columns, vec![String::new()]);
        assert!(spec.exprs[0].is_some());
        let paren = create("create table p (a int) partition by list ((a))");
        let spec = paren.partition.by.expect("partitioned");
        assert_eq!(spec.columns, vec!["a".to_string()]);
        assert!(spec.exprs[0].is_none());
    }

    #[test]
    fn partition_of_bounds_convert_by_kind() {
        let c = create("create table c partition of p for values from (minvalue) to (10)");
        let of = c.partition.of.expect("partition");
        assert_eq!(of.parent.name, "p");
        match of.bound {
            PartitionBoundSpec::Range { from, to } => {
                assert_eq!(from, vec![RangeBoundDatum::MinValue]);
                assert!(matches!(to[0], RangeBoundDatum::Value(_)));
            }
            other => panic!("{other:?}"),
        }
        let c = create("create table c partition of p for values in (1, 2)");
        assert!(
            matches!(c.partition.of.expect("of").bound, PartitionBoundSpec::List(v) if v.len() == 2)
        );
        let c = create("create table c partition of p for values with (modulus 4, remainder 1)");
        assert_eq!(
            c.partition.of.expect("of").bound,
            PartitionBoundSpec::Hash {
                modulus: 4,
                remainder: 1
            }
        );
        let c = create("create table c partition of p default");
        assert_eq!(
            c.partition.of.expect("of").bound,
            PartitionBoundSpec::Default
        );
        assert!(c.inherits.is_empty());
    }
}
