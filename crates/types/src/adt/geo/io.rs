//! Text and binary forms of the geometric types (`point_in`/`point_out`, ...,
//! `*_send`/`*_recv`).
//!
//! Text input accepts PostgreSQL's forms: `(x,y)` or `x,y` for a point; two points with
//! or without parentheses or brackets for `lseg` and `box`; `{A,B,C}` or two points for
//! `line`; `[...]` (open) or `(...)` (closed) point lists for `path`; point lists for
//! `polygon`; `<(x,y),r>`, `((x,y),r)`, `(x,y),r` or `x,y,r` for `circle`. Coordinates
//! are read as `double precision` (so `1e400` is 22003). Output prints each coordinate as
//! `float8out` does, honouring `extra_float_digits`.
//!
//! Errors: 22P02 `invalid input syntax for type point: "..."` (the whole input quoted),
//! 22023 for invalid lines, 22P03 for bad binary values.

use super::super::float::{float8_in_prefix, float8_out};
use super::super::is_pg_space;
use super::{fp_zero, Circle, GeoBox, Line, Lseg, Path, Point, Polygon};
use crate::{pg_err, type_oid, Error, Oid, Result};

/// The text being parsed, for error messages.
struct Input<'a> {
    text: &'a str,
    type_name: &'static str,
}

impl Input<'_> {
    fn syntax(&self) -> Error {
        pg_err!(
            INVALID_TEXT_REPRESENTATION,
            "invalid input syntax for type {}: \"{}\"",
            self.type_name,
            self.text
        )
    }
    fn byte(&self, pos: usize) -> Option<u8> {
        self.text.as_bytes().get(pos).copied()
    }
    fn skip_space(&self, mut pos: usize) -> usize {
        while self.byte(pos).is_some_and(is_pg_space) {
            pos += 1;
        }
        pos
    }
    /// One coordinate at `pos` (`single_decode`); returns it and where reading stopped.
    fn single(&self, pos: usize) -> Result<(f64, usize)> {
        let (v, used) = float8_in_prefix(&self.text[pos..], self.type_name, self.text)?;
        Ok((v, pos + used))
    }
    /// `x,y` or `(x,y)` at `pos` (`pair_decode`).
    fn pair(&self, pos: usize) -> Result<(Point, usize)> {
        let mut pos = self.skip_space(pos);
        let has_delim = self.byte(pos) == Some(b'(');
        if has_delim {
            pos += 1;
        }
        let (x, p) = self.single(pos)?;
        if self.byte(p) != Some(b',') {
            return Err(self.syntax());
        }
        let (y, mut p) = self.single(p + 1)?;
        if has_delim {
            if self.byte(p) != Some(b')') {
                return Err(self.syntax());
            }
            p = self.skip_space(p + 1);
        }
        Ok((Point { x, y }, p))
    }
    /// `npts` points with optional enclosing delimiters (`path_decode`); returns them,
    /// whether `[` opened the list, and where reading stopped.
    fn path(
        &self,
        pos: usize,
        open_allowed: bool,
        npts: usize,
    ) -> Result<(Vec<Point>, bool, usize)> {
        let mut pos = self.skip_space(pos);
        let mut depth = 0;
        let is_open = self.byte(pos) == Some(b'[');
        if is_open {
            if !open_allowed {
                return Err(self.syntax());
            }
            depth += 1;
            pos += 1;
        } else if self.byte(pos) == Some(b'(') {
            let cp = self.skip_space(pos + 1);
            if self.byte(cp) == Some(b'(') || self.text[pos..].rfind('(') == Some(0) {
                depth += 1;
                pos = cp;
            }
        }
        let mut points = Vec::with_capacity(npts);
        for _ in 0..npts {
            let (p, next) = self.pair(pos)?;
            points.push(p);
            pos = next;
            if self.byte(pos) == Some(b',') {
                pos += 1;
            }
        }
        while depth > 0 {
            let b = self.byte(pos);
            if b == Some(b')') || (b == Some(b']') && is_open && depth == 1) {
                depth -= 1;
                pos = self.skip_space(pos + 1);
            } else {
                return Err(self.syntax());
            }
        }
        Ok((points, is_open, pos))
    }
    fn at_end(&self, pos: usize) -> Result<()> {
        if pos == self.text.len() {
            Ok(())
        } else {
            Err(self.syntax())
        }
    }
    /// `pair_count`: points implied by the commas (odd count required), else `None`.
    fn pair_count(&self) -> Option<usize> {
        let commas = self.text.bytes().filter(|b| *b == b',').count();
        (!commas.is_multiple_of(2)).then_some(commas.div_ceil(2))
    }
}

