//! Geometric operators and functions (PostgreSQL docs §9.11, `geo_ops.c`) over `point`,
//! `lseg`, `line`, `box`, `path`, `polygon` and `circle`: positions (`<<`, `&<`, `|>>`,
//! ...), containment (`@>`, `<@`, `~=`), intersection (`?#`, `#`), distance (`<->`),
//! closest points (`##`), translation and rotation (`+ - * /`), measures (`area`,
//! `length`, `center`, ...), the conversions between the types, and subscripts
//! (`point[0]`, `lseg[1]`, ...).
//!
//! Values are `Datum::Bytea` in `tusk_types::adt::geo`'s datum form; the geometry lives
//! there, this module decodes arguments and encodes results.
//!
//! Entry points: `register` (called from `builtins/mod.rs`), [`subscript_fn`] (used by
//! expression compilation for `point[i]`-style subscripts).

use tusk_types::adt::float::{float8_add, float8_div, float8_mul, float8_sub};
use tusk_types::adt::geo::{fp_eq, fp_ge, fp_gt, fp_le, fp_lt, fp_ne, fp_zero};
use tusk_types::adt::geo::{hypot, Circle, GeoBox, Inside, Line, Lseg, Path, Point, Polygon};
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result};

use super::{reg, ScalarFn, Table};
use crate::EvalContext;

fn bytes<'a>(d: &'a Datum, what: &str) -> Result<&'a [u8]> {
    match d {
        Datum::Bytea(b) => Ok(b),
        other => Err(Error::internal(format!("{what} expected, got {other:?}"))),
    }
}
fn bad(what: &str) -> Error {
    Error::internal(format!("malformed {what} datum"))
}
fn pt(d: &Datum) -> Result<Point> {
    Point::from_bytes(bytes(d, "point")?).ok_or_else(|| bad("point"))
}
fn ls(d: &Datum) -> Result<Lseg> {
    Lseg::from_bytes(bytes(d, "lseg")?).ok_or_else(|| bad("lseg"))
}
fn ln(d: &Datum) -> Result<Line> {
    Line::from_bytes(bytes(d, "line")?).ok_or_else(|| bad("line"))
}
fn bx(d: &Datum) -> Result<GeoBox> {
    GeoBox::from_bytes(bytes(d, "box")?).ok_or_else(|| bad("box"))
}
fn pa(d: &Datum) -> Result<Path> {
    Path::from_bytes(bytes(d, "path")?).ok_or_else(|| bad("path"))
}
fn po(d: &Datum) -> Result<Polygon> {
    Polygon::from_bytes(bytes(d, "polygon")?).ok_or_else(|| bad("polygon"))
}
fn ci(d: &Datum) -> Result<Circle> {
    Circle::from_bytes(bytes(d, "circle")?).ok_or_else(|| bad("circle"))
}
fn f8(d: &Datum) -> Result<f64> {
    match d {
        Datum::Float8(v) => Ok(*v),
        other => Err(Error::internal(format!(
            "double precision expected, got {other:?}"
        ))),
    }
}

fn b(v: bool) -> Result<Datum> {
    Ok(Datum::Bool(v))
}
fn f(v: f64) -> Result<Datum> {
    Ok(Datum::Float8(v))
}
fn p(v: Point) -> Result<Datum> {
    Ok(Datum::Bytea(v.to_bytes()))
}
fn l(v: Lseg) -> Result<Datum> {
    Ok(Datum::Bytea(v.to_bytes()))
}
fn line(v: Line) -> Result<Datum> {
    Ok(Datum::Bytea(v.to_bytes()))
}
fn bo(v: GeoBox) -> Result<Datum> {
    Ok(Datum::Bytea(v.to_bytes()))
}
fn path(v: Path) -> Result<Datum> {
    Ok(Datum::Bytea(v.to_bytes()))
}
fn poly(v: Polygon) -> Result<Datum> {
    Ok(Datum::Bytea(v.to_bytes()))
}
fn circle(v: Circle) -> Result<Datum> {
    Ok(Datum::Bytea(v.to_bytes()))
}
/// A point, or NULL when the computation found none (a NaN distance or no answer).
fn maybe_point(found: Option<(f64, Point)>) -> Result<Datum> {
    match found {
        Some((d, pt)) if !d.is_nan() => p(pt),
        _ => Ok(Datum::Null),
    }
}

fn circle_distance_to(c: &Circle, d: f64) -> Result<f64> {
    let r = float8_sub(d, c.radius)?;
    Ok(if r < 0.0 { 0.0 } else { r })
}

fn map_points(
    points: &[Point],
    q: &Point,
    op: fn(&Point, &Point) -> Result<Point>,
) -> Result<Vec<Point>> {
    points.iter().map(|x| op(x, q)).collect()
}

