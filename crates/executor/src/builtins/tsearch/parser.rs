//! The default text search parser (`pg_ts_parser` 3722, PostgreSQL's `wparser_def.c`):
//! splits text into typed tokens (words, hyphenated words and their parts, numbers,
//! e-mail addresses, URLs, hosts, paths, XML tags and entities, and the blanks between).
//!
//! The recognisers below cover the token shapes of ordinary text; they are written from
//! PostgreSQL's documented token types (docs §12.8.1), not from its state machine.

/// PostgreSQL's token types: id, alias, description (`ts_token_type('default')`).
pub(crate) const TOKEN_TYPES: [(u8, &str, &str); 23] = [
    (1, "asciiword", "Word, all ASCII"),
    (2, "word", "Word, all letters"),
    (3, "numword", "Word, letters and digits"),
    (4, "email", "Email address"),
    (5, "url", "URL"),
    (6, "host", "Host"),
    (7, "sfloat", "Scientific notation"),
    (8, "version", "Version number"),
    (
        9,
        "hword_numpart",
        "Hyphenated word part, letters and digits",
    ),
    (10, "hword_part", "Hyphenated word part, all letters"),
    (11, "hword_asciipart", "Hyphenated word part, all ASCII"),
    (12, "blank", "Space symbols"),
    (13, "tag", "XML tag"),
    (14, "protocol", "Protocol head"),
    (15, "numhword", "Hyphenated word, letters and digits"),
    (16, "asciihword", "Hyphenated word, all ASCII"),
    (17, "hword", "Hyphenated word, all letters"),
    (18, "url_path", "URL path"),
    (19, "file", "File or path name"),
    (20, "float", "Decimal notation"),
    (21, "int", "Signed integer"),
    (22, "uint", "Unsigned integer"),
    (23, "entity", "XML entity"),
];

const ASCIIWORD: u8 = 1;
const WORD: u8 = 2;
const NUMWORD: u8 = 3;
const EMAIL: u8 = 4;
const URL: u8 = 5;
const HOST: u8 = 6;
const SFLOAT: u8 = 7;
const VERSION: u8 = 8;
const HWORD_NUMPART: u8 = 9;
const HWORD_PART: u8 = 10;
const HWORD_ASCIIPART: u8 = 11;
/// Blank (space symbols) token type.
pub(crate) const BLANK: u8 = 12;
const TAG: u8 = 13;
const PROTOCOL: u8 = 14;
const NUMHWORD: u8 = 15;
const ASCIIHWORD: u8 = 16;
const HWORD: u8 = 17;
const URL_PATH: u8 = 18;
const FILE: u8 = 19;
const FLOAT: u8 = 20;
const INT: u8 = 21;
const UINT: u8 = 22;
const ENTITY: u8 = 23;

/// One token: its type and text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub kind: u8,
    pub text: String,
}

fn is_letter(c: char) -> bool {
    c.is_alphabetic()
}

fn is_alnum(c: char) -> bool {
    c.is_alphabetic() || c.is_ascii_digit()
}

struct Scanner<'a> {
    chars: &'a [char],
    tokens: Vec<Token>,
    blank: String,
}

