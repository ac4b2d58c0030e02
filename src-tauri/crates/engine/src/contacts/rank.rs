//! How contacts are ranked: each time you write to someone, reply to them or hear from
//! them adds points (sent 5, replied-to 3, received 1), and points fade by half every 90
//! days. Someone you wrote to twice last month ranks above someone who wrote to you
//! fifty times two years ago.
//!
//! A contact's score at time `now` is Σ wᵢ·2^-((now − tᵢ)/H). Every score shares the
//! factor 2^-(now/H), so the order of scores is the order of `log2(Σ wᵢ·2^(tᵢ/H))`: a
//! number that never changes with `now`. The store keeps it (`contacts.rank`), indexed,
//! and adds an event with [`combine`] in any order (the backfill reads old mail late).

pub use crate::store::contacts::Event;

/// How much one event counts.
pub fn weight(event: Event) -> f64 {
    match event {
        Event::Sent => 5.0,
        Event::Replied => 3.0,
        Event::Received => 1.0,
    }
}

/// How long points take to fade to half, in seconds (90 days).
pub const HALF_LIFE: f64 = 90.0 * 86_400.0;

/// The event's points in the rank's terms (log2, anchored at the epoch).
pub fn points(event: Event, at: i64) -> f64 {
    weight(event).log2() + at as f64 / HALF_LIFE
}

/// log2(2^a + 2^b), computed without overflow whatever the sizes.
pub fn combine(a: f64, b: f64) -> f64 {
    let (hi, lo) = if a >= b { (a, b) } else { (b, a) };
    hi + (1.0 + (lo - hi).exp2()).log2()
}

/// A rank as a score at `now` (what `courriel contacts --json` shows as `score`).
pub fn score_at(rank: f64, now: i64) -> f64 {
    (rank - now as f64 / HALF_LIFE).exp2()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;
    const NOW: i64 = 1_800_000_000;

    fn rank(events: &[(Event, i64)]) -> f64 {
        events
            .iter()
            .map(|&(e, at)| points(e, at))
            .reduce(combine)
            .expect("an event")
    }

    #[test]
    fn sent_outranks_replied_outranks_received_at_the_same_moment() {
        let sent = rank(&[(Event::Sent, NOW)]);
        let replied = rank(&[(Event::Replied, NOW)]);
        let received = rank(&[(Event::Received, NOW)]);
        assert!(sent > replied && replied > received);
    }

    #[test]
    fn points_fade_by_half_every_ninety_days() {
        let fresh = score_at(rank(&[(Event::Sent, NOW)]), NOW);
        let old = score_at(rank(&[(Event::Sent, NOW - 90 * DAY)]), NOW);
        assert!((fresh - 5.0).abs() < 1e-9, "{fresh}");
        assert!((old - 2.5).abs() < 1e-9, "{old}");
    }

    #[test]
    fn recent_beats_old_frequency() {
        let old_friend: Vec<_> = (0..50)
            .map(|i| (Event::Received, NOW - 730 * DAY + i * DAY))
            .collect();
        let new_colleague = [(Event::Sent, NOW - 30 * DAY), (Event::Sent, NOW - 20 * DAY)];
        assert!(rank(&new_colleague) > rank(&old_friend));
        // ...but often beats once, at the same age.
        let often: Vec<_> = (0..5).map(|i| (Event::Received, NOW - i * DAY)).collect();
        assert!(rank(&often) > rank(&[(Event::Received, NOW)]));
    }

    #[test]
    fn the_order_of_events_does_not_matter() {
        let a = rank(&[
            (Event::Sent, NOW),
            (Event::Received, NOW - 400 * DAY),
            (Event::Replied, NOW - DAY),
        ]);
        let b = rank(&[
            (Event::Received, NOW - 400 * DAY),
            (Event::Replied, NOW - DAY),
            (Event::Sent, NOW),
        ]);
        assert!((a - b).abs() < 1e-9);
    }

    #[test]
    fn the_order_of_two_contacts_does_not_change_with_time() {
        let a = rank(&[
            (Event::Sent, NOW - 200 * DAY),
            (Event::Sent, NOW - 100 * DAY),
        ]);
        let b = rank(&[(Event::Received, NOW - DAY)]);
        let order = score_at(a, NOW) > score_at(b, NOW);
        assert_eq!(
            order,
            score_at(a, NOW + 3_000 * DAY) > score_at(b, NOW + 3_000 * DAY)
        );
        assert_eq!(order, a > b);
    }
}
