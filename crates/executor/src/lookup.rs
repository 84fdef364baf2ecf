//! The analyzer's view of the built-in catalog ([`tusk_sql::analyze::CatalogLookup`]).

use tusk_catalog::{builtin, CastContext, CastMethod};
use tusk_sql::analyze::{
    AggregateDefinition, CastPath, CatalogLookup, CoercionContext, FuncCandidate, OperCandidate,
    TypeInfo,
};
use tusk_types::{Datum, Oid, Result};

use crate::{io, OutputSettings};

/// Built-in catalog lookups; literal input uses the session's output settings (DateStyle
/// and TimeZone matter when a literal is a date or time).
pub struct BuiltinLookup<'a> {
    /// Settings for literal input.
    pub settings: &'a OutputSettings,
}

fn type_info(row: &tusk_catalog::TypeRow) -> TypeInfo {
    TypeInfo {
        oid: row.oid,
        name: row.name.clone(),
        category: row.category,
        preferred: row.preferred,
        typtype: row.typtype,
        elem: row.elem,
    }
}

fn user_type_info(t: &crate::user_types::UserTypeDesc) -> TypeInfo {
    TypeInfo {
        oid: t.oid,
        name: t.name.clone(),
        category: t.category,
        preferred: false,
        typtype: t.typtype,
        elem: t.elem,
    }
}

fn func(p: &tusk_catalog::ProcRow) -> FuncCandidate {
    FuncCandidate {
        oid: p.oid,
        args: p.arg_types.clone(),
        ret: p.ret_type,
        retset: p.retset,
        strict: p.strict,
        kind: p.kind,
        variadic: p.variadic,
        defaults: if p.arg_defaults.len() == p.n_arg_defaults.max(0) as usize {
            p.arg_defaults.clone()
        } else {
            Vec::new()
        },
        arg_names: if p.arg_names.len() == p.arg_types.len() {
            p.arg_names.clone()
        } else {
            Vec::new()
        },
        out_columns: p.out_columns.clone(),
    }
}

impl CatalogLookup for BuiltinLookup<'_> {
    fn type_info(&self, oid: Oid) -> Option<TypeInfo> {
        builtin()
            .type_by_oid(oid)
            .map(type_info)
            .or_else(|| self.settings.user_types.type_desc(oid).map(user_type_info))
    }

    fn type_by_name(&self, name: &str) -> Option<TypeInfo> {
        builtin().types_by_name(name).map(type_info).or_else(|| {
            self.settings
                .user_types
                .type_by_name(name)
                .map(user_type_info)
        })
    }

    fn operators(&self, name: &str) -> Vec<OperCandidate> {
        builtin()
            .operators_by_name(name)
            .map(|o| OperCandidate {
                oid: o.oid,
                left: o.left,
                right: o.right,
                result: o.result,
                proc: o.proc,
            })
            .collect()
    }

    fn functions(&self, name: &str) -> Vec<FuncCandidate> {
        builtin().procs_by_name(name).map(func).collect()
    }

    fn function(&self, oid: Oid) -> Option<FuncCandidate> {
        builtin().proc_by_oid(oid).map(func)
    }

    fn aggregate_definition(&self, proc: Oid) -> Option<AggregateDefinition> {
        builtin_aggregate_shape(proc)
    }

    fn cast(&self, source: Oid, target: Oid) -> Option<CastPath> {
        builtin().cast(source, target).map(|c| CastPath {
            func: (c.method == CastMethod::Function).then_some(c.func),
            context: match c.context {
                CastContext::Implicit => CoercionContext::Implicit,
                CastContext::Assignment => CoercionContext::Assignment,
                CastContext::Explicit => CoercionContext::Explicit,
            },
            inout: c.method == CastMethod::InOut,
        })
    }

    fn input_literal(&self, text: &str, type_oid: Oid, typmod: i32) -> Result<Datum> {
        io::text_in(text, type_oid, typmod, self.settings)
    }

    fn range_subtype(&self, oid: Oid) -> Option<Oid> {
        self.settings.user_types.range_subtype(oid)
    }
    fn multirange_range(&self, oid: Oid) -> Option<Oid> {
        self.settings.user_types.multirange_range(oid)
    }
    fn range_multirange(&self, oid: Oid) -> Option<Oid> {
        self.settings.user_types.range_multirange(oid)
    }
    fn composite_fields(&self, oid: Oid) -> Option<Vec<(String, Oid, i32)>> {
        let desc = self.settings.user_types.composite(oid)?;
        Some(
            desc.fields
                .iter()
                .map(|f| (f.name.clone(), f.type_oid, f.typmod))
                .collect(),
        )
    }

    fn format_type(&self, oid: Oid) -> String {
        self.settings
            .user_types
            .format_type(oid)
            .unwrap_or_else(|| io::format_type(oid))
    }
}

/// The kind and direct-argument count of built-in aggregate `proc` (from its
/// `pg_aggregate` row; the executor implements built-in aggregates natively, so the
/// function fields are left unset).
fn builtin_aggregate_shape(proc: Oid) -> Option<AggregateDefinition> {
    static SHAPES: std::sync::OnceLock<Vec<(String, u8, usize)>> = std::sync::OnceLock::new();
    let row = builtin().proc_by_oid(proc).filter(|p| p.kind == b'a')?;
    let shapes = SHAPES.get_or_init(|| {
        let Some((columns, rows)) = tusk_catalog::syscat::builtin_rows("pg_aggregate") else {
            return Vec::new();
        };
        let col = |name: &str| columns.iter().position(|c| *c == name);
        let (Some(c_fn), Some(c_kind), Some(c_direct)) =
            (col("aggfnoid"), col("aggkind"), col("aggnumdirectargs"))
        else {
            return Vec::new();
        };
        rows.iter()
            .filter_map(|r| {
                let name = r[c_fn].as_deref()?;
                let name = name.rsplit('.').next().unwrap_or(name).to_string();
                let kind = r[c_kind].as_deref()?.bytes().next()?;
                let direct = r[c_direct].as_deref()?.parse().ok()?;
                (kind != b'n').then_some((name, kind, direct))
            })
            .collect()
    });
    let (kind, num_direct_args) = shapes
        .iter()
        .find(|(name, _, _)| *name == row.name)
        .map_or((b'n', 0), |(_, k, d)| (*k, *d));
    Some(AggregateDefinition {
        kind,
        num_direct_args,
        transfn: Oid::INVALID,
        transfn_strict: false,
        finalfn: None,
        finalfn_strict: false,
        final_extra: false,
        transtype: Oid::INVALID,
        initval: None,
        arg_types: row.arg_types.clone(),
    })
}
