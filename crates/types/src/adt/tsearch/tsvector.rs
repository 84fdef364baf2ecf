//! `tsvector`: lexemes in byte order, each once, with up to 256 positions (1..16383) in
//! ascending order, each with a weight A-D (PostgreSQL's `tsvector.c`).
//!
//! A position is PostgreSQL's `WordEntryPos`: the weight in the top two bits (A = 3,
//! D = 0) and the position in the low 14.

use std::cmp::Ordering;

use super::lexer::Lexer;
use super::quote_lexeme;
use crate::{pg_err, Result};

/// Positions are below this (`MAXENTRYPOS`); larger ones become 16383.
pub const MAX_ENTRY_POS: u16 = 1 << 14;
/// At most this many positions per lexeme (`MAXNUMPOS`).
pub const MAX_NUM_POS: usize = 256;
/// A lexeme is shorter than this many bytes (`MAXSTRLEN`).
pub const MAX_STR_LEN: usize = (1 << 11) - 1;
/// The lexemes' bytes together stay below this (`MAXSTRPOS`).
const MAX_STR_POS: usize = (1 << 20) - 1;

/// The position part of a `WordEntryPos`.
pub fn pos_of(p: u16) -> u16 {
    p & 0x3fff
}

/// The weight part of a `WordEntryPos` (A = 3 .. D = 0).
pub fn weight_of(p: u16) -> u8 {
    (p >> 14) as u8
}

/// `p` with weight `w`.
pub fn with_weight(p: u16, w: u8) -> u16 {
    (p & 0x3fff) | ((w as u16 & 3) << 14)
}

/// One lexeme and its positions (empty for a lexeme without positions).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lexeme {
    /// The lexeme's text.
    pub word: String,
    /// Positions with weights, ascending by position.
    pub positions: Vec<u16>,
}

/// A `tsvector` value: lexemes sorted by their bytes, no duplicates.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct TsVector {
    /// The lexemes.
    pub lexemes: Vec<Lexeme>,
}

/// Sorts positions, keeping one per position number with the highest weight, at most
/// [`MAX_NUM_POS`] of them (`uniquePos`).
pub fn unique_positions(positions: &mut Vec<u16>) {
    if positions.len() <= 1 {
        return;
    }
    positions.sort_by_key(|p| pos_of(*p));
    let mut out: Vec<u16> = Vec::with_capacity(positions.len());
    for &p in positions.iter() {
        match out.last_mut() {
            Some(last) if pos_of(*last) == pos_of(p) => {
                if weight_of(p) > weight_of(*last) {
                    *last = with_weight(*last, weight_of(p));
                }
            }
            _ => {
                if out.len() >= MAX_NUM_POS {
                    break;
                }
                out.push(p)
            }
        }
    }
    *positions = out;
}

/// The `word is too long` error of `tsvectorin` (54000).
pub fn word_too_long(len: usize) -> crate::Error {
    pg_err!(
        PROGRAM_LIMIT_EXCEEDED,
        "word is too long ({} bytes, max {} bytes)",
        len,
        MAX_STR_LEN - 1
    )
}

impl TsVector {
    /// Builds a vector from lexemes in any order, merging duplicates (`uniqueentry`).
    pub fn from_lexemes(mut lexemes: Vec<Lexeme>) -> TsVector {
        lexemes.sort_by(|a, b| a.word.as_bytes().cmp(b.word.as_bytes()));
        let mut out: Vec<Lexeme> = Vec::with_capacity(lexemes.len());
        for lexeme in lexemes {
            match out.last_mut() {
                Some(last) if last.word == lexeme.word => {
                    last.positions.extend(lexeme.positions);
                }
                _ => out.push(lexeme),
            }
        }
        for l in &mut out {
            unique_positions(&mut l.positions);
        }
        TsVector { lexemes: out }
    }

