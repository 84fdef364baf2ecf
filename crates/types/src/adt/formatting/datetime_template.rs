//! Date/time template patterns (PostgreSQL docs §9.8, Table 9.26) parsed into nodes.
//!
//! A template is read left to right: an optional prefix modifier (`FM`, `TM`), then the
//! longest keyword that matches at that place (`HH24` before `HH`, `MONTH` before `MON`),
//! then an optional postfix modifier (`TH`, `th`, `SP`). Text between double quotes is
//! literal (a backslash inside quotes takes the next character literally); outside quotes a
//! backslash is special only before a double quote. A prefix modifier followed by no
//! keyword is dropped, as in PostgreSQL.
//!
//! Entry point: [`parse_datetime_template`], shared by `to_char` and
//! `to_timestamp`/`to_date`.

/// A template keyword. Case variants that print differently (`MONTH`, `Month`, `month`)
/// are distinct; those that do not (`DD`, `dd`) are one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum DateTimeKeyword {
    ADUpperDots,
    AMUpperDots,
    ADUpper,
    AMUpper,
    BCUpperDots,
    BCUpper,
    CC,
    DAY,
    DDD,
    DD,
    DY,
    Day,
    Dy,
    D,
    FF1,
    FF2,
    FF3,
    FF4,
    FF5,
    FF6,
    FX,
    HH24,
    HH12,
    HH,
    IDDD,
    ID,
    IW,
    IYYY,
    IYY,
    IY,
    I,
    J,
    MI,
    MM,
    MONTH,
    MON,
    MS,
    Month,
    Mon,
    OF,
    PMUpperDots,
    PMUpper,
    Q,
    RM,
    SSSS,
    SS,
    TZH,
    TZM,
    TZ,
    US,
    WW,
    W,
    YCommaYYY,
    YYYY,
    YYY,
    YY,
    Y,
    ADLowerDots,
    AMLowerDots,
    ADLower,
    AMLower,
    BCLowerDots,
    BCLower,
    DayLower,
    DyLower,
    MonthLower,
    MonLower,
    PMLowerDots,
    PMLower,
    RMLower,
    TZLower,
}

impl DateTimeKeyword {
    /// Whether the keyword stands for a number (PostgreSQL's `is_digit`): in
    /// `to_timestamp` such fields may be shorter than their nominal width.
    pub fn is_digit(self) -> bool {
        use DateTimeKeyword::*;
        matches!(
            self,
            CC | DDD
                | DD
                | D
                | HH24
                | HH12
                | HH
                | IDDD
                | ID
                | IW
                | IYYY
                | IYY
                | IY
                | I
                | J
                | MI
                | MM
                | MS
                | Q
                | SSSS
                | SS
                | TZM
                | US
                | WW
                | W
                | YCommaYYY
                | YYYY
                | YYY
                | YY
                | Y
        )
    }
}

