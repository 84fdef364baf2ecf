//! `tsvector` operators and editing functions: comparisons, `||`, `strip`, `length`,
//! `setweight`, `ts_delete`, `ts_filter`, `tsvector_to_array`, `array_to_tsvector`,
//! `unnest`, and `@@` with its ranking functions.

use tusk_types::adt::array::Array;
use tusk_types::adt::tsearch::{
    pos_of, tsvector_cmp, weight_of, with_weight, Lexeme, TsVector, MAX_ENTRY_POS, MAX_NUM_POS,
};
use tusk_types::{pg_err, type_oid, Datum, Error, Result};

use super::execute::matches;
use super::rank::{rank, rank_cd, weights, DEFAULT_WEIGHTS};
use super::{ordering_int, query_arg, text_arg, vector_arg, vector_datum};
use crate::builtins::{reg, Builtin, Table};

fn cmp(a: &[Datum]) -> Result<std::cmp::Ordering> {
    Ok(tsvector_cmp(&vector_arg(&a[0])?, &vector_arg(&a[1])?))
}

/// A `"char"` weight argument: `A`..`D` (either case) to 3..0.
fn weight_char(d: &Datum) -> Result<u8> {
    let c = text_arg(d).bytes().next().unwrap_or(0);
    match c {
        b'A' | b'a' => Ok(3),
        b'B' | b'b' => Ok(2),
        b'C' | b'c' => Ok(1),
        b'D' | b'd' => Ok(0),
        other => Err(Error::internal(format!("unrecognized weight: {other}"))),
    }
}

fn concat(a: &TsVector, b: &TsVector) -> TsVector {
    let max_pos = a
        .lexemes
        .iter()
        .flat_map(|l| l.positions.iter().map(|p| pos_of(*p)))
        .max()
        .unwrap_or(0);
    let shift = |positions: &[u16], out: &mut Vec<u16>| {
        for p in positions {
            if out.len() >= MAX_NUM_POS {
                break;
            }
            let np = (pos_of(*p) as u32 + max_pos as u32).min(MAX_ENTRY_POS as u32 - 1) as u16;
            if out.last().is_none_or(|last| pos_of(*last) != np) {
                out.push(with_weight(np, weight_of(*p)));
            }
        }
    };
    let mut out: Vec<Lexeme> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.lexemes.len() || j < b.lexemes.len() {
        let order = match (a.lexemes.get(i), b.lexemes.get(j)) {
            (Some(x), Some(y)) => x.word.as_bytes().cmp(y.word.as_bytes()),
            (Some(_), None) => std::cmp::Ordering::Less,
            _ => std::cmp::Ordering::Greater,
        };
        match order {
            std::cmp::Ordering::Less => {
                out.push(a.lexemes[i].clone());
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                let y = &b.lexemes[j];
                let mut positions = Vec::new();
                shift(&y.positions, &mut positions);
                out.push(Lexeme {
                    word: y.word.clone(),
                    positions,
                });
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                let mut positions = a.lexemes[i].positions.clone();
                shift(&b.lexemes[j].positions, &mut positions);
                out.push(Lexeme {
                    word: a.lexemes[i].word.clone(),
                    positions,
                });
                i += 1;
                j += 1;
            }
        }
    }
    TsVector { lexemes: out }
}

fn unnest_rows(v: &TsVector) -> Vec<Vec<Datum>> {
    v.lexemes
        .iter()
        .map(|l| {
            let (positions, weights) = if l.positions.is_empty() {
                (Datum::Null, Datum::Null)
            } else {
                (
                    Datum::Array(Box::new(Array::from_elements(
                        type_oid::INT2,
                        l.positions
                            .iter()
                            .map(|p| Datum::Int2(pos_of(*p) as i16))
                            .collect(),
                    ))),
                    Datum::Array(Box::new(Array::from_elements(
                        type_oid::TEXT,
                        l.positions
                            .iter()
                            .map(|p| {
                                Datum::Text(["D", "C", "B", "A"][weight_of(*p) as usize].into())
                            })
                            .collect(),
                    ))),
                )
            };
            vec![Datum::Text(l.word.clone()), positions, weights]
        })
        .collect()
}