/// `point_in`.
pub fn point_in(text: &str) -> Result<Point> {
    let input = Input {
        text,
        type_name: "point",
    };
    let (p, end) = input.pair(0)?;
    input.at_end(end)?;
    Ok(p)
}

/// `lseg_in`.
pub fn lseg_in(text: &str) -> Result<Lseg> {
    let input = Input {
        text,
        type_name: "lseg",
    };
    let (p, _, end) = input.path(0, true, 2)?;
    input.at_end(end)?;
    Ok(Lseg { p: [p[0], p[1]] })
}

/// `box_in`: two corners in any order.
pub fn box_in(text: &str) -> Result<GeoBox> {
    let input = Input {
        text,
        type_name: "box",
    };
    let (p, _, end) = input.path(0, false, 2)?;
    input.at_end(end)?;
    Ok(GeoBox {
        high: p[0],
        low: p[1],
    }
    .normalized())
}

/// `line_in`: `{A,B,C}` or two distinct points.
///
/// Errors: 22P02 syntax; 22P02 `invalid line specification: A and B cannot both be
/// zero` / `must be two distinct points`.
pub fn line_in(text: &str) -> Result<Line> {
    let input = Input {
        text,
        type_name: "line",
    };
    let pos = input.skip_space(0);
    if input.byte(pos) == Some(b'{') {
        let (a, p) = input.single(pos + 1)?;
        if input.byte(p) != Some(b',') {
            return Err(input.syntax());
        }
        let (b, p) = input.single(p + 1)?;
        if input.byte(p) != Some(b',') {
            return Err(input.syntax());
        }
        let (c, p) = input.single(p + 1)?;
        if input.byte(p) != Some(b'}') {
            return Err(input.syntax());
        }
        input.at_end(input.skip_space(p + 1))?;
        if fp_zero(a) && fp_zero(b) {
            return Err(pg_err!(
                INVALID_TEXT_REPRESENTATION,
                "invalid line specification: A and B cannot both be zero"
            ));
        }
        return Ok(Line { a, b, c });
    }
    let (p, _, end) = input.path(pos, true, 2)?;
    input.at_end(end)?;
    if p[0].same(&p[1]) {
        return Err(pg_err!(
            INVALID_TEXT_REPRESENTATION,
            "invalid line specification: must be two distinct points"
        ));
    }
    Line::through(&p[0], p[0].slope(&p[1])?)
}

/// `path_in`.
pub fn path_in(text: &str) -> Result<Path> {
    let input = Input {
        text,
        type_name: "path",
    };
    let npts = input.pair_count().ok_or_else(|| input.syntax())?;
    let mut pos = input.skip_space(0);
    let mut depth = 0;
    if input.byte(pos) == Some(b'(') && text[pos..].rfind('(') == Some(0) {
        pos += 1;
        depth += 1;
    }
    let (points, is_open, mut pos) = input.path(pos, true, npts)?;
    if depth >= 1 {
        if input.byte(pos) != Some(b')') {
            return Err(input.syntax());
        }
        pos = input.skip_space(pos + 1);
    }
    input.at_end(pos)?;
    Ok(Path {
        closed: !is_open,
        points,
    })
}

/// `poly_in`.
pub fn poly_in(text: &str) -> Result<Polygon> {
    let input = Input {
        text,
        type_name: "polygon",
    };
    let npts = input.pair_count().ok_or_else(|| input.syntax())?;
    let (points, _, end) = input.path(0, false, npts)?;
    input.at_end(end)?;
    Ok(Polygon::new(points))
}