fn register_points(t: &mut Table) {
    reg(t, &["point_above"], |_, a| {
        b(fp_gt(pt(&a[0])?.y, pt(&a[1])?.y))
    });
    reg(t, &["point_below"], |_, a| {
        b(fp_lt(pt(&a[0])?.y, pt(&a[1])?.y))
    });
    reg(t, &["point_left"], |_, a| {
        b(fp_lt(pt(&a[0])?.x, pt(&a[1])?.x))
    });
    reg(t, &["point_right"], |_, a| {
        b(fp_gt(pt(&a[0])?.x, pt(&a[1])?.x))
    });
    reg(t, &["point_vert"], |_, a| {
        b(fp_eq(pt(&a[0])?.x, pt(&a[1])?.x))
    });
    reg(t, &["point_horiz"], |_, a| {
        b(fp_eq(pt(&a[0])?.y, pt(&a[1])?.y))
    });
    reg(t, &["point_eq"], |_, a| b(pt(&a[0])?.same(&pt(&a[1])?)));
    reg(t, &["point_ne"], |_, a| b(!pt(&a[0])?.same(&pt(&a[1])?)));
    reg(t, &["point_distance"], |_, a| {
        f(pt(&a[0])?.distance(&pt(&a[1])?)?)
    });
    reg(
        t,
        &["point_slope"],
        |_, a| f(pt(&a[0])?.slope(&pt(&a[1])?)?),
    );
    reg(t, &["point_add"], |_, a| p(pt(&a[0])?.add(&pt(&a[1])?)?));
    reg(t, &["point_sub"], |_, a| p(pt(&a[0])?.sub(&pt(&a[1])?)?));
    reg(t, &["point_mul"], |_, a| p(pt(&a[0])?.mul(&pt(&a[1])?)?));
    reg(t, &["point_div"], |_, a| p(pt(&a[0])?.div(&pt(&a[1])?)?));
    reg(t, &["construct_point"], |_, a| {
        p(Point {
            x: f8(&a[0])?,
            y: f8(&a[1])?,
        })
    });
    reg(t, &["point_box"], |_, a| {
        let q = pt(&a[0])?;
        bo(GeoBox { high: q, low: q })
    });
    reg(t, &["points_box"], |_, a| {
        bo(GeoBox::from_corners(&pt(&a[0])?, &pt(&a[1])?))
    });
}

fn register_lsegs(t: &mut Table) {
    reg(t, &["lseg_construct"], |_, a| {
        l(Lseg::new(pt(&a[0])?, pt(&a[1])?))
    });
    reg(t, &["lseg_length"], |_, a| f(ls(&a[0])?.length()?));
    reg(t, &["lseg_center"], |_, a| p(ls(&a[0])?.center()?));
    reg(t, &["lseg_distance"], |_, a| {
        f(ls(&a[0])?.closest_to_lseg(&ls(&a[1])?)?.0)
    });
    reg(t, &["lseg_eq"], |_, a| b(ls(&a[0])?.same(&ls(&a[1])?)));
    reg(t, &["lseg_ne"], |_, a| b(!ls(&a[0])?.same(&ls(&a[1])?)));
    reg(t, &["lseg_lt"], |_, a| {
        b(fp_lt(ls(&a[0])?.length()?, ls(&a[1])?.length()?))
    });
    reg(t, &["lseg_le"], |_, a| {
        b(fp_le(ls(&a[0])?.length()?, ls(&a[1])?.length()?))
    });
    reg(t, &["lseg_gt"], |_, a| {
        b(fp_gt(ls(&a[0])?.length()?, ls(&a[1])?.length()?))
    });
    reg(t, &["lseg_ge"], |_, a| {
        b(fp_ge(ls(&a[0])?.length()?, ls(&a[1])?.length()?))
    });
    reg(t, &["lseg_parallel"], |_, a| {
        b(fp_eq(ls(&a[0])?.slope()?, ls(&a[1])?.slope()?))
    });
    reg(t, &["lseg_perp"], |_, a| {
        b(fp_eq(ls(&a[0])?.slope()?, ls(&a[1])?.inverse_slope()?))
    });
    reg(t, &["lseg_vertical"], |_, a| {
        let s = ls(&a[0])?;
        b(fp_eq(s.p[0].x, s.p[1].x))
    });
    reg(t, &["lseg_horizontal"], |_, a| {
        let s = ls(&a[0])?;
        b(fp_eq(s.p[0].y, s.p[1].y))
    });
    reg(t, &["lseg_intersect"], |_, a| {
        b(ls(&a[0])?.intersect(&ls(&a[1])?)?.is_some())
    });
    reg(t, &["lseg_interpt"], |_, a| {
        match ls(&a[0])?.intersect(&ls(&a[1])?)? {
            Some(q) => p(q),
            None => Ok(Datum::Null),
        }
    });
}

