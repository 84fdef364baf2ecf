//! `inet` and `cidr`: IPv4 and IPv6 host addresses and networks, PostgreSQL's
//! `utils/adt/network.c` with the text forms of its `inet_net_pton.c` / `inet_cidr_ntop.c`
//! (PostgreSQL docs §8.9 and §9.12).
//!
//! An [`Inet`] is a family, a netmask length (`bits`) and the address bytes (4 or 16).
//! `cidr` values have no bits set to the right of the mask; `inet` values may. Which of
//! the two a value is comes from its SQL type, not from the value.
//!
//! In a `Datum` the value is `Datum::Bytea` holding [`Inet::to_key`], an encoding whose
//! byte order is PostgreSQL's `network_cmp` order, so sorting, B-tree keys, equality and
//! hashing of the bytes are those of the type:
//!
//! ```text
//! family (2 = IPv4, 3 = IPv6) | network part (address & netmask) | bits | full address
//!   1 byte                    |   4 or 16 bytes                  | 1    | 4 or 16 bytes
//! ```
//!
//! Comparing network parts orders by the common prefix first (zeros past a shorter mask
//! sort first, as `bitncmp` over the shorter mask then the mask lengths do); equal
//! networks order by mask length, then by the whole address.
//!
//! Entry points: [`Inet::parse`], [`Inet::output`], [`Inet::from_key`], the binary forms
//! [`Inet::send`] / [`Inet::recv`], and the operators and functions as methods.

use std::cmp::Ordering;

use crate::{pg_err, Error, Result};

/// PostgreSQL's `PGSQL_AF_INET`.
pub const FAMILY_INET: u8 = 2;
/// PostgreSQL's `PGSQL_AF_INET6`.
pub const FAMILY_INET6: u8 = 3;

/// One `inet` or `cidr` value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Inet {
    /// [`FAMILY_INET`] or [`FAMILY_INET6`].
    pub family: u8,
    /// Netmask length, 0..=32 or 0..=128.
    pub bits: u8,
    /// Address bytes in network order; only the first [`Inet::len`] are used, the rest 0.
    pub addr: [u8; 16],
}

impl Inet {
    /// Address length in bytes: 4 or 16.
    pub fn len(&self) -> usize {
        if self.family == FAMILY_INET {
            4
        } else {
            16
        }
    }

    /// Never true: an address has 4 or 16 bytes (for clippy's `len` convention).
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Maximum mask length: 32 or 128.
    pub fn max_bits(&self) -> u8 {
        (self.len() * 8) as u8
    }

