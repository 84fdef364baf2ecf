//! `ts_rank` and `ts_rank_cd` (PostgreSQL docs §12.3.3), with PostgreSQL's float
//! arithmetic step for step so the `real` results are bit-identical.

use tusk_types::adt::tsearch::{pos_of, weight_of, QueryNode, QueryOperand, TsVector};
use tusk_types::{pg_err, Datum, Result};

use super::execute::{execute, operand_entries, Condition, PhraseData, Ternary};

/// Default weights of D, C, B, A.
pub(crate) const DEFAULT_WEIGHTS: [f32; 4] = [0.1, 0.2, 0.4, 1.0];

const NORM_LOGLENGTH: i32 = 0x01;
const NORM_LENGTH: i32 = 0x02;
const NORM_EXTDIST: i32 = 0x04;
const NORM_UNIQ: i32 = 0x08;
const NORM_LOGUNIQ: i32 = 0x10;
const NORM_RDIVRPLUS1: i32 = 0x20;

/// `getWeights`: a `real[]` of four weights (D, C, B, A); negative entries keep the
/// default.
pub(crate) fn weights(d: &Datum) -> Result<[f32; 4]> {
    let Datum::Array(a) = d else {
        return Ok(DEFAULT_WEIGHTS);
    };
    if a.ndim() > 1 {
        return Err(pg_err!(
            ARRAY_SUBSCRIPT_ERROR,
            "array of weight must be one-dimensional"
        ));
    }
    if a.elems.len() < 4 {
        return Err(pg_err!(
            ARRAY_SUBSCRIPT_ERROR,
            "array of weight is too short"
        ));
    }
    let mut out = DEFAULT_WEIGHTS;
    for (i, e) in a.elems.iter().take(4).enumerate() {
        let v = match e {
            Datum::Float4(v) => *v,
            Datum::Null => {
                return Err(pg_err!(
                    NULL_VALUE_NOT_ALLOWED,
                    "array of weight must not contain nulls"
                ))
            }
            _ => return Err(tusk_types::Error::internal("weights are real")),
        };
        out[i] = if v >= 0.0 { v } else { DEFAULT_WEIGHTS[i] };
        if out[i] > 1.0 {
            return Err(pg_err!(INVALID_PARAMETER_VALUE, "weight out of range"));
        }
    }
    Ok(out)
}

/// `SortAndUniqItems`: the query's operands in PostgreSQL's item order (right operand
/// first), sorted by text, one per text.
fn sorted_operands(root: &QueryNode) -> Vec<&QueryOperand> {
    let mut items = Vec::new();
    prefix_order(root, &mut items);
    items.sort_by(|a, b| a.word.as_bytes().cmp(b.word.as_bytes()));
    items.dedup_by(|a, b| a.word == b.word);
    items
}

/// Operands in PostgreSQL's stored order: operator, right operand, left operand.
fn prefix_order<'q>(node: &'q QueryNode, out: &mut Vec<&'q QueryOperand>) {
    match node {
        QueryNode::Operand(o) => out.push(o),
        QueryNode::Not(x) => prefix_order(x, out),
        QueryNode::And(l, r) | QueryNode::Or(l, r) | QueryNode::Phrase(l, r, _) => {
            prefix_order(r, out);
            prefix_order(l, out);
        }
    }
}

fn wpos(w: &[f32; 4], p: u16) -> f32 {
    w[weight_of(p) as usize]
}

fn word_distance(dist: i32) -> f32 {
    if dist > 100 {
        return 1e-30;
    }
    (1.0 / (1.005 + 0.05 * (((dist as f32) / 1.5) as f64 - 2.0).exp())) as f32
}

fn rank_or(w: &[f32; 4], v: &TsVector, root: &QueryNode) -> f32 {
    let items = sorted_operands(root);
    let mut res: f32 = 0.0;
    for item in &items {
        for e in operand_entries(v, item) {
            let null = [0u16];
            let post: &[u16] = if e.positions.is_empty() {
                &null
            } else {
                &e.positions
            };
            let mut resj: f32 = 0.0;
            let mut wjm: f32 = -1.0;
            let mut jm: i32 = 0;
            for (j, p) in post.iter().enumerate() {
                let j = j as i32;
                resj += wpos(w, *p) / ((j + 1) * (j + 1)) as f32;
                if wpos(w, *p) > wjm {
                    wjm = wpos(w, *p);
                    jm = j;
                }
            }
            let inner = wjm + resj - wjm / ((jm + 1) * (jm + 1)) as f32;
            res = (res as f64 + inner as f64 / 1.64493406685) as f32;
        }
    }
    if !items.is_empty() {
        res /= items.len() as f32;
    }
    res
}

