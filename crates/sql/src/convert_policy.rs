//! Conversion of policy statements from pg_query's tree into [`crate::ast_policy`].

use pg_query::protobuf as pb;
use pg_query::NodeEnum;
use tusk_types::Result;

use crate::ast::{RangeVar, Statement};
use crate::ast_policy::{AlterPolicyStmt, CreatePolicyStmt, PolicyCommand, PolicyExpr, PolicyStmt};
use crate::ast_role::RoleSpec;
use crate::convert::{expr, range_var, string_of};
use crate::convert_ddl::deparse_expr;
use crate::convert_role::role_spec;

fn policy_expr(node: &Option<Box<pb::Node>>) -> Result<Option<PolicyExpr>> {
    match node.as_deref() {
        Some(n) if n.node.is_some() => Ok(Some((expr(n)?, deparse_expr(n)?))),
        _ => Ok(None),
    }
}

fn roles(nodes: &[pb::Node]) -> Vec<RoleSpec> {
    nodes
        .iter()
        .filter_map(|n| match n.node.as_ref() {
            Some(NodeEnum::RoleSpec(r)) => Some(role_spec(r)),
            _ => None,
        })
        .collect()
}

fn table(rv: &Option<pb::RangeVar>) -> RangeVar {
    rv.as_ref().map(range_var).unwrap_or_else(|| RangeVar {
        schema: None,
        name: String::new(),
        alias: None,
        location: usize::MAX,
        inh: true,
    })
}

/// `CREATE POLICY`.
///
/// Errors: those of converting the expressions.
pub(crate) fn create_policy(s: &pb::CreatePolicyStmt) -> Result<Statement> {
    let command = match s.cmd_name.as_str() {
        "select" => PolicyCommand::Select,
        "insert" => PolicyCommand::Insert,
        "update" => PolicyCommand::Update,
        "delete" => PolicyCommand::Delete,
        _ => PolicyCommand::All,
    };
    Ok(Statement::Policy(Box::new(PolicyStmt::Create(Box::new(
        CreatePolicyStmt {
            name: s.policy_name.clone(),
            table: table(&s.table),
            command,
            permissive: s.permissive,
            roles: roles(&s.roles),
            using: policy_expr(&s.qual)?,
            check: policy_expr(&s.with_check)?,
        },
    )))))
}

/// `ALTER POLICY`.
///
/// Errors: those of converting the expressions.
pub(crate) fn alter_policy(s: &pb::AlterPolicyStmt) -> Result<Statement> {
    Ok(Statement::Policy(Box::new(PolicyStmt::Alter(Box::new(
        AlterPolicyStmt {
            name: s.policy_name.clone(),
            table: table(&s.table),
            roles: roles(&s.roles),
            using: policy_expr(&s.qual)?,
            check: policy_expr(&s.with_check)?,
        },
    )))))
}

/// `DROP POLICY [IF EXISTS] name ON table`; `None` unless `s` drops a policy.
pub(crate) fn drop_policy(s: &pb::DropStmt) -> Option<Statement> {
    if s.remove_type != pb::ObjectType::ObjectPolicy as i32 {
        return None;
    }
    let Some(NodeEnum::List(list)) = s.objects.first()?.node.as_ref() else {
        return None;
    };
    let mut names: Vec<String> = list.items.iter().filter_map(string_of).collect();
    let name = names.pop()?;
    let table = names.pop()?;
    Some(Statement::Policy(Box::new(PolicyStmt::Drop {
        name,
        table: RangeVar {
            schema: names.pop(),
            name: table,
            alias: None,
            location: usize::MAX,
            inh: true,
        },
        missing_ok: s.missing_ok,
    })))
}

/// `ALTER POLICY name ON table RENAME TO new_name`; `None` unless `s` renames a policy.
pub(crate) fn rename_policy(s: &pb::RenameStmt) -> Option<Statement> {
    if s.rename_type != pb::ObjectType::ObjectPolicy as i32 {
        return None;
    }
    Some(Statement::Policy(Box::new(PolicyStmt::Rename {
        name: s.subname.clone(),
        table: range_var(s.relation.as_ref()?),
        new_name: s.newname.clone(),
    })))
}

#[cfg(test)]
mod tests {
    use crate::ast::Statement;
    use crate::ast_policy::{PolicyCommand, PolicyStmt};
    use crate::ast_role::RoleSpec;

    fn one(sql: &str) -> PolicyStmt {
        match crate::parse(sql).expect("parses").pop().expect("one").stmt {
            Statement::Policy(p) => *p,
            other => panic!("not a policy statement: {other:?}"),
        }
    }

    #[test]
    fn create_policy_keeps_command_roles_and_deparsed_expressions() {
        let PolicyStmt::Create(c) = one(
            "CREATE POLICY p ON s.t AS RESTRICTIVE FOR UPDATE TO alice, PUBLIC \
             USING (a > 1) WITH CHECK (b = current_user)",
        ) else {
            panic!("not CREATE POLICY")
        };
        assert_eq!(c.name, "p");
        assert_eq!(c.table.schema.as_deref(), Some("s"));
        assert_eq!(c.command, PolicyCommand::Update);
        assert!(!c.permissive);
        assert_eq!(
            c.roles,
            vec![RoleSpec::Name("alice".into()), RoleSpec::Public]
        );
        assert_eq!(c.using.map(|u| u.1).as_deref(), Some("a > 1"));
        assert_eq!(c.check.map(|u| u.1).as_deref(), Some("b = current_user"));
    }

    #[test]
    fn drop_and_rename_policy_name_the_table() {
        let PolicyStmt::Drop {
            name,
            table,
            missing_ok,
        } = one("DROP POLICY IF EXISTS p ON t")
        else {
            panic!("not DROP POLICY")
        };
        assert_eq!(
            (name.as_str(), table.name.as_str(), missing_ok),
            ("p", "t", true)
        );
        let PolicyStmt::Rename { new_name, .. } = one("ALTER POLICY p ON t RENAME TO q") else {
            panic!("not a rename")
        };
        assert_eq!(new_name, "q");
    }
}
