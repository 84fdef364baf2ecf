//! The lexeme reader shared by `tsvector` input and `tsquery` operands (PostgreSQL's
//! `gettoken_tsvector`): bare words ending at a space (or, in a query, at an operator or
//! `:`), quoted words `'...'` with `''` for a quote, `\` escaping any character, and in a
//! `tsvector` a position list `:1A,2,3B` after the word.

use super::is_space;
use super::tsvector::{with_weight, MAX_ENTRY_POS};
use crate::{pg_err, Result};

/// Characters that end a bare word in a query (`ISOPERATOR`).
pub(crate) fn is_operator(c: char) -> bool {
    matches!(c, '!' | '&' | '|' | '(' | ')' | '<')
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    WaitWord,
    WaitEndWord,
    WaitNextChar,
    WaitEndComplex,
    WaitCharComplex,
    WaitPosInfo,
    InPosInfo,
    WaitPosDelim,
}

/// Reads lexemes from `chars`, starting at `pos`.
pub(crate) struct Lexer<'a> {
    pub chars: &'a [char],
    pub pos: usize,
    /// The whole input, for error messages.
    input: &'a str,
    is_tsquery: bool,
}

impl<'a> Lexer<'a> {
    pub fn new(chars: &'a [char], input: &'a str, is_tsquery: bool) -> Lexer<'a> {
        Lexer {
            chars,
            pos: 0,
            input,
            is_tsquery,
        }
    }

    fn at(&self, i: usize) -> char {
        self.chars.get(i).copied().unwrap_or('\0')
    }

    pub fn syntax_error(&self) -> crate::Error {
        if self.is_tsquery {
            pg_err!(SYNTAX_ERROR, "syntax error in tsquery: \"{}\"", self.input)
        } else {
            pg_err!(SYNTAX_ERROR, "syntax error in tsvector: \"{}\"", self.input)
        }
    }

    /// The next word and its positions (weight in the top two bits), or `None` at the
    /// end of the input.
    pub fn next_token(&mut self) -> Result<Option<(String, Vec<u16>)>> {
        let mut state = State::WaitWord;
        let mut old_state = State::WaitWord;
        let mut word = String::new();
        let mut positions: Vec<u16> = Vec::new();
        // The query reader stops words at operators and `:`; a vector reads positions.
        let opr_is_delim = self.is_tsquery;
        loop {
            let c = self.at(self.pos);
            let at_end = self.pos >= self.chars.len();
            match state {
                State::WaitWord => {
                    if at_end {
                        return Ok(None);
                    } else if c == '\'' {
                        state = State::WaitEndComplex;
                    } else if c == '\\' {
                        state = State::WaitNextChar;
                        old_state = State::WaitEndWord;
                    } else if opr_is_delim && is_operator(c) {
                        return Err(self.syntax_error());
                    } else if !is_space(c) {
                        word.push(c);
                        state = State::WaitEndWord;
                    }
                }
                State::WaitNextChar => {
                    if at_end {
                        return Err(pg_err!(
                            SYNTAX_ERROR,
                            "there is no escaped character: \"{}\"",
                            self.input
                        ));
                    }
                    word.push(c);
                    state = old_state;
                }
                State::WaitEndWord => {
                    if c == '\\' && !at_end {
                        state = State::WaitNextChar;
                        old_state = State::WaitEndWord;
                    } else if at_end || is_space(c) || (opr_is_delim && is_operator(c)) {
                        if word.is_empty() {
                            return Err(self.syntax_error());
                        }
                        return Ok(Some((word, positions)));
                    } else if c == ':' {
                        if word.is_empty() {
                            return Err(self.syntax_error());
                        }
                        if opr_is_delim {
                            return Ok(Some((word, positions)));
                        }
                        state = State::InPosInfo;
                    } else {
                        word.push(c);
                    }
                }
                State::WaitEndComplex => {
                    if c == '\'' && !at_end {
                        state = State::WaitCharComplex;
                    } else if c == '\\' && !at_end {
                        state = State::WaitNextChar;
                        old_state = State::WaitEndComplex;
                    } else if at_end {
                        return Err(self.syntax_error());
                    } else {
                        word.push(c);
                    }
                }
                State::WaitCharComplex => {
                    if c == '\'' && !at_end {
                        word.push('\'');
                        state = State::WaitEndComplex;
                    } else {
                        if word.is_empty() {
                            return Err(self.syntax_error());
                        }
                        if opr_is_delim {
                            return Ok(Some((word, positions)));
                        }
                        state = State::WaitPosInfo;
                        continue; // re-check this character
                    }
                }
                State::WaitPosInfo => {
                    if c == ':' && !at_end {
                        state = State::InPosInfo;
                    } else {
                        return Ok(Some((word, positions)));
                    }
                }
                State::InPosInfo => {
                    if c.is_ascii_digit() {
                        let mut end = self.pos;
                        let mut value: u64 = 0;
                        while self.at(end).is_ascii_digit() {
                            value = (value * 10 + self.at(end) as u64 - '0' as u64).min(1 << 40);
                            end += 1;
                        }
                        let p = value.min(MAX_ENTRY_POS as u64 - 1) as u16;
                        if p == 0 {
                            return Err(pg_err!(
                                SYNTAX_ERROR,
                                "wrong position info in tsvector: \"{}\"",
                                self.input
                            ));
                        }
                        positions.push(p);
                        state = State::WaitPosDelim;
                    } else {
                        return Err(self.syntax_error());
                    }
                }
                State::WaitPosDelim => {
                    let last = positions.last_mut().expect("a position was read");
                    let weight = match c {
                        'a' | 'A' | '*' => Some(3),
                        'b' | 'B' => Some(2),
                        'c' | 'C' => Some(1),
                        'd' | 'D' => Some(0),
                        _ => None,
                    };
                    if at_end || is_space(c) {
                        return Ok(Some((word, positions)));
                    } else if c == ',' {
                        state = State::InPosInfo;
                    } else if let Some(w) = weight {
                        if *last >> 14 != 0 {
                            return Err(self.syntax_error());
                        }
                        *last = with_weight(*last, w);
                    } else if !c.is_ascii_digit() {
                        return Err(self.syntax_error());
                    }
                }
            }
            self.pos += 1;
        }
    }
}
