//! QRESYNC's VANISHED ranges, as the server sent them: never expanded (a hostile
//! `1:4294967295` would be four billion UIDs, 16 GiB), only matched against the UIDs we
//! hold, so the work is bounded by the folder's cache whatever a server sends.

use std::ops::RangeInclusive;

/// The UIDs of `held` that fall in `ranges`.
pub fn held_in(held: Vec<u32>, ranges: &[RangeInclusive<u32>]) -> Vec<u32> {
    if ranges.is_empty() {
        return Vec::new();
    }
    let merged = merge(ranges);
    held.into_iter()
        .filter(|u| {
            // Disjoint and sorted: only the last range starting at or before `u` can hold it.
            let i = merged.partition_point(|r| *r.start() <= *u);
            i > 0 && merged[i - 1].contains(u)
        })
        .collect()
}

/// Ranges sorted and merged where they overlap or touch.
fn merge(ranges: &[RangeInclusive<u32>]) -> Vec<RangeInclusive<u32>> {
    let mut sorted = ranges.to_vec();
    sorted.sort_by_key(|r| *r.start());
    let mut merged: Vec<RangeInclusive<u32>> = Vec::with_capacity(sorted.len());
    for r in sorted {
        match merged.last_mut() {
            Some(last) if *r.start() <= last.end().saturating_add(1) => {
                *last = *last.start()..=(*last.end()).max(*r.end());
            }
            _ => merged.push(r),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_merge_and_match_without_expanding() {
        assert_eq!(merge(&[10..=20, 1..=4294967295, 3..=3]), [1..=4294967295]);
        assert_eq!(merge(&[5..=6, 1..=2, 3..=3]), [1..=3, 5..=6]);
        assert_eq!(
            held_in(vec![1, 4, 7, 9], &[9..=9, 1..=4294967295]),
            [1, 4, 7, 9]
        );
        assert_eq!(
            held_in(vec![1, 4, 7, 9], &[2..=4, 8..=8, 100..=4294967295]),
            [4]
        );
        assert!(held_in(vec![1, 2], &[]).is_empty());
    }
}
