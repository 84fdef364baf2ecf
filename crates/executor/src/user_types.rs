//! User-defined types as expression evaluation and type I/O see them: enum types and
//! their labels (`pg_type` rows with `typtype = 'e'` and their `pg_enum` rows).
//!
//! An enum value is held as `Datum::Float4(enumsortorder)`: its label's position, which
//! orders, compares and hashes values exactly as PostgreSQL's `enum_cmp` does, so sorting,
//! B-tree keys and `min`/`max` need no catalog access. The label (what the type's
//! input and output functions read and print) is found through [`UserTypes`], a
//! snapshot of the catalog's enum rows that the session keeps in its
//! [`crate::OutputSettings`]. Invariant: labels of one type have distinct sort orders
//! (ALTER TYPE ... ADD VALUE places a new label strictly between its neighbours).
//!
//! Composite types (`typtype = 'c'`) are known by their attributes as a record
//! descriptor ([`UserTypes::composite`]): a value of one is a `Datum::Record` whose
//! descriptor is that one, so `record_in` reads it and field selection finds fields by
//! position.
//!
//! Entry points: [`UserTypes::enum_in`], [`UserTypes::enum_out`],
//! [`UserTypes::enum_labels`], [`UserTypes::composite`].

use std::collections::HashMap;
use std::sync::Arc;

use tusk_types::adt::record::RecordDesc;
use tusk_types::{pg_err, Datum, Oid, Result};

/// One `pg_enum` row.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumLabel {
    /// The row's OID (the value PostgreSQL stores).
    pub oid: Oid,
    /// `enumsortorder`.
    pub sort_order: f32,
    /// `enumlabel`.
    pub label: String,
    /// Added by `ALTER TYPE ... ADD VALUE` in the session's transaction, which has not
    /// committed: using it is unsafe (55P04).
    pub uncommitted: bool,
}

impl EnumLabel {
    /// The label's value, unless it is [`EnumLabel::uncommitted`].
    ///
    /// Errors: 55P04 `unsafe use of new value "x" of enum type t`.
    fn safe_value(&self, type_name: &str) -> Result<Datum> {
        if self.uncommitted {
            return Err(pg_err!(
                UNSAFE_NEW_ENUM_VALUE_USAGE,
                "unsafe use of new value \"{}\" of enum type {}",
                self.label,
                type_name
            )
            .hint("New enum values must be committed before they can be used."));
        }
        Ok(Datum::Float4(self.sort_order))
    }
}

/// One user-defined enum type.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumType {
    /// `typname`, for error messages (`invalid input value for enum mood: "x"`).
    pub name: String,
    /// The array type (`typarray`).
    pub array: Oid,
    /// Labels in sort order.
    pub labels: Vec<EnumLabel>,
}

/// A user-defined `pg_type` row, as far as analysis and I/O need it.
#[derive(Debug, Clone, PartialEq)]
pub struct UserTypeDesc {
    /// `oid`.
    pub oid: Oid,
    /// `typname`.
    pub name: String,
    /// `typtype` (`e` enum, `b` an array type).
    pub typtype: u8,
    /// `typcategory`.
    pub category: u8,
    /// `typelem` of an array type, else 0.
    pub elem: Oid,
}

/// The user-defined types of the session's database, as of the catalog snapshot the
/// session last read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserTypes {
    types: HashMap<Oid, UserTypeDesc>,
    enums: HashMap<Oid, EnumType>,
    arrays: HashMap<Oid, Oid>,
    composites: HashMap<Oid, Arc<RecordDesc>>,
    /// User-defined range types: range type to (subtype, multirange type).
    ranges: HashMap<Oid, (Oid, Oid)>,
}

impl UserTypes {
    /// Builds the set from every user-defined type and the enum types' labels (by type
    /// OID); labels are sorted here.
    pub fn with_types(
        types: impl IntoIterator<Item = UserTypeDesc>,
        enums: impl IntoIterator<Item = (Oid, EnumType)>,
    ) -> UserTypes {
        let mut out = UserTypes::new(enums);
        out.types = types.into_iter().map(|t| (t.oid, t)).collect();
        out
    }

