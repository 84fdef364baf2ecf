//! Generates `SqlState` constants from PostgreSQL 15's `errcodes.txt` (a table of facts:
//! SQLSTATE, severity class, macro name, condition name).
use std::fmt::Write as _;

fn main() {
    println!("cargo:rerun-if-changed=data/errcodes.txt");
    let text = std::fs::read_to_string("data/errcodes.txt").expect("data/errcodes.txt is readable");
    let mut consts = String::new();
    let mut names = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("Section:") {
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.len() < 3 {
            continue;
        }
        let (code, macro_name) = (fields[0], fields[2]);
        let ident = macro_name.trim_start_matches("ERRCODE_");
        let condition = fields.get(3).copied().unwrap_or("");
        writeln!(
            consts,
            "    /// `{code}` {condition}\n    pub const {ident}: SqlState = SqlState(*b\"{code}\");"
        )
        .expect("write to String");
        if !condition.is_empty() {
            writeln!(names, "        (*b\"{code}\", \"{condition}\"),").expect("write to String");
        }
    }
    let out = format!(
        "impl SqlState {{\n{consts}}}\n\n/// (SQLSTATE, condition name) pairs, as PL/pgSQL names them.\npub(crate) static CONDITION_NAMES: &[([u8; 5], &str)] = &[\n{names}];\n"
    );
    let path = std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR set by cargo"))
        .join("sqlstate.rs");
    std::fs::write(path, out).expect("write generated sqlstate.rs");
}
