//! `bytea` against PostgreSQL 15.

use super::*;
use crate::adt::bytea::{bytea_in, bytea_out, ByteaOutput};

#[test]
fn bytea_matches_postgres() {
    let Some(url) = pg15_url() else { return };
    let inputs = [
        "\\x0102FF",
        "\\x 01 02 ff ",
        "\\x",
        "\\x0",
        "\\x0g",
        "\\x1 2",
        "abc",
        "a\\\\b",
        "\\000\\377x",
        "\\X01",
        "\\",
        "\\4",
        "\\400",
        "a\\b",
        "\\12",
        "\\x\u{e9}0",
        "\u{e9}t\u{e9}",
        "~\u{7f}",
    ];
    for (setting, format) in [("hex", ByteaOutput::Hex), ("escape", ByteaOutput::Escape)] {
        let exprs: Vec<String> = inputs
            .iter()
            .map(|s| format!("{}::bytea", quote_literal(s)))
            .collect();
        let mine: Vec<String> = inputs
            .iter()
            .map(|s| ours(bytea_in(s).map(|v| bytea_out(&v, format))))
            .collect();
        let pg = pg_eval(&url, &format!("SET bytea_output = {setting}"), &exprs);
        assert_same(&exprs, &pg, &mine);
    }
}