/// `circle_in`.
pub fn circle_in(text: &str) -> Result<Circle> {
    let input = Input {
        text,
        type_name: "circle",
    };
    let mut pos = input.skip_space(0);
    let mut depth = 0;
    if input.byte(pos) == Some(b'<') {
        depth += 1;
        pos += 1;
    } else if input.byte(pos) == Some(b'(') {
        let cp = input.skip_space(pos + 1);
        if input.byte(cp) == Some(b'(') {
            depth += 1;
            pos = cp;
        }
    }
    let (center, mut pos) = input.pair(pos)?;
    if input.byte(pos) == Some(b',') {
        pos += 1;
    }
    let (radius, mut pos) = input.single(pos)?;
    if radius < 0.0 {
        return Err(input.syntax());
    }
    while depth > 0 {
        let b = input.byte(pos);
        if b == Some(b')') || (b == Some(b'>') && depth == 1) {
            depth -= 1;
            pos = input.skip_space(pos + 1);
        } else {
            return Err(input.syntax());
        }
    }
    input.at_end(pos)?;
    Ok(Circle { center, radius })
}

/// Which delimiters surround a point list on output.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Delim {
    None,
    Open,
    Closed,
}

fn pair_encode(p: &Point, digits: i32, out: &mut String) {
    out.push_str(&float8_out(p.x, digits));
    out.push(',');
    out.push_str(&float8_out(p.y, digits));
}

fn path_encode(delim: Delim, points: &[Point], digits: i32) -> String {
    let mut out = String::new();
    match delim {
        Delim::Closed => out.push('('),
        Delim::Open => out.push('['),
        Delim::None => {}
    }
    for (i, p) in points.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('(');
        pair_encode(p, digits, &mut out);
        out.push(')');
    }
    match delim {
        Delim::Closed => out.push(')'),
        Delim::Open => out.push(']'),
        Delim::None => {}
    }
    out
}

/// `point_out`: `(x,y)`.
pub fn point_out(p: &Point, extra_float_digits: i32) -> String {
    path_encode(Delim::None, &[*p], extra_float_digits)
}

/// `lseg_out`: `[(x1,y1),(x2,y2)]`.
pub fn lseg_out(l: &Lseg, extra_float_digits: i32) -> String {
    path_encode(Delim::Open, &l.p, extra_float_digits)
}

/// `box_out`: `(high),(low)`.
pub fn box_out(b: &GeoBox, extra_float_digits: i32) -> String {
    path_encode(Delim::None, &[b.high, b.low], extra_float_digits)
}

/// `line_out`: `{A,B,C}`.
pub fn line_out(l: &Line, extra_float_digits: i32) -> String {
    format!(
        "{{{},{},{}}}",
        float8_out(l.a, extra_float_digits),
        float8_out(l.b, extra_float_digits),
        float8_out(l.c, extra_float_digits)
    )
}

/// `path_out`: `[...]` when open, `(...)` when closed.
pub fn path_out(p: &Path, extra_float_digits: i32) -> String {
    let delim = if p.closed { Delim::Closed } else { Delim::Open };
    path_encode(delim, &p.points, extra_float_digits)
}

/// `poly_out`: `((x1,y1),...)`.
pub fn poly_out(p: &Polygon, extra_float_digits: i32) -> String {
    path_encode(Delim::Closed, &p.points, extra_float_digits)
}

/// `circle_out`: `<(x,y),r>`.
pub fn circle_out(c: &Circle, extra_float_digits: i32) -> String {
    let mut out = String::from("<(");
    pair_encode(&c.center, extra_float_digits, &mut out);
    out.push_str("),");
    out.push_str(&float8_out(c.radius, extra_float_digits));
    out.push('>');
    out
}

// ---------------------------------------------------------------- binary

fn put(out: &mut Vec<u8>, values: &[f64]) {
    for v in values {
        out.extend_from_slice(&v.to_bits().to_be_bytes());
    }
}

fn put_points(out: &mut Vec<u8>, points: &[Point]) {
    for p in points {
        put(out, &[p.x, p.y]);
    }
}

