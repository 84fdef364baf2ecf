//! Medians and percentiles of benchmark figures.
//!
//! Percentiles use the nearest-rank method: the p-th percentile of n sorted values is the
//! value at rank ceil(p/100 * n) (1-based), so it is always an observed value. The median of
//! an even count is the mean of the two middle values.
//!
//! Entry points: [`median`], [`percentile`].

/// Median of `values` (NaN-free); `None` when empty.
pub fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    Some(if sorted.len().is_multiple_of(2) {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    })
}

/// The `p`-th percentile (0 < p <= 100) of `values` by nearest rank; sorts `values` in
/// place; `None` when empty.
pub fn percentile(values: &mut [u64], p: f64) -> Option<u64> {
    debug_assert!(p > 0.0 && p <= 100.0, "percentile {p} out of (0, 100]");
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let rank = (p / 100.0 * values.len() as f64).ceil() as usize;
    Some(values[rank.clamp(1, values.len()) - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_count_is_the_middle_value() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
    }

    #[test]
    fn median_of_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
    }

    #[test]
    fn median_of_nothing_is_none() {
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn p99_of_a_hundred_values_is_the_99th() {
        let mut values: Vec<u64> = (1..=100).rev().collect();
        assert_eq!(percentile(&mut values, 99.0), Some(99));
        assert_eq!(percentile(&mut values, 100.0), Some(100));
        assert_eq!(percentile(&mut values, 50.0), Some(50));
    }

    #[test]
    fn p99_of_few_values_is_the_largest() {
        let mut values = vec![5, 1, 9];
        assert_eq!(percentile(&mut values, 99.0), Some(9));
    }

    #[test]
    fn p99_of_a_thousand_values_picks_rank_990() {
        let mut values: Vec<u64> = (0..1000).collect();
        assert_eq!(percentile(&mut values, 99.0), Some(989));
    }

    #[test]
    fn percentile_of_nothing_is_none() {
        assert_eq!(percentile(&mut [], 99.0), None);
    }
}
