//! PostgreSQL's geometric types (docs §8.8, §9.11): `point`, `lseg`, `line`, `box`,
//! `path`, `polygon`, `circle`, their fuzzy comparisons and the geometry behind the
//! operators (distances, closest points, intersections, containment).
//!
//! Rules that every result depends on:
//! 1. Coordinates are `f64`; comparisons are fuzzy with [`EPSILON`] = 1.0E-06
//!    ([`fp_eq`], [`fp_lt`], ...), exactly as PostgreSQL's `FPeq`/`FPlt` macros, except
//!    where PostgreSQL compares exactly (box containment of a point, polygon bounding-box
//!    positions, circle containment of a point).
//! 2. Arithmetic goes through the checked float operations of [`super::float`], so a
//!    finite computation that overflows is 22003 `value out of range: overflow` and a
//!    zero divisor is 22012 `division by zero`, as in PostgreSQL.
//! 3. Points equal fuzzily, unless a NaN is involved: then only exactly equal
//!    coordinates (NaN equal to NaN) match.
//!
//! A value's datum form is its coordinates as little-endian `f64`s (see [`encode`] and
//! the `decode_*` functions): `point` x y; `lseg` x1 y1 x2 y2; `line` A B C; `box` high.x
//! high.y low.x low.y; `circle` x y r; `path` a closed flag byte then points; `polygon`
//! its points (the bounding box is recomputed on decode).
//!
//! Entry points: the value types ([`Point`], [`Lseg`], [`Line`], [`GeoBox`], [`Path`],
//! [`Polygon`], [`Circle`]), the algorithms below, text and binary forms in [`io`].
//!
//! See also: `executor::builtins::geo` (the SQL functions over these).

pub mod io;

use super::float::{float8_add, float8_div, float8_mul, float8_sub};
use super::float::{float_overflow_error, float_underflow_error};
use crate::Result;

/// The tolerance of geometric comparisons (`geo_decls.h`).
pub const EPSILON: f64 = 1.0e-6;

/// `FPzero`.
pub fn fp_zero(a: f64) -> bool {
    a.abs() <= EPSILON
}
/// `FPeq`.
pub fn fp_eq(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= EPSILON
}
/// `FPne`.
pub fn fp_ne(a: f64, b: f64) -> bool {
    a != b && (a - b).abs() > EPSILON
}
/// `FPlt`.
pub fn fp_lt(a: f64, b: f64) -> bool {
    a + EPSILON < b
}
/// `FPle`.
pub fn fp_le(a: f64, b: f64) -> bool {
    a <= b + EPSILON
}
/// `FPgt`.
pub fn fp_gt(a: f64, b: f64) -> bool {
    a > b + EPSILON
}
/// `FPge`.
pub fn fp_ge(a: f64, b: f64) -> bool {
    a + EPSILON >= b
}

/// Exact equality with NaN equal to NaN (`float8_eq`).
fn f_eq(a: f64, b: f64) -> bool {
    if a.is_nan() {
        b.is_nan()
    } else {
        !b.is_nan() && a == b
    }
}
/// `float8_lt`: NaN sorts above everything.
fn f_lt(a: f64, b: f64) -> bool {
    !a.is_nan() && (b.is_nan() || a < b)
}
/// `float8_gt`.
fn f_gt(a: f64, b: f64) -> bool {
    !b.is_nan() && (a.is_nan() || a > b)
}
fn f_min(a: f64, b: f64) -> f64 {
    if f_lt(a, b) {
        a
    } else {
        b
    }
}
fn f_max(a: f64, b: f64) -> f64 {
    if f_gt(a, b) {
        a
    } else {
        b
    }
}

/// `pg_hypot`: the hypotenuse without intermediate overflow; infinity wins over NaN.
///
/// Errors: 22003 overflow or underflow of the result.
pub fn hypot(x: f64, y: f64) -> Result<f64> {
    if x.is_infinite() || y.is_infinite() {
        return Ok(f64::INFINITY);
    }
    if x.is_nan() || y.is_nan() {
        return Ok(f64::NAN);
    }
    let (mut x, mut y) = (x.abs(), y.abs());
    if x < y {
        std::mem::swap(&mut x, &mut y);
    }
    if y == 0.0 {
        return Ok(x);
    }
    let yx = y / x;
    let result = x * (1.0 + yx * yx).sqrt();
    if result.is_infinite() {
        return Err(float_overflow_error());
    }
    if result == 0.0 {
        return Err(float_underflow_error());
    }
    Ok(result)
}

/// A point `(x,y)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    /// Abscissa.
    pub x: f64,
    /// Ordinate.
    pub y: f64,
}

/// A line segment between two points.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Lseg {
    /// The end points, in input order.
    pub p: [Point; 2],
}

/// An infinite line `Ax + By + C = 0` (A and B not both zero).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Line {
    /// A.
    pub a: f64,
    /// B.
    pub b: f64,
    /// C.
    pub c: f64,
}

/// A rectangle by its upper right and lower left corners (`high >= low` per axis).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GeoBox {
    /// Upper right corner.
    pub high: Point,
    /// Lower left corner.
    pub low: Point,
}

/// An open or closed path of at least one point.
#[derive(Clone, Debug, PartialEq)]
pub struct Path {
    /// Closed paths join the last point back to the first.
    pub closed: bool,
    /// The points.
    pub points: Vec<Point>,
}

/// A polygon of at least one point with its bounding box.
#[derive(Clone, Debug, PartialEq)]
pub struct Polygon {
    /// The vertices.
    pub points: Vec<Point>,
    /// The smallest box holding every vertex.
    pub bound: GeoBox,
}

/// A circle.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Circle {
    /// Center.
    pub center: Point,
    /// Radius (never negative; NaN allowed).
    pub radius: f64,
}

// ---------------------------------------------------------------- datum form

