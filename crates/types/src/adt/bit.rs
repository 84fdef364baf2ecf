//! `bit(n)` and `bit varying(n)` (PostgreSQL docs §8.10, §9.6): strings of bits.
//!
//! A value in memory is a [`BitString`]: its length in bits and its bytes, most
//! significant bit first, the unused low bits of the last byte zero. As a `Datum` it is
//! `Datum::Bytea` holding [`BitString::to_key`], an encoding whose bytewise order is
//! PostgreSQL's `bitcmp` order (bit by bit, a prefix before its extensions), so sorting,
//! DISTINCT and B-tree keys need no type-specific comparison:
//!
//! ```text
//! every full group of 7 bits:  [b6 b5 b4 b3 b2 b1 b0 1]
//! the last 0..=6 bits:          [bits, zero-padded  0] [count]
//! ```
//!
//! A group marked 1 sorts after the last group of any string that ends there (marked 0);
//! two last groups with equal padded bits differ only in count, the shorter a prefix of
//! the longer.
//!
//! Entry points: [`BitString::parse`], [`BitString::output`], [`BitString::to_key`],
//! [`BitString::from_key`], the length coercions [`BitString::coerce_bit`] and
//! [`BitString::coerce_varbit`], and the operators used by the executor's
//! `builtins/bit.rs`.

use crate::{pg_err, Error, Result};

/// PostgreSQL's `VARBITMAXLEN`: the longest bit string.
pub const MAX_BITS: usize = 0x3fff_fff8;

/// A bit string: `len` bits in `bytes` (MSB first, padding bits zero).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BitString {
    len: usize,
    bytes: Vec<u8>,
}

impl BitString {
    /// `len` zero bits.
    pub fn zeros(len: usize) -> BitString {
        BitString {
            len,
            bytes: vec![0; len.div_ceil(8)],
        }
    }

    /// A bit string from bytes and a bit count; the padding bits are cleared.
    pub fn from_bytes(len: usize, mut bytes: Vec<u8>) -> BitString {
        bytes.resize(len.div_ceil(8), 0);
        let mut b = BitString { len, bytes };
        b.clear_padding();
        b
    }

    fn clear_padding(&mut self) {
        let rem = self.len % 8;
        if rem != 0 {
            if let Some(last) = self.bytes.last_mut() {
                *last &= 0xffu8 << (8 - rem);
            }
        }
    }

    /// Length in bits.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True for the empty bit string.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The bytes, MSB first, padding bits zero.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Bit `i` (0 is the leftmost).
    pub fn get(&self, i: usize) -> bool {
        self.bytes[i / 8] & (0x80 >> (i % 8)) != 0
    }

    /// Sets bit `i` (0 is the leftmost).
    pub fn set(&mut self, i: usize, on: bool) {
        let mask = 0x80u8 >> (i % 8);
        if on {
            self.bytes[i / 8] |= mask;
        } else {
            self.bytes[i / 8] &= !mask;
        }
    }

    fn push(&mut self, on: bool) {
        if self.len.is_multiple_of(8) {
            self.bytes.push(0);
        }
        self.len += 1;
        if on {
            self.set(self.len - 1, true);
        }
    }

    /// `bit_in` / `varbit_in` without a typmod: `0`/`1` digits, or a `b` prefix and
    /// binary digits, or an `x` prefix and hexadecimal digits (4 bits each).
    ///
    /// Errors: 22P02 `"c" is not a valid binary digit` / `... hexadecimal digit`; 54000
    /// when longer than the maximum.
    pub fn parse(text: &str) -> Result<BitString> {
        let (hex, digits) = match text.as_bytes().first() {
            Some(b'b' | b'B') => (false, &text[1..]),
            Some(b'x' | b'X') => (true, &text[1..]),
            _ => (false, text),
        };
        let bits = if hex {
            digits.len().saturating_mul(4)
        } else {
            digits.len()
        };
        if bits > MAX_BITS {
            return Err(pg_err!(
                PROGRAM_LIMIT_EXCEEDED,
                "bit string length exceeds the maximum allowed ({})",
                MAX_BITS
            ));
        }
        let mut out = BitString {
            len: 0,
            bytes: Vec::with_capacity(bits.div_ceil(8)),
        };
        for c in digits.chars() {
            if hex {
                let v = c.to_digit(16).ok_or_else(|| {
                    pg_err!(
                        INVALID_TEXT_REPRESENTATION,
                        "\"{}\" is not a valid hexadecimal digit",
                        c
                    )
                })?;
                for shift in (0..4).rev() {
                    out.push(v >> shift & 1 == 1);
                }
            } else {
                match c {
                    '0' => out.push(false),
                    '1' => out.push(true),
                    _ => {
                        return Err(pg_err!(
                            INVALID_TEXT_REPRESENTATION,
                            "\"{}\" is not a valid binary digit",
                            c
                        ))
                    }
                }
            }
        }
        Ok(out)
    }