    /// `tsvectorin`.
    ///
    /// Errors: 42601 `syntax error in tsvector`, `wrong position info in tsvector`,
    /// `there is no escaped character`; 54000 for too long words or vectors.
    pub fn parse(text: &str) -> Result<TsVector> {
        let chars: Vec<char> = text.chars().collect();
        let mut lexer = Lexer::new(&chars, text, false);
        let mut lexemes = Vec::new();
        let mut total = 0usize;
        while let Some((word, positions)) = lexer.next_token()? {
            if word.len() >= MAX_STR_LEN {
                return Err(word_too_long(word.len()));
            }
            total += word.len();
            if total > MAX_STR_POS {
                return Err(pg_err!(
                    PROGRAM_LIMIT_EXCEEDED,
                    "string is too long for tsvector ({} bytes, max {} bytes)",
                    total,
                    MAX_STR_POS
                ));
            }
            lexemes.push(Lexeme { word, positions });
        }
        Ok(TsVector::from_lexemes(lexemes))
    }

    /// `tsvectorout`: `'a':1A,2 'b'`.
    pub fn output(&self) -> String {
        let mut out = String::new();
        for (i, l) in self.lexemes.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            quote_lexeme(&l.word, &mut out);
            for (j, p) in l.positions.iter().enumerate() {
                out.push(if j == 0 { ':' } else { ',' });
                out.push_str(&pos_of(*p).to_string());
                match weight_of(*p) {
                    3 => out.push('A'),
                    2 => out.push('B'),
                    1 => out.push('C'),
                    _ => {}
                }
            }
        }
        out
    }

    /// Index of `word` (`Ok`) or where it would go (`Err`).
    pub fn find(&self, word: &str) -> std::result::Result<usize, usize> {
        self.lexemes
            .binary_search_by(|l| l.word.as_bytes().cmp(word.as_bytes()))
    }

    /// PostgreSQL's on-disk size of the value (`VARSIZE`), which its order compares first.
    fn varsize(&self) -> usize {
        let mut len = 0usize;
        for l in &self.lexemes {
            len += l.word.len();
            if !l.positions.is_empty() {
                len = (len + 1) & !1;
                len += 2 + 2 * l.positions.len();
            }
        }
        8 + 4 * self.lexemes.len() + len
    }

    /// `tsvectorsend`: count, then each lexeme NUL-terminated with its position count and
    /// positions (all big-endian).
    pub fn send(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&(self.lexemes.len() as i32).to_be_bytes());
        for l in &self.lexemes {
            out.extend_from_slice(l.word.as_bytes());
            out.push(0);
            out.extend_from_slice(&(l.positions.len() as u16).to_be_bytes());
            for p in &l.positions {
                out.extend_from_slice(&p.to_be_bytes());
            }
        }
    }

    /// `tsvectorrecv`.
    ///
    /// Errors: 22P03 for malformed data (lexemes out of order, positions not ascending).
    pub fn recv(bytes: &[u8]) -> Result<TsVector> {
        let bad = |m: &str| pg_err!(INVALID_BINARY_REPRESENTATION, "{}", m);
        let mut rest = bytes;
        let mut take = |n: usize| -> Result<&[u8]> {
            if rest.len() < n {
                return Err(bad("insufficient data left in message"));
            }
            let (a, b) = rest.split_at(n);
            rest = b;
            Ok(a)
        };
        let count = i32::from_be_bytes(take(4)?.try_into().expect("4 bytes"));
        if count < 0 || count as usize > bytes.len() {
            return Err(bad("invalid size of tsvector"));
        }
        let mut lexemes: Vec<Lexeme> = Vec::with_capacity(count as usize);
        for _ in 0..count {
            let mut word = Vec::new();
            loop {
                let b = take(1)?[0];
                if b == 0 {
                    break;
                }
                word.push(b);
            }
            let word = String::from_utf8(word)
                .map_err(|_| bad("invalid byte sequence for encoding \"UTF8\""))?;
            if word.len() > MAX_STR_LEN {
                return Err(bad("invalid tsvector: lexeme too long"));
            }
            let npos = u16::from_be_bytes(take(2)?.try_into().expect("2 bytes")) as usize;
            if npos > MAX_NUM_POS {
                return Err(bad("unexpected number of tsvector positions"));
            }
            let mut positions = Vec::with_capacity(npos);
            for _ in 0..npos {
                let p = u16::from_be_bytes(take(2)?.try_into().expect("2 bytes"));
                if let Some(last) = positions.last() {
                    if pos_of(p) <= pos_of(*last) {
                        return Err(bad("position information is misordered"));
                    }
                }
                positions.push(p);
            }
            if let Some(last) = lexemes.last() {
                if last.word.as_bytes() >= word.as_bytes() {
                    return Err(bad("lexemes are misordered"));
                }
            }
            lexemes.push(Lexeme { word, positions });
        }
        Ok(TsVector { lexemes })
    }
}