/// The datum form of a list of coordinates (little-endian `f64`s).
pub fn encode(values: &[f64]) -> Vec<u8> {
    let mut out = Vec::with_capacity(values.len() * 8);
    for v in values {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}

fn floats(bytes: &[u8]) -> Option<Vec<f64>> {
    if !bytes.len().is_multiple_of(8) {
        return None;
    }
    Some(
        bytes
            .chunks_exact(8)
            .map(|c| f64::from_le_bytes(c.try_into().expect("chunks of eight")))
            .collect(),
    )
}

fn points_of(values: &[f64]) -> Vec<Point> {
    values
        .chunks_exact(2)
        .map(|c| Point { x: c[0], y: c[1] })
        .collect()
}

impl Point {
    /// The datum form.
    pub fn to_bytes(&self) -> Vec<u8> {
        encode(&[self.x, self.y])
    }
    /// From the datum form.
    pub fn from_bytes(b: &[u8]) -> Option<Point> {
        match floats(b)?.as_slice() {
            [x, y] => Some(Point { x: *x, y: *y }),
            _ => None,
        }
    }
}

impl Lseg {
    /// The datum form.
    pub fn to_bytes(&self) -> Vec<u8> {
        encode(&[self.p[0].x, self.p[0].y, self.p[1].x, self.p[1].y])
    }
    /// From the datum form.
    pub fn from_bytes(b: &[u8]) -> Option<Lseg> {
        match floats(b)?.as_slice() {
            [a, b, c, d] => Some(Lseg {
                p: [Point { x: *a, y: *b }, Point { x: *c, y: *d }],
            }),
            _ => None,
        }
    }
}

impl Line {
    /// The datum form.
    pub fn to_bytes(&self) -> Vec<u8> {
        encode(&[self.a, self.b, self.c])
    }
    /// From the datum form.
    pub fn from_bytes(b: &[u8]) -> Option<Line> {
        match floats(b)?.as_slice() {
            [a, b, c] => Some(Line {
                a: *a,
                b: *b,
                c: *c,
            }),
            _ => None,
        }
    }
}

impl GeoBox {
    /// The datum form.
    pub fn to_bytes(&self) -> Vec<u8> {
        encode(&[self.high.x, self.high.y, self.low.x, self.low.y])
    }
    /// From the datum form.
    pub fn from_bytes(b: &[u8]) -> Option<GeoBox> {
        match floats(b)?.as_slice() {
            [a, b, c, d] => Some(GeoBox {
                high: Point { x: *a, y: *b },
                low: Point { x: *c, y: *d },
            }),
            _ => None,
        }
    }
}

impl Circle {
    /// The datum form.
    pub fn to_bytes(&self) -> Vec<u8> {
        encode(&[self.center.x, self.center.y, self.radius])
    }
    /// From the datum form.
    pub fn from_bytes(b: &[u8]) -> Option<Circle> {
        match floats(b)?.as_slice() {
            [x, y, r] => Some(Circle {
                center: Point { x: *x, y: *y },
                radius: *r,
            }),
            _ => None,
        }
    }
}

impl Path {
    /// The datum form.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = vec![u8::from(self.closed)];
        for p in &self.points {
            out.extend_from_slice(&p.x.to_le_bytes());
            out.extend_from_slice(&p.y.to_le_bytes());
        }
        out
    }
    /// From the datum form.
    pub fn from_bytes(b: &[u8]) -> Option<Path> {
        let (flag, rest) = b.split_first()?;
        let values = floats(rest)?;
        if !values.len().is_multiple_of(2) || values.is_empty() {
            return None;
        }
        Some(Path {
            closed: *flag != 0,
            points: points_of(&values),
        })
    }
}

impl Polygon {
    /// A polygon of `points` (at least one) with its bounding box.
    pub fn new(points: Vec<Point>) -> Polygon {
        let bound = bound_box(&points);
        Polygon { points, bound }
    }
    /// The datum form.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.points.len() * 16);
        for p in &self.points {
            out.extend_from_slice(&p.x.to_le_bytes());
            out.extend_from_slice(&p.y.to_le_bytes());
        }
        out
    }
    /// From the datum form.
    pub fn from_bytes(b: &[u8]) -> Option<Polygon> {
        let values = floats(b)?;
        if !values.len().is_multiple_of(2) || values.is_empty() {
            return None;
        }
        Some(Polygon::new(points_of(&values)))
    }
}

/// `make_bound_box`.
fn bound_box(points: &[Point]) -> GeoBox {
    let (mut x1, mut y1) = (points[0].x, points[0].y);
    let (mut x2, mut y2) = (x1, y1);
    for p in &points[1..] {
        if f_lt(p.x, x1) {
            x1 = p.x;
        }
        if f_gt(p.x, x2) {
            x2 = p.x;
        }
        if f_lt(p.y, y1) {
            y1 = p.y;
        }
        if f_gt(p.y, y2) {
            y2 = p.y;
        }
    }
    GeoBox {
        high: Point { x: x2, y: y2 },
        low: Point { x: x1, y: y1 },
    }
}

// ---------------------------------------------------------------- points