fn rank_and(w: &[f32; 4], v: &TsVector, root: &QueryNode) -> f32 {
    let items = sorted_operands(root);
    if items.len() < 2 {
        return rank_or(w, v, root);
    }
    const POS_NULL: u16 = 16383;
    let mut pos: Vec<Option<(Vec<u16>, bool)>> = vec![None; items.len()];
    let mut res: f32 = -1.0;
    for i in 0..items.len() {
        for e in operand_entries(v, items[i]) {
            pos[i] = Some(if e.positions.is_empty() {
                (vec![POS_NULL], true)
            } else {
                (e.positions.clone(), false)
            });
            let (post, i_null) = pos[i].clone().expect("just set");
            for (ct, k_null) in pos[..i].iter().flatten() {
                for l in &post {
                    for p in ct {
                        let mut dist = (pos_of(*l) as i32 - pos_of(*p) as i32).abs();
                        if dist != 0 || i_null || *k_null {
                            if dist == 0 {
                                dist = 1 << 14;
                            }
                            let prod = wpos(w, *l) * wpos(w, *p) * word_distance(dist);
                            let curw = (prod as f64).sqrt() as f32;
                            res = if res < 0.0 {
                                curw
                            } else {
                                (1.0 - (1.0 - res as f64) * (1.0 - curw as f64)) as f32
                            };
                        }
                    }
                }
            }
        }
    }
    res
}

/// The number of positions (lexemes without positions count one), `cnt_length`.
fn count_length(v: &TsVector) -> i32 {
    v.lexemes
        .iter()
        .map(|l| l.positions.len().max(1) as i32)
        .sum()
}

fn normalise(mut res: f32, v: &TsVector, method: i32) -> f32 {
    if method & NORM_LOGLENGTH != 0 && !v.lexemes.is_empty() {
        res = (res as f64 / (((count_length(v) + 1) as f64).ln() / 2f64.ln())) as f32;
    }
    if method & NORM_LENGTH != 0 {
        let len = count_length(v);
        if len > 0 {
            res /= len as f32;
        }
    }
    if method & NORM_UNIQ != 0 && !v.lexemes.is_empty() {
        res /= v.lexemes.len() as f32;
    }
    if method & NORM_LOGUNIQ != 0 && !v.lexemes.is_empty() {
        res = (res as f64 / (((v.lexemes.len() + 1) as f64).ln() / 2f64.ln())) as f32;
    }
    if method & NORM_RDIVRPLUS1 != 0 {
        res /= res + 1.0;
    }
    res
}

/// `calc_rank`.
pub(crate) fn rank(w: &[f32; 4], v: &TsVector, root: Option<&QueryNode>, method: i32) -> f32 {
    let Some(root) = root else {
        return 0.0;
    };
    if v.lexemes.is_empty() {
        return 0.0;
    }
    let mut res = match root {
        QueryNode::And(..) | QueryNode::Phrase(..) => rank_and(w, v, root),
        _ => rank_or(w, v, root),
    };
    if res < 0.0 {
        res = 1e-20;
    }
    normalise(res, v, method)
}

/// One entry of the document representation (`DocRepresentation`): a position of one
/// lexeme and the query operands (indexes into the query's operand list) it matches.
struct DocWord {
    pos: u16,
    entry: usize,
    items: Vec<usize>,
}

fn doc_representation(v: &TsVector, items: &[&QueryOperand]) -> Vec<DocWord> {
    let mut words: Vec<DocWord> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let entries = operand_entries(v, item);
        let first = entries
            .first()
            .map(|e| v.find(&e.word).unwrap_or(0))
            .unwrap_or(0);
        for (k, e) in entries.iter().enumerate() {
            for p in &e.positions {
                if item.weight != 0 && item.weight & (1 << weight_of(*p)) == 0 {
                    continue;
                }
                words.push(DocWord {
                    pos: *p,
                    entry: first + k,
                    items: vec![i],
                });
            }
        }
    }
    words.sort_by(|a, b| {
        pos_of(a.pos)
            .cmp(&pos_of(b.pos))
            .then(weight_of(a.pos).cmp(&weight_of(b.pos)))
            .then(a.entry.cmp(&b.entry))
    });
    let mut merged: Vec<DocWord> = Vec::new();
    for d in words {
        match merged.last_mut() {
            Some(last) if last.pos == d.pos && last.entry == d.entry => last.items.extend(d.items),
            _ => merged.push(d),
        }
    }
    merged
}

/// The operands seen in a window of the document (`QueryRepresentation`).
struct Window<'q> {
    items: &'q [&'q QueryOperand],
    positions: Vec<Option<Vec<i32>>>,
}

impl Window<'_> {
    fn add(&mut self, d: &DocWord, reverse: bool) {
        for it in &d.items {
            let list = self.positions[*it].get_or_insert_with(Vec::new);
            let p = pos_of(d.pos) as i32;
            if reverse {
                if list.first() != Some(&p) {
                    list.insert(0, p);
                }
            } else if list.last() != Some(&p) {
                list.push(p);
            }
        }
    }
}