/// Keywords in PostgreSQL's search order: the first entry that is a prefix of the rest of
/// the template wins, so longer spellings come first.
const KEYWORDS: &[(&str, DateTimeKeyword)] = {
    use DateTimeKeyword::*;
    &[
        ("A.D.", ADUpperDots),
        ("A.M.", AMUpperDots),
        ("AD", ADUpper),
        ("AM", AMUpper),
        ("B.C.", BCUpperDots),
        ("BC", BCUpper),
        ("CC", CC),
        ("DAY", DAY),
        ("DDD", DDD),
        ("DD", DD),
        ("DY", DY),
        ("Day", Day),
        ("Dy", Dy),
        ("D", D),
        ("FF1", FF1),
        ("FF2", FF2),
        ("FF3", FF3),
        ("FF4", FF4),
        ("FF5", FF5),
        ("FF6", FF6),
        ("FX", FX),
        ("HH24", HH24),
        ("HH12", HH12),
        ("HH", HH),
        ("IDDD", IDDD),
        ("ID", ID),
        ("IW", IW),
        ("IYYY", IYYY),
        ("IYY", IYY),
        ("IY", IY),
        ("I", I),
        ("J", J),
        ("MI", MI),
        ("MM", MM),
        ("MONTH", MONTH),
        ("MON", MON),
        ("MS", MS),
        ("Month", Month),
        ("Mon", Mon),
        ("OF", OF),
        ("P.M.", PMUpperDots),
        ("PM", PMUpper),
        ("Q", Q),
        ("RM", RM),
        ("SSSSS", SSSS),
        ("SSSS", SSSS),
        ("SS", SS),
        ("TZH", TZH),
        ("TZM", TZM),
        ("TZ", TZ),
        ("US", US),
        ("WW", WW),
        ("W", W),
        ("Y,YYY", YCommaYYY),
        ("YYYY", YYYY),
        ("YYY", YYY),
        ("YY", YY),
        ("Y", Y),
        ("a.d.", ADLowerDots),
        ("a.m.", AMLowerDots),
        ("ad", ADLower),
        ("am", AMLower),
        ("b.c.", BCLowerDots),
        ("bc", BCLower),
        ("cc", CC),
        ("day", DayLower),
        ("ddd", DDD),
        ("dd", DD),
        ("dy", DyLower),
        ("d", D),
        ("ff1", FF1),
        ("ff2", FF2),
        ("ff3", FF3),
        ("ff4", FF4),
        ("ff5", FF5),
        ("ff6", FF6),
        ("fx", FX),
        ("hh24", HH24),
        ("hh12", HH12),
        ("hh", HH),
        ("iddd", IDDD),
        ("id", ID),
        ("iw", IW),
        ("iyyy", IYYY),
        ("iyy", IYY),
        ("iy", IY),
        ("i", I),
        ("j", J),
        ("mi", MI),
        ("mm", MM),
        ("month", MonthLower),
        ("mon", MonLower),
        ("ms", MS),
        ("of", OF),
        ("p.m.", PMLowerDots),
        ("pm", PMLower),
        ("q", Q),
        ("rm", RMLower),
        ("sssss", SSSS),
        ("ssss", SSSS),
        ("ss", SS),
        ("tzh", TZH),
        ("tzm", TZM),
        ("tz", TZLower),
        ("us", US),
        ("ww", WW),
        ("w", W),
        ("y,yyy", YCommaYYY),
        ("yyyy", YYYY),
        ("yyy", YYY),
        ("yy", YY),
        ("y", Y),
    ]
};

/// Modifiers attached to a keyword.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Modifiers {
    /// `FM`: fill mode, no padding.
    pub fill_mode: bool,
    /// `TM`: translation mode (the "C" locale's names, unpadded).
    pub translate: bool,
    /// `TH` (upper) or `th` (lower) ordinal suffix.
    pub ordinal: Option<OrdinalCase>,
    /// `SP`: spell mode (accepted and ignored, as in PostgreSQL).
    pub spell: bool,
}

/// Case of an ordinal suffix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrdinalCase {
    /// `ST`, `ND`, `RD`, `TH`.
    Upper,
    /// `st`, `nd`, `rd`, `th`.
    Lower,
}

/// One element of a parsed template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TemplateNode {
    /// A keyword with its modifiers and its spelling in the keyword table (`MON`,
    /// `mon`), which error messages quote.
    Keyword(DateTimeKeyword, Modifiers, &'static str),
    /// A literal character (quoted text, or an unmatched character).
    Literal(char),
    /// An unquoted separator character (punctuation other than letters and digits).
    Separator(char),
    /// An unquoted white-space character.
    Space(char),
}

/// Sets one modifier.
type ApplyModifier = fn(&mut Modifiers);

fn prefix_at(s: &str) -> Option<(usize, ApplyModifier)> {
    const PREFIXES: &[(&str, ApplyModifier)] = &[
        ("FM", |m| m.fill_mode = true),
        ("fm", |m| m.fill_mode = true),
        ("TM", |m| m.translate = true),
        ("tm", |m| m.translate = true),
    ];
    PREFIXES
        .iter()
        .find(|(p, _)| s.starts_with(p))
        .map(|(p, f)| (p.len(), *f))
}

