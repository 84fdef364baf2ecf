//! Matching a `tsvector` against a `tsquery` (`@@`), PostgreSQL's `TS_execute`: a
//! three-valued walk (yes, no, maybe = "no position data to tell"); phrase operators
//! compute the positions where each side matches and join them at the distance.

use tusk_types::adt::tsearch::{pos_of, QueryNode, QueryOperand, TsVector};

/// A three-valued match result.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Ternary {
    No,
    Yes,
    Maybe,
}

/// Positions where a phrase sub-match ends (`ExecPhraseData`): with `negate`, the
/// positions where it does *not* match; `width` is the match's extent minus one.
#[derive(Default, Debug)]
pub(crate) struct PhraseData {
    pub positions: Vec<i32>,
    negate: bool,
    width: i32,
}

/// How an operand is checked (PostgreSQL's `TSExecuteCallback`): against a vector, or
/// against the operands seen in a window of a document (cover density ranking).
pub(crate) trait Condition {
    /// Whether operand `o` is present; with `data`, also where (ascending positions).
    fn check(&self, o: &QueryOperand, data: Option<&mut PhraseData>) -> Ternary;
}

struct VectorCondition<'v>(&'v TsVector);

impl Condition for VectorCondition<'_> {
    fn check(&self, o: &QueryOperand, data: Option<&mut PhraseData>) -> Ternary {
        check_operand(self.0, o, data)
    }
}

/// The lexemes of `v` an operand names: one exact match, or all with its prefix.
pub(crate) fn operand_entries<'v>(
    v: &'v TsVector,
    o: &QueryOperand,
) -> &'v [tusk_types::adt::tsearch::Lexeme] {
    let start = match v.find(&o.word) {
        Ok(i) => i,
        Err(i) if o.prefix => i,
        Err(_) => return &[],
    };
    if !o.prefix {
        return &v.lexemes[start..=start];
    }
    let mut end = start;
    while end < v.lexemes.len()
        && v.lexemes[end]
            .word
            .as_bytes()
            .starts_with(o.word.as_bytes())
    {
        end += 1;
    }
    &v.lexemes[start..end]
}

/// `checkcondition_str` / `checkclass_str`.
fn check_operand(v: &TsVector, o: &QueryOperand, data: Option<&mut PhraseData>) -> Ternary {
    let entries = operand_entries(v, o);
    let want = |p: u16| o.weight == 0 || o.weight & (1 << (p >> 14)) != 0;
    match data {
        None => {
            for e in entries {
                if e.positions.is_empty() || o.weight == 0 || e.positions.iter().any(|p| want(*p)) {
                    return Ternary::Yes;
                }
            }
            Ternary::No
        }
        Some(data) => {
            let mut all: Vec<i32> = Vec::new();
            let mut result = Ternary::No;
            for e in entries {
                if e.positions.is_empty() {
                    data.positions.clear();
                    return Ternary::Maybe;
                }
                let found: Vec<i32> = e
                    .positions
                    .iter()
                    .filter(|p| want(**p))
                    .map(|p| pos_of(*p) as i32)
                    .collect();
                if !found.is_empty() {
                    result = Ternary::Yes;
                    all.extend(found);
                }
            }
            all.sort_unstable();
            all.dedup();
            data.positions = all;
            result
        }
    }
}

const EMIT_BOTH: u8 = 1;
const EMIT_L_ONLY: u8 = 2;
const EMIT_R_ONLY: u8 = 4;

/// `TS_phrase_output`: merge-joins the two position lists with their offsets.
fn phrase_output(
    data: Option<&mut PhraseData>,
    l: &PhraseData,
    r: &PhraseData,
    emit: u8,
    l_offset: i32,
    r_offset: i32,
) -> Ternary {
    let (mut li, mut ri) = (0usize, 0usize);
    let mut out: Vec<i32> = Vec::new();
    let want_positions = data.is_some();
    while li < l.positions.len() || ri < r.positions.len() {
        let lpos = if li < l.positions.len() {
            l.positions[li] + l_offset
        } else {
            if emit & EMIT_R_ONLY == 0 {
                break;
            }
            i32::MAX
        };
        let rpos = if ri < r.positions.len() {
            r.positions[ri] + r_offset
        } else {
            if emit & EMIT_L_ONLY == 0 {
                break;
            }
            i32::MAX
        };
        let mut output = 0;
        if lpos < rpos {
            if emit & EMIT_L_ONLY != 0 {
                output = lpos;
            }
            li += 1;
        } else if lpos == rpos {
            if emit & EMIT_BOTH != 0 {
                output = rpos;
            }
            li += 1;
            ri += 1;
        } else {
            if emit & EMIT_R_ONLY != 0 {
                output = rpos;
            }
            ri += 1;
        }
        if output > 0 {
            if !want_positions {
                return Ternary::Yes;
            }
            out.push(output);
        }
    }
    match data {
        Some(d) => {
            d.positions = out;
            if d.positions.is_empty() {
                Ternary::No
            } else {
                Ternary::Yes
            }
        }
        None => Ternary::No,
    }
}