impl Condition for Window<'_> {
    fn check(&self, o: &QueryOperand, data: Option<&mut PhraseData>) -> Ternary {
        let Some(i) = self.items.iter().position(|x| std::ptr::eq(*x, o)) else {
            return Ternary::No;
        };
        match (&self.positions[i], data) {
            (None, _) => Ternary::No,
            (Some(list), Some(d)) => {
                d.positions = list.clone();
                if list.is_empty() {
                    Ternary::No
                } else {
                    Ternary::Yes
                }
            }
            (Some(_), None) => Ternary::Yes,
        }
    }
}

/// The cover found by [`cover`]: document indexes and positions of its ends.
struct Extent {
    begin: usize,
    end: usize,
    p: i32,
    q: i32,
}

/// `Cover`: the next minimal extent from `*start` where the query holds.
fn cover(
    doc: &[DocWord],
    start: &mut usize,
    root: &QueryNode,
    items: &[&QueryOperand],
) -> Option<Extent> {
    loop {
        if *start >= doc.len() {
            return None;
        }
        let mut window = Window {
            items,
            positions: vec![None; items.len()],
        };
        let mut q = 0;
        let mut end = None;
        for (i, d) in doc.iter().enumerate().skip(*start) {
            window.add(d, false);
            if execute(&window, root) != Ternary::No {
                if pos_of(d.pos) as i32 > q {
                    q = pos_of(d.pos) as i32;
                    end = Some(i);
                }
                break;
            }
        }
        let end = end?;
        let mut window = Window {
            items,
            positions: vec![None; items.len()],
        };
        let mut p = i32::MAX;
        let mut begin = end;
        let mut i = end as isize;
        while i >= *start as isize {
            let d = &doc[i as usize];
            window.add(d, true);
            if execute(&window, root) != Ternary::No {
                if (pos_of(d.pos) as i32) < p {
                    begin = i as usize;
                    p = pos_of(d.pos) as i32;
                }
                break;
            }
            i -= 1;
        }
        if p <= q {
            *start = (i + 1) as usize;
            return Some(Extent { begin, end, p, q });
        }
        *start += 1;
    }
}

/// `calc_rank_cd`: cover density ranking.
pub(crate) fn rank_cd(w: &[f32; 4], v: &TsVector, root: Option<&QueryNode>, method: i32) -> f32 {
    let Some(root) = root else {
        return 0.0;
    };
    let mut items = Vec::new();
    prefix_order(root, &mut items);
    let doc = doc_representation(v, &items);
    if doc.is_empty() {
        return 0.0;
    }
    let inv: Vec<f64> = w.iter().map(|x| 1.0 / *x as f64).collect();
    let mut wdoc: f64 = 0.0;
    let mut sum_dist: f64 = 0.0;
    let mut prev: f64 = 0.0;
    let mut n_extent: i32 = 0;
    let mut start = 0;
    while let Some(ext) = cover(&doc, &mut start, root, &items) {
        let inv_sum: f64 = doc[ext.begin..=ext.end]
            .iter()
            .map(|d| inv[weight_of(d.pos) as usize])
            .sum();
        let cpos = (ext.end - ext.begin + 1) as f64 / inv_sum;
        let mut noise = (ext.q - ext.p) - (ext.end - ext.begin) as i32;
        if noise < 0 {
            noise = (ext.end - ext.begin) as i32 / 2;
        }
        wdoc += cpos / (1 + noise) as f64;
        let cur = (ext.q + ext.p) as f64 / 2.0;
        if n_extent > 0 && cur > prev {
            sum_dist += 1.0 / (cur - prev);
        }
        prev = cur;
        n_extent += 1;
    }
    if method & NORM_LOGLENGTH != 0 && !v.lexemes.is_empty() {
        wdoc /= ((count_length(v) + 1) as f64).ln();
    }
    if method & NORM_LENGTH != 0 {
        let len = count_length(v);
        if len > 0 {
            wdoc /= len as f64;
        }
    }
    if method & NORM_EXTDIST != 0 && n_extent > 0 && sum_dist > 0.0 {
        wdoc /= n_extent as f64 / sum_dist;
    }
    if method & NORM_UNIQ != 0 && !v.lexemes.is_empty() {
        wdoc /= v.lexemes.len() as f64;
    }
    if method & NORM_LOGUNIQ != 0 && !v.lexemes.is_empty() {
        wdoc /= ((v.lexemes.len() + 1) as f64).ln() / 2f64.ln();
    }
    if method & NORM_RDIVRPLUS1 != 0 {
        wdoc /= wdoc + 1.0;
    }
    wdoc as f32
}
