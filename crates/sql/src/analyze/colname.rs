//! Output column names, as PostgreSQL's `FigureColname` chooses them: a column's name, a
//! function's name, a cast's type name, `case`, `coalesce`, ..., else `?column?`.

use crate::ast::{Expr, SqlValueFunction, SubLinkKind};

/// The name PostgreSQL gives an unnamed target-list expression.
pub(crate) fn figure_colname(expr: &Expr) -> String {
    figure(expr)
        .map(|(name, _)| name)
        .unwrap_or_else(|| "?column?".to_string())
}

/// The name PostgreSQL gives an index column computed by `expr` (`FigureIndexColname`):
/// what [`figure_colname`] finds, `None` where it would say `?column?` (the index column
/// is then named `expr`).
pub fn figure_index_colname(expr: &Expr) -> Option<String> {
    figure(expr).map(|(name, _)| name)
}

/// Name and strength (2 = from the expression itself, 1 = from a cast's type name).
fn figure(expr: &Expr) -> Option<(String, u8)> {
    match expr {
        Expr::Column(fields, _) => fields
            .iter()
            .rev()
            .find(|f| *f != "*")
            .map(|f| (f.clone(), 2)),
        Expr::Func { name, .. } => name.last().map(|n| (n.clone(), 2)),
        Expr::Cast { arg, type_name, .. } => {
            let inner = figure(arg);
            match inner {
                Some((n, 2)) => Some((n, 2)),
                _ => type_name.names.last().map(|n| (n.clone(), 1)),
            }
        }
        Expr::Case { .. } => Some(("case".into(), 1)),
        Expr::Array(..) => Some(("array".into(), 2)),
        Expr::Subscript { arg, .. } => figure(arg),
        Expr::FieldSelect { field, .. } if field != "*" => Some((field.clone(), 2)),
        Expr::Row(..) => Some(("row".into(), 2)),
        Expr::Grouping(..) => Some(("grouping".into(), 2)),
        Expr::Coalesce(..) => Some(("coalesce".into(), 2)),
        Expr::Xml(x) => {
            use crate::ast::XmlOp;
            let name = match x.op {
                XmlOp::Concat => "xmlconcat",
                XmlOp::Element => "xmlelement",
                XmlOp::Forest => "xmlforest",
                XmlOp::Parse => "xmlparse",
                XmlOp::Pi => "xmlpi",
                XmlOp::Root => "xmlroot",
                XmlOp::Serialize => "xmlserialize",
                XmlOp::IsDocument => return None,
            };
            Some((name.into(), 2))
        }
        Expr::NullIf(..) => Some(("nullif".into(), 2)),
        Expr::MinMax { greatest, .. } => {
            Some((if *greatest { "greatest" } else { "least" }.into(), 2))
        }
        // Since PostgreSQL 15, TRUE and FALSE are plain constants (no `'t'::bool` cast),
        // so they get no name of their own.
        Expr::SqlValue(kind, _, _) => Some((
            match kind {
                SqlValueFunction::CurrentDate => "current_date",
                SqlValueFunction::CurrentTime => "current_time",
                SqlValueFunction::CurrentTimestamp => "current_timestamp",
                SqlValueFunction::LocalTime => "localtime",
                SqlValueFunction::LocalTimestamp => "localtimestamp",
                SqlValueFunction::CurrentRole => "current_role",
                SqlValueFunction::CurrentUser => "current_user",
                SqlValueFunction::User => "user",
                SqlValueFunction::SessionUser => "session_user",
                SqlValueFunction::CurrentCatalog => "current_catalog",
                SqlValueFunction::CurrentSchema => "current_schema",
            }
            .into(),
            2,
        )),
        Expr::SubLink {
            kind: SubLinkKind::Exists,
            ..
        } => Some(("exists".into(), 2)),
        Expr::SubLink {
            kind: SubLinkKind::Array,
            ..
        } => Some(("array".into(), 2)),
        // A scalar subquery is named after its own output column.
        Expr::SubLink {
            kind: SubLinkKind::Expr,
            query,
            ..
        } => {
            let mut first = query.as_ref();
            while let Some(op) = &first.set_op {
                first = &op.left;
            }
            first
                .targets
                .first()
                .map(|t| (t.name.clone().unwrap_or_else(|| figure_colname(&t.expr)), 2))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::Statement;

    fn names(sql: &str) -> Vec<String> {
        let statements = crate::parse(sql).expect("parses");
        let Statement::Select(select) = &statements[0].stmt else {
            panic!("not a SELECT: {sql}");
        };
        select
            .targets
            .iter()
            .map(|t| figure_colname(&t.expr))
            .collect()
    }

    #[test]
    fn boolean_literals_are_unnamed_but_casts_to_bool_are_not() {
        assert_eq!(
            names("SELECT true, false, true::bool, (true)"),
            ["?column?", "?column?", "bool", "?column?"]
        );
    }
}