impl Point {
    /// `point_eq_point`: fuzzy, or exact when a NaN is involved (rule 3).
    pub fn same(&self, o: &Point) -> bool {
        if self.x.is_nan() || self.y.is_nan() || o.x.is_nan() || o.y.is_nan() {
            return f_eq(self.x, o.x) && f_eq(self.y, o.y);
        }
        fp_eq(self.x, o.x) && fp_eq(self.y, o.y)
    }
    /// Euclidean distance (`point_dt`).
    pub fn distance(&self, o: &Point) -> Result<f64> {
        hypot(float8_sub(self.x, o.x)?, float8_sub(self.y, o.y)?)
    }
    /// Slope of the line through both points; infinity when vertical (`point_sl`).
    pub fn slope(&self, o: &Point) -> Result<f64> {
        if fp_eq(self.x, o.x) {
            return Ok(f64::INFINITY);
        }
        if fp_eq(self.y, o.y) {
            return Ok(0.0);
        }
        float8_div(float8_sub(self.y, o.y)?, float8_sub(self.x, o.x)?)
    }
    /// Inverse slope (`point_invsl`).
    pub fn inverse_slope(&self, o: &Point) -> Result<f64> {
        if fp_eq(self.x, o.x) {
            return Ok(0.0);
        }
        if fp_eq(self.y, o.y) {
            return Ok(f64::INFINITY);
        }
        float8_div(float8_sub(self.x, o.x)?, float8_sub(o.y, self.y)?)
    }
    /// `+`.
    pub fn add(&self, o: &Point) -> Result<Point> {
        Ok(Point {
            x: float8_add(self.x, o.x)?,
            y: float8_add(self.y, o.y)?,
        })
    }
    /// `-`.
    pub fn sub(&self, o: &Point) -> Result<Point> {
        Ok(Point {
            x: float8_sub(self.x, o.x)?,
            y: float8_sub(self.y, o.y)?,
        })
    }
    /// `*` as complex multiplication (rotation and scaling).
    pub fn mul(&self, o: &Point) -> Result<Point> {
        Ok(Point {
            x: float8_sub(float8_mul(self.x, o.x)?, float8_mul(self.y, o.y)?)?,
            y: float8_add(float8_mul(self.x, o.y)?, float8_mul(self.y, o.x)?)?,
        })
    }
    /// `/` as complex division.
    pub fn div(&self, o: &Point) -> Result<Point> {
        let d = float8_add(float8_mul(o.x, o.x)?, float8_mul(o.y, o.y)?)?;
        Ok(Point {
            x: float8_div(
                float8_add(float8_mul(self.x, o.x)?, float8_mul(self.y, o.y)?)?,
                d,
            )?,
            y: float8_div(
                float8_sub(float8_mul(self.y, o.x)?, float8_mul(self.x, o.y)?)?,
                d,
            )?,
        })
    }
}

fn midpoint(a: &Point, b: &Point) -> Result<Point> {
    Ok(Point {
        x: float8_div(float8_add(a.x, b.x)?, 2.0)?,
        y: float8_div(float8_add(a.y, b.y)?, 2.0)?,
    })
}

// ---------------------------------------------------------------- lines

impl Line {
    /// The line through `pt` with slope `m` (`line_construct`).
    pub fn through(pt: &Point, m: f64) -> Result<Line> {
        Ok(if m.is_infinite() {
            Line {
                a: -1.0,
                b: 0.0,
                c: pt.x,
            }
        } else if m == 0.0 {
            Line {
                a: 0.0,
                b: -1.0,
                c: pt.y,
            }
        } else {
            let c = float8_sub(pt.y, float8_mul(m, pt.x)?)?;
            Line {
                a: m,
                b: -1.0,
                c: if c == 0.0 { 0.0 } else { c },
            }
        })
    }
    /// Slope (`line_sl`).
    pub fn slope(&self) -> Result<f64> {
        if fp_zero(self.a) {
            return Ok(0.0);
        }
        if fp_zero(self.b) {
            return Ok(f64::INFINITY);
        }
        float8_div(self.a, -self.b)
    }
    /// Inverse slope (`line_invsl`).
    pub fn inverse_slope(&self) -> Result<f64> {
        if fp_zero(self.a) {
            return Ok(f64::INFINITY);
        }
        if fp_zero(self.b) {
            return Ok(0.0);
        }
        float8_div(self.b, self.a)
    }
    /// The intersection point, `None` for parallel (or identical) lines
    /// (`line_interpt_line`).
    pub fn intersection(&self, l2: &Line) -> Result<Option<Point>> {
        let l1 = self;
        let (x, y);
        if !fp_zero(l1.b) {
            if fp_eq(l2.a, float8_mul(l1.a, float8_div(l2.b, l1.b)?)?) {
                return Ok(None);
            }
            x = float8_div(
                float8_sub(float8_mul(l1.b, l2.c)?, float8_mul(l2.b, l1.c)?)?,
                float8_sub(float8_mul(l1.a, l2.b)?, float8_mul(l2.a, l1.b)?)?,
            )?;
            y = float8_div(-float8_add(float8_mul(l1.a, x)?, l1.c)?, l1.b)?;
        } else if !fp_zero(l2.b) {
            if fp_eq(l1.a, float8_mul(l2.a, float8_div(l1.b, l2.b)?)?) {
                return Ok(None);
            }
            x = float8_div(
                float8_sub(float8_mul(l2.b, l1.c)?, float8_mul(l1.b, l2.c)?)?,
                float8_sub(float8_mul(l2.a, l1.b)?, float8_mul(l1.a, l2.b)?)?,
            )?;
            y = float8_div(-float8_add(float8_mul(l2.a, x)?, l2.c)?, l2.b)?;
        } else {
            return Ok(None);
        }
        Ok(Some(Point {
            x: if x == 0.0 { 0.0 } else { x },
            y: if y == 0.0 { 0.0 } else { y },
        }))
    }
    /// Whether `pt` satisfies the equation, fuzzily (`line_contain_point`).
    pub fn contains(&self, pt: &Point) -> Result<bool> {
        Ok(fp_zero(float8_add(
            float8_add(float8_mul(self.a, pt.x)?, float8_mul(self.b, pt.y)?)?,
            self.c,
        )?))
    }
    /// The foot of the perpendicular from `pt` and its distance; NaN distance (and `pt`)
    /// when it cannot be found (`line_closept_point`).
    pub fn closest_point(&self, pt: &Point) -> Result<(f64, Point)> {
        let perpendicular = Line::through(pt, self.inverse_slope()?)?;
        match perpendicular.intersection(self)? {
            Some(p) => Ok((p.distance(pt)?, p)),
            None => Ok((f64::NAN, *pt)),
        }
    }
    /// `line_eq`: proportional parameters, or exactly equal ones when a NaN is involved.
    pub fn same(&self, l2: &Line) -> Result<bool> {
        let l1 = self;
        if [l1.a, l1.b, l1.c, l2.a, l2.b, l2.c]
            .iter()
            .any(|v| v.is_nan())
        {
            return Ok(f_eq(l1.a, l2.a) && f_eq(l1.b, l2.b) && f_eq(l1.c, l2.c));
        }
        let ratio = if !fp_zero(l2.a) {
            float8_div(l1.a, l2.a)?
        } else if !fp_zero(l2.b) {
            float8_div(l1.b, l2.b)?
        } else if !fp_zero(l2.c) {
            float8_div(l1.c, l2.c)?
        } else {
            1.0
        };
        Ok(fp_eq(l1.a, float8_mul(ratio, l2.a)?)
            && fp_eq(l1.b, float8_mul(ratio, l2.b)?)
            && fp_eq(l1.c, float8_mul(ratio, l2.c)?))
    }
    /// `line_perp`.
    pub fn perpendicular(&self, l2: &Line) -> Result<bool> {
        let l1 = self;
        if fp_zero(l1.a) {
            return Ok(fp_zero(l2.b));
        }
        if fp_zero(l2.a) {
            return Ok(fp_zero(l1.b));
        }
        if fp_zero(l1.b) {
            return Ok(fp_zero(l2.a));
        }
        if fp_zero(l2.b) {
            return Ok(fp_zero(l1.a));
        }
        Ok(fp_eq(
            float8_div(float8_mul(l1.a, l2.a)?, float8_mul(l1.b, l2.b)?)?,
            -1.0,
        ))
    }
    /// `line_distance`: zero unless parallel.
    pub fn distance(&self, l2: &Line) -> Result<f64> {
        let l1 = self;
        if l1.intersection(l2)?.is_some() {
            return Ok(0.0);
        }
        let ratio = if !fp_zero(l1.a) && !l1.a.is_nan() && !fp_zero(l2.a) && !l2.a.is_nan() {
            float8_div(l1.a, l2.a)?
        } else if !fp_zero(l1.b) && !l1.b.is_nan() && !fp_zero(l2.b) && !l2.b.is_nan() {
            float8_div(l1.b, l2.b)?
        } else {
            1.0
        };
        float8_div(
            float8_sub(l1.c, float8_mul(ratio, l2.c)?)?.abs(),
            hypot(l1.a, l1.b)?,
        )
    }
}

