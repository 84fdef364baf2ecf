//! SQL/XML constructs (PostgreSQL docs §9.15 "XML Functions") as PostgreSQL 15 analyses
//! them when it is built without libxml, which is what tusk is: the `xml` type exists,
//! every operation that would need an XML parser fails with 0A000 `unsupported XML
//! feature` (DETAIL `This functionality requires the server to be built with libxml
//! support.`), and the rest behaves as PostgreSQL does (types checked, NULLs passed
//! through).
//!
//! Rules (PostgreSQL's `transformXmlExpr` / `transformXmlSerialize`, and
//! `ExecEvalXmlExpr`):
//! 1. `NAME name` (XMLELEMENT, XMLPI) and every XMLATTRIBUTES / XMLFOREST name go through
//!    the SQL-to-XML name mapping, which needs libxml: those constructs fail while being
//!    analysed (an unnamed non-column XMLFOREST / XMLATTRIBUTES value fails first with
//!    42601).
//! 2. Arguments are coerced as PostgreSQL's `coerce_to_specific_type` does (42804
//!    `argument of XMLCONCAT must be type xml, not type integer`); an unknown literal
//!    becomes `xml` through its input function, which fails at the literal.
//! 3. What is left runs on the built-in functions with the same NULL behaviour:
//!    XMLCONCAT folds `xmlconcat2` (NULL when every argument is NULL), XMLPARSE is
//!    `xml(text)`, XMLROOT and XMLSERIALIZE (DOCUMENT) `xml(text(x))`, IS DOCUMENT
//!    `xml_is_well_formed_document(text(x))`, XMLSERIALIZE (CONTENT) `text(x)` cast to its
//!    target type: each is NULL for a NULL value and fails for any other.

use tusk_types::{pg_err, type_oid, Oid, Result};

use super::coerce::CoercionContext;
use super::expr::Scope;
use super::typed::TypedExpr;
use super::Analyzer;
use crate::ast::{Expr, XmlExpr, XmlOp};

/// `xml(text)` (`texttoxml`), strict.
const TEXT_TO_XML: Oid = Oid(2896);
/// `text(xml)` (`xmltotext`), strict.
const XML_TO_TEXT: Oid = Oid(2922);
/// `xmlconcat2(xml, xml)`, not strict.
const XMLCONCAT2: Oid = Oid(2900);
/// `xml_is_well_formed_document(text)`, strict.
const XML_IS_WELL_FORMED_DOCUMENT: Oid = Oid(3052);

fn call(proc: Oid, args: Vec<TypedExpr>, ret: Oid, strict: bool) -> TypedExpr {
    TypedExpr::Func {
        proc,
        args,
        ret,
        strict,
        retset: false,
    }
}

impl Analyzer<'_> {
    /// Analyses an SQL/XML construct (see the module's rules).
    ///
    /// Errors: 0A000 `unsupported XML feature` for XMLELEMENT, XMLPI and XMLFOREST and for
    /// `xml` literals; 42601 `unnamed XML attribute value must be a column reference` /
    /// `unnamed XML element value must be a column reference`; 42804 for arguments of the
    /// wrong type; 42846 `cannot cast XMLSERIALIZE result to x`.
    pub(super) fn xml_expr(&mut self, x: &XmlExpr, scope: &Scope) -> Result<TypedExpr> {
        if x.name.is_some() {
            return Err(tusk_types::adt::xml::no_xml_support());
        }
        // The first named argument's name already needs libxml.
        if let Some((value, name, location)) = x.named_args.first() {
            self.analyze_expr(value, scope)?;
            if name.is_none() && !matches!(value, Expr::Column(..)) {
                let message = if x.op == XmlOp::Element {
                    "unnamed XML attribute value must be a column reference"
                } else {
                    "unnamed XML element value must be a column reference"
                };
                return Err(self.at(pg_err!(SYNTAX_ERROR, "{}", message), *location));
            }
            return Err(tusk_types::adt::xml::no_xml_support());
        }
        let mut args = Vec::with_capacity(x.args.len());
        for (i, a) in x.args.iter().enumerate() {
            let typed = self.analyze_expr(a, scope)?;
            let (target, construct) = match (x.op, i) {
                (XmlOp::Concat, _) => (type_oid::XML, "XMLCONCAT"),
                (XmlOp::Parse, 0) => (type_oid::TEXT, "XMLPARSE"),
                (XmlOp::Parse, _) => {
                    args.push(self.coerce_to_boolean(typed, "XMLPARSE", a.location())?);
                    continue;
                }
                (XmlOp::Pi, _) => (type_oid::TEXT, "XMLPI"),
                (XmlOp::Root, 0) => (type_oid::XML, "XMLROOT"),
                (XmlOp::Root, 1) => (type_oid::TEXT, "XMLROOT"),
                (XmlOp::Root, _) => (type_oid::INT4, "XMLROOT"),
                (XmlOp::Serialize, _) => (type_oid::XML, "XMLSERIALIZE"),
                (XmlOp::IsDocument, _) => (type_oid::XML, "IS DOCUMENT"),
                (XmlOp::Element | XmlOp::Forest, _) => {
                    args.push(typed);
                    continue;
                }
            };
            args.push(self.coerce_to_specific_type(typed, target, construct, a.location())?);
        }
        let first = || {
            args.first()
                .cloned()
                .ok_or_else(|| tusk_types::Error::internal("XML construct without an argument"))
        };
        let as_text = |e: TypedExpr| call(XML_TO_TEXT, vec![e], type_oid::TEXT, true);
        let parsed = |e: TypedExpr| call(TEXT_TO_XML, vec![e], type_oid::XML, true);
        Ok(match x.op {
            XmlOp::Concat => {
                let null = TypedExpr::Const {
                    value: tusk_types::Datum::Null,
                    type_oid: type_oid::XML,
                    typmod: -1,
                    location: usize::MAX,
                };
                let mut rest = args.clone().into_iter();
                let head = rest
                    .next()
                    .ok_or_else(|| tusk_types::Error::internal("XMLCONCAT without arguments"))?;
                let second = rest.next().unwrap_or(null);
                let mut folded = call(XMLCONCAT2, vec![head, second], type_oid::XML, false);
                for a in rest {
                    folded = call(XMLCONCAT2, vec![folded, a], type_oid::XML, false);
                }
                folded
            }
            XmlOp::Parse => parsed(first()?),
            XmlOp::Root => parsed(as_text(first()?)),
            XmlOp::IsDocument => call(
                XML_IS_WELL_FORMED_DOCUMENT,
                vec![as_text(first()?)],
                type_oid::BOOL,
                true,
            ),
            XmlOp::Serialize => {
                let value = if x.document {
                    as_text(parsed(as_text(first()?)))
                } else {
                    as_text(first()?)
                };
                let target = x
                    .target
                    .as_ref()
                    .ok_or_else(|| tusk_types::Error::internal("XMLSERIALIZE without a type"))?;
                let (target, typmod) = self.resolve_type_name(target)?;
                if !self.can_coerce(type_oid::TEXT, target, CoercionContext::Implicit) {
                    return Err(self.at(
                        pg_err!(
                            CANNOT_COERCE,
                            "cannot cast XMLSERIALIZE result to {}",
                            self.catalog.format_type(target)
                        ),
                        x.location,
                    ));
                }
                self.coerce(value, target, typmod, CoercionContext::Implicit, x.location)?
            }
            XmlOp::Element | XmlOp::Forest | XmlOp::Pi => {
                return Err(tusk_types::adt::xml::no_xml_support())
            }
        })
    }
}
