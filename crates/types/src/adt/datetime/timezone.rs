//! Time zones: the session `TimeZone` setting and zones named in date/time input.
//!
//! A [`TimeZone`] is an IANA zone (`America/New_York`, looked up case-insensitively in the
//! tz database through jiff), a POSIX TZ string (`XYZ3`, `PST8PDT`, `FOO-3BAR,M3.2.0,M11.1.0`;
//! a DST name without rules gets the US rules, as PostgreSQL's tzcode does), or a fixed
//! offset as `SET TIME ZONE -7` / `INTERVAL '+05:30'` create (named `<-07>+07`, abbreviated
//! `-07`, like PostgreSQL's `pg_tzset_offset`).
//!
//! Conversions (offsets are seconds east of Greenwich):
//! - [`TimeZone::utc_to_local`]: the offset, abbreviation and DST flag in effect at an
//!   instant;
//! - [`TimeZone::local_offset`]: PostgreSQL's `DetermineTimeZoneOffset` for a wall-clock
//!   time: in a spring-forward gap the offset before the transition applies, in a
//!   fall-back overlap the offset after it.
//!
//! jiff covers years -9999..=9999; instants beyond use the offset at the nearest end.

use jiff::tz::{AmbiguousOffset, Dst};

use super::{date2j, j2date, POSTGRES_EPOCH_JDATE, UNIX_EPOCH_JDATE, USECS_PER_DAY};

/// Seconds between the Unix epoch and the PostgreSQL epoch.
const UNIX_TO_POSTGRES_SECS: i64 = (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) as i64 * 86_400;

/// A time zone for converting between UTC instants and wall-clock times.
#[derive(Clone, Debug)]
pub struct TimeZone {
    name: String,
    kind: Kind,
}

#[derive(Clone, Debug)]
enum Kind {
    Rules(jiff::tz::TimeZone),
    Fixed(i32),
}

/// Offset information at an instant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalOffset {
    /// Seconds east of UTC.
    pub offset: i32,
    /// Abbreviation (`PST`, `+0530`-style for zones without letters).
    pub abbreviation: String,
    /// Whether daylight-saving time is in effect.
    pub is_dst: bool,
}

impl TimeZone {
    /// UTC.
    pub fn utc() -> TimeZone {
        TimeZone {
            name: "UTC".to_string(),
            kind: Kind::Rules(jiff::tz::TimeZone::UTC),
        }
    }