// ---------------------------------------------------------------- line segments

impl Lseg {
    /// The segment from `a` to `b`.
    pub fn new(a: Point, b: Point) -> Lseg {
        Lseg { p: [a, b] }
    }
    /// Slope (`lseg_sl`).
    pub fn slope(&self) -> Result<f64> {
        self.p[0].slope(&self.p[1])
    }
    /// Inverse slope (`lseg_invsl`).
    pub fn inverse_slope(&self) -> Result<f64> {
        self.p[0].inverse_slope(&self.p[1])
    }
    /// Length.
    pub fn length(&self) -> Result<f64> {
        self.p[0].distance(&self.p[1])
    }
    /// Midpoint (`lseg_center`).
    pub fn center(&self) -> Result<Point> {
        midpoint(&self.p[0], &self.p[1])
    }
    /// Whether `pt` lies on the segment, by the triangle inequality
    /// (`lseg_contain_point`).
    pub fn contains(&self, pt: &Point) -> Result<bool> {
        Ok(fp_eq(
            pt.distance(&self.p[0])? + pt.distance(&self.p[1])?,
            self.length()?,
        ))
    }
    /// Where the segment meets `line`, snapped to an end point that matches
    /// (`lseg_interpt_line`).
    pub fn intersect_line(&self, line: &Line) -> Result<Option<Point>> {
        let own = Line::through(&self.p[0], self.slope()?)?;
        let Some(interpt) = own.intersection(line)? else {
            return Ok(None);
        };
        if !self.contains(&interpt)? {
            return Ok(None);
        }
        Ok(Some(if self.p[0].same(&interpt) {
            self.p[0]
        } else if self.p[1].same(&interpt) {
            self.p[1]
        } else {
            interpt
        }))
    }
    /// Where two segments meet (`lseg_interpt_lseg`).
    pub fn intersect(&self, l2: &Lseg) -> Result<Option<Point>> {
        let line = Line::through(&l2.p[0], l2.slope()?)?;
        match self.intersect_line(&line)? {
            Some(p) if l2.contains(&p)? => Ok(Some(p)),
            _ => Ok(None),
        }
    }
    /// The point of the segment closest to `pt` and its distance
    /// (`lseg_closept_point`).
    pub fn closest_to_point(&self, pt: &Point) -> Result<(f64, Point)> {
        let perpendicular = Line::through(pt, self.p[0].inverse_slope(&self.p[1])?)?;
        let (_, closest) = self.closest_to_line(&perpendicular)?;
        Ok((closest.distance(pt)?, closest))
    }
    /// The point of the segment closest to `line` and its distance
    /// (`lseg_closept_line`).
    pub fn closest_to_line(&self, line: &Line) -> Result<(f64, Point)> {
        if let Some(p) = self.intersect_line(line)? {
            return Ok((0.0, p));
        }
        let d1 = line.closest_point(&self.p[0])?.0;
        let d2 = line.closest_point(&self.p[1])?.0;
        Ok(if d1 < d2 {
            (d1, self.p[0])
        } else {
            (d2, self.p[1])
        })
    }
    /// The point of this segment closest to `to` and the distance between them
    /// (`lseg_closept_lseg`).
    pub fn closest_to_lseg(&self, to: &Lseg) -> Result<(f64, Point)> {
        if let Some(p) = self.intersect(to)? {
            return Ok((0.0, p));
        }
        let (mut dist, mut result) = self.closest_to_point(&to.p[0])?;
        let (d, p) = self.closest_to_point(&to.p[1])?;
        if f_lt(d, dist) {
            dist = d;
            result = p;
        }
        for own in self.p {
            let d = to.closest_to_point(&own)?.0;
            if f_lt(d, dist) {
                dist = d;
                result = own;
            }
        }
        Ok((dist, result))
    }
    /// `lseg_eq`.
    pub fn same(&self, o: &Lseg) -> bool {
        self.p[0].same(&o.p[0]) && self.p[1].same(&o.p[1])
    }
}

// ---------------------------------------------------------------- boxes