impl Scanner<'_> {
    fn at(&self, i: usize) -> char {
        self.chars.get(i).copied().unwrap_or('\0')
    }

    fn text(&self, from: usize, to: usize) -> String {
        self.chars[from..to].iter().collect()
    }

    fn push(&mut self, kind: u8, text: String) {
        if !self.blank.is_empty() {
            let b = std::mem::take(&mut self.blank);
            self.tokens.push(Token {
                kind: BLANK,
                text: b,
            });
        }
        self.tokens.push(Token { kind, text });
    }

    /// End of a run of word characters from `i`.
    fn word_end(&self, mut i: usize) -> usize {
        while is_alnum(self.at(i)) {
            i += 1;
        }
        i
    }

    /// A host name at `i`: labels of letters, digits, `-`, `_`, at least two, separated
    /// by dots, the last containing a letter. Returns its end.
    fn host_end(&self, i: usize) -> Option<usize> {
        let mut j = i;
        let mut labels = 0;
        let mut end = i;
        let mut last = (i, i);
        loop {
            let start = j;
            while is_alnum(self.at(j)) || self.at(j) == '-' || self.at(j) == '_' {
                j += 1;
            }
            if j == start || !is_alnum(self.at(start)) || !is_alnum(self.at(j - 1)) {
                break;
            }
            labels += 1;
            end = j;
            last = (start, j);
            if self.at(j) == '.' && is_alnum(self.at(j + 1)) {
                j += 1;
                continue;
            }
            break;
        }
        let tld = &self.chars[last.0..last.1];
        let tld_ok = tld.len() >= 2 && tld.iter().all(|c| c.is_ascii_alphabetic());
        (labels >= 2 && tld_ok).then_some(end)
    }

    /// A URL path at `i` (starting with `/`): up to a space or a character that cannot
    /// be in a URL.
    fn path_end(&self, i: usize) -> usize {
        let mut j = i;
        while {
            let c = self.at(j);
            c != '\0' && !c.is_whitespace() && !matches!(c, '<' | '>' | '"' | '\'')
        } {
            j += 1;
        }
        j
    }

    fn url_at(&mut self, i: usize) -> Option<usize> {
        let host_end = self.host_end(i)?;
        let mut j = host_end;
        if self.at(j) == ':' && self.at(j + 1).is_ascii_digit() {
            j += 1;
            while self.at(j).is_ascii_digit() {
                j += 1;
            }
        }
        let path_end = self.path_end(j);
        if self.at(j) == '/' && path_end > j + 1 {
            let host = self.text(i, j);
            self.push(URL, self.text(i, path_end));
            self.push(HOST, host);
            self.push(URL_PATH, self.text(j, path_end));
            return Some(path_end);
        }
        self.push(HOST, self.text(i, j));
        Some(j)
    }

    fn email_at(&mut self, i: usize) -> Option<usize> {
        let mut j = i;
        while is_alnum(self.at(j)) || matches!(self.at(j), '.' | '_' | '-' | '+') {
            j += 1;
        }
        if self.at(j) != '@' || j == i {
            return None;
        }
        let end = self.host_end(j + 1)?;
        self.push(EMAIL, self.text(i, end));
        Some(end)
    }

    /// Numbers at `i` (with an optional sign): int, uint, float, sfloat, version.
    fn number_at(&mut self, i: usize) -> Option<usize> {
        let signed = matches!(self.at(i), '-' | '+');
        let start = if signed { i + 1 } else { i };
        let mut j = start;
        while self.at(j).is_ascii_digit() {
            j += 1;
        }
        let int_digits = j - start;
        let mut dots = 0;
        let mut k = j;
        while self.at(k) == '.' && self.at(k + 1).is_ascii_digit() {
            k += 1;
            while self.at(k).is_ascii_digit() {
                k += 1;
            }
            dots += 1;
        }
        if int_digits == 0 && dots == 0 {
            return None;
        }
        if int_digits == 0 && self.at(start) != '.' {
            return None;
        }
        let mut end = k;
        let mut kind = match dots {
            0 if signed => INT,
            0 => UINT,
            1 => FLOAT,
            _ if signed => return None,
            _ => VERSION,
        };
        if dots <= 1 && matches!(self.at(end), 'e' | 'E') {
            let mut e = end + 1;
            if matches!(self.at(e), '+' | '-') {
                e += 1;
            }
            if self.at(e).is_ascii_digit() {
                while self.at(e).is_ascii_digit() {
                    e += 1;
                }
                end = e;
                kind = SFLOAT;
            }
        }
        if is_letter(self.at(end)) {
            return None;
        }
        self.push(kind, self.text(i, end));
        Some(end)
    }

    fn tag_at(&mut self, i: usize) -> Option<usize> {
        let mut j = i + 1;
        if matches!(self.at(j), '/' | '?' | '!') {
            j += 1;
        }
        if !(self.at(j).is_ascii_alphabetic() || self.at(j) == '_') {
            return None;
        }
        let mut quote: Option<char> = None;
        while j < self.chars.len() {
            let c = self.at(j);
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if c == '"' || c == '\'' => quote = Some(c),
                None if c == '>' => {
                    self.push(TAG, self.text(i, j + 1));
                    return Some(j + 1);
                }
                None if c == '<' => return None,
                None => {}
            }
            j += 1;
        }
        None
    }

    fn entity_at(&mut self, i: usize) -> Option<usize> {
        let mut j = i + 1;
        if self.at(j) == '#' {
            j += 1;
            let hex = matches!(self.at(j), 'x' | 'X');
            if hex {
                j += 1;
            }
            let start = j;
            while if hex {
                self.at(j).is_ascii_hexdigit()
            } else {
                self.at(j).is_ascii_digit()
            } {
                j += 1;
            }
            if j == start {
                return None;
            }
        } else {
            if !self.at(j).is_ascii_alphabetic() {
                return None;
            }
            while self.at(j).is_ascii_alphanumeric() {
                j += 1;
            }
        }
        if self.at(j) != ';' {
            return None;
        }
        self.push(ENTITY, self.text(i, j + 1));
        Some(j + 1)
    }

    fn file_at(&mut self, i: usize) -> Option<usize> {
        // `/usr/bin`, `a/b.txt`: a slash-separated path.
        let mut j = i;
        let mut slashes = 0;
        while is_alnum(self.at(j)) || matches!(self.at(j), '/' | '.' | '_' | '-' | '~') {
            if self.at(j) == '/' {
                slashes += 1;
            }
            j += 1;
        }
        while j > i && matches!(self.at(j - 1), '.' | '-') {
            j -= 1;
        }
        if slashes == 0 || j - i < 2 {
            return None;
        }
        self.push(FILE, self.text(i, j));
        Some(j)
    }

    /// `gist.h`, `rewt/ewr`: a name with a dot or slash inside that is not a host.
    fn dotted_file_at(&mut self, i: usize) -> Option<usize> {
        let mut j = i;
        while is_alnum(self.at(j)) || matches!(self.at(j), '/' | '.' | '_') {
            j += 1;
        }
        while j > i && matches!(self.at(j - 1), '.' | '/') {
            j -= 1;
        }
        let inner = &self.chars[i..j];
        if !inner.iter().any(|c| matches!(c, '.' | '/')) {
            return None;
        }
        self.push(FILE, self.text(i, j));
        Some(j)
    }

    /// A word, or a hyphenated word followed by its parts.
    fn word_at(&mut self, i: usize) -> usize {
        let mut parts: Vec<(usize, usize)> = vec![(i, self.word_end(i))];
        loop {
            let end = parts.last().expect("one part").1;
            if self.at(end) == '-' && is_letter(self.at(end + 1)) {
                parts.push((end + 1, self.word_end(end + 1)));
            } else {
                break;
            }
        }
        let class = |s: &[char]| -> (bool, bool) {
            (
                s.iter().all(|c| c.is_ascii()),
                s.iter().any(|c| c.is_ascii_digit()),
            )
        };
        let end = parts.last().expect("one part").1;
        if parts.len() == 1 {
            let (ascii, digits) = class(&self.chars[i..end]);
            let kind = if digits {
                NUMWORD
            } else if ascii {
                ASCIIWORD
            } else {
                WORD
            };
            self.push(kind, self.text(i, end));
            return end;
        }
        let (ascii, digits) = class(&self.chars[i..end]);
        let kind = if digits {
            NUMHWORD
        } else if ascii {
            ASCIIHWORD
        } else {
            HWORD
        };
        self.push(kind, self.text(i, end));
        for (n, (s, e)) in parts.iter().enumerate() {
            if n > 0 {
                self.push(BLANK, "-".to_string());
            }
            let (ascii, digits) = class(&self.chars[*s..*e]);
            let kind = if digits {
                HWORD_NUMPART
            } else if ascii {
                HWORD_ASCIIPART
            } else {
                HWORD_PART
            };
            self.push(kind, self.text(*s, *e));
        }
        end
    }
}