fn register_lines(t: &mut Table) {
    reg(t, &["line_construct_pp"], |_, a| {
        let (p1, p2) = (pt(&a[0])?, pt(&a[1])?);
        if p1.same(&p2) {
            return Err(pg_err!(
                INVALID_PARAMETER_VALUE,
                "invalid line specification: must be two distinct points"
            ));
        }
        line(Line::through(&p1, p1.slope(&p2)?)?)
    });
    reg(t, &["line_intersect"], |_, a| {
        b(ln(&a[0])?.intersection(&ln(&a[1])?)?.is_some())
    });
    reg(t, &["line_parallel"], |_, a| {
        b(ln(&a[0])?.intersection(&ln(&a[1])?)?.is_none())
    });
    reg(t, &["line_perp"], |_, a| {
        b(ln(&a[0])?.perpendicular(&ln(&a[1])?)?)
    });
    reg(t, &["line_vertical"], |_, a| b(fp_zero(ln(&a[0])?.b)));
    reg(t, &["line_horizontal"], |_, a| b(fp_zero(ln(&a[0])?.a)));
    reg(t, &["line_eq"], |_, a| b(ln(&a[0])?.same(&ln(&a[1])?)?));
    reg(t, &["line_distance"], |_, a| {
        f(ln(&a[0])?.distance(&ln(&a[1])?)?)
    });
    reg(t, &["line_interpt"], |_, a| {
        match ln(&a[0])?.intersection(&ln(&a[1])?)? {
            Some(q) => p(q),
            None => Ok(Datum::Null),
        }
    });
}

fn register_boxes(t: &mut Table) {
    reg(t, &["box_same"], |_, a| b(bx(&a[0])?.same(&bx(&a[1])?)));
    reg(t, &["box_overlap"], |_, a| {
        b(bx(&a[0])?.overlaps(&bx(&a[1])?))
    });
    reg(t, &["box_left"], |_, a| {
        b(fp_lt(bx(&a[0])?.high.x, bx(&a[1])?.low.x))
    });
    reg(t, &["box_overleft"], |_, a| {
        b(fp_le(bx(&a[0])?.high.x, bx(&a[1])?.high.x))
    });
    reg(t, &["box_right"], |_, a| {
        b(fp_gt(bx(&a[0])?.low.x, bx(&a[1])?.high.x))
    });
    reg(t, &["box_overright"], |_, a| {
        b(fp_ge(bx(&a[0])?.low.x, bx(&a[1])?.low.x))
    });
    reg(t, &["box_below"], |_, a| {
        b(fp_lt(bx(&a[0])?.high.y, bx(&a[1])?.low.y))
    });
    reg(t, &["box_overbelow"], |_, a| {
        b(fp_le(bx(&a[0])?.high.y, bx(&a[1])?.high.y))
    });
    reg(t, &["box_above"], |_, a| {
        b(fp_gt(bx(&a[0])?.low.y, bx(&a[1])?.high.y))
    });
    reg(t, &["box_overabove"], |_, a| {
        b(fp_ge(bx(&a[0])?.low.y, bx(&a[1])?.low.y))
    });
    reg(t, &["box_below_eq"], |_, a| {
        b(fp_le(bx(&a[0])?.high.y, bx(&a[1])?.low.y))
    });
    reg(t, &["box_above_eq"], |_, a| {
        b(fp_ge(bx(&a[0])?.low.y, bx(&a[1])?.high.y))
    });
    reg(t, &["box_contained"], |_, a| {
        b(bx(&a[1])?.contains_box(&bx(&a[0])?))
    });
    reg(t, &["box_contain"], |_, a| {
        b(bx(&a[0])?.contains_box(&bx(&a[1])?))
    });
    reg(t, &["box_lt"], |_, a| {
        b(fp_lt(bx(&a[0])?.area()?, bx(&a[1])?.area()?))
    });
    reg(t, &["box_le"], |_, a| {
        b(fp_le(bx(&a[0])?.area()?, bx(&a[1])?.area()?))
    });
    reg(t, &["box_eq"], |_, a| {
        b(fp_eq(bx(&a[0])?.area()?, bx(&a[1])?.area()?))
    });
    reg(t, &["box_gt"], |_, a| {
        b(fp_gt(bx(&a[0])?.area()?, bx(&a[1])?.area()?))
    });
    reg(t, &["box_ge"], |_, a| {
        b(fp_ge(bx(&a[0])?.area()?, bx(&a[1])?.area()?))
    });
    reg(t, &["box_area"], |_, a| f(bx(&a[0])?.area()?));
    reg(t, &["box_width"], |_, a| f(bx(&a[0])?.width()?));
    reg(t, &["box_height"], |_, a| f(bx(&a[0])?.height()?));
    reg(t, &["box_distance"], |_, a| {
        f(bx(&a[0])?.center()?.distance(&bx(&a[1])?.center()?)?)
    });
    reg(t, &["box_center"], |_, a| p(bx(&a[0])?.center()?));
    reg(t, &["box_intersect"], |_, a| {
        match bx(&a[0])?.intersection(&bx(&a[1])?) {
            Some(r) => bo(r),
            None => Ok(Datum::Null),
        }
    });
    reg(t, &["box_diagonal"], |_, a| {
        let r = bx(&a[0])?;
        l(Lseg::new(r.high, r.low))
    });
    reg(t, &["box_add"], |_, a| {
        let (r, q) = (bx(&a[0])?, pt(&a[1])?);
        bo(GeoBox {
            high: r.high.add(&q)?,
            low: r.low.add(&q)?,
        })
    });
    reg(t, &["box_sub"], |_, a| {
        let (r, q) = (bx(&a[0])?, pt(&a[1])?);
        bo(GeoBox {
            high: r.high.sub(&q)?,
            low: r.low.sub(&q)?,
        })
    });
    reg(t, &["box_mul"], |_, a| {
        let (r, q) = (bx(&a[0])?, pt(&a[1])?);
        bo(GeoBox::from_corners(&r.high.mul(&q)?, &r.low.mul(&q)?))
    });
    reg(t, &["box_div"], |_, a| {
        let (r, q) = (bx(&a[0])?, pt(&a[1])?);
        bo(GeoBox::from_corners(&r.high.div(&q)?, &r.low.div(&q)?))
    });
    reg(t, &["boxes_bound_box"], |_, a| {
        bo(bx(&a[0])?.bound_with(&bx(&a[1])?))
    });
    reg(t, &["box_contain_pt"], |_, a| {
        b(bx(&a[0])?.contains_point(&pt(&a[1])?))
    });
    reg(t, &["box_poly"], |_, a| {
        let r = bx(&a[0])?;
        poly(Polygon {
            points: vec![
                r.low,
                Point {
                    x: r.low.x,
                    y: r.high.y,
                },
                r.high,
                Point {
                    x: r.high.x,
                    y: r.low.y,
                },
            ],
            bound: GeoBox::from_corners(&r.high, &r.low),
        })
    });
    reg(t, &["box_circle"], |_, a| {
        let r = bx(&a[0])?;
        let center = r.center()?;
        circle(Circle {
            center,
            radius: center.distance(&r.high)?,
        })
    });
}

