//! `interval`: months, days and microseconds, kept apart because a month is not a fixed
//! number of days and a day is not always 24 hours (PostgreSQL docs §8.5.4, §9.9).
//!
//! Comparison, equality and hashing treat a month as 30 days and a day as 24 hours
//! (`interval_cmp_value`), so `'1 mon' = '30 days'`.
//!
//! Entry points: [`interval_in`] (see [`super::interval_parse`]), [`interval_out`],
//! arithmetic ([`Interval::add`], [`Interval::mul`], [`Interval::div`]) and
//! `justify_hours`/`justify_days`/`justify_interval`.

use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

use crate::{pg_err, Error, Result};

use super::format::{encode_interval, IntervalFields};
use super::{IntervalStyle, DAYS_PER_MONTH, SECS_PER_DAY, USECS_PER_DAY, USECS_PER_SEC};

pub use super::interval_parse::interval_in;

/// An `interval`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Interval {
    /// Months (years × 12 + months).
    pub months: i32,
    /// Days.
    pub days: i32,
    /// Microseconds.
    pub micros: i64,
}

/// 22008 `interval out of range`.
pub fn interval_out_of_range() -> Error {
    pg_err!(DATETIME_VALUE_OUT_OF_RANGE, "interval out of range")
}

impl Interval {
    /// Builds an interval from its three parts.
    pub fn new(months: i32, days: i32, micros: i64) -> Interval {
        Interval {
            months,
            days,
            micros,
        }
    }

    /// The ordering key: everything in microseconds, a month as 30 days.
    fn cmp_value(&self) -> i128 {
        i128::from(self.micros)
            + (i128::from(self.days) + i128::from(self.months) * i128::from(DAYS_PER_MONTH))
                * i128::from(USECS_PER_DAY)
    }

    /// `-interval` (`interval_um`).
    ///
    /// Errors: 22008 `interval out of range`.
    pub fn neg(&self) -> Result<Interval> {
        Ok(Interval {
            months: self
                .months
                .checked_neg()
                .ok_or_else(interval_out_of_range)?,
            days: self.days.checked_neg().ok_or_else(interval_out_of_range)?,
            micros: self
                .micros
                .checked_neg()
                .ok_or_else(interval_out_of_range)?,
        })
    }

    /// `interval + interval`, part by part.
    ///
    /// Errors: 22008 `interval out of range`.
    pub fn add(&self, other: &Interval) -> Result<Interval> {
        Ok(Interval {
            months: self
                .months
                .checked_add(other.months)
                .ok_or_else(interval_out_of_range)?,
            days: self
                .days
                .checked_add(other.days)
                .ok_or_else(interval_out_of_range)?,
            micros: self
                .micros
                .checked_add(other.micros)
                .ok_or_else(interval_out_of_range)?,
        })
    }

    /// `interval - interval`, part by part.
    ///
    /// Errors: 22008 `interval out of range`.
    pub fn sub(&self, other: &Interval) -> Result<Interval> {
        Ok(Interval {
            months: self
                .months
                .checked_sub(other.months)
                .ok_or_else(interval_out_of_range)?,
            days: self
                .days
                .checked_sub(other.days)
                .ok_or_else(interval_out_of_range)?,
            micros: self
                .micros
                .checked_sub(other.micros)
                .ok_or_else(interval_out_of_range)?,
        })
    }

    /// `interval * float8` (`interval_mul`): fractional months cascade into days (30 per
    /// month) and fractional days into microseconds.
    ///
    /// Errors: 22008 `interval out of range`.
    pub fn mul(&self, factor: f64) -> Result<Interval> {
        let months = self.months as f64 * factor;
        let days = self.days as f64 * factor;
        self.scaled(months, days, self.micros as f64 * factor, |v| v * factor)
    }