/// Reads big-endian values from a binary message.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl Reader<'_> {
    fn short() -> Error {
        pg_err!(PROTOCOL_VIOLATION, "insufficient data left in message")
    }
    fn f64(&mut self) -> Result<f64> {
        let (head, rest) = self
            .bytes
            .split_first_chunk::<8>()
            .ok_or_else(Self::short)?;
        self.bytes = rest;
        Ok(f64::from_bits(u64::from_be_bytes(*head)))
    }
    fn i32(&mut self) -> Result<i32> {
        let (head, rest) = self
            .bytes
            .split_first_chunk::<4>()
            .ok_or_else(Self::short)?;
        self.bytes = rest;
        Ok(i32::from_be_bytes(*head))
    }
    fn u8(&mut self) -> Result<u8> {
        let (head, rest) = self.bytes.split_first().ok_or_else(Self::short)?;
        self.bytes = rest;
        Ok(*head)
    }
    fn point(&mut self) -> Result<Point> {
        Ok(Point {
            x: self.f64()?,
            y: self.f64()?,
        })
    }
    fn points(&mut self, type_name: &str) -> Result<Vec<Point>> {
        let npts = self.i32()?;
        if npts <= 0 || npts as usize >= (i32::MAX as usize - 40) / 16 {
            return Err(pg_err!(
                INVALID_BINARY_REPRESENTATION,
                "invalid number of points in external \"{}\" value",
                type_name
            ));
        }
        (0..npts).map(|_| self.point()).collect()
    }
    fn done(&self) -> Result<()> {
        if self.bytes.is_empty() {
            Ok(())
        } else {
            Err(pg_err!(
                INVALID_BINARY_REPRESENTATION,
                "incorrect binary data format"
            ))
        }
    }
}

/// `point_send`.
pub fn point_send(p: &Point, out: &mut Vec<u8>) {
    put(out, &[p.x, p.y]);
}
/// `lseg_send`.
pub fn lseg_send(l: &Lseg, out: &mut Vec<u8>) {
    put_points(out, &l.p);
}
/// `line_send`.
pub fn line_send(l: &Line, out: &mut Vec<u8>) {
    put(out, &[l.a, l.b, l.c]);
}
/// `box_send`: high then low.
pub fn box_send(b: &GeoBox, out: &mut Vec<u8>) {
    put_points(out, &[b.high, b.low]);
}
/// `path_send`: closed byte, point count, points.
pub fn path_send(p: &Path, out: &mut Vec<u8>) {
    out.push(u8::from(p.closed));
    out.extend_from_slice(&(p.points.len() as i32).to_be_bytes());
    put_points(out, &p.points);
}
/// `poly_send`: point count, points.
pub fn poly_send(p: &Polygon, out: &mut Vec<u8>) {
    out.extend_from_slice(&(p.points.len() as i32).to_be_bytes());
    put_points(out, &p.points);
}
/// `circle_send`.
pub fn circle_send(c: &Circle, out: &mut Vec<u8>) {
    put(out, &[c.center.x, c.center.y, c.radius]);
}

/// `point_recv`.
pub fn point_recv(bytes: &[u8]) -> Result<Point> {
    let mut r = Reader { bytes };
    let p = r.point()?;
    r.done()?;
    Ok(p)
}
/// `lseg_recv`.
pub fn lseg_recv(bytes: &[u8]) -> Result<Lseg> {
    let mut r = Reader { bytes };
    let l = Lseg::new(r.point()?, r.point()?);
    r.done()?;
    Ok(l)
}
/// `line_recv`.
///
/// Errors: 22P03 `invalid line specification: A and B cannot both be zero`.
pub fn line_recv(bytes: &[u8]) -> Result<Line> {
    let mut r = Reader { bytes };
    let l = Line {
        a: r.f64()?,
        b: r.f64()?,
        c: r.f64()?,
    };
    r.done()?;
    if fp_zero(l.a) && fp_zero(l.b) {
        return Err(pg_err!(
            INVALID_BINARY_REPRESENTATION,
            "invalid line specification: A and B cannot both be zero"
        ));
    }
    Ok(l)
}
/// `box_recv`: corners put in order.
pub fn box_recv(bytes: &[u8]) -> Result<GeoBox> {
    let mut r = Reader { bytes };
    let b = GeoBox {
        high: r.point()?,
        low: r.point()?,
    };
    r.done()?;
    Ok(b.normalized())
}
/// `path_recv`.
pub fn path_recv(bytes: &[u8]) -> Result<Path> {
    let mut r = Reader { bytes };
    let closed = r.u8()? != 0;
    let points = r.points("path")?;
    r.done()?;
    Ok(Path { closed, points })
}
/// `poly_recv`: the bounding box is recomputed.
pub fn poly_recv(bytes: &[u8]) -> Result<Polygon> {
    let mut r = Reader { bytes };
    let points = r.points("polygon")?;
    r.done()?;
    Ok(Polygon::new(points))
}
/// `circle_recv`.
///
/// Errors: 22P03 `invalid radius in external "circle" value`.
pub fn circle_recv(bytes: &[u8]) -> Result<Circle> {
    let mut r = Reader { bytes };
    let c = Circle {
        center: r.point()?,
        radius: r.f64()?,
    };
    r.done()?;
    if c.radius < 0.0 {
        return Err(pg_err!(
            INVALID_BINARY_REPRESENTATION,
            "invalid radius in external \"circle\" value"
        ));
    }
    Ok(c)
}