fn register_paths(t: &mut Table) {
    reg(t, &["path_n_lt"], |_, a| {
        b(pa(&a[0])?.points.len() < pa(&a[1])?.points.len())
    });
    reg(t, &["path_n_gt"], |_, a| {
        b(pa(&a[0])?.points.len() > pa(&a[1])?.points.len())
    });
    reg(t, &["path_n_eq"], |_, a| {
        b(pa(&a[0])?.points.len() == pa(&a[1])?.points.len())
    });
    reg(t, &["path_n_le"], |_, a| {
        b(pa(&a[0])?.points.len() <= pa(&a[1])?.points.len())
    });
    reg(t, &["path_n_ge"], |_, a| {
        b(pa(&a[0])?.points.len() >= pa(&a[1])?.points.len())
    });
    reg(t, &["path_isclosed"], |_, a| b(pa(&a[0])?.closed));
    reg(t, &["path_isopen"], |_, a| b(!pa(&a[0])?.closed));
    reg(t, &["path_npoints"], |_, a| {
        Ok(Datum::Int4(pa(&a[0])?.points.len() as i32))
    });
    reg(t, &["path_close"], |_, a| {
        path(Path {
            closed: true,
            ..pa(&a[0])?
        })
    });
    reg(t, &["path_open"], |_, a| {
        path(Path {
            closed: false,
            ..pa(&a[0])?
        })
    });
    reg(t, &["path_inter"], |_, a| {
        b(pa(&a[0])?.intersects(&pa(&a[1])?)?)
    });
    reg(t, &["path_distance"], |_, a| {
        Ok(pa(&a[0])?
            .distance(&pa(&a[1])?)?
            .map_or(Datum::Null, Datum::Float8))
    });
    reg(t, &["path_length"], |_, a| f(pa(&a[0])?.length()?));
    reg(t, &["path_area"], |_, a| {
        Ok(pa(&a[0])?.area()?.map_or(Datum::Null, Datum::Float8))
    });
    reg(t, &["path_add"], |_, a| {
        let (p1, p2) = (pa(&a[0])?, pa(&a[1])?);
        if p1.closed || p2.closed {
            return Ok(Datum::Null);
        }
        let mut points = p1.points;
        points.extend(p2.points);
        path(Path {
            closed: false,
            points,
        })
    });
    reg(t, &["path_add_pt"], |_, a| path_map(a, Point::add));
    reg(t, &["path_sub_pt"], |_, a| path_map(a, Point::sub));
    reg(t, &["path_mul_pt"], |_, a| path_map(a, Point::mul));
    reg(t, &["path_div_pt"], |_, a| path_map(a, Point::div));
    reg(t, &["path_poly"], |_, a| {
        let q = pa(&a[0])?;
        if !q.closed {
            return Err(pg_err!(
                INVALID_PARAMETER_VALUE,
                "open path cannot be converted to polygon"
            ));
        }
        poly(Polygon::new(q.points))
    });
    reg(t, &["dist_ppath"], |_, a| {
        f(pa(&a[1])?.distance_to_point(&pt(&a[0])?)?)
    });
    reg(t, &["dist_pathp"], |_, a| {
        f(pa(&a[0])?.distance_to_point(&pt(&a[1])?)?)
    });
    reg(t, &["on_ppath"], |_, a| {
        b(pa(&a[1])?.contains_point(&pt(&a[0])?)?)
    });
    // SQL-language `path_contain_pt(path, point)`: `on_ppath($2, $1)`.
    reg(t, &["path_contain_pt"], |_, a| {
        b(pa(&a[0])?.contains_point(&pt(&a[1])?)?)
    });
}

