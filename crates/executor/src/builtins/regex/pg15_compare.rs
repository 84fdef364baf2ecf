//! Regular expressions against a live PostgreSQL 15 (test-only): each case runs through
//! `psql` and through our implementation, and the text results or errors must agree. Runs
//! when `TUSK_PG15_URL` names a server (`postgresql://postgres@127.0.0.1:5432/postgres`);
//! passes trivially otherwise.

use std::io::Write as _;
use std::process::{Command, Stdio};

use tusk_types::Datum;

use super::super::datetime::test_support::call;

fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// `OK text`, `OK <NULL>` or `ERR sqlstate message` for each expression.
fn postgres(url: &str, exprs: &[String]) -> Vec<String> {
    let mut sql = String::from(
        "CREATE FUNCTION pg_temp.try_eval(e text) RETURNS text LANGUAGE plpgsql AS $f$ \
         DECLARE r text; BEGIN EXECUTE 'SELECT (' || e || ')::text' INTO r; \
         RETURN 'OK ' || coalesce(r, '<NULL>'); \
         EXCEPTION WHEN others THEN RETURN 'ERR ' || SQLSTATE || ' ' || SQLERRM; END $f$;\n",
    );
    let list: Vec<String> = exprs.iter().map(|e| literal(e)).collect();
    sql.push_str(&format!(
        "SELECT pg_temp.try_eval(e) FROM unnest(ARRAY[{}]::text[]) WITH ORDINALITY AS u(e, n) ORDER BY n;",
        list.join(",")
    ));
    let mut child = Command::new("psql")
        .arg(url)
        .args([
            "-X",
            "-q",
            "-A",
            "-t",
            "-v",
            "ON_ERROR_STOP=1",
            "-R",
            "\u{1e}",
            "-f",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("psql runs");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(sql.as_bytes())
        .expect("psql reads the script");
    let output = child.wait_with_output().expect("psql finishes");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("UTF-8")
        .split('\u{1e}')
        .map(|r| r.trim_matches('\n').to_string())
        .filter(|r| !r.is_empty())
        .collect()
}

fn ours(prosrc: &str, args: &[&str]) -> String {
    let args: Vec<Datum> = args.iter().map(|a| Datum::Text(a.to_string())).collect();
    match call("UTC", prosrc, &args) {
        Ok(Datum::Null) => "OK <NULL>".into(),
        Ok(Datum::Text(t)) => format!("OK {t}"),
        Ok(Datum::Bool(b)) => format!("OK {}", if b { "true" } else { "false" }),
        Ok(other) => format!("OK {other:?}"),
        Err(e) => format!("ERR {} {}", e.code, e.message),
    }
}

#[test]
fn regular_expressions_match_postgres() {
    let Some(url) = std::env::var("TUSK_PG15_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        return;
    };
    let hay = "The quick brown fox, jumps over\nthe lazy dog 123-456 [x] a.b \\ tab\there";
    let patterns = [
        "qu.ck",
        "^the",
        "^The",
        "dog$",
        "(?i)LAZY",
        "\\d+",
        "\\d{2,3}",
        "[[:upper:]]",
        "[^a-z ]+",
        "\\mthe\\M",
        "\\yfox\\y",
        "o\\Y",
        "\\[x\\]",
        "a\\.b",
        "\\\\",
        "\\t",
        "(a|ab|abc)",
        "x{",
        "[]x]",
        "[a-c]+",
        "(qu)(i)(ck)",
        "br(o|ow)n",
        "o+?",
        "(o)\\1",
        "(?=x)",
        "(",
        "a**",
        "[z",
        "***=a.b",
        ".+",
        "[[.-.]]",
        "\\w+\\s+\\w+",
        "\\Z",
        "\\Aq",
        "e$",
        "(?n)^the",
        "(?x) q u i c k",
        "\\u0066ox",
        "\\x66ox",
        "[\\d-]+",
    ];
    let mut exprs = Vec::new();
    let mut mine = Vec::new();
    for p in patterns {
        exprs.push(format!("{} ~ {}", literal(hay), literal(p)));
        mine.push(ours("textregexeq", &[hay, p]));
        exprs.push(format!("substring({} from {})", literal(hay), literal(p)));
        mine.push(ours("textregexsubstr", &[hay, p]));
        for flags in ["", "g", "gi", "n", "gn", "x"] {
            exprs.push(format!(
                "regexp_replace({}, {}, '<\\&>', {})",
                literal(hay),
                literal(p),
                literal(flags)
            ));
            mine.push(ours("textregexreplace", &[hay, p, "<\\&>", flags]));
        }
    }
    let pg = postgres(&url, &exprs);
    assert_eq!(pg.len(), exprs.len(), "one row per expression");
    let mismatches: Vec<String> = exprs
        .iter()
        .zip(pg.iter().zip(&mine))
        .filter(|(_, (p, o))| p != o)
        // Back-references and lookaround are rejected here by design.
        .filter(|(_, (_, o))| !o.contains("are not supported"))
        .map(|(e, (p, o))| format!("{e}\n  pg:   {p}\n  ours: {o}"))
        .collect();
    assert!(
        mismatches.is_empty(),
        "{} differ:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}
