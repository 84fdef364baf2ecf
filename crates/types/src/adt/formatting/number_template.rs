//! Numeric template patterns (PostgreSQL docs §9.8, Table 9.28) parsed into nodes and a
//! summary of the digit layout (`NUMDesc` in PostgreSQL).
//!
//! Every pattern letter is a keyword (`9`, `0`, `.`, `,`, `D`, `G`, `S`, `MI`, `PL`, `SG`,
//! `PR`, `L`, `RN`, `TH`, `V`, `EEEE`, `FM`, `B`, `C`, `SP`); anything else is copied
//! (quoted text as in date/time templates). Incompatible combinations are 42601 errors
//! with PostgreSQL's messages, raised while the template is read.
//!
//! Entry point: [`NumberTemplate::parse`].

use crate::{pg_err, Error, Result};

/// A numeric template keyword.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum NumberKeyword {
    Comma,
    Dec,
    Zero,
    Nine,
    B,
    C,
    D,
    Eeee,
    FM,
    G,
    L,
    MI,
    PL,
    PR,
    RNUpper,
    RNLower,
    SG,
    SP,
    S,
    THUpper,
    THLower,
    V,
}

const KEYWORDS: &[(&str, NumberKeyword)] = {
    use NumberKeyword::*;
    &[
        (",", Comma),
        (".", Dec),
        ("0", Zero),
        ("9", Nine),
        ("B", B),
        ("C", C),
        ("D", D),
        ("EEEE", Eeee),
        ("FM", FM),
        ("G", G),
        ("L", L),
        ("MI", MI),
        ("PL", PL),
        ("PR", PR),
        ("RN", RNUpper),
        ("SG", SG),
        ("SP", SP),
        ("S", S),
        ("TH", THUpper),
        ("V", V),
        ("b", B),
        ("c", C),
        ("d", D),
        ("eeee", Eeee),
        ("fm", FM),
        ("g", G),
        ("l", L),
        ("mi", MI),
        ("pl", PL),
        ("pr", PR),
        ("rn", RNLower),
        ("sg", SG),
        ("sp", SP),
        ("s", S),
        ("th", THLower),
        ("v", V),
    ]
};

/// One element of a numeric template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberNode {
    /// A pattern keyword.
    Keyword(NumberKeyword),
    /// A character copied to the output (or skipped in the input).
    Literal(char),
}

/// Where the locale sign `S` sits relative to the digits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LocaleSign {
    /// No `S`.
    #[default]
    None,
    /// `S` before the digits.
    Pre,
    /// `S` after the digits.
    Post,
}

/// The digit layout and flags a template describes.
#[derive(Clone, Debug, Default)]
pub struct NumberTemplate {
    /// The nodes in order.
    pub nodes: Vec<NumberNode>,
    /// Digit positions before the decimal point.
    pub pre: usize,
    /// Digit positions after the decimal point.
    pub post: usize,
    /// Digit positions before `S` when `S` leads.
    pub pre_lsign_num: usize,
    /// Digits shifted by `V`.
    pub multi: usize,
    /// 1-based position of the first `0` before the decimal point (0: none).
    pub zero_start: usize,
    /// Digit positions up to and including the last `0`.
    pub zero_end: usize,
    /// Where `S` is.
    pub lsign: LocaleSign,
    /// A decimal point (`.` or `D`) was given.
    pub decimal: bool,
    /// `D` was given.
    pub locale_decimal: bool,
    /// A `0` before the decimal point was given.
    pub zero: bool,
    /// `B`: blank for zero (accepted; no effect, as in PostgreSQL).
    pub blank: bool,
    /// `FM`.
    pub fill_mode: bool,
    /// `PR`.
    pub bracket: bool,
    /// `MI` (or `SG`).
    pub minus: bool,
    /// `PL` (or `SG`).
    pub plus: bool,
    /// `RN`.
    pub roman: bool,
    /// `V`.
    pub multiply: bool,
    /// `EEEE`.
    pub eeee: bool,
}

fn syntax(message: &str) -> Error {
    pg_err!(SYNTAX_ERROR, "{}", message)
}