fn path_map(a: &[Datum], op: fn(&Point, &Point) -> Result<Point>) -> Result<Datum> {
    let (q, by) = (pa(&a[0])?, pt(&a[1])?);
    path(Path {
        closed: q.closed,
        points: map_points(&q.points, &by, op)?,
    })
}

fn register_polygons(t: &mut Table) {
    reg(t, &["poly_left"], |_, a| {
        b(po(&a[0])?.bound.high.x < po(&a[1])?.bound.low.x)
    });
    reg(t, &["poly_overleft"], |_, a| {
        b(po(&a[0])?.bound.high.x <= po(&a[1])?.bound.high.x)
    });
    reg(t, &["poly_right"], |_, a| {
        b(po(&a[0])?.bound.low.x > po(&a[1])?.bound.high.x)
    });
    reg(t, &["poly_overright"], |_, a| {
        b(po(&a[0])?.bound.low.x >= po(&a[1])?.bound.low.x)
    });
    reg(t, &["poly_below"], |_, a| {
        b(po(&a[0])?.bound.high.y < po(&a[1])?.bound.low.y)
    });
    reg(t, &["poly_overbelow"], |_, a| {
        b(po(&a[0])?.bound.high.y <= po(&a[1])?.bound.high.y)
    });
    reg(t, &["poly_above"], |_, a| {
        b(po(&a[0])?.bound.low.y > po(&a[1])?.bound.high.y)
    });
    reg(t, &["poly_overabove"], |_, a| {
        b(po(&a[0])?.bound.low.y >= po(&a[1])?.bound.low.y)
    });
    reg(t, &["poly_same"], |_, a| b(po(&a[0])?.same(&po(&a[1])?)));
    reg(t, &["poly_overlap"], |_, a| {
        b(po(&a[0])?.overlaps(&po(&a[1])?)?)
    });
    reg(t, &["poly_contain"], |_, a| {
        b(po(&a[0])?.contains(&po(&a[1])?)?)
    });
    reg(t, &["poly_contained"], |_, a| {
        b(po(&a[1])?.contains(&po(&a[0])?)?)
    });
    reg(t, &["poly_contain_pt"], |_, a| {
        b(tusk_types::adt::geo::point_inside(&pt(&a[1])?, &po(&a[0])?.points)? != Inside::Outside)
    });
    reg(t, &["pt_contained_poly"], |_, a| {
        b(tusk_types::adt::geo::point_inside(&pt(&a[0])?, &po(&a[1])?.points)? != Inside::Outside)
    });
    reg(t, &["poly_distance"], |_, a| {
        f(po(&a[0])?.distance(&po(&a[1])?)?)
    });
    reg(t, &["poly_npoints"], |_, a| {
        Ok(Datum::Int4(po(&a[0])?.points.len() as i32))
    });
    reg(t, &["poly_center"], |_, a| {
        p(po(&a[0])?.to_circle()?.center)
    });
    reg(t, &["poly_box"], |_, a| bo(po(&a[0])?.bound));
    reg(t, &["poly_path"], |_, a| {
        path(Path {
            closed: true,
            points: po(&a[0])?.points,
        })
    });
    reg(t, &["poly_circle"], |_, a| circle(po(&a[0])?.to_circle()?));
    reg(t, &["dist_ppoly"], |_, a| {
        f(po(&a[1])?.distance_to_point(&pt(&a[0])?)?)
    });
    reg(t, &["dist_polyp"], |_, a| {
        f(po(&a[0])?.distance_to_point(&pt(&a[1])?)?)
    });
    reg(t, &["dist_cpoly"], |_, a| {
        let c = ci(&a[0])?;
        f(circle_distance_to(
            &c,
            po(&a[1])?.distance_to_point(&c.center)?,
        )?)
    });
    reg(t, &["dist_polyc"], |_, a| {
        let c = ci(&a[1])?;
        f(circle_distance_to(
            &c,
            po(&a[0])?.distance_to_point(&c.center)?,
        )?)
    });
}

fn circle_pair(a: &[Datum]) -> Result<(Circle, Circle)> {
    Ok((ci(&a[0])?, ci(&a[1])?))
}