    /// The used address bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.addr[..self.len()]
    }

    /// The address as one unsigned number (IPv4 in the low 32 bits).
    fn number(&self) -> u128 {
        self.bytes()
            .iter()
            .fold(0u128, |acc, b| (acc << 8) | *b as u128)
    }

    fn with_number(&self, n: u128) -> Inet {
        let mut out = *self;
        let len = self.len();
        for i in 0..len {
            out.addr[i] = (n >> (8 * (len - 1 - i))) as u8;
        }
        out
    }

    /// The netmask of `bits` ones as a number of the family's width.
    fn mask_number(&self, bits: u8) -> u128 {
        let width = self.max_bits() as u32;
        if bits == 0 {
            return 0;
        }
        let ones = if width == 128 {
            u128::MAX
        } else {
            (1u128 << width) - 1
        };
        ones & !ones.checked_shr(bits as u32).unwrap_or(0)
    }

    fn width_ones(&self) -> u128 {
        self.mask_number(self.max_bits())
    }

    /// True when no bit right of the mask is set (a valid `cidr`).
    pub fn is_network(&self) -> bool {
        self.number() & !self.mask_number(self.bits) & self.width_ones() == 0
    }

    /// A host address (full mask) from a socket address's IP.
    pub fn from_ip(ip: std::net::IpAddr) -> Inet {
        let mut addr = [0u8; 16];
        match ip {
            std::net::IpAddr::V4(v4) => {
                addr[..4].copy_from_slice(&v4.octets());
                Inet {
                    family: FAMILY_INET,
                    bits: 32,
                    addr,
                }
            }
            std::net::IpAddr::V6(v6) => Inet {
                family: FAMILY_INET6,
                bits: 128,
                addr: v6.octets(),
            },
        }
    }

    /// The order-preserving byte form carried in `Datum::Bytea` (see the module header).
    pub fn to_key(&self) -> Vec<u8> {
        let len = self.len();
        let mut out = Vec::with_capacity(2 + 2 * len);
        out.push(self.family);
        let network = self.with_number(self.number() & self.mask_number(self.bits));
        out.extend_from_slice(network.bytes());
        out.push(self.bits);
        out.extend_from_slice(self.bytes());
        out
    }

    /// Decodes [`Inet::to_key`]; `None` for bytes of another shape.
    pub fn from_key(key: &[u8]) -> Option<Inet> {
        let len = match (key.first(), key.len()) {
            (Some(&FAMILY_INET), 10) => 4,
            (Some(&FAMILY_INET6), 34) => 16,
            _ => return None,
        };
        let mut addr = [0u8; 16];
        addr[..len].copy_from_slice(&key[2 + len..]);
        let bits = key[1 + len];
        (bits as usize <= len * 8).then_some(Inet {
            family: key[0],
            bits,
            addr,
        })
    }

    /// Parses the text form, PostgreSQL's `inet_in` / `cidr_in`: IPv6 when the text has a
    /// colon; `cidr` input may abbreviate the network (`10/8`, `192.168.1`) and infers a
    /// missing mask from the address class.
    ///
    /// Errors: 22P02 `invalid input syntax for type inet|cidr: "..."`; 22P02
    /// `invalid cidr value: "..."` with DETAIL `Value has bits set to right of mask.`.
    pub fn parse(text: &str, is_cidr: bool) -> Result<Inet> {
        let type_name = if is_cidr { "cidr" } else { "inet" };
        let bad = || {
            pg_err!(
                INVALID_TEXT_REPRESENTATION,
                "invalid input syntax for type {}: \"{}\"",
                type_name,
                text
            )
        };
        let src = text.as_bytes();
        let mut addr = [0u8; 16];
        let (family, bits) = if text.contains(':') {
            (FAMILY_INET6, parse_ipv6(src, &mut addr).ok_or_else(bad)?)
        } else if is_cidr {
            (
                FAMILY_INET,
                parse_cidr_ipv4(src, &mut addr).ok_or_else(bad)?,
            )
        } else {
            (
                FAMILY_INET,
                parse_inet_ipv4(src, &mut addr).ok_or_else(bad)?,
            )
        };
        let value = Inet { family, bits, addr };
        if bits > value.max_bits() {
            return Err(bad());
        }
        if is_cidr && !value.is_network() {
            return Err(pg_err!(
                INVALID_TEXT_REPRESENTATION,
                "invalid cidr value: \"{}\"",
                text
            )
            .detail("Value has bits set to right of mask."));
        }
        Ok(value)
    }

    /// The text form, PostgreSQL's `inet_out` / `cidr_out`: the whole address, then
    /// `/bits` unless the mask is full (always for `cidr`).
    pub fn output(&self, is_cidr: bool) -> String {
        let mut s = self.format_address();
        if is_cidr || self.bits != self.max_bits() {
            s.push_str(&format!("/{}", self.bits));
        }
        s
    }

    /// The address alone, without a mask.
    fn format_address(&self) -> String {
        if self.family == FAMILY_INET {
            let b = self.bytes();
            format!("{}.{}.{}.{}", b[0], b[1], b[2], b[3])
        } else {
            format_ipv6(&self.addr)
        }
    }

    /// `host(inet)`: the address without a mask, PostgreSQL's `network_host`.
    pub fn host(&self) -> String {
        self.format_address()
    }

    /// `text(inet)`: the address with its mask always shown, PostgreSQL's `network_show`.
    pub fn show(&self) -> String {
        format!("{}/{}", self.format_address(), self.bits)
    }

    /// `abbrev(cidr)`: the network with trailing zero octets (or IPv6 words) left out,
    /// PostgreSQL's `cidr_abbrev` (`inet_cidr_ntop`).
    pub fn abbrev_cidr(&self) -> String {
        if self.family == FAMILY_INET {
            abbrev_ipv4(self.bytes(), self.bits)
        } else {
            abbrev_ipv6(&self.addr, self.bits)
        }
    }

    /// The binary form, PostgreSQL's `inet_send` / `cidr_send`: family, bits, is_cidr,
    /// address length, address bytes.
    pub fn send(&self, is_cidr: bool) -> Vec<u8> {
        let mut out = vec![self.family, self.bits, is_cidr as u8, self.len() as u8];
        out.extend_from_slice(self.bytes());
        out
    }

    /// Reads the binary form, PostgreSQL's `inet_recv` / `cidr_recv` (the is_cidr byte
    /// is ignored).
    ///
    /// Errors: 22P03 `invalid address family in external "inet" value`, `invalid bits in
    /// external ...`, `invalid length in external ...`; 22P03 `invalid external "cidr"
    /// value` when a `cidr` has bits right of its mask.
    pub fn recv(bytes: &[u8], is_cidr: bool) -> Result<Inet> {
        let type_name = if is_cidr { "cidr" } else { "inet" };
        let external = |what: &str| {
            pg_err!(
                INVALID_BINARY_REPRESENTATION,
                "invalid {} in external \"{}\" value",
                what,
                type_name
            )
        };
        let short = || {
            pg_err!(
                INVALID_BINARY_REPRESENTATION,
                "insufficient data left in message"
            )
        };
        let header = bytes.get(..4).ok_or_else(short)?;
        let (family, bits, nb) = (header[0], header[1], header[3]);
        let len = match family {
            FAMILY_INET => 4,
            FAMILY_INET6 => 16,
            _ => return Err(external("address family")),
        };
        if bits as usize > len * 8 {
            return Err(external("bits"));
        }
        if nb as usize != len {
            return Err(external("length"));
        }
        let data = bytes.get(4..4 + len).ok_or_else(short)?;
        let mut addr = [0u8; 16];
        addr[..len].copy_from_slice(data);
        let value = Inet { family, bits, addr };
        if is_cidr && !value.is_network() {
            return Err(pg_err!(
                INVALID_BINARY_REPRESENTATION,
                "invalid external \"cidr\" value"
            )
            .detail("Value has bits set to right of mask."));
        }
        Ok(value)
    }

    /// Whether the first `bits` bits of both addresses agree (`bitncmp(...) == 0`).
    fn prefix_equal(&self, other: &Inet, bits: u8) -> bool {
        let mask = self.mask_number(bits);
        self.number() & mask == other.number() & mask
    }

    /// `a << b`: `a` is strictly inside network `b` (`network_sub`).
    pub fn is_subnet_of(&self, b: &Inet) -> bool {
        self.family == b.family && b.bits < self.bits && self.prefix_equal(b, b.bits)
    }

    /// `a <<= b`: `a` is inside or equals network `b` (`network_subeq`).
    pub fn is_subnet_or_equal_of(&self, b: &Inet) -> bool {
        self.family == b.family && b.bits <= self.bits && self.prefix_equal(b, b.bits)
    }

    /// `a && b`: either network contains the other (`network_overlap`).
    pub fn overlaps(&self, b: &Inet) -> bool {
        self.family == b.family && self.prefix_equal(b, self.bits.min(b.bits))
    }

    /// `~a`: every address bit inverted, mask kept (`inetnot`).
    pub fn not(&self) -> Inet {
        self.with_number(!self.number() & self.width_ones())
    }

    /// `a & b` (`inetand`) and `a | b` (`inetor`): the mask is the longer of the two.
    ///
    /// Errors: 22023 `cannot AND|OR inet values of different sizes`.
    pub fn bitwise(&self, b: &Inet, or: bool) -> Result<Inet> {
        if self.family != b.family {
            return Err(pg_err!(
                INVALID_PARAMETER_VALUE,
                "cannot {} inet values of different sizes",
                if or { "OR" } else { "AND" }
            ));
        }
        let n = if or {
            self.number() | b.number()
        } else {
            self.number() & b.number()
        };
        let mut out = self.with_number(n);
        out.bits = self.bits.max(b.bits);
        Ok(out)
    }

    /// `a + n` / `a - n` (`inetpl`, `inetmi_int8`): the address moved by `addend`, mask
    /// kept.
    ///
    /// Errors: 22003 `result is out of range` when the address would leave the family.
    pub fn add(&self, addend: i64) -> Result<Inet> {
        let base = self.number();
        let moved = if addend >= 0 {
            base.checked_add(addend as u128)
        } else {
            base.checked_sub(addend.unsigned_abs() as u128)
        };
        // A carry out of the top byte or a borrow below zero is out of range.
        let n = moved
            .filter(|n| self.family == FAMILY_INET6 || *n <= u32::MAX as u128)
            .ok_or_else(out_of_range)?;
        Ok(self.with_number(n))
    }

    /// `a - b` for two addresses (`inetmi`): the difference as a bigint.
    ///
    /// Errors: 22023 `cannot subtract inet values of different sizes`; 22003 `result is
    /// out of range` beyond bigint.
    pub fn minus(&self, b: &Inet) -> Result<i64> {
        if self.family != b.family {
            return Err(pg_err!(
                INVALID_PARAMETER_VALUE,
                "cannot subtract inet values of different sizes"
            ));
        }
        // Two's complement over the address width, as PostgreSQL forms it.
        let diff = self.number().wrapping_sub(b.number());
        let signed = if self.family == FAMILY_INET {
            self.number() as i128 - b.number() as i128
        } else {
            diff as i128
        };
        i64::try_from(signed).map_err(|_| out_of_range())
    }

    /// `broadcast(inet)`: the address with every host bit set (`network_broadcast`).
    pub fn broadcast(&self) -> Inet {
        self.with_number(self.number() | (!self.mask_number(self.bits) & self.width_ones()))
    }

    /// `network(inet)`: the address with every host bit cleared, as a `cidr`
    /// (`network_network`, also `cidr(inet)`: `inet_to_cidr`).
    pub fn network(&self) -> Inet {
        self.with_number(self.number() & self.mask_number(self.bits))
    }

    /// `netmask(inet)`: the mask as a full-length address (`network_netmask`).
    pub fn netmask(&self) -> Inet {
        let mut out = self.with_number(self.mask_number(self.bits));
        out.bits = self.max_bits();
        out
    }

    /// `hostmask(inet)`: the host bits as a full-length address (`network_hostmask`).
    pub fn hostmask(&self) -> Inet {
        let mut out = self.with_number(!self.mask_number(self.bits) & self.width_ones());
        out.bits = self.max_bits();
        out
    }

    /// `set_masklen(inet|cidr, int)` (`inet_set_masklen` / `cidr_set_masklen`): -1 means
    /// the full length; a `cidr` loses the bits right of its new mask.
    ///
    /// Errors: 22023 `invalid mask length: N`.
    pub fn set_masklen(&self, bits: i32, is_cidr: bool) -> Result<Inet> {
        let bits = if bits == -1 {
            self.max_bits() as i32
        } else {
            bits
        };
        if bits < 0 || bits > self.max_bits() as i32 {
            return Err(pg_err!(
                INVALID_PARAMETER_VALUE,
                "invalid mask length: {}",
                bits
            ));
        }
        let mut out = *self;
        out.bits = bits as u8;
        Ok(if is_cidr { out.network() } else { out })
    }

    /// `inet_merge(a, b)`: the smallest network holding both (`inet_merge`).
    ///
    /// Errors: 22023 `cannot merge addresses from different families`.
    pub fn merge(&self, b: &Inet) -> Result<Inet> {
        if self.family != b.family {
            return Err(pg_err!(
                INVALID_PARAMETER_VALUE,
                "cannot merge addresses from different families"
            ));
        }
        let limit = self.bits.min(b.bits);
        let mut common = 0u8;
        while common < limit && self.prefix_equal(b, common + 1) {
            common += 1;
        }
        let mut out = *self;
        out.bits = common;
        Ok(out.network())
    }

    /// `family(inet)`: 4 or 6.
    pub fn family_number(&self) -> i32 {
        if self.family == FAMILY_INET {
            4
        } else {
            6
        }
    }

    /// PostgreSQL's `network_cmp` order (also the byte order of [`Inet::to_key`]).
    pub fn network_cmp(&self, b: &Inet) -> Ordering {
        self.to_key().cmp(&b.to_key())
    }
}