impl GeoBox {
    /// The box with corners `a` and `b` in any order (`box_construct`).
    pub fn from_corners(a: &Point, b: &Point) -> GeoBox {
        let (hx, lx) = if f_gt(a.x, b.x) {
            (a.x, b.x)
        } else {
            (b.x, a.x)
        };
        let (hy, ly) = if f_gt(a.y, b.y) {
            (a.y, b.y)
        } else {
            (b.y, a.y)
        };
        GeoBox {
            high: Point { x: hx, y: hy },
            low: Point { x: lx, y: ly },
        }
    }
    /// Puts the corners in order when input gave them swapped (`box_in`, `box_recv`).
    pub fn normalized(mut self) -> GeoBox {
        if f_lt(self.high.x, self.low.x) {
            std::mem::swap(&mut self.high.x, &mut self.low.x);
        }
        if f_lt(self.high.y, self.low.y) {
            std::mem::swap(&mut self.high.y, &mut self.low.y);
        }
        self
    }
    /// Width.
    pub fn width(&self) -> Result<f64> {
        float8_sub(self.high.x, self.low.x)
    }
    /// Height.
    pub fn height(&self) -> Result<f64> {
        float8_sub(self.high.y, self.low.y)
    }
    /// Area.
    pub fn area(&self) -> Result<f64> {
        float8_mul(self.width()?, self.height()?)
    }
    /// Center (`box_cn`).
    pub fn center(&self) -> Result<Point> {
        midpoint(&self.high, &self.low)
    }
    /// `box_same`.
    pub fn same(&self, o: &GeoBox) -> bool {
        self.high.same(&o.high) && self.low.same(&o.low)
    }
    /// Whether the boxes overlap, fuzzily (`box_ov`).
    pub fn overlaps(&self, o: &GeoBox) -> bool {
        fp_le(self.low.x, o.high.x)
            && fp_le(o.low.x, self.high.x)
            && fp_le(self.low.y, o.high.y)
            && fp_le(o.low.y, self.high.y)
    }
    /// Whether `o` is inside this box or on its border, fuzzily (`box_contain_box`).
    pub fn contains_box(&self, o: &GeoBox) -> bool {
        fp_ge(self.high.x, o.high.x)
            && fp_le(self.low.x, o.low.x)
            && fp_ge(self.high.y, o.high.y)
            && fp_le(self.low.y, o.low.y)
    }
    /// Whether `pt` is inside the box or on its border, exactly (`box_contain_point`).
    pub fn contains_point(&self, pt: &Point) -> bool {
        self.high.x >= pt.x && self.low.x <= pt.x && self.high.y >= pt.y && self.low.y <= pt.y
    }
    /// The four sides, in PostgreSQL's order of examination.
    fn sides(&self) -> [Lseg; 4] {
        let upper_left = Point {
            x: self.low.x,
            y: self.high.y,
        };
        let lower_right = Point {
            x: self.high.x,
            y: self.low.y,
        };
        [
            Lseg::new(self.low, upper_left),
            Lseg::new(self.high, upper_left),
            Lseg::new(self.low, lower_right),
            Lseg::new(self.high, lower_right),
        ]
    }
    /// Whether the segment touches or crosses the box, and with `want_point` the point of
    /// the segment closest to the box's center (`box_interpt_lseg`).
    pub fn intersect_lseg(&self, lseg: &Lseg, want_point: bool) -> Result<(bool, Option<Point>)> {
        let lbox = GeoBox {
            low: Point {
                x: f_min(lseg.p[0].x, lseg.p[1].x),
                y: f_min(lseg.p[0].y, lseg.p[1].y),
            },
            high: Point {
                x: f_max(lseg.p[0].x, lseg.p[1].x),
                y: f_max(lseg.p[0].y, lseg.p[1].y),
            },
        };
        if !lbox.overlaps(self) {
            return Ok((false, None));
        }
        let point = if want_point {
            Some(lseg.closest_to_point(&self.center()?)?.1)
        } else {
            None
        };
        if self.contains_point(&lseg.p[0]) || self.contains_point(&lseg.p[1]) {
            return Ok((true, point));
        }
        for side in self.sides() {
            if side.intersect(lseg)?.is_some() {
                return Ok((true, point));
            }
        }
        Ok((false, None))
    }
    /// The point in or on the box closest to `pt` and its distance
    /// (`box_closept_point`).
    pub fn closest_to_point(&self, pt: &Point) -> Result<(f64, Point)> {
        if self.contains_point(pt) {
            return Ok((0.0, *pt));
        }
        let sides = self.sides();
        let (mut dist, mut result) = sides[0].closest_to_point(pt)?;
        for side in &sides[1..] {
            let (d, p) = side.closest_to_point(pt)?;
            if f_lt(d, dist) {
                dist = d;
                result = p;
            }
        }
        Ok((dist, result))
    }
    /// The point in or on the box closest to `lseg` and its distance
    /// (`box_closept_lseg`).
    pub fn closest_to_lseg(&self, lseg: &Lseg) -> Result<(f64, Point)> {
        if let (true, p) = self.intersect_lseg(lseg, true)? {
            return Ok((0.0, p.expect("asked for the point")));
        }
        let sides = self.sides();
        let (mut dist, mut result) = sides[0].closest_to_lseg(lseg)?;
        for side in &sides[1..] {
            let (d, p) = side.closest_to_lseg(lseg)?;
            if f_lt(d, dist) {
                dist = d;
                result = p;
            }
        }
        Ok((dist, result))
    }
    /// Whether `line` crosses a side of the box (`inter_lb`).
    pub fn intersects_line(&self, line: &Line) -> Result<bool> {
        let ll = self.low;
        let ul = Point {
            x: self.low.x,
            y: self.high.y,
        };
        let ur = self.high;
        let lr = Point {
            x: self.high.x,
            y: self.low.y,
        };
        for side in [
            Lseg::new(ll, ul),
            Lseg::new(ur, ul),
            Lseg::new(ur, lr),
            Lseg::new(ll, lr),
        ] {
            if side.intersect_line(line)?.is_some() {
                return Ok(true);
            }
        }
        Ok(false)
    }
    /// The smallest box holding both (`boxes_bound_box`).
    pub fn bound_with(&self, o: &GeoBox) -> GeoBox {
        GeoBox {
            high: Point {
                x: f_max(self.high.x, o.high.x),
                y: f_max(self.high.y, o.high.y),
            },
            low: Point {
                x: f_min(self.low.x, o.low.x),
                y: f_min(self.low.y, o.low.y),
            },
        }
    }
    /// The overlapping part, `None` when the boxes do not overlap (`box_intersect`).
    pub fn intersection(&self, o: &GeoBox) -> Option<GeoBox> {
        if !self.overlaps(o) {
            return None;
        }
        Some(GeoBox {
            high: Point {
                x: f_min(self.high.x, o.high.x),
                y: f_min(self.high.y, o.high.y),
            },
            low: Point {
                x: f_max(self.low.x, o.low.x),
                y: f_max(self.low.y, o.low.y),
            },
        })
    }
}