    /// Adds user-defined range types (`pg_range` rows): (range type, subtype,
    /// multirange type).
    pub fn with_ranges(mut self, ranges: impl IntoIterator<Item = (Oid, Oid, Oid)>) -> UserTypes {
        for (range, subtype, multirange) in ranges {
            self.ranges.insert(range, (subtype, multirange));
        }
        self
    }

    /// The subtype of range type `oid`, built-in or user-defined.
    pub fn range_subtype(&self, oid: Oid) -> Option<Oid> {
        tusk_types::adt::range::range_subtype(oid)
            .or_else(|| self.ranges.get(&oid).map(|(s, _)| *s))
    }

    /// The range type of multirange type `oid`, built-in or user-defined.
    pub fn multirange_range(&self, oid: Oid) -> Option<Oid> {
        tusk_types::adt::multirange::multirange_range_type(oid).or_else(|| {
            self.ranges
                .iter()
                .find(|(_, (_, m))| *m == oid)
                .map(|(r, _)| *r)
        })
    }

    /// The multirange type over range type `oid`, built-in or user-defined.
    pub fn range_multirange(&self, oid: Oid) -> Option<Oid> {
        tusk_types::adt::multirange::range_multirange_type(oid)
            .or_else(|| self.ranges.get(&oid).map(|(_, m)| *m))
    }

    /// Adds composite types: each one's descriptor (its `pg_type` OID and live
    /// attributes) and its array type's OID (`Oid::INVALID` if none).
    pub fn with_composites(
        mut self,
        composites: impl IntoIterator<Item = (Arc<RecordDesc>, Oid)>,
    ) -> UserTypes {
        for (desc, array) in composites {
            if array != Oid::INVALID {
                self.arrays.insert(array, desc.type_oid);
            }
            self.composites.insert(desc.type_oid, desc);
        }
        self
    }

    /// The descriptor of composite type `oid`, if it is one.
    pub fn composite(&self, oid: Oid) -> Option<&Arc<RecordDesc>> {
        self.composites.get(&oid)
    }

    /// The user-defined type `oid`.
    pub fn type_desc(&self, oid: Oid) -> Option<&UserTypeDesc> {
        self.types.get(&oid)
    }

    /// A user-defined type named `name` (any schema).
    pub fn type_by_name(&self, name: &str) -> Option<&UserTypeDesc> {
        self.types.values().find(|t| t.name == name)
    }

    /// `format_type` of a user-defined type: its name, `elem[]` for its array type.
    pub fn format_type(&self, oid: Oid) -> Option<String> {
        let t = self.types.get(&oid)?;
        if t.category == b'A' && t.elem != Oid::INVALID {
            return Some(format!(
                "{}[]",
                self.format_type(t.elem)
                    .unwrap_or_else(|| t.elem.0.to_string())
            ));
        }
        Some(t.name.clone())
    }

    /// Builds the set from enum types (by type OID); labels are sorted here.
    pub fn new(enums: impl IntoIterator<Item = (Oid, EnumType)>) -> UserTypes {
        let mut out = UserTypes::default();
        for (oid, mut ty) in enums {
            ty.labels
                .sort_by(|a, b| a.sort_order.total_cmp(&b.sort_order));
            if ty.array != Oid::INVALID {
                out.arrays.insert(ty.array, oid);
            }
            out.enums.insert(oid, ty);
        }
        out
    }

    /// Marks the labels whose `pg_enum` OIDs are `oids` as uncommitted.
    pub fn mark_uncommitted(&mut self, oids: &[Oid]) {
        if oids.is_empty() {
            return;
        }
        for ty in self.enums.values_mut() {
            for label in &mut ty.labels {
                label.uncommitted = oids.contains(&label.oid);
            }
        }
    }

    /// True if there are no user-defined types.
    pub fn is_empty(&self) -> bool {
        self.enums.is_empty() && self.types.is_empty()
    }

    /// The enum type `type_oid`, if it is one.
    pub fn enum_type(&self, type_oid: Oid) -> Option<&EnumType> {
        self.enums.get(&type_oid)
    }