/// `tsvector_cmp`: by size, then lexeme count, then lexeme by lexeme (those with
/// positions first, then the text, then the positions).
pub fn tsvector_cmp(a: &TsVector, b: &TsVector) -> Ordering {
    let sizes = a.varsize().cmp(&b.varsize());
    if sizes != Ordering::Equal {
        return sizes;
    }
    let counts = a.lexemes.len().cmp(&b.lexemes.len());
    if counts != Ordering::Equal {
        return counts;
    }
    for (x, y) in a.lexemes.iter().zip(&b.lexemes) {
        let (xp, yp) = (!x.positions.is_empty(), !y.positions.is_empty());
        if xp != yp {
            return if xp {
                Ordering::Less
            } else {
                Ordering::Greater
            };
        }
        let words = x.word.as_bytes().cmp(y.word.as_bytes());
        if words != Ordering::Equal {
            return words;
        }
        if xp {
            if x.positions.len() != y.positions.len() {
                return y.positions.len().cmp(&x.positions.len());
            }
            for (p, q) in x.positions.iter().zip(&y.positions) {
                if pos_of(*p) != pos_of(*q) {
                    return pos_of(*q).cmp(&pos_of(*p));
                }
                if weight_of(*p) != weight_of(*q) {
                    return weight_of(*q).cmp(&weight_of(*p));
                }
            }
        }
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round(s: &str) -> String {
        TsVector::parse(s).expect("parses").output()
    }

    #[test]
    fn input_sorts_merges_and_quotes_like_postgres() {
        assert_eq!(round("1 2"), "'1' '2'");
        assert_eq!(round("'1 \\'2' ' 3' 4 "), "' 3' '1 ''2' '4'");
        assert_eq!(round("a:3,1,3A,2b"), "'a':1,2B,3A");
        assert_eq!(round("a:1 a b:2 a:1A"), "'a':1A 'b':2");
        assert_eq!(round("a :1"), "':1' 'a'");
        assert_eq!(round("a:20000"), "'a':16383");
        assert_eq!(round("a:1*,2"), "'a':1A,2");
        assert_eq!(
            round(r"'\\as' ab\c ab\\c AB\\\c ab\\\\c"),
            r"'AB\\c' '\\as' 'ab\\\\c' 'ab\\c' 'abc'"
        );
    }

    #[test]
    fn malformed_input_is_a_syntax_error() {
        for bad in ["a:b", "a:1:2", "a:1,", "'a", "a:1A,2Bc", "'' '1'"] {
            let e = TsVector::parse(bad).expect_err(bad);
            assert_eq!(e.message, format!("syntax error in tsvector: \"{bad}\""));
        }
        assert!(TsVector::parse("a:0").is_err());
    }

    #[test]
    fn binary_form_round_trips() {
        let v = TsVector::parse("a:1A,2 b c:3C").expect("parses");
        let mut buf = Vec::new();
        v.send(&mut buf);
        assert_eq!(TsVector::recv(&buf).expect("recv"), v);
    }
}