// ---------------------------------------------------------------- circles

impl Circle {
    /// Area.
    pub fn area(&self) -> Result<f64> {
        float8_mul(float8_mul(self.radius, self.radius)?, std::f64::consts::PI)
    }
    /// `circle_same`: NaN radii match each other.
    pub fn same(&self, o: &Circle) -> bool {
        ((self.radius.is_nan() && o.radius.is_nan()) || fp_eq(self.radius, o.radius))
            && self.center.same(&o.center)
    }
    /// The polygon of `npts` points on the circle (`circle_poly`).
    ///
    /// Errors: 0A000 for radius zero, 22023 for fewer than two points.
    pub fn to_polygon(&self, npts: i32) -> Result<Polygon> {
        if fp_zero(self.radius) {
            return Err(crate::pg_err!(
                FEATURE_NOT_SUPPORTED,
                "cannot convert circle with radius zero to polygon"
            ));
        }
        if npts < 2 {
            return Err(crate::pg_err!(
                INVALID_PARAMETER_VALUE,
                "must request at least 2 points"
            ));
        }
        if npts as usize > (i32::MAX as usize) / 16 {
            return Err(crate::pg_err!(
                PROGRAM_LIMIT_EXCEEDED,
                "too many points requested"
            ));
        }
        let step = float8_div(2.0 * std::f64::consts::PI, f64::from(npts))?;
        let mut points = Vec::with_capacity(npts as usize);
        for i in 0..npts {
            let angle = float8_mul(step, f64::from(i))?;
            points.push(Point {
                x: float8_sub(self.center.x, float8_mul(self.radius, angle.cos())?)?,
                y: float8_add(self.center.y, float8_mul(self.radius, angle.sin())?)?,
            });
        }
        Ok(Polygon::new(points))
    }
}

// ---------------------------------------------------------------- paths and polygons

/// The segments of a path: consecutive points, plus the closing one of a closed path
/// first (PostgreSQL's `iprev` walk).
pub fn path_segments(points: &[Point], closed: bool) -> Vec<Lseg> {
    let mut out = Vec::with_capacity(points.len());
    for i in 0..points.len() {
        let prev = if i > 0 {
            i - 1
        } else if closed {
            points.len() - 1
        } else {
            continue;
        };
        out.push(Lseg::new(points[prev], points[i]));
    }
    out
}