impl NumberTemplate {
    /// Reads a numeric template.
    ///
    /// Errors: 42601 for invalid combinations (`multiple decimal points`, `cannot use "S"
    /// twice`, `"EEEE" must be the last pattern used`, ...).
    pub fn parse(template: &str) -> Result<NumberTemplate> {
        let mut t = NumberTemplate::default();
        let mut rest = template;
        while !rest.is_empty() {
            if let Some((spelling, keyword)) = KEYWORDS.iter().find(|(k, _)| rest.starts_with(k)) {
                rest = &rest[spelling.len()..];
                t.prepare(*keyword)?;
                t.nodes.push(NumberNode::Keyword(*keyword));
                continue;
            }
            let mut chars = rest.chars();
            let c = chars.next().expect("rest is not empty");
            if c == '"' {
                let mut quoted = chars;
                loop {
                    match quoted.next() {
                        None | Some('"') => break,
                        Some('\\') => {
                            let after = quoted.clone();
                            match quoted.next() {
                                Some(next) => t.nodes.push(NumberNode::Literal(next)),
                                None => {
                                    quoted = after;
                                    t.nodes.push(NumberNode::Literal('\\'));
                                }
                            }
                        }
                        Some(other) => t.nodes.push(NumberNode::Literal(other)),
                    }
                }
                rest = quoted.as_str();
                continue;
            }
            let c = if c == '\\' && chars.as_str().starts_with('"') {
                chars.next();
                '"'
            } else {
                c
            };
            rest = chars.as_str();
            t.nodes.push(NumberNode::Literal(c));
        }
        Ok(t)
    }

    /// Records one keyword in the layout (`NUMDesc_prepare`).
    fn prepare(&mut self, keyword: NumberKeyword) -> Result<()> {
        use NumberKeyword::*;
        if self.eeee && keyword != Eeee {
            return Err(syntax("\"EEEE\" must be the last pattern used"));
        }
        match keyword {
            Nine | Zero => {
                if self.bracket {
                    return Err(syntax(if keyword == Nine {
                        "\"9\" must be ahead of \"PR\""
                    } else {
                        "\"0\" must be ahead of \"PR\""
                    }));
                }
                if self.multiply && keyword == Nine {
                    self.multi += 1;
                    return Ok(());
                }
                if keyword == Zero {
                    if !self.zero && !self.decimal {
                        self.zero = true;
                        self.zero_start = self.pre + 1;
                    }
                    if self.decimal {
                        self.post += 1;
                    } else {
                        self.pre += 1;
                    }
                    self.zero_end = self.pre + self.post;
                } else if self.decimal {
                    self.post += 1;
                } else {
                    self.pre += 1;
                }
            }
            B => {
                if self.pre == 0 && self.post == 0 && !self.zero {
                    self.blank = true;
                }
            }
            D | Dec => {
                if keyword == D {
                    self.locale_decimal = true;
                }
                if self.decimal {
                    return Err(syntax("multiple decimal points"));
                }
                if self.multiply {
                    return Err(syntax("cannot use \"V\" and decimal point together"));
                }
                self.decimal = true;
            }
            FM => self.fill_mode = true,
            S => {
                if self.lsign != LocaleSign::None {
                    return Err(syntax("cannot use \"S\" twice"));
                }
                if self.plus || self.minus || self.bracket {
                    return Err(syntax(
                        "cannot use \"S\" and \"PL\"/\"MI\"/\"SG\"/\"PR\" together",
                    ));
                }
                if self.decimal {
                    self.lsign = LocaleSign::Post;
                } else {
                    self.lsign = LocaleSign::Pre;
                    self.pre_lsign_num = self.pre;
                }
            }
            MI => {
                if self.lsign != LocaleSign::None {
                    return Err(syntax("cannot use \"S\" and \"MI\" together"));
                }
                self.minus = true;
            }
            PL => {
                if self.lsign != LocaleSign::None {
                    return Err(syntax("cannot use \"S\" and \"PL\" together"));
                }
                self.plus = true;
            }
            SG => {
                if self.lsign != LocaleSign::None {
                    return Err(syntax("cannot use \"S\" and \"SG\" together"));
                }
                self.minus = true;
                self.plus = true;
            }
            PR => {
                if self.lsign != LocaleSign::None || self.plus || self.minus {
                    return Err(syntax(
                        "cannot use \"PR\" and \"S\"/\"PL\"/\"MI\"/\"SG\" together",
                    ));
                }
                self.bracket = true;
            }
            RNUpper | RNLower => self.roman = true,
            V => {
                if self.decimal {
                    return Err(syntax("cannot use \"V\" and decimal point together"));
                }
                self.multiply = true;
            }
            Eeee => {
                if self.eeee {
                    return Err(syntax("cannot use \"EEEE\" twice"));
                }
                if self.blank
                    || self.fill_mode
                    || self.lsign != LocaleSign::None
                    || self.bracket
                    || self.minus
                    || self.plus
                    || self.roman
                    || self.multiply
                {
                    return Err(syntax("\"EEEE\" is incompatible with other formats").detail(
                        "\"EEEE\" may only be used together with digit and decimal point patterns.",
                    ));
                }
                self.eeee = true;
            }
            Comma | C | G | L | SP | THUpper | THLower => {}
        }
        Ok(())
    }
}