fn out_of_range() -> Error {
    pg_err!(NUMERIC_VALUE_OUT_OF_RANGE, "result is out of range")
}

fn digit(c: Option<&u8>) -> Option<u32> {
    c.filter(|c| c.is_ascii_digit()).map(|c| (c - b'0') as u32)
}

/// A `/bits` suffix of decimal digits (at most `max`) ending the text; the cursor is
/// just after the slash.
fn ipv4_bits(src: &[u8], mut i: usize) -> Option<u8> {
    let mut bits = 0u32;
    while let Some(d) = digit(src.get(i)) {
        bits = bits * 10 + d;
        if bits > 32 {
            return None;
        }
        i += 1;
    }
    (i == src.len()).then_some(bits as u8)
}

/// IPv4 `inet` input (`inet_net_pton_ipv4`): 1 to 4 dotted octets and `/bits`; without
/// a mask all four octets are required.
fn parse_inet_ipv4(src: &[u8], addr: &mut [u8; 16]) -> Option<u8> {
    let mut i = 0;
    let mut n = 0;
    let mut ch = src.get(i).copied();
    i += 1;
    while ch.is_some_and(|c| c.is_ascii_digit()) {
        let mut tmp = 0u32;
        loop {
            tmp = tmp * 10 + (ch? - b'0') as u32;
            if tmp > 255 {
                return None;
            }
            ch = src.get(i).copied();
            i += 1;
            if !ch.is_some_and(|c| c.is_ascii_digit()) {
                break;
            }
        }
        if n == 4 {
            return None;
        }
        addr[n] = tmp as u8;
        n += 1;
        if ch.is_none() || ch == Some(b'/') {
            break;
        }
        if ch != Some(b'.') {
            return None;
        }
        ch = src.get(i).copied();
        i += 1;
    }
    let mut bits = None;
    if ch == Some(b'/') && src.get(i).is_some_and(|c| c.is_ascii_digit()) && n > 0 {
        bits = Some(ipv4_bits(src, i)?);
        ch = None;
    }
    if ch.is_some() {
        return None;
    }
    let bits = match bits {
        Some(b) => b,
        None if n == 4 => 32,
        None => return None,
    };
    if n == 0 || (bits / 8) as usize > n {
        return None;
    }
    Some(bits)
}