fn register_circles(t: &mut Table) {
    reg(t, &["circle_same"], |_, a| {
        let (c1, c2) = circle_pair(a)?;
        b(c1.same(&c2))
    });
    reg(t, &["circle_overlap"], |_, a| {
        let (c1, c2) = circle_pair(a)?;
        b(fp_le(
            c1.center.distance(&c2.center)?,
            float8_add(c1.radius, c2.radius)?,
        ))
    });
    reg(t, &["circle_overleft"], |_, a| {
        let (c1, c2) = circle_pair(a)?;
        b(fp_le(
            float8_add(c1.center.x, c1.radius)?,
            float8_add(c2.center.x, c2.radius)?,
        ))
    });
    reg(t, &["circle_left"], |_, a| {
        let (c1, c2) = circle_pair(a)?;
        b(fp_lt(
            float8_add(c1.center.x, c1.radius)?,
            float8_sub(c2.center.x, c2.radius)?,
        ))
    });
    reg(t, &["circle_right"], |_, a| {
        let (c1, c2) = circle_pair(a)?;
        b(fp_gt(
            float8_sub(c1.center.x, c1.radius)?,
            float8_add(c2.center.x, c2.radius)?,
        ))
    });
    reg(t, &["circle_overright"], |_, a| {
        let (c1, c2) = circle_pair(a)?;
        b(fp_ge(
            float8_sub(c1.center.x, c1.radius)?,
            float8_sub(c2.center.x, c2.radius)?,
        ))
    });
    reg(t, &["circle_contained"], |_, a| {
        let (c1, c2) = circle_pair(a)?;
        b(fp_le(
            c1.center.distance(&c2.center)?,
            float8_sub(c2.radius, c1.radius)?,
        ))
    });
    reg(t, &["circle_contain"], |_, a| {
        let (c1, c2) = circle_pair(a)?;
        b(fp_le(
            c1.center.distance(&c2.center)?,
            float8_sub(c1.radius, c2.radius)?,
        ))
    });
    reg(t, &["circle_below"], |_, a| {
        let (c1, c2) = circle_pair(a)?;
        b(fp_lt(
            float8_add(c1.center.y, c1.radius)?,
            float8_sub(c2.center.y, c2.radius)?,
        ))
    });
    reg(t, &["circle_above"], |_, a| {
        let (c1, c2) = circle_pair(a)?;
        b(fp_gt(
            float8_sub(c1.center.y, c1.radius)?,
            float8_add(c2.center.y, c2.radius)?,
        ))
    });
    reg(t, &["circle_overbelow"], |_, a| {
        let (c1, c2) = circle_pair(a)?;
        b(fp_le(
            float8_add(c1.center.y, c1.radius)?,
            float8_add(c2.center.y, c2.radius)?,
        ))
    });
    reg(t, &["circle_overabove"], |_, a| {
        let (c1, c2) = circle_pair(a)?;
        b(fp_ge(
            float8_sub(c1.center.y, c1.radius)?,
            float8_sub(c2.center.y, c2.radius)?,
        ))
    });
    reg(t, &["circle_eq"], |_, a| {
        b(fp_eq(ci(&a[0])?.area()?, ci(&a[1])?.area()?))
    });
    reg(t, &["circle_ne"], |_, a| {
        b(fp_ne(ci(&a[0])?.area()?, ci(&a[1])?.area()?))
    });
    reg(t, &["circle_lt"], |_, a| {
        b(fp_lt(ci(&a[0])?.area()?, ci(&a[1])?.area()?))
    });
    reg(t, &["circle_gt"], |_, a| {
        b(fp_gt(ci(&a[0])?.area()?, ci(&a[1])?.area()?))
    });
    reg(t, &["circle_le"], |_, a| {
        b(fp_le(ci(&a[0])?.area()?, ci(&a[1])?.area()?))
    });
    reg(t, &["circle_ge"], |_, a| {
        b(fp_ge(ci(&a[0])?.area()?, ci(&a[1])?.area()?))
    });
    reg(t, &["circle_add_pt"], |_, a| {
        let c = ci(&a[0])?;
        circle(Circle {
            center: c.center.add(&pt(&a[1])?)?,
            radius: c.radius,
        })
    });
    reg(t, &["circle_sub_pt"], |_, a| {
        let c = ci(&a[0])?;
        circle(Circle {
            center: c.center.sub(&pt(&a[1])?)?,
            radius: c.radius,
        })
    });
    reg(t, &["circle_mul_pt"], |_, a| {
        let (c, q) = (ci(&a[0])?, pt(&a[1])?);
        circle(Circle {
            center: c.center.mul(&q)?,
            radius: float8_mul(c.radius, hypot(q.x, q.y)?)?,
        })
    });
    reg(t, &["circle_div_pt"], |_, a| {
        let (c, q) = (ci(&a[0])?, pt(&a[1])?);
        circle(Circle {
            center: c.center.div(&q)?,
            radius: float8_div(c.radius, hypot(q.x, q.y)?)?,
        })
    });
    reg(t, &["circle_area"], |_, a| f(ci(&a[0])?.area()?));
    reg(t, &["circle_diameter"], |_, a| {
        f(float8_mul(ci(&a[0])?.radius, 2.0)?)
    });
    reg(t, &["circle_radius"], |_, a| f(ci(&a[0])?.radius));
    reg(t, &["circle_distance"], |_, a| {
        let (c1, c2) = circle_pair(a)?;
        let r = float8_sub(
            c1.center.distance(&c2.center)?,
            float8_add(c1.radius, c2.radius)?,
        )?;
        f(if r < 0.0 { 0.0 } else { r })
    });
    reg(t, &["circle_contain_pt"], |_, a| {
        let c = ci(&a[0])?;
        b(c.center.distance(&pt(&a[1])?)? <= c.radius)
    });
    reg(t, &["pt_contained_circle"], |_, a| {
        let c = ci(&a[1])?;
        b(c.center.distance(&pt(&a[0])?)? <= c.radius)
    });
    reg(t, &["dist_pc"], |_, a| {
        let c = ci(&a[1])?;
        f(circle_distance_to(&c, pt(&a[0])?.distance(&c.center)?)?)
    });
    reg(t, &["dist_cpoint"], |_, a| {
        let c = ci(&a[0])?;
        f(circle_distance_to(&c, pt(&a[1])?.distance(&c.center)?)?)
    });
    reg(t, &["circle_center"], |_, a| p(ci(&a[0])?.center));
    reg(t, &["cr_circle"], |_, a| {
        circle(Circle {
            center: pt(&a[0])?,
            radius: f8(&a[1])?,
        })
    });
    reg(t, &["circle_box"], |_, a| {
        let c = ci(&a[0])?;
        let delta = float8_div(c.radius, 2f64.sqrt())?;
        bo(GeoBox {
            high: Point {
                x: float8_add(c.center.x, delta)?,
                y: float8_add(c.center.y, delta)?,
            },
            low: Point {
                x: float8_sub(c.center.x, delta)?,
                y: float8_sub(c.center.y, delta)?,
            },
        })
    });
    reg(t, &["circle_poly"], |_, a| {
        let n = match &a[0] {
            Datum::Int4(n) => *n,
            other => return Err(Error::internal(format!("integer expected, got {other:?}"))),
        };
        poly(ci(&a[1])?.to_polygon(n)?)
    });
    // SQL-language `polygon(circle)`: `polygon(12, $1)`.
    reg(t, &["polygon"], |_, a| poly(ci(&a[0])?.to_polygon(12)?));
}