/// `TS_phrase_execute`.
fn phrase_execute(
    v: &dyn Condition,
    node: &QueryNode,
    mut data: Option<&mut PhraseData>,
) -> Ternary {
    match node {
        QueryNode::Operand(o) => v.check(o, data),
        QueryNode::Not(x) => {
            let d = data.expect("NOT inside a phrase has position data");
            match phrase_execute(v, x, Some(d)) {
                Ternary::No => {
                    d.negate = true;
                    Ternary::Yes
                }
                Ternary::Yes => {
                    if !d.positions.is_empty() {
                        d.negate = !d.negate;
                        Ternary::Yes
                    } else if d.negate {
                        d.negate = false;
                        Ternary::No
                    } else {
                        Ternary::No
                    }
                }
                Ternary::Maybe => Ternary::Maybe,
            }
        }
        QueryNode::And(l, r) | QueryNode::Phrase(l, r, _) => {
            let mut ld = PhraseData::default();
            let mut rd = PhraseData::default();
            let lm = phrase_execute(v, l, Some(&mut ld));
            if lm == Ternary::No {
                return Ternary::No;
            }
            let rm = phrase_execute(v, r, Some(&mut rd));
            if rm == Ternary::No {
                return Ternary::No;
            }
            if lm == Ternary::Maybe || rm == Ternary::Maybe {
                return Ternary::Maybe;
            }
            let (l_offset, r_offset);
            if let QueryNode::Phrase(_, _, distance) = node {
                l_offset = *distance as i32 + rd.width;
                r_offset = 0;
                if let Some(d) = data.as_deref_mut() {
                    d.width = *distance as i32 + ld.width + rd.width;
                }
            } else {
                let max = ld.width.max(rd.width);
                l_offset = max - ld.width;
                r_offset = max - rd.width;
                if let Some(d) = data.as_deref_mut() {
                    d.width = max;
                }
            }
            if ld.negate && rd.negate {
                let _ = phrase_output(
                    data.as_deref_mut(),
                    &ld,
                    &rd,
                    EMIT_BOTH | EMIT_L_ONLY | EMIT_R_ONLY,
                    l_offset,
                    r_offset,
                );
                if let Some(d) = data {
                    d.negate = true;
                }
                Ternary::Yes
            } else if ld.negate {
                phrase_output(data, &ld, &rd, EMIT_R_ONLY, l_offset, r_offset)
            } else if rd.negate {
                phrase_output(data, &ld, &rd, EMIT_L_ONLY, l_offset, r_offset)
            } else {
                phrase_output(data, &ld, &rd, EMIT_BOTH, l_offset, r_offset)
            }
        }
        QueryNode::Or(l, r) => {
            let d = data.expect("OR inside a phrase has position data");
            let mut ld = PhraseData::default();
            let mut rd = PhraseData::default();
            let lm = phrase_execute(v, l, Some(&mut ld));
            let rm = phrase_execute(v, r, Some(&mut rd));
            if lm == Ternary::No && rm == Ternary::No {
                return Ternary::No;
            }
            if lm == Ternary::Maybe || rm == Ternary::Maybe {
                return Ternary::Maybe;
            }
            if lm == Ternary::No {
                ld.width = 0;
            }
            if rm == Ternary::No {
                rd.width = 0;
            }
            let max = ld.width.max(rd.width);
            let (l_offset, r_offset) = (max - ld.width, max - rd.width);
            d.width = max;
            if ld.negate && rd.negate {
                let _ = phrase_output(Some(d), &ld, &rd, EMIT_BOTH, l_offset, r_offset);
                d.negate = true;
                Ternary::Yes
            } else if ld.negate {
                let _ = phrase_output(Some(d), &ld, &rd, EMIT_L_ONLY, l_offset, r_offset);
                d.negate = true;
                Ternary::Yes
            } else if rd.negate {
                let _ = phrase_output(Some(d), &ld, &rd, EMIT_R_ONLY, l_offset, r_offset);
                d.negate = true;
                Ternary::Yes
            } else {
                phrase_output(
                    Some(d),
                    &ld,
                    &rd,
                    EMIT_BOTH | EMIT_L_ONLY | EMIT_R_ONLY,
                    l_offset,
                    r_offset,
                )
            }
        }
    }
}

/// `TS_execute_recurse`.
pub(crate) fn execute(v: &dyn Condition, node: &QueryNode) -> Ternary {
    match node {
        QueryNode::Operand(o) => v.check(o, None),
        QueryNode::Not(x) => match execute(v, x) {
            Ternary::No => Ternary::Yes,
            Ternary::Yes => Ternary::No,
            Ternary::Maybe => Ternary::Maybe,
        },
        QueryNode::And(l, r) => {
            let lm = execute(v, l);
            if lm == Ternary::No {
                return Ternary::No;
            }
            match execute(v, r) {
                Ternary::No => Ternary::No,
                Ternary::Yes => lm,
                Ternary::Maybe => Ternary::Maybe,
            }
        }
        QueryNode::Or(l, r) => {
            let lm = execute(v, l);
            if lm == Ternary::Yes {
                return Ternary::Yes;
            }
            match execute(v, r) {
                Ternary::No => lm,
                Ternary::Yes => Ternary::Yes,
                Ternary::Maybe => Ternary::Maybe,
            }
        }
        QueryNode::Phrase(..) => match phrase_execute(v, node, None) {
            Ternary::Yes => Ternary::Yes,
            _ => Ternary::No,
        },
    }
}

/// `ts_match_vq`: does `v` match `q`? An empty query matches nothing.
pub(crate) fn matches(v: &TsVector, q: Option<&QueryNode>) -> bool {
    match q {
        None => false,
        Some(root) => execute(&VectorCondition(v), root) != Ternary::No,
    }
}