    /// `interval / float8` (`interval_div`), cascading like [`Interval::mul`].
    ///
    /// Errors: 22012 `division by zero`; 22008 `interval out of range`.
    pub fn div(&self, factor: f64) -> Result<Interval> {
        if factor == 0.0 {
            return Err(pg_err!(DIVISION_BY_ZERO, "division by zero"));
        }
        let months = self.months as f64 / factor;
        let days = self.days as f64 / factor;
        self.scaled(months, days, self.micros as f64 / factor, |v| v / factor)
    }

    /// Shared cascade of `interval_mul`/`interval_div`.
    fn scaled(
        &self,
        months: f64,
        days: f64,
        micros: f64,
        scale: impl Fn(f64) -> f64,
    ) -> Result<Interval> {
        let fits_i32 = |v: f64| !v.is_nan() && v >= i32::MIN as f64 && v < -(i32::MIN as f64);
        if !fits_i32(months) || !fits_i32(days) {
            return Err(interval_out_of_range());
        }
        let result_months = months as i32;
        let mut result_days = days as i32;
        let ts_round = |v: f64| (v * 1_000_000.0).round_ties_even() / 1_000_000.0;
        let month_remainder_days = ts_round(
            (scale(self.months as f64) - f64::from(result_months)) * DAYS_PER_MONTH as f64,
        );
        let mut sec_remainder = ts_round(
            (scale(self.days as f64) - f64::from(result_days) + month_remainder_days
                - f64::from(month_remainder_days as i32))
                * SECS_PER_DAY as f64,
        );
        if sec_remainder.abs() >= SECS_PER_DAY as f64 {
            let whole = (sec_remainder / SECS_PER_DAY as f64) as i32;
            result_days = result_days
                .checked_add(whole)
                .ok_or_else(interval_out_of_range)?;
            sec_remainder -= f64::from(whole) * SECS_PER_DAY as f64;
        }
        result_days = result_days
            .checked_add(month_remainder_days as i32)
            .ok_or_else(interval_out_of_range)?;
        let micros = (micros + sec_remainder * USECS_PER_SEC as f64).round_ties_even();
        if micros.is_nan() || micros < i64::MIN as f64 || micros >= -(i64::MIN as f64) {
            return Err(interval_out_of_range());
        }
        Ok(Interval {
            months: result_months,
            days: result_days,
            micros: micros as i64,
        })
    }

    /// `justify_hours`: whole 24-hour periods of the time part become days, signs made
    /// consistent between days and time.
    ///
    /// Errors: 22008 `interval out of range`.
    pub fn justify_hours(&self) -> Result<Interval> {
        let mut r = *self;
        let whole_days = r.micros / USECS_PER_DAY;
        r.micros -= whole_days * USECS_PER_DAY;
        r.days =
            i32::try_from(i64::from(r.days) + whole_days).map_err(|_| interval_out_of_range())?;
        if r.days > 0 && r.micros < 0 {
            r.micros += USECS_PER_DAY;
            r.days -= 1;
        } else if r.days < 0 && r.micros > 0 {
            r.micros -= USECS_PER_DAY;
            r.days += 1;
        }
        Ok(r)
    }

    /// `justify_days`: whole 30-day periods become months, signs made consistent between
    /// months and days.
    ///
    /// Errors: 22008 `interval out of range`.
    pub fn justify_days(&self) -> Result<Interval> {
        let mut r = *self;
        let whole_months = r.days / DAYS_PER_MONTH;
        r.days -= whole_months * DAYS_PER_MONTH;
        r.months = r
            .months
            .checked_add(whole_months)
            .ok_or_else(interval_out_of_range)?;
        if r.months > 0 && r.days < 0 {
            r.days += DAYS_PER_MONTH;
            r.months -= 1;
        } else if r.months < 0 && r.days > 0 {
            r.days -= DAYS_PER_MONTH;
            r.months += 1;
        }
        Ok(r)
    }

