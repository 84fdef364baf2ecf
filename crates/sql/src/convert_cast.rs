//! Conversion of `CreateCastStmt`, `CreateConversionStmt` and the `DropStmt`s of casts and
//! conversions into [`crate::ast_cast`].

use pg_query::protobuf as pb;
use pg_query::NodeEnum;

use crate::ast::Statement;
use crate::ast_cast::CastStmt;
use crate::convert::type_name;
use crate::convert_ddl::key_names;
use crate::convert_function::function_name;

fn stmt(s: CastStmt) -> Statement {
    Statement::Cast(Box::new(s))
}

/// `CREATE CAST`; `None` when the parser left out a type (it never does).
pub(crate) fn create_cast(s: &pb::CreateCastStmt) -> Option<Statement> {
    let context = match pb::CoercionContext::from_i32(s.context) {
        Some(pb::CoercionContext::CoercionImplicit) => b'i',
        Some(pb::CoercionContext::CoercionAssignment) => b'a',
        _ => b'e',
    };
    Some(stmt(CastStmt::CreateCast {
        source: type_name(s.sourcetype.as_ref()?),
        target: type_name(s.targettype.as_ref()?),
        function: s.func.as_ref().map(function_name),
        inout: s.inout,
        context,
    }))
}

/// `CREATE CONVERSION`.
pub(crate) fn create_conversion(s: &pb::CreateConversionStmt) -> Statement {
    stmt(CastStmt::CreateConversion {
        name: key_names(&s.conversion_name),
        for_encoding: s.for_encoding_name.clone(),
        to_encoding: s.to_encoding_name.clone(),
        function: key_names(&s.func_name),
        default: s.def,
    })
}

/// `DROP CAST` and `DROP CONVERSION`; `None` for other objects.
pub(crate) fn drop(s: &pb::DropStmt) -> Option<Statement> {
    use pb::ObjectType as O;
    match O::from_i32(s.remove_type)? {
        O::ObjectCast => {
            let Some(NodeEnum::List(l)) = s.objects.first()?.node.as_ref() else {
                return None;
            };
            let types: Vec<_> = l
                .items
                .iter()
                .filter_map(|n| match n.node.as_ref() {
                    Some(NodeEnum::TypeName(t)) => Some(type_name(t)),
                    _ => None,
                })
                .collect();
            let [source, target] = <[_; 2]>::try_from(types).ok()?;
            Some(stmt(CastStmt::DropCast {
                source,
                target,
                missing_ok: s.missing_ok,
            }))
        }
        O::ObjectConversion => Some(stmt(CastStmt::DropConversion {
            names: s
                .objects
                .iter()
                .filter_map(|n| match n.node.as_ref() {
                    Some(NodeEnum::List(l)) => Some(key_names(&l.items)),
                    _ => None,
                })
                .collect(),
            missing_ok: s.missing_ok,
        })),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(sql: &str) -> CastStmt {
        match crate::parse(sql).expect("parses").pop().expect("one").stmt {
            Statement::Cast(s) => *s,
            other => panic!("not a cast statement: {other:?}"),
        }
    }

    #[test]
    fn create_cast_keeps_method_and_context() {
        let CastStmt::CreateCast {
            function,
            inout,
            context,
            ..
        } = one("CREATE CAST (int4 AS casttesttype) WITH FUNCTION f(int4) AS IMPLICIT")
        else {
            panic!("not CREATE CAST");
        };
        assert_eq!(function.map(|f| f.name), Some(vec!["f".to_string()]));
        assert!(!inout);
        assert_eq!(context, b'i');
        let CastStmt::CreateCast {
            function,
            inout,
            context,
            ..
        } = one("CREATE CAST (text AS casttesttype) WITH INOUT AS ASSIGNMENT")
        else {
            panic!("not CREATE CAST");
        };
        assert!(function.is_none() && inout);
        assert_eq!(context, b'a');
    }

    #[test]
    fn drops_name_their_objects() {
        let CastStmt::DropCast {
            source, missing_ok, ..
        } = one("DROP CAST IF EXISTS (int4 AS text)")
        else {
            panic!("not DROP CAST");
        };
        assert!(missing_ok);
        assert_eq!(source.names.last().map(String::as_str), Some("int4"));
        let CastStmt::DropConversion { names, .. } = one("DROP CONVERSION s.c1, c2") else {
            panic!("not DROP CONVERSION");
        };
        assert_eq!(
            names,
            vec![
                vec!["s".to_string(), "c1".to_string()],
                vec!["c2".to_string()]
            ]
        );
    }
}
