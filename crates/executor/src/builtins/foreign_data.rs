//! `pg_options_to_table(text[])`: the generic options of a SQL/MED catalog row
//! (`fdwoptions`, `srvoptions`, `umoptions`, `ftoptions`, `attfdwoptions`) as
//! `(option_name, option_value)` rows, each `name=value` entry split at its first `=`.

use tusk_types::{Datum, Result};

use super::{Builtin, Table};

fn pg_options_to_table(args: &[Datum]) -> Result<Vec<Vec<Datum>>> {
    let Datum::Array(a) = &args[0] else {
        return Ok(Vec::new());
    };
    Ok(a.elems
        .iter()
        .filter_map(|e| match e {
            Datum::Text(t) => Some(t),
            _ => None,
        })
        .map(|t| match t.split_once('=') {
            Some((n, v)) => vec![Datum::Text(n.to_string()), Datum::Text(v.to_string())],
            None => vec![Datum::Text(t.clone()), Datum::Null],
        })
        .collect())
}

pub(super) fn register(t: &mut Table) {
    t.insert(
        "pg_options_to_table",
        Builtin::Rows(|_, a| pg_options_to_table(a)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use tusk_types::adt::array::Array;
    use tusk_types::type_oid;

    #[test]
    fn options_split_at_the_first_equals_sign() {
        let arr = Datum::Array(Box::new(Array::from_elements(
            type_oid::TEXT,
            vec![Datum::Text("a=1".into()), Datum::Text("b=x=y".into())],
        )));
        let rows = pg_options_to_table(&[arr]).expect("rows");
        assert_eq!(
            rows,
            vec![
                vec![Datum::Text("a".into()), Datum::Text("1".into())],
                vec![Datum::Text("b".into()), Datum::Text("x=y".into())],
            ]
        );
    }
}