/// IPv4 `cidr` input (`inet_cidr_pton_ipv4`): dotted octets (or `0x` hex digits) that
/// may stop early, `/bits` or a mask inferred from the address class.
fn parse_cidr_ipv4(src: &[u8], addr: &mut [u8; 16]) -> Option<u8> {
    let mut n = 0usize;
    let mut i = 1;
    let mut ch = *src.first()?;
    let hex = |c: Option<&u8>| c.is_some_and(|c| c.is_ascii_hexdigit());
    let at = |i: usize| src.get(i).copied().unwrap_or(0);
    if ch == b'0' && matches!(at(1), b'x' | b'X') && hex(src.get(2)) {
        i = 2;
        let mut dirty = 0;
        let mut tmp = 0u32;
        loop {
            ch = at(i);
            i += 1;
            if !ch.is_ascii_hexdigit() {
                break;
            }
            let v = (ch as char).to_digit(16)?;
            tmp = if dirty == 0 { v } else { (tmp << 4) | v };
            dirty += 1;
            if dirty == 2 {
                if n == 4 {
                    return None;
                }
                addr[n] = tmp as u8;
                n += 1;
                dirty = 0;
            }
        }
        if dirty != 0 {
            if n == 4 {
                return None;
            }
            addr[n] = (tmp << 4) as u8;
            n += 1;
        }
    } else if ch.is_ascii_digit() {
        loop {
            let mut tmp = 0u32;
            loop {
                tmp = tmp * 10 + (ch - b'0') as u32;
                if tmp > 255 {
                    return None;
                }
                ch = at(i);
                i += 1;
                if !ch.is_ascii_digit() {
                    break;
                }
            }
            if n == 4 {
                return None;
            }
            addr[n] = tmp as u8;
            n += 1;
            if ch == 0 || ch == b'/' {
                break;
            }
            if ch != b'.' {
                return None;
            }
            ch = at(i);
            i += 1;
            if !ch.is_ascii_digit() {
                return None;
            }
        }
    } else {
        return None;
    }
    let mut bits = None;
    if ch == b'/' && at(i).is_ascii_digit() && n > 0 {
        bits = Some(ipv4_bits(src, i)?);
        ch = 0;
    }
    if ch != 0 || n == 0 {
        return None;
    }
    let bits = match bits {
        Some(b) => b,
        None => {
            let first = addr[0];
            let mut b: usize = match first {
                240.. => 32,
                224.. => 8,
                192.. => 24,
                128.. => 16,
                _ => 8,
            };
            if b < n * 8 {
                b = n * 8;
            }
            if b == 8 && first == 224 {
                b = 4;
            }
            b as u8
        }
    };
    Some(bits)
}