impl Path {
    /// Total length of the segments.
    pub fn length(&self) -> Result<f64> {
        let mut total = 0.0;
        for s in path_segments(&self.points, self.closed) {
            total = float8_add(total, s.length()?)?;
        }
        Ok(total)
    }
    /// Area of a closed path (shoelace formula); `None` for an open one.
    pub fn area(&self) -> Result<Option<f64>> {
        if !self.closed {
            return Ok(None);
        }
        let n = self.points.len();
        let mut area = 0.0;
        for i in 0..n {
            let (p, q) = (self.points[i], self.points[(i + 1) % n]);
            area = float8_add(area, float8_mul(p.x, q.y)?)?;
            area = float8_sub(area, float8_mul(p.y, q.x)?)?;
        }
        Ok(Some(float8_div(area.abs(), 2.0)?))
    }
    /// Smallest distance from `pt` to a segment (`dist_ppath_internal`).
    pub fn distance_to_point(&self, pt: &Point) -> Result<f64> {
        let mut best: Option<f64> = None;
        for s in path_segments(&self.points, self.closed) {
            let d = s.closest_to_point(pt)?.0;
            if best.is_none_or(|b| f_lt(d, b)) {
                best = Some(d);
            }
        }
        Ok(best.unwrap_or(0.0))
    }
    /// Whether `pt` is on an open path or inside a closed one (`on_ppath`).
    pub fn contains_point(&self, pt: &Point) -> Result<bool> {
        if !self.closed {
            let mut a = pt.distance(&self.points[0])?;
            for w in self.points.windows(2) {
                let b = pt.distance(&w[1])?;
                if fp_eq(float8_add(a, b)?, w[0].distance(&w[1])?) {
                    return Ok(true);
                }
                a = b;
            }
            return Ok(false);
        }
        Ok(point_inside(pt, &self.points)? != Inside::Outside)
    }
    /// Whether any segments of the two paths meet (`path_inter`).
    pub fn intersects(&self, o: &Path) -> Result<bool> {
        if !bound_box(&self.points).overlaps(&bound_box(&o.points)) {
            return Ok(false);
        }
        let theirs = path_segments(&o.points, o.closed);
        for s1 in path_segments(&self.points, self.closed) {
            for s2 in &theirs {
                if s1.intersect(s2)?.is_some() {
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }
    /// The smallest distance between segments of the two paths; `None` when either has
    /// no segment (`path_distance`).
    pub fn distance(&self, o: &Path) -> Result<Option<f64>> {
        segments_distance(
            &path_segments(&self.points, self.closed),
            &path_segments(&o.points, o.closed),
        )
    }
}

fn segments_distance(a: &[Lseg], b: &[Lseg]) -> Result<Option<f64>> {
    let mut best: Option<f64> = None;
    for s1 in a {
        for s2 in b {
            let d = s1.closest_to_lseg(s2)?.0;
            if best.is_none_or(|m| f_lt(d, m)) {
                best = Some(d);
            }
        }
    }
    Ok(best)
}

/// Where a point lies relative to a polygon (`point_inside`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Inside {
    /// Outside.
    Outside,
    /// Strictly inside.
    Inside,
    /// On an edge or vertex.
    OnEdge,
}

/// A crossing of the positive X axis by one edge (`lseg_crossing`): the winding
/// contribution, or `None` when the edge passes through the origin.
fn lseg_crossing(x: f64, y: f64, prev_x: f64, prev_y: f64) -> Result<Option<i32>> {
    if fp_zero(y) {
        if fp_zero(x) {
            return Ok(None);
        }
        if fp_gt(x, 0.0) {
            if fp_zero(prev_y) {
                return Ok(if fp_gt(prev_x, 0.0) { Some(0) } else { None });
            }
            return Ok(Some(if fp_lt(prev_y, 0.0) { 1 } else { -1 }));
        }
        if fp_zero(prev_y) {
            return Ok(if fp_lt(prev_x, 0.0) { Some(0) } else { None });
        }
        return Ok(Some(0));
    }
    let y_sign = if fp_gt(y, 0.0) { 1 } else { -1 };
    if fp_zero(prev_y) {
        return Ok(Some(if fp_lt(prev_x, 0.0) { 0 } else { y_sign }));
    }
    if (y_sign < 0 && fp_lt(prev_y, 0.0)) || (y_sign > 0 && fp_gt(prev_y, 0.0)) {
        return Ok(Some(0));
    }
    if fp_ge(x, 0.0) && fp_gt(prev_x, 0.0) {
        return Ok(Some(2 * y_sign));
    }
    if fp_lt(x, 0.0) && fp_le(prev_x, 0.0) {
        return Ok(Some(0));
    }
    let z = float8_sub(
        float8_mul(float8_sub(x, prev_x)?, y)?,
        float8_mul(float8_sub(y, prev_y)?, x)?,
    )?;
    if fp_zero(z) {
        return Ok(None);
    }
    if (y_sign < 0 && fp_lt(z, 0.0)) || (y_sign > 0 && fp_gt(z, 0.0)) {
        return Ok(Some(0));
    }
    Ok(Some(2 * y_sign))
}

/// Whether `p` is inside the polygon `plist`, on its boundary, or outside, by summing
/// edge crossings of the ray from `p` to the right (`point_inside`).
pub fn point_inside(p: &Point, plist: &[Point]) -> Result<Inside> {
    let x0 = float8_sub(plist[0].x, p.x)?;
    let y0 = float8_sub(plist[0].y, p.y)?;
    let (mut prev_x, mut prev_y) = (x0, y0);
    let mut total = 0;
    for q in &plist[1..] {
        let x = float8_sub(q.x, p.x)?;
        let y = float8_sub(q.y, p.y)?;
        match lseg_crossing(x, y, prev_x, prev_y)? {
            None => return Ok(Inside::OnEdge),
            Some(c) => total += c,
        }
        prev_x = x;
        prev_y = y;
    }
    match lseg_crossing(x0, y0, prev_x, prev_y)? {
        None => return Ok(Inside::OnEdge),
        Some(c) => total += c,
    }
    Ok(if total != 0 {
        Inside::Inside
    } else {
        Inside::Outside
    })
}

/// Whether two point lists are the same cycle in either direction (`plist_same`).
fn plist_same(p1: &[Point], p2: &[Point]) -> bool {
    let n = p1.len();
    for i in 0..n {
        if !p2[i].same(&p1[0]) {
            continue;
        }
        if (1..n).all(|ii| p2[(i + ii) % n].same(&p1[ii])) {
            return true;
        }
        if (1..n).all(|ii| p2[(i + n - ii % n) % n].same(&p1[ii])) {
            return true;
        }
    }
    false
}

impl Polygon {
    /// `poly_same`.
    pub fn same(&self, o: &Polygon) -> bool {
        self.points.len() == o.points.len() && plist_same(&self.points, &o.points)
    }
    /// Whether the polygons share any point (`poly_overlap_internal`).
    pub fn overlaps(&self, o: &Polygon) -> Result<bool> {
        if !self.bound.overlaps(&o.bound) {
            return Ok(false);
        }
        for sa in path_segments(&self.points, true) {
            for sb in path_segments(&o.points, true) {
                if sa.intersect(&sb)?.is_some() {
                    return Ok(true);
                }
            }
        }
        Ok(point_inside(&self.points[0], &o.points)? != Inside::Outside
            || point_inside(&o.points[0], &self.points)? != Inside::Outside)
    }
    /// Whether `o` lies inside this polygon (`poly_contain_poly`).
    pub fn contains(&self, o: &Polygon) -> Result<bool> {
        if !self.bound.contains_box(&o.bound) {
            return Ok(false);
        }
        for s in path_segments(&o.points, true) {
            if !lseg_inside_poly(&s.p[0], &s.p[1], self, 0)? {
                return Ok(false);
            }
        }
        Ok(true)
    }
    /// Distance from `pt`, zero inside (`dist_ppoly_internal`).
    pub fn distance_to_point(&self, pt: &Point) -> Result<f64> {
        if point_inside(pt, &self.points)? != Inside::Outside {
            return Ok(0.0);
        }
        let n = self.points.len();
        let mut result = Lseg::new(self.points[0], self.points[n - 1])
            .closest_to_point(pt)?
            .0;
        for w in self.points.windows(2) {
            let d = Lseg::new(w[0], w[1]).closest_to_point(pt)?.0;
            if f_lt(d, result) {
                result = d;
            }
        }
        Ok(result)
    }
    /// `poly_distance`: zero when they overlap, else the closest pair of edges.
    pub fn distance(&self, o: &Polygon) -> Result<f64> {
        if self.overlaps(o)? {
            return Ok(0.0);
        }
        Ok(segments_distance(
            &path_segments(&self.points, true),
            &path_segments(&o.points, true),
        )?
        .unwrap_or(0.0))
    }
    /// The mean of the vertices and their mean distance from it (`poly_to_circle`).
    pub fn to_circle(&self) -> Result<Circle> {
        let n = self.points.len() as f64;
        let mut center = Point { x: 0.0, y: 0.0 };
        for p in &self.points {
            center = center.add(p)?;
        }
        center = Point {
            x: float8_div(center.x, n)?,
            y: float8_div(center.y, n)?,
        };
        let mut radius = 0.0;
        for p in &self.points {
            radius = float8_add(radius, p.distance(&center)?)?;
        }
        Ok(Circle {
            center,
            radius: float8_div(radius, n)?,
        })
    }
}

/// With `a` on edge `s` and `b` not: whether segment `(a,b)` stays inside, following
/// PostgreSQL's `touched_lseg_inside_poly`.
fn touched_lseg_inside_poly(
    a: &Point,
    b: &Point,
    s: &Lseg,
    poly: &Polygon,
    start: usize,
) -> Result<bool> {
    let t = Lseg::new(*a, *b);
    if a.same(&s.p[0]) {
        if t.contains(&s.p[1])? {
            return lseg_inside_poly(b, &s.p[1], poly, start);
        }
    } else if a.same(&s.p[1]) {
        if t.contains(&s.p[0])? {
            return lseg_inside_poly(b, &s.p[0], poly, start);
        }
    } else if t.contains(&s.p[0])? {
        return lseg_inside_poly(b, &s.p[0], poly, start);
    } else if t.contains(&s.p[1])? {
        return lseg_inside_poly(b, &s.p[1], poly, start);
    }
    Ok(true)
}

/// Whether segment `(a,b)` lies inside `poly`, examining edges from `start` on
/// (`lseg_inside_poly`). Recursion depth is bounded by the number of edges.
fn lseg_inside_poly(a: &Point, b: &Point, poly: &Polygon, start: usize) -> Result<bool> {
    let n = poly.points.len();
    let t = Lseg::new(*a, *b);
    let mut s = Lseg::new(
        poly.points[if start == 0 { n - 1 } else { start - 1 }],
        poly.points[0],
    );
    let mut res = true;
    let mut intersection = false;
    let mut i = start;
    while i < n && res {
        s.p[1] = poly.points[i];
        if s.contains(&t.p[0])? {
            if s.contains(&t.p[1])? {
                return Ok(true);
            }
            res = touched_lseg_inside_poly(&t.p[0], &t.p[1], &s, poly, i + 1)?;
        } else if s.contains(&t.p[1])? {
            res = touched_lseg_inside_poly(&t.p[1], &t.p[0], &s, poly, i + 1)?;
        } else if let Some(interpt) = t.intersect(&s)? {
            intersection = true;
            res = lseg_inside_poly(&t.p[0], &interpt, poly, i + 1)?;
            if res {
                res = lseg_inside_poly(&t.p[1], &interpt, poly, i + 1)?;
            }
        }
        s.p[0] = s.p[1];
        i += 1;
    }
    if res && !intersection {
        let mid = midpoint(&t.p[0], &t.p[1])?;
        res = point_inside(&mid, &poly.points)? != Inside::Outside;
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pt(x: f64, y: f64) -> Point {
        Point { x, y }
    }

    #[test]
    fn fuzzy_comparisons_use_epsilon() {
        assert!(fp_eq(1.0, 1.0 + 1e-7));
        assert!(!fp_eq(1.0, 1.0 + 1e-5));
        assert!(fp_lt(1.0, 1.1));
        assert!(!fp_lt(1.0, 1.0 + 1e-7));
    }

    #[test]
    fn point_in_square_on_edge_and_outside() {
        let square = [pt(0.0, 0.0), pt(0.0, 2.0), pt(2.0, 2.0), pt(2.0, 0.0)];
        assert_eq!(
            point_inside(&pt(1.0, 1.0), &square).expect("ok"),
            Inside::Inside
        );
        assert_eq!(
            point_inside(&pt(0.0, 1.0), &square).expect("ok"),
            Inside::OnEdge
        );
        assert_eq!(
            point_inside(&pt(3.0, 1.0), &square).expect("ok"),
            Inside::Outside
        );
    }

    #[test]
    fn segments_cross_at_their_midpoints() {
        let a = Lseg::new(pt(0.0, 0.0), pt(2.0, 2.0));
        let b = Lseg::new(pt(0.0, 2.0), pt(2.0, 0.0));
        assert_eq!(a.intersect(&b).expect("ok"), Some(pt(1.0, 1.0)));
        let c = Lseg::new(pt(5.0, 5.0), pt(6.0, 5.0));
        assert_eq!(a.intersect(&c).expect("ok"), None);
    }

    #[test]
    fn polygon_containment_and_sameness() {
        let big = Polygon::new(vec![pt(0.0, 0.0), pt(0.0, 4.0), pt(4.0, 4.0), pt(4.0, 0.0)]);
        let small = Polygon::new(vec![pt(1.0, 1.0), pt(1.0, 2.0), pt(2.0, 2.0)]);
        assert!(big.contains(&small).expect("ok"));
        assert!(!small.contains(&big).expect("ok"));
        let rotated = Polygon::new(vec![pt(4.0, 4.0), pt(4.0, 0.0), pt(0.0, 0.0), pt(0.0, 4.0)]);
        assert!(big.same(&rotated));
        let reversed = Polygon::new(vec![pt(0.0, 0.0), pt(4.0, 0.0), pt(4.0, 4.0), pt(0.0, 4.0)]);
        assert!(big.same(&reversed));
    }

    #[test]
    fn datum_forms_round_trip() {
        let p = Path {
            closed: true,
            points: vec![pt(1.0, 2.0), pt(3.0, 4.0)],
        };
        assert_eq!(Path::from_bytes(&p.to_bytes()), Some(p));
        let b = GeoBox::from_corners(&pt(3.0, 1.0), &pt(1.0, 3.0));
        assert_eq!(b.high, pt(3.0, 3.0));
        assert_eq!(GeoBox::from_bytes(&b.to_bytes()), Some(b));
    }
}