    /// The labels of enum `type_oid` in sort order, if it is an enum.
    pub fn enum_labels(&self, type_oid: Oid) -> Option<&[EnumLabel]> {
        self.enums.get(&type_oid).map(|t| t.labels.as_slice())
    }

    /// The element type of `type_oid` if it is the array type of a user-defined type.
    pub fn array_element(&self, type_oid: Oid) -> Option<Oid> {
        self.arrays.get(&type_oid).copied()
    }

    /// `enum_in`: the value of label `text` of enum `type_oid`; `None` if `type_oid` is
    /// not an enum.
    ///
    /// Errors: 22P02 `invalid input value for enum mood: "x"`; 55P04 `unsafe use of new
    /// value` for an uncommitted label.
    pub fn enum_in(&self, type_oid: Oid, text: &str) -> Option<Result<Datum>> {
        let ty = self.enums.get(&type_oid)?;
        Some(
            ty.labels
                .iter()
                .find(|l| l.label == text)
                .ok_or_else(|| {
                    pg_err!(
                        INVALID_TEXT_REPRESENTATION,
                        "invalid input value for enum {}: \"{}\"",
                        ty.name,
                        text
                    )
                })
                .and_then(|l| l.safe_value(&ty.name)),
        )
    }

    /// `enum_out`: the label of `value` (a sort order) of enum `type_oid`; `None` if
    /// `type_oid` is not an enum.
    ///
    /// Errors: 22P02 `invalid internal value for enum: ...` for a value no label has
    /// (PostgreSQL's message for an OID without a `pg_enum` row).
    pub fn enum_out(&self, type_oid: Oid, value: &Datum) -> Option<Result<&str>> {
        let ty = self.enums.get(&type_oid)?;
        let Datum::Float4(sort) = value else {
            return Some(Err(tusk_types::Error::internal(format!(
                "enum value {value:?} is not a sort order"
            ))));
        };
        Some(
            ty.labels
                .iter()
                .find(|l| l.sort_order == *sort)
                .map(|l| l.label.as_str())
                .ok_or_else(|| {
                    pg_err!(
                        INVALID_BINARY_REPRESENTATION,
                        "invalid internal value for enum: {}",
                        sort
                    )
                }),
        )
    }
}

/// PostgreSQL's enum support functions, which need the enum's labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumSupport {
    /// `enum_first(anyenum)`: the first label.
    First,
    /// `enum_last(anyenum)`: the last label.
    Last,
    /// `enum_range(anyenum)` and `enum_range(anyenum, anyenum)`: labels in order, as
    /// an array.
    Range,
}

impl EnumSupport {
    /// The support function implemented by `prosrc`, if any.
    pub fn by_source(src: &str) -> Option<EnumSupport> {
        match src {
            "enum_first" => Some(EnumSupport::First),
            "enum_last" => Some(EnumSupport::Last),
            "enum_range_all" | "enum_range_bounds" => Some(EnumSupport::Range),
            _ => None,
        }
    }