/// A decimal mask length up to 128 with no leading zeros (`getbits`).
fn ipv6_bits(src: &[u8]) -> Option<u8> {
    if src.is_empty() || !src.iter().all(u8::is_ascii_digit) || src.len() > 1 && src[0] == b'0' {
        return None;
    }
    let mut v = 0u32;
    for c in src {
        v = v * 10 + (c - b'0') as u32;
        if v > 128 {
            return None;
        }
    }
    Some(v as u8)
}

/// An embedded dotted IPv4 tail of an IPv6 address, possibly with `/bits` (`getv4`).
fn ipv6_v4_tail(src: &[u8], dst: &mut [u8], bits: &mut Option<u8>) -> bool {
    let mut val = 0u32;
    let mut n = 0;
    let mut k = 0;
    let mut i = 0;
    while i < src.len() {
        let c = src[i];
        i += 1;
        if c.is_ascii_digit() {
            if n != 0 && val == 0 {
                return false;
            }
            n += 1;
            val = val * 10 + (c - b'0') as u32;
            if val > 255 {
                return false;
            }
            continue;
        }
        if c == b'.' || c == b'/' {
            if k > 3 {
                return false;
            }
            dst[k] = val as u8;
            k += 1;
            if c == b'/' {
                return match ipv6_bits(&src[i..]) {
                    Some(b) => {
                        *bits = Some(b);
                        true
                    }
                    None => false,
                };
            }
            val = 0;
            n = 0;
            continue;
        }
        return false;
    }
    if n == 0 || k > 3 {
        return false;
    }
    dst[k] = val as u8;
    true
}