// ---------------------------------------------------------------- dispatch by type

/// Whether `t` is one of the geometric types.
pub fn is_geometric(t: Oid) -> bool {
    matches!(
        t,
        type_oid::POINT
            | type_oid::LSEG
            | type_oid::PATH
            | type_oid::BOX
            | type_oid::POLYGON
            | type_oid::LINE
            | type_oid::CIRCLE
    )
}

fn malformed(t: Oid) -> Error {
    Error::internal(format!("malformed datum of geometric type {}", t.0))
}

/// The text form of the datum `bytes` of geometric type `t`.
pub fn text_out(t: Oid, bytes: &[u8], extra_float_digits: i32) -> Result<String> {
    let d = extra_float_digits;
    let text = match t {
        type_oid::POINT => Point::from_bytes(bytes).map(|v| point_out(&v, d)),
        type_oid::LSEG => Lseg::from_bytes(bytes).map(|v| lseg_out(&v, d)),
        type_oid::PATH => Path::from_bytes(bytes).map(|v| path_out(&v, d)),
        type_oid::BOX => GeoBox::from_bytes(bytes).map(|v| box_out(&v, d)),
        type_oid::POLYGON => Polygon::from_bytes(bytes).map(|v| poly_out(&v, d)),
        type_oid::LINE => Line::from_bytes(bytes).map(|v| line_out(&v, d)),
        type_oid::CIRCLE => Circle::from_bytes(bytes).map(|v| circle_out(&v, d)),
        _ => None,
    };
    text.ok_or_else(|| malformed(t))
}

/// The datum form of the text `text` of geometric type `t`.
pub fn text_in(t: Oid, text: &str) -> Result<Vec<u8>> {
    Ok(match t {
        type_oid::POINT => point_in(text)?.to_bytes(),
        type_oid::LSEG => lseg_in(text)?.to_bytes(),
        type_oid::PATH => path_in(text)?.to_bytes(),
        type_oid::BOX => box_in(text)?.to_bytes(),
        type_oid::POLYGON => poly_in(text)?.to_bytes(),
        type_oid::LINE => line_in(text)?.to_bytes(),
        type_oid::CIRCLE => circle_in(text)?.to_bytes(),
        _ => return Err(malformed(t)),
    })
}

/// Appends the binary form of the datum `bytes` of geometric type `t` to `out`.
pub fn send(t: Oid, bytes: &[u8], out: &mut Vec<u8>) -> Result<()> {
    let sent = match t {
        type_oid::POINT => Point::from_bytes(bytes).map(|v| point_send(&v, out)),
        type_oid::LSEG => Lseg::from_bytes(bytes).map(|v| lseg_send(&v, out)),
        type_oid::PATH => Path::from_bytes(bytes).map(|v| path_send(&v, out)),
        type_oid::BOX => GeoBox::from_bytes(bytes).map(|v| box_send(&v, out)),
        type_oid::POLYGON => Polygon::from_bytes(bytes).map(|v| poly_send(&v, out)),
        type_oid::LINE => Line::from_bytes(bytes).map(|v| line_send(&v, out)),
        type_oid::CIRCLE => Circle::from_bytes(bytes).map(|v| circle_send(&v, out)),
        _ => None,
    };
    sent.ok_or_else(|| malformed(t))
}