    /// Calls the function for enum `type_oid` with `args` (the argument values only
    /// fix the type, except the bounds of the two-argument `enum_range`, where NULL
    /// means unbounded).
    ///
    /// Errors: 55000 `enum x contains no values` from `enum_first` / `enum_last` of an
    /// enum without labels; 55P04 when the result holds an uncommitted label; XX000 if
    /// `type_oid` is not an enum.
    pub fn call(self, types: &UserTypes, type_oid: Oid, args: &[Datum]) -> Result<Datum> {
        let ty = types.enum_type(type_oid).ok_or_else(|| {
            tusk_types::Error::internal(format!("type {} is not an enum", type_oid.0))
        })?;
        let labels = ty.labels.as_slice();
        let value = |l: &EnumLabel| l.safe_value(&ty.name);
        let no_values = || {
            pg_err!(
                OBJECT_NOT_IN_PREREQUISITE_STATE,
                "enum {} contains no values",
                types.format_type(type_oid).unwrap_or_default()
            )
        };
        Ok(match self {
            EnumSupport::First => labels.first().map(value).ok_or_else(no_values)??,
            EnumSupport::Last => labels.last().map(value).ok_or_else(no_values)??,
            EnumSupport::Range => {
                let bound = |d: Option<&Datum>| match d {
                    Some(Datum::Float4(f)) => Some(*f),
                    _ => None,
                };
                let (low, high) = if args.len() == 2 {
                    (bound(args.first()), bound(args.get(1)))
                } else {
                    (None, None)
                };
                let elems = labels
                    .iter()
                    .filter(|l| low.is_none_or(|lo| l.sort_order >= lo))
                    .filter(|l| high.is_none_or(|hi| l.sort_order <= hi))
                    .map(value)
                    .collect::<Result<_>>()?;
                Datum::Array(Box::new(tusk_types::adt::array::Array::from_elements(
                    type_oid, elems,
                )))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mood() -> UserTypes {
        let label = |oid, sort_order, label: &str| EnumLabel {
            oid: Oid(oid),
            sort_order,
            label: label.into(),
            uncommitted: false,
        };
        UserTypes::new([(
            Oid(16400),
            EnumType {
                name: "mood".into(),
                array: Oid(16399),
                labels: vec![
                    label(16403, 3.0, "happy"),
                    label(16401, 1.0, "sad"),
                    label(16402, 1.5, "ok"),
                ],
            },
        )])
    }

    #[test]
    fn enum_labels_read_and_print_by_sort_order() {
        let types = mood();
        let labels: Vec<&str> = types
            .enum_labels(Oid(16400))
            .expect("enum")
            .iter()
            .map(|l| l.label.as_str())
            .collect();
        assert_eq!(labels, ["sad", "ok", "happy"]);
        let ok = types
            .enum_in(Oid(16400), "ok")
            .expect("enum")
            .expect("label");
        assert_eq!(ok, Datum::Float4(1.5));
        assert_eq!(
            types
                .enum_out(Oid(16400), &ok)
                .expect("enum")
                .expect("label"),
            "ok"
        );
        assert_eq!(types.array_element(Oid(16399)), Some(Oid(16400)));
        assert!(types.enum_in(Oid(25), "ok").is_none());
    }

    #[test]
    fn enum_support_functions_follow_sort_order() {
        let types = mood();
        let t = Oid(16400);
        assert_eq!(
            EnumSupport::First
                .call(&types, t, &[Datum::Null])
                .expect("first"),
            Datum::Float4(1.0)
        );
        assert_eq!(
            EnumSupport::Last
                .call(&types, t, &[Datum::Null])
                .expect("last"),
            Datum::Float4(3.0)
        );
        let Datum::Array(all) = EnumSupport::Range
            .call(&types, t, &[Datum::Float4(1.5), Datum::Null])
            .expect("range")
        else {
            panic!("not an array");
        };
        assert_eq!(all.elems, vec![Datum::Float4(1.5), Datum::Float4(3.0)]);
        assert_eq!(all.elem_type, t);
    }

    #[test]
    fn uncommitted_labels_are_unsafe_to_use() {
        let mut types = mood();
        types.mark_uncommitted(&[Oid(16403)]);
        let t = Oid(16400);
        let err = types
            .enum_in(t, "happy")
            .expect("enum")
            .expect_err("unsafe");
        assert_eq!(err.code, tusk_types::SqlState::UNSAFE_NEW_ENUM_VALUE_USAGE);
        assert_eq!(
            err.message,
            "unsafe use of new value \"happy\" of enum type mood"
        );
        assert!(types.enum_in(t, "ok").expect("enum").is_ok());
        assert!(EnumSupport::First.call(&types, t, &[Datum::Null]).is_ok());
        assert!(EnumSupport::Last.call(&types, t, &[Datum::Null]).is_err());
        assert!(EnumSupport::Range.call(&types, t, &[Datum::Null]).is_err());
    }

    #[test]
    fn unknown_label_is_22p02() {
        let err = mood()
            .enum_in(Oid(16400), "angry")
            .expect("enum")
            .expect_err("no such label");
        assert_eq!(err.code, tusk_types::SqlState::INVALID_TEXT_REPRESENTATION);
        assert_eq!(err.message, "invalid input value for enum mood: \"angry\"");
    }
}