    /// A zone by name, as `SET TIME ZONE 'name'` or a zone in date/time input resolves it:
    /// an IANA name (case-insensitive), else a POSIX TZ string; `None` if neither.
    pub fn named(name: &str) -> Option<TimeZone> {
        if name.is_empty() {
            return None;
        }
        if let Ok(tz) = jiff::tz::TimeZone::get(name) {
            let canonical = tz.iana_name().unwrap_or(name).to_string();
            return Some(TimeZone {
                name: canonical,
                kind: Kind::Rules(tz),
            });
        }
        // POSIX: needs a letter-abbreviation start and an offset.
        if !name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '<') {
            return None;
        }
        // The names PostgreSQL gives fixed offsets (`<+10:30>-10:30`) put a colon in
        // the bracketed abbreviation, which strict POSIX refuses: read the offset.
        if let Some(west) = name
            .strip_prefix('<')
            .and_then(|rest| rest.split_once('>'))
            .and_then(|(_, offset)| posix_offset_west(offset))
        {
            let mut tz = TimeZone::fixed(-west);
            tz.name = name.to_string();
            return Some(tz);
        }
        let tz = jiff::tz::TimeZone::posix(name)
            .or_else(|_| jiff::tz::TimeZone::posix(&format!("{name},M3.2.0,M11.1.0")));
        tz.ok().map(|tz| TimeZone {
            name: name.to_string(),
            kind: Kind::Rules(tz),
        })
    }

    /// A fixed offset in seconds east of UTC (`SET TIME ZONE 5.5` is 19800), named like
    /// PostgreSQL's `<+05:30>-05:30`.
    pub fn fixed(offset_secs: i32) -> TimeZone {
        let abbrev = fixed_abbreviation(offset_secs);
        let west = if offset_secs > 0 {
            format!("-{}", &abbrev[1..])
        } else {
            format!("+{}", &abbrev[1..])
        };
        TimeZone {
            name: format!("<{abbrev}>{west}"),
            kind: Kind::Fixed(offset_secs),
        }
    }

    /// The name `SHOW timezone` prints.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The fixed offset, if this zone has no rules.
    pub fn fixed_offset(&self) -> Option<i32> {
        match self.kind {
            Kind::Fixed(offset) => Some(offset),
            Kind::Rules(_) => None,
        }
    }

    /// The offset if the zone never changes it (`pg_get_timezone_offset`): fixed offsets,
    /// UTC, and zones without transitions.
    pub fn constant_offset(&self) -> Option<i32> {
        match &self.kind {
            Kind::Fixed(offset) => Some(*offset),
            Kind::Rules(tz) => {
                if let Ok(offset) = tz.to_fixed_offset() {
                    return Some(offset.seconds());
                }
                let no_transitions = tz.following(jiff::Timestamp::MIN).next().is_none();
                no_transitions.then(|| tz.to_offset(jiff::Timestamp::UNIX_EPOCH).seconds())
            }
        }
    }

    /// Offset, abbreviation and DST flag in effect at `utc_usecs` (microseconds since
    /// 2000-01-01 00:00:00 UTC).
    pub fn utc_to_local(&self, utc_usecs: i64) -> LocalOffset {
        match &self.kind {
            Kind::Fixed(offset) => LocalOffset {
                offset: *offset,
                abbreviation: fixed_abbreviation(*offset),
                is_dst: false,
            },
            Kind::Rules(tz) => {
                let info = tz.to_offset_info(to_jiff_timestamp(utc_usecs));
                LocalOffset {
                    offset: info.offset().seconds(),
                    abbreviation: info.abbreviation().to_string(),
                    is_dst: info.dst() == Dst::Yes,
                }
            }
        }
    }

    /// The offset that applies to the wall-clock time `local_usecs` (microseconds since
    /// 2000-01-01 00:00:00 local): PostgreSQL's `DetermineTimeZoneOffset`. Returns the
    /// offset (seconds east) and whether it is daylight time.
    pub fn local_offset(&self, local_usecs: i64) -> (i32, bool) {
        match &self.kind {
            Kind::Fixed(offset) => (*offset, false),
            Kind::Rules(tz) => {
                let dt = to_jiff_civil(local_usecs);
                let offset = match tz.to_ambiguous_timestamp(dt).offset() {
                    AmbiguousOffset::Unambiguous { offset } => offset,
                    AmbiguousOffset::Gap { before, .. } => before,
                    AmbiguousOffset::Fold { after, .. } => after,
                };
                let seconds = offset.seconds();
                let utc = local_usecs.saturating_sub(i64::from(seconds) * 1_000_000);
                (seconds, self.utc_to_local(utc).is_dst)
            }
        }
    }

    /// The offset a zone-dependent abbreviation (`MSK` for `Europe/Moscow`) had around the
    /// wall-clock time `local_usecs`: PostgreSQL's `DetermineTimeZoneAbbrevOffset`. Falls
    /// back to [`TimeZone::local_offset`] when the zone never used the abbreviation nearby.
    pub fn abbreviation_offset(&self, local_usecs: i64, abbreviation: &str) -> (i32, bool) {
        if let Kind::Rules(tz) = &self.kind {
            let (guess, _) = self.local_offset(local_usecs);
            let instant = to_jiff_timestamp(local_usecs - i64::from(guess) * 1_000_000);
            let matches = |info: &jiff::tz::TimeZoneOffsetInfo<'_>| {
                info.abbreviation().eq_ignore_ascii_case(abbreviation)
            };
            let here = tz.to_offset_info(instant);
            if matches(&here) {
                return (here.offset().seconds(), here.dst() == Dst::Yes);
            }
            // The nearest earlier or later period that used the abbreviation.
            for transition in tz.preceding(instant).take(64) {
                let info = tz.to_offset_info(transition.timestamp());
                if matches(&info) {
                    return (info.offset().seconds(), info.dst() == Dst::Yes);
                }
            }
            for transition in tz.following(instant).take(64) {
                let info = tz.to_offset_info(transition.timestamp());
                if matches(&info) {
                    return (info.offset().seconds(), info.dst() == Dst::Yes);
                }
            }
        }
        self.local_offset(local_usecs)
    }
}

/// PostgreSQL's abbreviation for a fixed offset: `+05`, `-07:30`, `+01:02:03`.
fn fixed_abbreviation(offset_secs: i32) -> String {
    let sign = if offset_secs >= 0 { '+' } else { '-' };
    let abs = offset_secs.unsigned_abs();
    let (h, m, s) = (abs / 3600, abs / 60 % 60, abs % 60);
    let mut out = format!("{sign}{h:02}");
    if m != 0 || s != 0 {
        out.push_str(&format!(":{m:02}"));
    }
    if s != 0 {
        out.push_str(&format!(":{s:02}"));
    }
    out
}

