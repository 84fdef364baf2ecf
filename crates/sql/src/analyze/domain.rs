//! Domains in analysis (PostgreSQL's `getBaseType` and `coerce_to_domain`).
//!
//! Rules:
//! 1. A value of a domain is a value of its base type: a column of a domain reads as
//!    its base type, so operators and functions resolve over the base type, as
//!    PostgreSQL's resolution does after `getBaseType` (and as its RowDescription
//!    reports a domain column's type).
//! 2. A coercion to a domain is a coercion to its base type (with the domain's
//!    typmod) followed by a [`CastKind::Domain`] check: NOT NULL, then each CHECK
//!    constraint in name order, whose `VALUE` is the value checked
//!    ([`TypedExpr::CaseTest`]).
//!
//! Entry points: [`DomainInfo`], [`CatalogLookup::domain`],
//! `Analyzer::coerce_to_domain`, `Analyzer::domain_base_column`.

use tusk_types::{Oid, Result};

use super::typed::{CastKind, DomainCoercion, TypedExpr};
use super::{Analyzer, CatalogLookup, CheckInfo, CoercionContext, Scope, ScopeColumn};

/// A domain (`pg_type` row with `typtype = 'd'` and its CHECK constraints).
#[derive(Debug, Clone, PartialEq)]
pub struct DomainInfo {
    /// `typname`, for messages.
    pub name: String,
    /// `typbasetype` (may itself be a domain).
    pub base: Oid,
    /// `typtypmod`: the base type's modifier (-1 if none).
    pub typmod: i32,
    /// `typnotnull`.
    pub not_null: bool,
    /// `typdefault`: the default expression's SQL text.
    pub default: Option<String>,
    /// CHECK constraints (`conbin` text over `VALUE`), in name order.
    pub checks: Vec<CheckInfo>,
}

/// `expr` with each reference to the `VALUE` slot (column 0) replaced by the value
/// under test.
fn value_as_case_test(expr: TypedExpr) -> Result<TypedExpr> {
    match expr {
        TypedExpr::Column {
            index: 0, type_oid, ..
        } => Ok(TypedExpr::CaseTest { type_oid }),
        other => other.map_children(&mut value_as_case_test),
    }
}

fn without_position(mut e: tusk_types::Error) -> tusk_types::Error {
    e.position = None;
    e
}

impl Analyzer<'_> {
    /// The type `oid` stands for in expressions: a domain's base type, through any
    /// domains over domains; `oid` itself for other types (rule 1).
    pub(crate) fn base_type(&self, oid: Oid) -> Oid {
        let mut t = oid;
        // Domains cannot be circular; the bound guards against a corrupt catalog.
        for _ in 0..32 {
            match self.catalog.domain(t) {
                Some(d) => t = d.base,
                None => break,
            }
        }
        t
    }

    /// A column reference of a domain type relabelled as its base type (rule 1).
    pub(crate) fn domain_base_column(&self, expr: TypedExpr) -> TypedExpr {
        match expr {
            TypedExpr::Column {
                index,
                type_oid,
                typmod,
                location,
            } if type_oid.0 >= 16384 => TypedExpr::Column {
                index,
                type_oid: self.base_type(type_oid),
                typmod,
                location,
            },
            other => other,
        }
    }

    /// `expr` coerced to `domain` (rule 2).
    ///
    /// Errors: those of the coercion to the base type; analysis errors of the stored
    /// CHECK expressions.
    pub(crate) fn coerce_to_domain(
        &mut self,
        expr: TypedExpr,
        domain: DomainInfo,
        ctx: CoercionContext,
        location: usize,
    ) -> Result<TypedExpr> {
        let value = self.coerce(expr, domain.base, domain.typmod, ctx, location)?;
        let value_type = value.type_oid();
        let scope = Scope::single(
            None,
            vec![ScopeColumn::slot(
                "value".into(),
                0,
                value_type,
                domain.typmod,
            )],
        );
        let mut checks = Vec::with_capacity(domain.checks.len());
        for check in &domain.checks {
            let parsed = crate::parse_expr(&check.expr).map_err(without_position)?;
            let mut inner = Analyzer::new(self.catalog, "", Vec::new());
            let typed = inner
                .analyze_expr(&parsed, &scope)
                .and_then(|e| inner.coerce_to_boolean(e, "CHECK", 0))
                .map_err(without_position)?;
            checks.push((check.name.clone(), value_as_case_test(typed)?));
        }
        Ok(TypedExpr::Cast {
            arg: Box::new(value),
            kind: CastKind::Domain(Box::new(DomainCoercion {
                name: domain.name,
                not_null: domain.not_null,
                checks,
            })),
            target: value_type,
            typmod: -1,
            explicit: ctx == CoercionContext::Explicit,
        })
    }
}

/// The domain `oid` through `catalog`, if it is one.
pub(crate) fn domain_of(catalog: &dyn CatalogLookup, oid: Oid) -> Option<DomainInfo> {
    if oid.0 < 16384 {
        return None;
    }
    catalog.domain(oid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tusk_types::type_oid;

    #[test]
    fn value_references_become_the_value_under_test() {
        let check = TypedExpr::Not(Box::new(TypedExpr::NullTest {
            arg: Box::new(TypedExpr::Column {
                index: 0,
                type_oid: type_oid::INT4,
                typmod: -1,
                location: 7,
            }),
            is_null: true,
        }));
        let rewritten = value_as_case_test(check).expect("rewrites");
        let TypedExpr::Not(inner) = rewritten else {
            panic!("not a NOT");
        };
        let TypedExpr::NullTest { arg, .. } = *inner else {
            panic!("not a null test");
        };
        assert_eq!(
            *arg,
            TypedExpr::CaseTest {
                type_oid: type_oid::INT4
            }
        );
    }
}