    /// `bit_out` / `varbit_out`: one `0` or `1` per bit.
    pub fn output(&self) -> String {
        (0..self.len)
            .map(|i| if self.get(i) { '1' } else { '0' })
            .collect()
    }

    /// The order-preserving `Datum` encoding (see the module header).
    pub fn to_key(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.len / 7 + 3);
        let full = self.len / 7;
        for g in 0..full {
            let mut byte = 0u8;
            for k in 0..7 {
                byte = byte << 1 | u8::from(self.get(g * 7 + k));
            }
            out.push(byte << 1 | 1);
        }
        let rest = self.len % 7;
        let mut byte = 0u8;
        for k in 0..7 {
            byte = byte << 1 | u8::from(k < rest && self.get(full * 7 + k));
        }
        out.push(byte << 1);
        out.push(rest as u8);
        out
    }

    /// Decodes [`BitString::to_key`]; `None` if `key` is not such an encoding.
    pub fn from_key(key: &[u8]) -> Option<BitString> {
        let (&count, body) = key.split_last()?;
        let (&last, groups) = body.split_last()?;
        if last & 1 != 0 || count > 6 || groups.iter().any(|b| b & 1 == 0) {
            return None;
        }
        let mut out = BitString {
            len: 0,
            bytes: Vec::with_capacity((groups.len() * 7 + 6) / 8 + 1),
        };
        for g in groups {
            for k in (1..8).rev() {
                out.push(g >> k & 1 == 1);
            }
        }
        for k in 0..count {
            out.push(last >> (7 - k) & 1 == 1);
        }
        Some(out)
    }

    /// `bit(bit, int4, bool)`: the length coercion to `bit(n)`. An explicit cast pads
    /// with zeros or truncates; otherwise the length must match.
    ///
    /// Errors: 22026 `bit string length 3 does not match type bit(4)`.
    pub fn coerce_bit(self, n: usize, explicit: bool) -> Result<BitString> {
        if n == 0 || n > MAX_BITS || n == self.len {
            return Ok(self);
        }
        if !explicit {
            return Err(pg_err!(
                STRING_DATA_LENGTH_MISMATCH,
                "bit string length {} does not match type bit({})",
                self.len,
                n
            ));
        }
        Ok(self.resized(n))
    }

    /// `varbit(varbit, int4, bool)`: the length coercion to `bit varying(n)`. An
    /// explicit cast truncates; otherwise a longer string is an error.
    ///
    /// Errors: 22001 `bit string too long for type bit varying(3)`.
    pub fn coerce_varbit(self, n: usize, explicit: bool) -> Result<BitString> {
        if n == 0 || n >= self.len {
            return Ok(self);
        }
        if !explicit {
            return Err(pg_err!(
                STRING_DATA_RIGHT_TRUNCATION,
                "bit string too long for type bit varying({})",
                n
            ));
        }
        Ok(self.resized(n))
    }

    /// The first `n` bits, zero-padded on the right when `n` is longer.
    fn resized(&self, n: usize) -> BitString {
        let mut bytes = self.bytes.clone();
        bytes.truncate(n.div_ceil(8));
        BitString::from_bytes(n, bytes)
    }

    /// `||`.
    pub fn concat(&self, other: &BitString) -> BitString {
        let mut out = self.clone();
        for i in 0..other.len {
            out.push(other.get(i));
        }
        out
    }

    /// `&`, `|`, `#` (`op_name` is `AND`, `OR`, `XOR`).
    ///
    /// Errors: 22026 `cannot AND bit strings of different sizes`.
    pub fn combine(
        &self,
        other: &BitString,
        op_name: &str,
        f: fn(u8, u8) -> u8,
    ) -> Result<BitString> {
        if self.len != other.len {
            return Err(pg_err!(
                STRING_DATA_LENGTH_MISMATCH,
                "cannot {} bit strings of different sizes",
                op_name
            ));
        }
        let bytes = self
            .bytes
            .iter()
            .zip(&other.bytes)
            .map(|(a, b)| f(*a, *b))
            .collect();
        Ok(BitString::from_bytes(self.len, bytes))
    }

    /// `~`.
    pub fn not(&self) -> BitString {
        BitString::from_bytes(self.len, self.bytes.iter().map(|b| !b).collect())
    }

    /// `<<` (a negative count shifts right); the length stays, zeros come in.
    pub fn shift_left(&self, count: i32) -> BitString {
        let mut out = BitString::zeros(self.len);
        let shift = i64::from(count);
        for i in 0..self.len {
            let source = i as i64 + shift;
            if source >= 0 && (source as usize) < self.len && self.get(source as usize) {
                out.set(i, true);
            }
        }
        out
    }

    /// `bitposition`: 1-based position of `needle`, 0 if absent; an empty needle is at
    /// 1 of a non-empty string.
    pub fn position(&self, needle: &BitString) -> i32 {
        if self.len == 0 || needle.len > self.len {
            return 0;
        }
        if needle.len == 0 {
            return 1;
        }
        (0..=self.len - needle.len)
            .find(|&start| (0..needle.len).all(|k| self.get(start + k) == needle.get(k)))
            .map_or(0, |p| p as i32 + 1)
    }

    /// `bitsubstr`: bits `start ..` (1-based) for `length` bits (`None`: to the end).
    ///
    /// Errors: 22011 `negative substring length not allowed`.
    pub fn substring(&self, start: i32, length: Option<i32>) -> Result<BitString> {
        let begin = i64::from(start).max(1);
        let end = match length {
            Some(l) if l < 0 => {
                return Err(pg_err!(
                    SUBSTRING_ERROR,
                    "negative substring length not allowed"
                ))
            }
            Some(l) => i64::from(start) + i64::from(l),
            None => self.len as i64 + 1,
        }
        .min(self.len as i64 + 1);
        let mut out = BitString::zeros(0);
        let mut i = begin;
        while i < end {
            out.push(self.get(i as usize - 1));
            i += 1;
        }
        Ok(out)
    }

    /// `bitoverlay`: `self` with `length` bits from `start` replaced by `with`.
    ///
    /// Errors: 22011 `negative substring length not allowed`; 22003 `integer out of
    /// range`.
    pub fn overlay(&self, with: &BitString, start: i32, length: i32) -> Result<BitString> {
        if start <= 0 {
            return Err(pg_err!(
                SUBSTRING_ERROR,
                "negative substring length not allowed"
            ));
        }
        let after = start
            .checked_add(length)
            .ok_or_else(|| pg_err!(NUMERIC_VALUE_OUT_OF_RANGE, "integer out of range"))?;
        let head = self.substring(1, Some(start - 1))?;
        let tail = self.substring(after, None)?;
        Ok(head.concat(with).concat(&tail))
    }

    /// `bit_count`: the number of 1 bits.
    pub fn count_ones(&self) -> i64 {
        self.bytes.iter().map(|b| i64::from(b.count_ones())).sum()
    }

    /// Checks a 0-based bit number for `get_bit`/`set_bit`.
    ///
    /// Errors: 2202E `bit index 8 out of valid range (0..7)`.
    pub fn check_index(&self, n: i32) -> Result<usize> {
        if n < 0 || n as usize >= self.len {
            return Err(pg_err!(
                ARRAY_SUBSCRIPT_ERROR,
                "bit index {} out of valid range (0..{})",
                n,
                self.len as i64 - 1
            ));
        }
        Ok(n as usize)
    }

    /// `bitfromint8` / `bitfromint4`: the low `n` bits of `value` (sign-extended when `n`
    /// is wider than the integer).
    pub fn from_int(value: i64, width: usize, n: usize) -> BitString {
        let mut out = BitString::zeros(n);
        for i in 0..n {
            // Bit i from the left is bit n-1-i of the value.
            let from_right = n - 1 - i;
            let on = if from_right >= width {
                value < 0
            } else {
                value >> from_right & 1 == 1
            };
            out.set(i, on);
        }
        out
    }

    /// `bittoint8` / `bittoint4`: the rightmost bits as an integer of `width` bits.
    ///
    /// Errors: 22003 `integer out of range` / `bigint out of range`.
    pub fn to_int(&self, width: usize) -> Result<i64> {
        if self.len > width {
            return Err(if width == 32 {
                pg_err!(NUMERIC_VALUE_OUT_OF_RANGE, "integer out of range")
            } else {
                pg_err!(NUMERIC_VALUE_OUT_OF_RANGE, "bigint out of range")
            });
        }
        let mut v: u64 = 0;
        for i in 0..self.len {
            v = v << 1 | u64::from(self.get(i));
        }
        Ok(if width == 32 {
            i64::from(v as u32 as i32)
        } else {
            v as i64
        })
    }

    /// The binary form (`bit_send`): bit count (int4), then the bytes.
    pub fn send(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(4 + self.bytes.len());
        out.extend_from_slice(&(self.len as i32).to_be_bytes());
        out.extend_from_slice(&self.bytes);
        out
    }

    /// `bit_recv` / `varbit_recv`.
    ///
    /// Errors: 22P03 `invalid length in external bit string`.
    pub fn recv(bytes: &[u8]) -> Result<BitString> {
        let bad = || {
            pg_err!(
                INVALID_BINARY_REPRESENTATION,
                "invalid length in external bit string"
            )
        };
        let (head, body) = bytes.split_at_checked(4).ok_or_else(bad)?;
        let len = i32::from_be_bytes(head.try_into().map_err(|_| bad())?);
        if len < 0 || len as usize > MAX_BITS || body.len() != (len as usize).div_ceil(8) {
            return Err(bad());
        }
        Ok(BitString::from_bytes(len as usize, body.to_vec()))
    }
}

