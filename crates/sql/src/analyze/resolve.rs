//! Operator and function resolution (PostgreSQL docs §10.2 "Operators" and §10.3
//! "Functions"): exact match, then candidates reachable by implicit coercion, then the
//! heuristics for preferred types and unknown-type literals.

use tusk_types::{type_oid, Oid};

use super::coerce::CoercionContext;
use super::Analyzer;

/// Outcome of candidate selection.
pub(crate) enum Selection<T> {
    /// Exactly one best candidate.
    Unique(T),
    /// Several equally good candidates.
    Ambiguous,
    /// None applies.
    None,
}

/// A candidate reduced to what selection needs: its declared argument types.
pub(crate) trait Candidate: Clone {
    /// Declared argument types (after variadic expansion).
    fn arg_types(&self) -> &[Oid];
}

impl Analyzer<'_> {
    fn category(&self, t: Oid) -> u8 {
        self.catalog
            .type_info(t)
            .map(|i| i.category)
            .unwrap_or(b'U')
    }

    fn is_preferred(&self, t: Oid) -> bool {
        self.catalog.type_info(t).is_some_and(|i| i.preferred)
    }

    /// Chooses among `candidates` for the given input types (`UNKNOWN` for untyped
    /// literals and parameters), PostgreSQL's `func_select_candidate` rules.
    pub(crate) fn select_candidate<C: Candidate>(
        &self,
        inputs: &[Oid],
        candidates: Vec<C>,
    ) -> Selection<C> {
        let candidates: Vec<C> = candidates
            .into_iter()
            .filter(|c| c.arg_types().len() == inputs.len())
            .collect();
        // Exact match (an unknown input matches anything in the exact test only when the
        // other inputs fix the type: PostgreSQL's binary-operator rule).
        let known: Vec<Oid> = inputs
            .iter()
            .copied()
            .filter(|t| *t != type_oid::UNKNOWN)
            .collect();
        let exact: Vec<&C> = candidates
            .iter()
            .filter(|c| {
                c.arg_types().iter().zip(inputs).all(|(a, i)| {
                    *a == *i
                        || (*i == type_oid::UNKNOWN
                            && known.len() == 1
                            && inputs.len() == 2
                            && *a == known[0])
                })
            })
            .collect();
        if exact.len() == 1 {
            return Selection::Unique(exact[0].clone());
        }
        // Candidates reachable through implicit coercion, with polymorphic arguments that
        // agree on one type (PostgreSQL's check_generic_type_consistency).
        let mut viable: Vec<C> = candidates
            .into_iter()
            .filter(|c| {
                c.arg_types()
                    .iter()
                    .zip(inputs)
                    .all(|(a, i)| self.can_coerce(*i, *a, CoercionContext::Implicit))
                    && self.polymorphic_consistent(c.arg_types(), inputs)
            })
            .collect();
        if viable.len() <= 1 {
            return viable
                .pop()
                .map(Selection::Unique)
                .unwrap_or(Selection::None);
        }
        // Most exact matches on known inputs.
        viable = keep_best(viable, |c| {
            c.arg_types()
                .iter()
                .zip(inputs)
                .filter(|(a, i)| **i != type_oid::UNKNOWN && *a == *i)
                .count()
        });
        if viable.len() == 1 {
            return viable
                .pop()
                .map(Selection::Unique)
                .unwrap_or(Selection::None);
        }
        // Most preferred types where a conversion is needed.
        viable = keep_best(viable, |c| {
            c.arg_types()
                .iter()
                .zip(inputs)
                .filter(|(a, i)| **i != type_oid::UNKNOWN && *a != *i && self.is_preferred(**a))
                .count()
        });
        if viable.len() == 1 {
            return viable
                .pop()
                .map(Selection::Unique)
                .unwrap_or(Selection::None);
        }
        // Unknown inputs: choose a category per position.
        if inputs.contains(&type_oid::UNKNOWN) {
            let mut resolved_any = false;
            for (pos, input) in inputs.iter().enumerate() {
                if *input != type_oid::UNKNOWN {
                    continue;
                }
                let mut category = None;
                let mut conflict = false;
                let mut string_seen = false;
                for c in &viable {
                    let t = c.arg_types()[pos];
                    let cat = self.category(t);
                    if cat == b'S' {
                        string_seen = true;
                    }
                    match category {
                        None => category = Some(cat),
                        Some(existing) if existing != cat => conflict = true,
                        _ => {}
                    }
                }
                let chosen = if string_seen {
                    b'S'
                } else if conflict {
                    return Selection::Ambiguous;
                } else {
                    match category {
                        Some(c) => c,
                        None => continue,
                    }
                };
                viable.retain(|c| self.category(c.arg_types()[pos]) == chosen);
                if viable.iter().any(|c| self.is_preferred(c.arg_types()[pos])) {
                    viable.retain(|c| self.is_preferred(c.arg_types()[pos]));
                }
                resolved_any = true;
            }
            if resolved_any && viable.len() == 1 {
                return viable
                    .pop()
                    .map(Selection::Unique)
                    .unwrap_or(Selection::None);
            }
            // Unknowns assumed to be the one known input type.
            let mut known_types: Vec<Oid> = known.clone();
            known_types.dedup();
            if known_types.len() == 1 {
                let k = known_types[0];
                let matching: Vec<C> = viable
                    .iter()
                    .filter(|c| {
                        let assumed: Vec<Oid> = inputs
                            .iter()
                            .map(|i| if *i == type_oid::UNKNOWN { k } else { *i })
                            .collect();
                        c.arg_types().iter().zip(inputs).all(|(a, i)| {
                            if *i == type_oid::UNKNOWN {
                                self.can_coerce(k, *a, CoercionContext::Implicit)
                            } else {
                                true
                            }
                        }) && self.polymorphic_consistent(c.arg_types(), &assumed)
                    })
                    .cloned()
                    .collect();
                if matching.len() == 1 {
                    return Selection::Unique(matching[0].clone());
                }
            }
        }
        if viable.len() == 1 {
            viable
                .pop()
                .map(Selection::Unique)
                .unwrap_or(Selection::None)
        } else if viable.is_empty() {
            Selection::None
        } else {
            Selection::Ambiguous
        }
    }
}