fn postfix_at(s: &str) -> Option<(usize, ApplyModifier)> {
    const POSTFIXES: &[(&str, ApplyModifier)] = &[
        ("TH", |m| m.ordinal = Some(OrdinalCase::Upper)),
        ("th", |m| m.ordinal = Some(OrdinalCase::Lower)),
        ("SP", |m| m.spell = true),
    ];
    POSTFIXES
        .iter()
        .find(|(p, _)| s.starts_with(p))
        .map(|(p, f)| (p.len(), *f))
}

/// Whether PostgreSQL treats `c` as a separator in date/time templates
/// (`is_separator_char`): ASCII punctuation that is not a letter or digit.
pub(crate) fn is_separator_char(c: char) -> bool {
    c > ' ' && c < '\x7f' && !c.is_ascii_alphanumeric()
}

/// Parses a date/time template into nodes.
pub fn parse_datetime_template(template: &str) -> Vec<TemplateNode> {
    parse_template_nodes(template).0
}

/// The first character outside quotes that is neither a keyword, a separator nor white
/// space: the standard (SQL/JSON) mode of templates rejects it.
pub(crate) fn first_unquoted_literal(template: &str) -> Option<char> {
    parse_template_nodes(template).1
}

fn parse_template_nodes(template: &str) -> (Vec<TemplateNode>, Option<char>) {
    let mut unquoted = None;
    let mut nodes = Vec::new();
    let mut rest = template;
    while !rest.is_empty() {
        let mut modifiers = Modifiers::default();
        if let Some((len, apply)) = prefix_at(rest) {
            apply(&mut modifiers);
            rest = &rest[len..];
        }
        if let Some((spelling, keyword)) = KEYWORDS.iter().find(|(k, _)| rest.starts_with(k)) {
            rest = &rest[spelling.len()..];
            if let Some((len, apply)) = postfix_at(rest) {
                apply(&mut modifiers);
                rest = &rest[len..];
            }
            nodes.push(TemplateNode::Keyword(*keyword, modifiers, spelling));
            continue;
        }
        let mut chars = rest.chars();
        let Some(c) = chars.next() else { break };
        if c == '"' {
            rest = chars.as_str();
            let mut quoted = rest.chars();
            loop {
                match quoted.next() {
                    None => break,
                    Some('"') => break,
                    Some('\\') => {
                        let after = quoted.clone();
                        match quoted.next() {
                            Some(next) => nodes.push(TemplateNode::Literal(next)),
                            None => {
                                quoted = after;
                                nodes.push(TemplateNode::Literal('\\'));
                            }
                        }
                    }
                    Some(other) => nodes.push(TemplateNode::Literal(other)),
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
        nodes.push(if is_separator_char(c) {
            TemplateNode::Separator(c)
        } else if c.is_ascii_whitespace() {
            TemplateNode::Space(c)
        } else {
            unquoted.get_or_insert(c);
            TemplateNode::Literal(c)
        });
    }
    (nodes, unquoted)
}

#[cfg(test)]
mod tests {
    use super::DateTimeKeyword as K;
    use super::*;

    #[test]
    fn longest_keyword_and_modifiers() {
        let nodes = parse_datetime_template("FMHH24:miTH");
        assert_eq!(
            nodes,
            vec![
                TemplateNode::Keyword(
                    K::HH24,
                    Modifiers {
                        fill_mode: true,
                        ..Modifiers::default()
                    },
                    "HH24"
                ),
                TemplateNode::Separator(':'),
                TemplateNode::Keyword(
                    K::MI,
                    Modifiers {
                        ordinal: Some(OrdinalCase::Upper),
                        ..Modifiers::default()
                    },
                    "mi"
                ),
            ]
        );
    }

    #[test]
    fn quoted_text_and_escapes() {
        let nodes = parse_datetime_template(r#""Y\"D" \"x"#);
        let expected: Vec<TemplateNode> = vec![
            TemplateNode::Literal('Y'),
            TemplateNode::Literal('"'),
            TemplateNode::Literal('D'),
            TemplateNode::Space(' '),
            TemplateNode::Separator('"'),
            TemplateNode::Literal('x'),
        ];
        assert_eq!(nodes, expected);
    }
}