fn register_mixed(t: &mut Table) {
    reg(t, &["dist_pl"], |_, a| {
        f(ln(&a[1])?.closest_point(&pt(&a[0])?)?.0)
    });
    reg(t, &["dist_lp"], |_, a| {
        f(ln(&a[0])?.closest_point(&pt(&a[1])?)?.0)
    });
    reg(t, &["dist_ps"], |_, a| {
        f(ls(&a[1])?.closest_to_point(&pt(&a[0])?)?.0)
    });
    reg(t, &["dist_sp"], |_, a| {
        f(ls(&a[0])?.closest_to_point(&pt(&a[1])?)?.0)
    });
    reg(t, &["dist_pb"], |_, a| {
        f(bx(&a[1])?.closest_to_point(&pt(&a[0])?)?.0)
    });
    reg(t, &["dist_bp"], |_, a| {
        f(bx(&a[0])?.closest_to_point(&pt(&a[1])?)?.0)
    });
    reg(t, &["dist_sl"], |_, a| {
        f(ls(&a[0])?.closest_to_line(&ln(&a[1])?)?.0)
    });
    reg(t, &["dist_ls"], |_, a| {
        f(ls(&a[1])?.closest_to_line(&ln(&a[0])?)?.0)
    });
    reg(t, &["dist_sb"], |_, a| {
        f(bx(&a[1])?.closest_to_lseg(&ls(&a[0])?)?.0)
    });
    reg(t, &["dist_bs"], |_, a| {
        f(bx(&a[0])?.closest_to_lseg(&ls(&a[1])?)?.0)
    });
    reg(t, &["close_pl"], |_, a| {
        maybe_point(Some(ln(&a[1])?.closest_point(&pt(&a[0])?)?))
    });
    reg(t, &["close_ps"], |_, a| {
        maybe_point(Some(ls(&a[1])?.closest_to_point(&pt(&a[0])?)?))
    });
    reg(t, &["close_pb"], |_, a| {
        maybe_point(Some(bx(&a[1])?.closest_to_point(&pt(&a[0])?)?))
    });
    reg(t, &["close_sb"], |_, a| {
        maybe_point(Some(bx(&a[1])?.closest_to_lseg(&ls(&a[0])?)?))
    });
    reg(t, &["close_lseg"], |_, a| {
        let (l1, l2) = (ls(&a[0])?, ls(&a[1])?);
        if l1.slope()? == l2.slope()? {
            return Ok(Datum::Null);
        }
        maybe_point(Some(l2.closest_to_lseg(&l1)?))
    });
    reg(t, &["close_ls"], |_, a| {
        let (lin, seg) = (ln(&a[0])?, ls(&a[1])?);
        if seg.slope()? == lin.slope()? {
            return Ok(Datum::Null);
        }
        maybe_point(Some(seg.closest_to_line(&lin)?))
    });
    reg(t, &["on_pl"], |_, a| b(ln(&a[1])?.contains(&pt(&a[0])?)?));
    reg(t, &["on_ps"], |_, a| b(ls(&a[1])?.contains(&pt(&a[0])?)?));
    reg(t, &["on_pb"], |_, a| {
        b(bx(&a[1])?.contains_point(&pt(&a[0])?))
    });
    reg(t, &["on_sl"], |_, a| {
        let (s, lin) = (ls(&a[0])?, ln(&a[1])?);
        b(lin.contains(&s.p[0])? && lin.contains(&s.p[1])?)
    });
    reg(t, &["on_sb"], |_, a| {
        let (s, r) = (ls(&a[0])?, bx(&a[1])?);
        b(r.contains_point(&s.p[0]) && r.contains_point(&s.p[1]))
    });
    reg(t, &["inter_sl"], |_, a| {
        b(ls(&a[0])?.intersect_line(&ln(&a[1])?)?.is_some())
    });
    reg(t, &["inter_sb"], |_, a| {
        b(bx(&a[1])?.intersect_lseg(&ls(&a[0])?, false)?.0)
    });
    reg(t, &["inter_lb"], |_, a| {
        b(bx(&a[1])?.intersects_line(&ln(&a[0])?)?)
    });
}