/// IPv6 input (`inet_cidr_pton_ipv6`): hex words, one `::`, an optional dotted IPv4
/// tail, `/bits`.
fn parse_ipv6(src: &[u8], addr: &mut [u8; 16]) -> Option<u8> {
    let mut tmp = [0u8; 16];
    let mut tp = 0usize;
    let mut colonp: Option<usize> = None;
    let mut i = 0;
    if src.first() == Some(&b':') {
        if src.get(1) != Some(&b':') {
            return None;
        }
        i = 1;
    }
    let mut curtok = i;
    let mut saw_xdigit = false;
    let mut val = 0u32;
    let mut digits = 0;
    let mut bits: Option<u8> = None;
    while i < src.len() {
        let ch = src[i];
        i += 1;
        if let Some(v) = (ch as char).to_digit(16) {
            val = (val << 4) | v;
            digits += 1;
            if digits > 4 {
                return None;
            }
            saw_xdigit = true;
            continue;
        }
        if ch == b':' {
            curtok = i;
            if !saw_xdigit {
                if colonp.is_some() {
                    return None;
                }
                colonp = Some(tp);
                continue;
            } else if i == src.len() {
                return None;
            }
            if tp + 2 > 16 {
                return None;
            }
            tmp[tp] = (val >> 8) as u8;
            tmp[tp + 1] = val as u8;
            tp += 2;
            saw_xdigit = false;
            digits = 0;
            val = 0;
            continue;
        }
        if ch == b'.' && tp + 4 <= 16 && ipv6_v4_tail(&src[curtok..], &mut tmp[tp..], &mut bits) {
            tp += 4;
            saw_xdigit = false;
            break;
        }
        if ch == b'/' {
            if let Some(b) = ipv6_bits(&src[i..]) {
                bits = Some(b);
                break;
            }
        }
        return None;
    }
    if saw_xdigit {
        if tp + 2 > 16 {
            return None;
        }
        tmp[tp] = (val >> 8) as u8;
        tmp[tp + 1] = val as u8;
        tp += 2;
    }
    if let Some(c) = colonp {
        if tp == 16 {
            return None;
        }
        let n = tp - c;
        for k in 1..=n {
            tmp[16 - k] = tmp[c + n - k];
            tmp[c + n - k] = 0;
        }
        tp = 16;
    }
    if tp != 16 {
        return None;
    }
    *addr = tmp;
    Some(bits.unwrap_or(128))
}

/// The IPv6 text form (`inet_net_ntop_ipv6`): the longest run of two or more zero words
/// (the first of equal runs) as `::`, and an IPv4-compatible or -mapped address with a
/// dotted tail.
fn format_ipv6(addr: &[u8; 16]) -> String {
    let words: Vec<u32> = (0..8)
        .map(|i| ((addr[2 * i] as u32) << 8) | addr[2 * i + 1] as u32)
        .collect();
    let (mut best_base, mut best_len) = (None::<usize>, 0);
    let (mut cur_base, mut cur_len) = (None::<usize>, 0);
    for (i, w) in words.iter().enumerate() {
        if *w == 0 {
            if cur_base.is_none() {
                cur_base = Some(i);
                cur_len = 1;
            } else {
                cur_len += 1;
            }
        } else if let Some(b) = cur_base.take() {
            if best_base.is_none() || cur_len > best_len {
                best_base = Some(b);
                best_len = cur_len;
            }
        }
    }
    if let Some(b) = cur_base {
        if best_base.is_none() || cur_len > best_len {
            best_base = Some(b);
            best_len = cur_len;
        }
    }
    if best_len < 2 {
        best_base = None;
    }
    let mut s = String::new();
    for (i, w) in words.iter().enumerate() {
        if let Some(b) = best_base {
            if i >= b && i < b + best_len {
                if i == b {
                    s.push(':');
                }
                continue;
            }
        }
        if i != 0 {
            s.push(':');
        }
        if i == 6
            && best_base == Some(0)
            && (best_len == 6 || (best_len == 5 && words[5] == 0xffff))
        {
            s.push_str(&format!(
                "{}.{}.{}.{}",
                addr[12], addr[13], addr[14], addr[15]
            ));
            return s;
        }
        s.push_str(&format!("{w:x}"));
    }
    if best_base.is_some_and(|b| b + best_len == 8) {
        s.push(':');
    }
    s
}