/// A malformed bit string datum (an internal error).
pub fn malformed() -> Error {
    Error::internal("malformed bit string datum")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(s: &str) -> BitString {
        BitString::parse(s).unwrap()
    }

    #[test]
    fn text_forms_round_trip_and_hex_gives_four_bits_per_digit() {
        assert_eq!(b("10110").output(), "10110");
        assert_eq!(b("xF0").output(), "11110000");
        assert_eq!(b("B101").output(), "101");
        assert_eq!(b("").output(), "");
        assert!(BitString::parse("102").is_err());
        assert!(BitString::parse("xG").is_err());
    }

    #[test]
    fn keys_decode_and_sort_as_bitcmp() {
        let samples = [
            "",
            "0",
            "00",
            "0000000",
            "00000001",
            "1",
            "10",
            "100",
            "1000000",
            "10000000",
            "100000000",
            "1000000000000001",
            "11",
            "1111111",
            "11111111",
        ];
        for s in samples {
            let v = b(s);
            assert_eq!(BitString::from_key(&v.to_key()).unwrap(), v, "{s}");
        }
        for pair in samples.windows(2) {
            assert!(b(pair[0]).to_key() < b(pair[1]).to_key(), "{pair:?}");
        }
    }

    #[test]
    fn length_coercions_pad_truncate_or_fail() {
        assert_eq!(b("101").coerce_bit(4, true).unwrap().output(), "1010");
        assert_eq!(b("10111").coerce_bit(4, true).unwrap().output(), "1011");
        assert!(b("101").coerce_bit(4, false).is_err());
        assert_eq!(b("10111").coerce_varbit(3, true).unwrap().output(), "101");
        assert!(b("10111").coerce_varbit(3, false).is_err());
        assert_eq!(b("10").coerce_varbit(3, false).unwrap().output(), "10");
    }

    #[test]
    fn operators_follow_postgres() {
        assert_eq!(b("1100").shift_left(1).output(), "1000");
        assert_eq!(b("1100").shift_left(-1).output(), "0110");
        assert_eq!(b("0101").position(&b("1")), 2);
        assert_eq!(b("010101").substring(2, Some(3)).unwrap().output(), "101");
        assert_eq!(
            b("01010101").overlay(&b("11"), 2, 2).unwrap().output(),
            "01110101"
        );
        assert_eq!(BitString::from_int(-1, 32, 40).output().len(), 40);
        assert_eq!(BitString::from_int(5, 32, 4).output(), "0101");
        assert_eq!(b("0101").to_int(32).unwrap(), 5);
    }
}