    /// `justify_interval`: both adjustments, with signs made consistent across all parts.
    ///
    /// Errors: 22008 `interval out of range`.
    pub fn justify_interval(&self) -> Result<Interval> {
        let mut r = *self;
        let whole_days = r.micros / USECS_PER_DAY;
        r.micros -= whole_days * USECS_PER_DAY;
        r.days =
            i32::try_from(i64::from(r.days) + whole_days).map_err(|_| interval_out_of_range())?;
        let whole_months = r.days / DAYS_PER_MONTH;
        r.days -= whole_months * DAYS_PER_MONTH;
        r.months = r
            .months
            .checked_add(whole_months)
            .ok_or_else(interval_out_of_range)?;
        if r.months > 0 && (r.days < 0 || (r.days == 0 && r.micros < 0)) {
            r.days += DAYS_PER_MONTH;
            r.months -= 1;
        } else if r.months < 0 && (r.days > 0 || (r.days == 0 && r.micros > 0)) {
            r.days -= DAYS_PER_MONTH;
            r.months += 1;
        }
        if r.days > 0 && r.micros < 0 {
            r.micros += USECS_PER_DAY;
            r.days -= 1;
        } else if r.days < 0 && r.micros > 0 {
            r.micros -= USECS_PER_DAY;
            r.days += 1;
        }
        Ok(r)
    }
}

impl PartialEq for Interval {
    fn eq(&self, other: &Interval) -> bool {
        self.cmp_value() == other.cmp_value()
    }
}

impl Eq for Interval {}

impl PartialOrd for Interval {
    fn partial_cmp(&self, other: &Interval) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Interval {
    fn cmp(&self, other: &Interval) -> Ordering {
        self.cmp_value().cmp(&other.cmp_value())
    }
}

impl Hash for Interval {
    /// Consistent with `Eq`: hashes the 30-day-month microsecond total.
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.cmp_value().hash(state);
    }
}

/// `interval` output (`interval_out`) in the given `IntervalStyle`.
pub fn interval_out(iv: &Interval, style: IntervalStyle) -> String {
    encode_interval(
        IntervalFields::from_parts(iv.months, iv.days, iv.micros),
        style,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(s: &str) -> Interval {
        interval_in(s, IntervalStyle::Postgres).unwrap()
    }

    fn out(i: &Interval) -> String {
        interval_out(i, IntervalStyle::Postgres)
    }

    #[test]
    fn equality_uses_thirty_day_months() {
        assert_eq!(iv("1 mon"), iv("30 days"));
        assert_eq!(iv("1 day"), iv("24 hours"));
        assert!(iv("1 mon") < iv("31 days"));
    }

    #[test]
    fn multiplication_cascades_fractions() {
        assert_eq!(out(&iv("1 mon").mul(0.5).unwrap()), "15 days");
        assert_eq!(out(&iv("1 day").mul(1.5).unwrap()), "1 day 12:00:00");
        assert_eq!(
            out(&iv("1 mon 1 day").div(3.0).unwrap()),
            "10 days 08:00:00"
        );
        assert_eq!(out(&iv("1 hour").mul(-2.0).unwrap()), "-02:00:00");
        assert_eq!(
            iv("1 day").div(0.0).unwrap_err().message,
            "division by zero"
        );
        assert_eq!(
            iv("1000000 years").mul(1e10).unwrap_err().message,
            "interval out of range"
        );
    }

    #[test]
    fn justify_functions() {
        assert_eq!(
            out(&iv("27 hours").justify_hours().unwrap()),
            "1 day 03:00:00"
        );
        assert_eq!(out(&iv("35 days").justify_days().unwrap()), "1 mon 5 days");
        assert_eq!(
            out(&iv("1 mon -1 hour").justify_interval().unwrap()),
            "29 days 23:00:00"
        );
        assert_eq!(
            out(&iv("-1 day 1 hour").justify_hours().unwrap()),
            "-23:00:00"
        );
    }
}