fn rank_args(a: &[Datum], cd: bool, with_weights: bool, with_method: bool) -> Result<Datum> {
    let (w, rest) = if with_weights {
        (weights(&a[0])?, &a[1..])
    } else {
        (DEFAULT_WEIGHTS, a)
    };
    let v = vector_arg(&rest[0])?;
    let q = query_arg(&rest[1])?;
    let method = if with_method {
        match rest[2] {
            Datum::Int4(m) => m,
            _ => 0,
        }
    } else {
        0
    };
    let r = if cd {
        rank_cd(&w, &v, q.root.as_ref(), method)
    } else {
        rank(&w, &v, q.root.as_ref(), method)
    };
    Ok(Datum::Float4(r))
}

pub(super) fn register(t: &mut Table) {
    reg(t, &["tsvectorin"], |_, a| {
        Ok(vector_datum(&TsVector::parse(text_arg(&a[0]))?))
    });
    reg(t, &["tsvectorout"], |_, a| {
        Ok(Datum::Text(vector_arg(&a[0])?.output()))
    });
    reg(t, &["tsvector_eq"], |_, a| Ok(Datum::Bool(cmp(a)?.is_eq())));
    reg(t, &["tsvector_ne"], |_, a| Ok(Datum::Bool(cmp(a)?.is_ne())));
    reg(t, &["tsvector_lt"], |_, a| Ok(Datum::Bool(cmp(a)?.is_lt())));
    reg(t, &["tsvector_le"], |_, a| Ok(Datum::Bool(cmp(a)?.is_le())));
    reg(t, &["tsvector_gt"], |_, a| Ok(Datum::Bool(cmp(a)?.is_gt())));
    reg(t, &["tsvector_ge"], |_, a| Ok(Datum::Bool(cmp(a)?.is_ge())));
    reg(t, &["tsvector_cmp"], |_, a| Ok(ordering_int(cmp(a)?)));
    reg(t, &["tsvector_concat"], |_, a| {
        Ok(vector_datum(&concat(
            &vector_arg(&a[0])?,
            &vector_arg(&a[1])?,
        )))
    });
    reg(t, &["tsvector_strip"], |_, a| {
        let mut v = vector_arg(&a[0])?;
        for l in &mut v.lexemes {
            l.positions.clear();
        }
        Ok(vector_datum(&v))
    });
    reg(t, &["tsvector_length"], |_, a| {
        Ok(Datum::Int4(vector_arg(&a[0])?.lexemes.len() as i32))
    });
    reg(t, &["tsvector_setweight"], |_, a| {
        let mut v = vector_arg(&a[0])?;
        let w = weight_char(&a[1])?;
        for l in &mut v.lexemes {
            for p in &mut l.positions {
                *p = with_weight(*p, w);
            }
        }
        Ok(vector_datum(&v))
    });
    reg(t, &["tsvector_setweight_by_filter"], |_, a| {
        let mut v = vector_arg(&a[0])?;
        let w = weight_char(&a[1])?;
        for word in crate::builtins::json::text_array(&a[2])
            .into_iter()
            .flatten()
        {
            if let Ok(i) = v.find(&word) {
                for p in &mut v.lexemes[i].positions {
                    *p = with_weight(*p, w);
                }
            }
        }
        Ok(vector_datum(&v))
    });
    reg(t, &["tsvector_delete_str"], |_, a| {
        let mut v = vector_arg(&a[0])?;
        if let Ok(i) = v.find(text_arg(&a[1])) {
            v.lexemes.remove(i);
        }
        Ok(vector_datum(&v))
    });
    reg(t, &["tsvector_delete_arr"], |_, a| {
        let mut v = vector_arg(&a[0])?;
        for word in crate::builtins::json::text_array(&a[1])
            .into_iter()
            .flatten()
        {
            if let Ok(i) = v.find(&word) {
                v.lexemes.remove(i);
            }
        }
        Ok(vector_datum(&v))
    });
    reg(t, &["tsvector_filter"], |_, a| {
        let v = vector_arg(&a[0])?;
        let mut mask = 0u8;
        if let Datum::Array(arr) = &a[1] {
            for e in &arr.elems {
                let c = match e {
                    Datum::Text(s) => s.chars().next().unwrap_or('\0'),
                    _ => {
                        return Err(pg_err!(
                            NULL_VALUE_NOT_ALLOWED,
                            "weight array may not contain nulls"
                        ))
                    }
                };
                mask |= match c {
                    'A' | 'a' => 1 << 3,
                    'B' | 'b' => 1 << 2,
                    'C' | 'c' => 1 << 1,
                    'D' | 'd' => 1,
                    other => {
                        return Err(pg_err!(
                            INVALID_PARAMETER_VALUE,
                            "unrecognized weight: \"{}\"",
                            other
                        ))
                    }
                };
            }
        }
        let lexemes = v
            .lexemes
            .into_iter()
            .filter_map(|l| {
                let positions: Vec<u16> = l
                    .positions
                    .into_iter()
                    .filter(|p| mask & (1 << weight_of(*p)) != 0)
                    .collect();
                (!positions.is_empty()).then_some(Lexeme {
                    word: l.word,
                    positions,
                })
            })
            .collect();
        Ok(vector_datum(&TsVector { lexemes }))
    });
    reg(t, &["tsvector_to_array"], |_, a| {
        let v = vector_arg(&a[0])?;
        Ok(Datum::Array(Box::new(Array::from_elements(
            type_oid::TEXT,
            v.lexemes.into_iter().map(|l| Datum::Text(l.word)).collect(),
        ))))
    });
    reg(t, &["array_to_tsvector"], |_, a| {
        let mut lexemes = Vec::new();
        for e in crate::builtins::json::text_array(&a[0]) {
            match e {
                None => {
                    return Err(pg_err!(
                        NULL_VALUE_NOT_ALLOWED,
                        "lexeme array may not contain nulls"
                    ))
                }
                Some(s) if s.is_empty() => {
                    return Err(pg_err!(
                        ZERO_LENGTH_CHARACTER_STRING,
                        "lexeme array may not contain empty strings"
                    ))
                }
                Some(word) => lexemes.push(Lexeme {
                    word,
                    positions: Vec::new(),
                }),
            }
        }
        Ok(vector_datum(&TsVector::from_lexemes(lexemes)))
    });
    t.insert(
        "tsvector_unnest",
        Builtin::Rows(|_, a| Ok(unnest_rows(&vector_arg(&a[0])?))),
    );
    reg(t, &["ts_match_vq"], |_, a| {
        let q = query_arg(&a[1])?;
        Ok(Datum::Bool(matches(&vector_arg(&a[0])?, q.root.as_ref())))
    });
    reg(t, &["ts_match_qv"], |_, a| {
        let q = query_arg(&a[0])?;
        Ok(Datum::Bool(matches(&vector_arg(&a[1])?, q.root.as_ref())))
    });
    reg(t, &["ts_rank_tt"], |_, a| rank_args(a, false, false, false));
    reg(t, &["ts_rank_ttf"], |_, a| rank_args(a, false, false, true));
    reg(t, &["ts_rank_wtt"], |_, a| rank_args(a, false, true, false));
    reg(t, &["ts_rank_wttf"], |_, a| rank_args(a, false, true, true));
    reg(t, &["ts_rankcd_tt"], |_, a| {
        rank_args(a, true, false, false)
    });
    reg(t, &["ts_rankcd_ttf"], |_, a| {
        rank_args(a, true, false, true)
    });
    reg(t, &["ts_rankcd_wtt"], |_, a| {
        rank_args(a, true, true, false)
    });
    reg(t, &["ts_rankcd_wttf"], |_, a| {
        rank_args(a, true, true, true)
    });
}