impl Analyzer<'_> {
    /// Whether the actual types at polymorphic positions agree: every `anyelement`-family
    /// position (and the element of every `anyarray` one, the subtype of every `anyrange`
    /// and `anymultirange` one) has the same type; the
    /// `anycompatible` family needs one type category and, with an
    /// `anycompatiblerange` or `anycompatiblemultirange` argument, one range type whose
    /// subtype every other member converts to implicitly. Unknown inputs agree with
    /// anything.
    fn polymorphic_consistent(&self, declared: &[Oid], inputs: &[Oid]) -> bool {
        let mut element: Option<Oid> = None;
        let mut compatible_category: Option<u8> = None;
        let mut compatible_range: Option<Oid> = None;
        let mut compatible_members: Vec<Oid> = Vec::new();
        for (d, i) in declared.iter().zip(inputs) {
            if *i == type_oid::UNKNOWN {
                continue;
            }
            let actual = match d.0 {
                // anyelement, anynonarray, anyenum
                2283 | 2776 | 3500 => *i,
                // anyrange: its subtype
                3831 => self.catalog.range_subtype(*i).unwrap_or(Oid::INVALID),
                // anymultirange: its ranges' subtype
                4537 => self
                    .catalog
                    .multirange_range(*i)
                    .and_then(|r| self.catalog.range_subtype(r))
                    .unwrap_or(Oid::INVALID),
                // anyarray: its element type
                2277 => self
                    .catalog
                    .type_info(*i)
                    .map(|t| t.elem)
                    .unwrap_or(Oid::INVALID),
                // anycompatiblerange, anycompatiblemultirange: one range type
                5080 | 4538 => {
                    let range = if d.0 == 4538 {
                        self.catalog.multirange_range(*i).unwrap_or(Oid::INVALID)
                    } else {
                        *i
                    };
                    if compatible_range.is_some_and(|r| r != range) {
                        return false;
                    }
                    compatible_range = Some(range);
                    continue;
                }
                // anycompatible family: one category
                5077..=5079 => {
                    let base = if d.0 == 5078 {
                        self.catalog.type_info(*i).map(|t| t.elem).unwrap_or(*i)
                    } else {
                        *i
                    };
                    compatible_members.push(base);
                    let cat = self.category(base);
                    if compatible_category.is_some_and(|c| c != cat) {
                        return false;
                    }
                    compatible_category = Some(cat);
                    continue;
                }
                _ => continue,
            };
            if element.is_some_and(|e| e != actual) {
                return false;
            }
            element = Some(actual);
        }
        if let Some(range) = compatible_range {
            let Some(subtype) = self.catalog.range_subtype(range) else {
                return false;
            };
            return compatible_members
                .iter()
                .all(|m| *m == subtype || self.can_coerce(*m, subtype, CoercionContext::Implicit));
        }
        true
    }
}

fn keep_best<C>(items: Vec<C>, score: impl Fn(&C) -> usize) -> Vec<C> {
    let best = items.iter().map(&score).max().unwrap_or(0);
    items.into_iter().filter(|c| score(c) == best).collect()
}