pub(super) fn register(t: &mut Table) {
    register_points(t);
    register_lsegs(t);
    register_lines(t);
    register_boxes(t);
    register_paths(t);
    register_polygons(t);
    register_circles(t);
    register_mixed(t);
}

/// `point[i]`/`line[i]`: a coordinate (`double precision`), NULL out of range.
fn float_element(_: &mut EvalContext<'_>, a: &[Datum]) -> Result<Datum> {
    let values = bytes(&a[0], "geometric value")?;
    let Datum::Int4(i) = a[1] else {
        return Ok(Datum::Null);
    };
    let Ok(i) = usize::try_from(i) else {
        return Ok(Datum::Null);
    };
    Ok(values.get(i * 8..i * 8 + 8).map_or(Datum::Null, |c| {
        Datum::Float8(f64::from_le_bytes(c.try_into().expect("eight bytes")))
    }))
}

/// `lseg[i]`/`box[i]`: an end point or corner, NULL out of range.
fn point_element(_: &mut EvalContext<'_>, a: &[Datum]) -> Result<Datum> {
    let values = bytes(&a[0], "geometric value")?;
    let Datum::Int4(i) = a[1] else {
        return Ok(Datum::Null);
    };
    let Ok(i) = usize::try_from(i) else {
        return Ok(Datum::Null);
    };
    Ok(values
        .get(i * 16..i * 16 + 16)
        .map_or(Datum::Null, |c| Datum::Bytea(c.to_vec())))
}

/// The element fetch of a fixed-length geometric type subscripted like a zero-based
/// array (`raw_array_subscript_handler`): `point` and `line` hold `double precision`
/// values, `lseg` and `box` hold points. `None` for other types.
pub fn subscript_fn(t: Oid) -> Option<ScalarFn> {
    match t {
        type_oid::POINT | type_oid::LINE => Some(float_element),
        type_oid::LSEG | type_oid::BOX => Some(point_element),
        type_oid::NAME => Some(name_element),
        _ => None,
    }
}

/// `name[i]`: byte `i` (0-based) of the 64-byte `name` as a `"char"`; past the text, the
/// padding's zero byte (an empty `"char"`), and NULL outside 0..63 (PostgreSQL's
/// `raw_array_subscript_handler` over `name`'s fixed-length `char` array). A byte with
/// the high bit set prints as `"char"` does, in octal (`\ooo`).
fn name_element(_: &mut EvalContext<'_>, a: &[Datum]) -> Result<Datum> {
    let Datum::Text(name) = &a[0] else {
        return Ok(Datum::Null);
    };
    let Datum::Int4(i) = a[1] else {
        return Ok(Datum::Null);
    };
    let Some(i) = usize::try_from(i).ok().filter(|&i| i < 64) else {
        return Ok(Datum::Null);
    };
    Ok(Datum::Text(match name.as_bytes().get(i).copied() {
        None | Some(0) => String::new(),
        Some(b) if b.is_ascii() => char::from(b).to_string(),
        Some(b) => format!("\\{b:03o}"),
    }))
}