/// The datum form of the binary form `bytes` of geometric type `t`.
pub fn recv(t: Oid, bytes: &[u8]) -> Result<Vec<u8>> {
    Ok(match t {
        type_oid::POINT => point_recv(bytes)?.to_bytes(),
        type_oid::LSEG => lseg_recv(bytes)?.to_bytes(),
        type_oid::PATH => path_recv(bytes)?.to_bytes(),
        type_oid::BOX => box_recv(bytes)?.to_bytes(),
        type_oid::POLYGON => poly_recv(bytes)?.to_bytes(),
        type_oid::LINE => line_recv(bytes)?.to_bytes(),
        type_oid::CIRCLE => circle_recv(bytes)?.to_bytes(),
        _ => return Err(malformed(t)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_read_with_or_without_parentheses() {
        assert_eq!(
            point_in(" ( 1 , 2 ) ").expect("ok"),
            Point { x: 1.0, y: 2.0 }
        );
        assert_eq!(point_in("1e2,-3").expect("ok"), Point { x: 100.0, y: -3.0 });
        let e = point_in("(1,2").expect_err("unbalanced");
        assert_eq!(e.message, "invalid input syntax for type point: \"(1,2\"");
        assert!(point_in("asdfasdf").is_err());
        assert!(point_in("(10.0,10.0").is_err());
    }

    #[test]
    fn text_forms_round_trip() {
        type RoundTrip = fn(&str) -> Result<String>;
        let cases: [(&str, RoundTrip); 7] = [
            ("(1,2)", |s| Ok(point_out(&point_in(s)?, 1))),
            ("[(1,2),(3,4)]", |s| Ok(lseg_out(&lseg_in(s)?, 1))),
            ("(3,4),(1,2)", |s| Ok(box_out(&box_in(s)?, 1))),
            ("{1,-1,0}", |s| Ok(line_out(&line_in(s)?, 1))),
            ("[(1,2),(3,4),(5,6)]", |s| Ok(path_out(&path_in(s)?, 1))),
            ("((1,2),(3,4),(5,6))", |s| Ok(poly_out(&poly_in(s)?, 1))),
            ("<(1,2),3>", |s| Ok(circle_out(&circle_in(s)?, 1))),
        ];
        for (text, f) in cases {
            assert_eq!(f(text).expect(text), text);
        }
    }

    #[test]
    fn box_corners_are_reordered_and_old_forms_accepted() {
        assert_eq!(
            box_out(&box_in("(1,2),(3,4)").expect("ok"), 1),
            "(3,4),(1,2)"
        );
        assert_eq!(box_out(&box_in("1,2,3,4").expect("ok"), 1), "(3,4),(1,2)");
        assert!(box_in("[(1,2),(3,4)]").is_err());
    }

    #[test]
    fn line_from_two_points_and_errors() {
        assert_eq!(
            line_out(&line_in("[(0,0),(1,1)]").expect("ok"), 1),
            "{1,-1,0}"
        );
        assert_eq!(
            line_in("{0,0,1}").expect_err("zero").message,
            "invalid line specification: A and B cannot both be zero"
        );
        assert_eq!(
            line_in("(1,1),(1,1)").expect_err("same").message,
            "invalid line specification: must be two distinct points"
        );
    }

    #[test]
    fn circles_accept_several_forms() {
        for text in [
            "<(1,2),3>",
            "((1,2),3)",
            "(1,2),3",
            "1,2,3",
            " < ( 1 , 2 ) , 3 > ",
        ] {
            assert_eq!(circle_out(&circle_in(text).expect(text), 1), "<(1,2),3>");
        }
        assert!(circle_in("<(1,2),-1>").is_err());
    }

    #[test]
    fn binary_forms_round_trip() {
        let p = path_in("[(1,2),(3,4)]").expect("ok");
        let mut out = Vec::new();
        path_send(&p, &mut out);
        assert_eq!(path_recv(&out).expect("ok"), p);
        let c = circle_in("<(1,2),3>").expect("ok");
        let mut out = Vec::new();
        circle_send(&c, &mut out);
        assert_eq!(circle_recv(&out).expect("ok"), c);
    }
}