/// `inet_cidr_ntop_ipv4`: whole octets of the mask, then a partial one, then `/bits`.
fn abbrev_ipv4(src: &[u8], bits: u8) -> String {
    let mut s = String::new();
    if bits == 0 {
        s.push('0');
    }
    let whole = (bits / 8) as usize;
    for (k, b) in src.iter().take(whole).enumerate() {
        s.push_str(&b.to_string());
        if k + 1 < whole {
            s.push('.');
        }
    }
    let partial = bits % 8;
    if partial > 0 {
        if !s.is_empty() {
            s.push('.');
        }
        let m = (((1u32 << partial) - 1) << (8 - partial)) as u8;
        s.push_str(&(src[whole] & m).to_string());
    }
    s.push_str(&format!("/{bits}"));
    s
}

/// `inet_cidr_ntop_ipv6`: only the words the mask covers, zero runs as `::`.
fn abbrev_ipv6(src: &[u8; 16], bits: u8) -> String {
    let mut out = String::new();
    if bits == 0 {
        out.push_str("::");
    } else {
        let p = (bits as usize).div_ceil(8);
        let mut s = [0u8; 16];
        s[..p].copy_from_slice(&src[..p]);
        let b = bits % 8;
        if b != 0 {
            s[p - 1] &= (0xffu32 << (8 - b)) as u8;
        }
        let mut words = (bits as usize).div_ceil(16);
        if words == 1 {
            words = 2;
        }
        let (mut zero_s, mut zero_l, mut tmp_s, mut tmp_l) = (0, 0, 0, 0);
        for i in (0..words * 2).step_by(2) {
            if s[i] | s[i + 1] == 0 {
                if tmp_l == 0 {
                    tmp_s = i / 2;
                }
                tmp_l += 1;
            } else if tmp_l != 0 && zero_l < tmp_l {
                zero_s = tmp_s;
                zero_l = tmp_l;
                tmp_l = 0;
            }
        }
        if tmp_l != 0 && zero_l < tmp_l {
            zero_s = tmp_s;
            zero_l = tmp_l;
        }
        let is_ipv4 = zero_l != words
            && zero_s == 0
            && (zero_l == 6
                || (zero_l == 5 && s[10] == 0xff && s[11] == 0xff)
                || (zero_l == 7 && s[14] != 0 && s[15] != 1));
        for p in 0..words {
            if zero_l != 0 && p >= zero_s && p < zero_s + zero_l {
                if p == zero_s {
                    out.push(':');
                }
                if p == words - 1 {
                    out.push(':');
                }
                continue;
            }
            if is_ipv4 && p > 5 {
                out.push(if p == 6 { ':' } else { '.' });
                out.push_str(&s[2 * p].to_string());
                if p != 7 || bits > 120 {
                    out.push('.');
                    out.push_str(&s[2 * p + 1].to_string());
                }
            } else {
                if !out.is_empty() {
                    out.push(':');
                }
                out.push_str(&format!(
                    "{:x}",
                    ((s[2 * p] as u32) << 8) | s[2 * p + 1] as u32
                ));
            }
        }
    }
    out.push_str(&format!("/{bits}"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inet(s: &str) -> Inet {
        Inet::parse(s, false).expect(s)
    }

    fn cidr(s: &str) -> Inet {
        Inet::parse(s, true).expect(s)
    }

    #[test]
    fn inet_text_round_trips_as_postgres_prints_it() {
        for (input, output) in [
            ("192.168.1.226/24", "192.168.1.226/24"),
            ("192.168.1.226", "192.168.1.226"),
            ("10.1.2.3/8", "10.1.2.3/8"),
            ("10.1/16", "10.1.0.0/16"),
            ("10:23::f1/64", "10:23::f1/64"),
            ("10:23::ffff", "10:23::ffff"),
            ("::4.3.2.1/24", "::4.3.2.1/24"),
            ("::ffff:1.2.3.4", "::ffff:1.2.3.4"),
            ("fe80::0:0:1/64", "fe80::1/64"),
            ("::", "::"),
            ("::1", "::1"),
            ("::2", "::2"),
            ("1::", "1::"),
            ("1:0:0:2:0:0:0:3", "1:0:0:2::3"),
            (
                "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/0",
                "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/0",
            ),
        ] {
            assert_eq!(inet(input).output(false), output, "{input}");
        }
    }

    #[test]
    fn cidr_input_abbreviates_and_rejects_host_bits() {
        for (input, output) in [
            ("192.168.1", "192.168.1.0/24"),
            ("10", "10.0.0.0/8"),
            ("10/8", "10.0.0.0/8"),
            ("10.1.2.3", "10.1.2.3/32"),
            ("10.1.2", "10.1.2.0/24"),
            ("128", "128.0.0.0/16"),
            ("224", "224.0.0.0/4"),
            ("10:23::8000/113", "10:23::8000/113"),
            ("::ffff:1.2.3.4", "::ffff:1.2.3.4/128"),
        ] {
            assert_eq!(cidr(input).output(true), output, "{input}");
        }
        let e = Inet::parse("192.168.1.2/30", true).expect_err("host bits");
        assert_eq!(e.message, "invalid cidr value: \"192.168.1.2/30\"");
        assert_eq!(
            e.detail.as_deref(),
            Some("Value has bits set to right of mask.")
        );
        let e = Inet::parse("1234::1234::1234", true).expect_err("two ::");
        assert_eq!(
            e.message,
            "invalid input syntax for type cidr: \"1234::1234::1234\""
        );
        for bad in [
            "",
            "1.2.3",
            "1.2.3.4/33",
            "256.1.1.1",
            "1.2.3.4 ",
            "::1/129",
            "1:2",
        ] {
            assert!(Inet::parse(bad, false).is_err(), "{bad}");
        }
    }

    #[test]
    fn functions_follow_postgres() {
        let i = inet("192.168.1.226/24");
        assert_eq!(i.host(), "192.168.1.226");
        assert_eq!(i.show(), "192.168.1.226/24");
        assert_eq!(i.broadcast().output(false), "192.168.1.255/24");
        assert_eq!(i.network().output(true), "192.168.1.0/24");
        assert_eq!(i.netmask().output(false), "255.255.255.0");
        assert_eq!(i.hostmask().output(false), "0.0.0.255");
        assert_eq!(cidr("10.1.2").abbrev_cidr(), "10.1.2/24");
        assert_eq!(cidr("10:23::8000/113").abbrev_cidr(), "10:23::8000/113");
        assert_eq!(cidr("::ffff:1.2.3.4").abbrev_cidr(), "::ffff:1.2.3.4/128");
        assert_eq!(i.not().output(false), "63.87.254.29/24");
        assert_eq!(
            inet("127.0.0.1").add(257).expect("in range").output(false),
            "127.0.1.2"
        );
        assert!(inet("127.0.0.1").add(10_000_000_000).is_err());
        assert_eq!(
            inet("127::1")
                .add(10_000_000_000)
                .expect("in range")
                .output(false),
            "127::2:540b:e401"
        );
        assert_eq!(
            inet("127.0.0.2").minus(&inet("127.0.1.246")).expect("fits"),
            -500
        );
        assert!(inet("126::1").minus(&inet("127::2")).is_err());
        assert_eq!(
            inet("192.168.1.5/24")
                .merge(&inet("192.168.2.5/24"))
                .expect("same family")
                .output(true),
            "192.168.0.0/22"
        );
        assert!(inet("192.168.1.5").merge(&inet("::1")).is_err());
        assert!(inet("192.168.1.5").is_subnet_of(&cidr("192.168.1.0/24")));
        assert!(!cidr("192.168.1.0/24").is_subnet_of(&cidr("192.168.1.0/24")));
        assert!(cidr("192.168.1.0/24").is_subnet_or_equal_of(&cidr("192.168.1.0/24")));
        assert!(cidr("192.168.1.0/24").overlaps(&inet("192.168.1.7")));
    }

    #[test]
    fn key_order_is_network_cmp() {
        let ordered = [
            "0.0.0.0/0",
            "0.0.0.1/0",
            "127.126.127.127/0",
            "0.0.0.0/1",
            "192.168.1.3/1",
            "192.168.1.1/5",
            "192.168.1.255/5",
            "192.168.1.1/23",
            "192.168.1.0/24",
            "192.168.1.0/25",
            "192.168.1.1/25",
            "192.168.1.1/26",
            "255.255.255.255/32",
            "::/0",
            "::1",
        ];
        let keys: Vec<Vec<u8>> = ordered.iter().map(|s| inet(s).to_key()).collect();
        for w in keys.windows(2) {
            assert!(w[0] < w[1], "{:?} < {:?}", w[0], w[1]);
        }
        for s in ordered {
            let v = inet(s);
            assert_eq!(Inet::from_key(&v.to_key()), Some(v));
        }
    }

    #[test]
    fn binary_form_is_postgres_layout() {
        let v = inet("10.1.2.3/8");
        assert_eq!(v.send(false), vec![2, 8, 0, 4, 10, 1, 2, 3]);
        assert_eq!(Inet::recv(&v.send(false), false).expect("valid"), v);
        let e = Inet::recv(&[2, 8, 1, 4, 10, 1, 2, 3], true).expect_err("host bits");
        assert_eq!(e.message, "invalid external \"cidr\" value");
        let e = Inet::recv(&[9, 8, 0, 4, 10, 1, 2, 3], false).expect_err("family");
        assert_eq!(
            e.message,
            "invalid address family in external \"inet\" value"
        );
    }
}