/// A PostgreSQL-epoch microsecond count as a jiff instant, clamped to jiff's range.
fn to_jiff_timestamp(usecs: i64) -> jiff::Timestamp {
    let secs = usecs
        .div_euclid(1_000_000)
        .saturating_add(UNIX_TO_POSTGRES_SECS);
    let min = jiff::Timestamp::MIN.as_second() + 86_400;
    let max = jiff::Timestamp::MAX.as_second() - 86_400;
    jiff::Timestamp::from_second(secs.clamp(min, max)).expect("clamped into jiff's range")
}

/// A PostgreSQL-epoch local microsecond count as a jiff civil datetime (whole seconds),
/// with the year clamped to jiff's range.
fn to_jiff_civil(local_usecs: i64) -> jiff::civil::DateTime {
    let days = local_usecs.div_euclid(USECS_PER_DAY);
    let time = local_usecs.rem_euclid(USECS_PER_DAY) / 1_000_000;
    let jd = days + i64::from(POSTGRES_EPOCH_JDATE);
    // Julian day 0 (4714-11-24 BC) is the earliest our calendar routines handle.
    let jd = jd.clamp(0, i64::from(date2j(9998, 12, 31))) as i32;
    let (y, m, d) = j2date(jd);
    jiff::civil::date(y as i16, m as i8, d as i8).at(
        (time / 3600) as i8,
        (time / 60 % 60) as i8,
        (time % 60) as i8,
        0,
    )
}

/// A POSIX offset `[+-]hh[:mm[:ss]]` in seconds WEST of UTC.
fn posix_offset_west(text: &str) -> Option<i32> {
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    let mut parts = body.split(':');
    let mut field = |max: i32| -> Option<Option<i32>> {
        match parts.next() {
            None => Some(None),
            Some(p) if !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()) => {
                let v: i32 = p.parse().ok()?;
                (v <= max).then_some(Some(v))
            }
            Some(_) => None,
        }
    };
    let h = field(167)??;
    let m = field(59)?.unwrap_or(0);
    let s = field(59)?.unwrap_or(0);
    if parts.next().is_some() {
        return None;
    }
    let west = h * 3600 + m * 60 + s;
    Some(if text.starts_with('-') { -west } else { west })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2024-07-01 00:00:00 as PostgreSQL-epoch microseconds.
    fn july_2024() -> i64 {
        i64::from(date2j(2024, 7, 1) - POSTGRES_EPOCH_JDATE) * USECS_PER_DAY
    }

    #[test]
    fn named_and_posix_zones() {
        let ny = TimeZone::named("america/new_york").unwrap();
        assert_eq!(ny.name(), "America/New_York");
        let info = ny.utc_to_local(july_2024());
        assert_eq!(
            (info.offset, info.abbreviation.as_str(), info.is_dst),
            (-14400, "EDT", true)
        );
        let xyz = TimeZone::named("XYZ3ABC").unwrap();
        assert_eq!(xyz.utc_to_local(july_2024()).offset, -7200);
        assert_eq!(
            TimeZone::named("UTC+3")
                .unwrap()
                .utc_to_local(0)
                .abbreviation,
            "UTC"
        );
        assert!(TimeZone::named("foo/bar").is_none());
        assert!(TimeZone::named("foo").is_none());
    }

    #[test]
    fn fixed_offsets_named_like_postgres() {
        assert_eq!(TimeZone::fixed(-7 * 3600).name(), "<-07>+07");
        assert_eq!(TimeZone::fixed(19800).name(), "<+05:30>-05:30");
        assert_eq!(
            TimeZone::fixed(19800).utc_to_local(0).abbreviation,
            "+05:30"
        );
    }

    #[test]
    fn gaps_take_the_earlier_offset_and_folds_the_later() {
        let ny = TimeZone::named("America/New_York").unwrap();
        let at = |y, m, d, h: i64, min: i64| {
            i64::from(date2j(y, m, d) - POSTGRES_EPOCH_JDATE) * USECS_PER_DAY
                + (h * 3600 + min * 60) * 1_000_000
        };
        assert_eq!(ny.local_offset(at(2024, 3, 10, 2, 30)).0, -18000);
        assert_eq!(ny.local_offset(at(2024, 11, 3, 1, 30)).0, -18000);
        assert_eq!(ny.local_offset(at(2024, 7, 1, 12, 0)), (-14400, true));
        let moscow = TimeZone::named("Europe/Moscow").unwrap();
        assert_eq!(
            moscow.abbreviation_offset(at(2024, 1, 1, 0, 0), "MSK").0,
            10800
        );
    }

    #[test]
    fn postgres_fixed_offset_names_read_back() {
        let tz = TimeZone::named("<+10:30>-10:30").expect("fixed offset name");
        assert_eq!(tz.fixed_offset(), Some(37_800));
        assert_eq!(tz.name(), "<+10:30>-10:30");
        assert_eq!(
            TimeZone::named("<-08>+08").and_then(|t| t.fixed_offset()),
            Some(-28_800)
        );
    }
}