/// Splits `text` into tokens.
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut s = Scanner {
        chars: &chars,
        tokens: Vec::new(),
        blank: String::new(),
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = if c == '<' {
            s.tag_at(i)
        } else if c == '&' {
            s.entity_at(i)
        } else if c == '/' {
            s.file_at(i)
        } else if matches!(c, '-' | '+') && (s.at(i + 1).is_ascii_digit()) {
            s.number_at(i)
        } else if is_alnum(c) {
            let proto_end = {
                let mut j = i;
                while s.at(j).is_ascii_alphabetic() {
                    j += 1;
                }
                (j > i && s.at(j) == ':' && s.at(j + 1) == '/' && s.at(j + 2) == '/')
                    .then_some(j + 3)
            };
            if let Some(pe) = proto_end {
                s.push(PROTOCOL, s.text(i, pe));
                Some(s.url_at(pe).unwrap_or(pe))
            } else {
                s.email_at(i)
                    .or_else(|| s.url_at(i))
                    .or_else(|| s.number_at(i))
                    .or_else(|| s.dotted_file_at(i))
                    .or_else(|| Some(s.word_at(i)))
            }
        } else {
            None
        };
        match next {
            Some(n) => i = n,
            None => {
                // A `<` that starts no tag starts a blank of its own.
                if c == '<' && !s.blank.is_empty() {
                    let b = std::mem::take(&mut s.blank);
                    s.tokens.push(Token {
                        kind: BLANK,
                        text: b,
                    });
                }
                s.blank.push(c);
                i += 1;
            }
        }
    }
    if !s.blank.is_empty() {
        let b = std::mem::take(&mut s.blank);
        s.tokens.push(Token {
            kind: BLANK,
            text: b,
        });
    }
    s.tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(u8, String)> {
        tokenize(text)
            .into_iter()
            .filter(|t| t.kind != BLANK)
            .map(|t| (t.kind, t.text))
            .collect()
    }

    #[test]
    fn words_numbers_and_addresses() {
        assert_eq!(
            kinds("The foxes 123 4.5 -7 1.2.3"),
            vec![
                (ASCIIWORD, "The".into()),
                (ASCIIWORD, "foxes".into()),
                (UINT, "123".into()),
                (FLOAT, "4.5".into()),
                (INT, "-7".into()),
                (VERSION, "1.2.3".into()),
            ]
        );
        assert_eq!(
            kinds("ab-cd foo@bar.com"),
            vec![
                (ASCIIHWORD, "ab-cd".into()),
                (HWORD_ASCIIPART, "ab".into()),
                (HWORD_ASCIIPART, "cd".into()),
                (EMAIL, "foo@bar.com".into()),
            ]
        );
        assert_eq!(
            kinds("http://www.x.org/a/b.html"),
            vec![
                (PROTOCOL, "http://".into()),
                (URL, "www.x.org/a/b.html".into()),
                (HOST, "www.x.org".into()),
                (URL_PATH, "/a/b.html".into()),
            ]
        );
    }
}
