//! When to try a temporarily refused message again: exponential backoff with jitter,
//! capped between tries (an hour) and in total age (two days), after which the message
//! fails with a clear reason instead of waiting forever.

/// The first wait after a 4xx.
pub const FIRST_DELAY_SECS: i64 = 60;
/// The longest wait between two tries.
pub const MAX_DELAY_SECS: i64 = 3600;
/// How long a message may keep being retried, from when it was queued.
pub const MAX_AGE_SECS: i64 = 2 * 24 * 3600;

/// The decision after a temporary failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Try again at this unix time.
    At(i64),
    /// Too old: give up and fail the message.
    GiveUp,
}

/// After `attempts` tries (counting the one that just failed) of a message queued at
/// `queued_at`, at time `now`. `jitter` in [0, 1) spreads retries of many messages apart.
pub fn next_retry(attempts: u32, queued_at: i64, now: i64, jitter: f64) -> Retry {
    let exponent = attempts.saturating_sub(1).min(16);
    let base = (FIRST_DELAY_SECS << exponent).min(MAX_DELAY_SECS);
    // Up to +25%, but never past the cap.
    let delay = (base + (base as f64 * 0.25 * jitter.clamp(0.0, 1.0)) as i64).min(MAX_DELAY_SECS);
    let at = now + delay;
    if at - queued_at > MAX_AGE_SECS {
        Retry::GiveUp
    } else {
        Retry::At(at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backs_off_exponentially_then_caps_at_an_hour() {
        let delays: Vec<i64> = (1..=8)
            .map(|n| match next_retry(n, 0, 1000, 0.0) {
                Retry::At(t) => t - 1000,
                Retry::GiveUp => panic!("too early to give up"),
            })
            .collect();
        assert_eq!(delays, [60, 120, 240, 480, 960, 1920, 3600, 3600]);
    }

    #[test]
    fn jitter_spreads_but_never_exceeds_the_cap() {
        let Retry::At(a) = next_retry(1, 0, 0, 0.0) else {
            panic!()
        };
        let Retry::At(b) = next_retry(1, 0, 0, 0.99) else {
            panic!()
        };
        assert!(b > a && b <= 75, "{a} {b}");
        let Retry::At(c) = next_retry(30, 0, 0, 0.99) else {
            panic!()
        };
        assert_eq!(c, MAX_DELAY_SECS);
    }

    #[test]
    fn gives_up_after_two_days() {
        assert_eq!(next_retry(50, 0, MAX_AGE_SECS - 10, 0.0), Retry::GiveUp);
        assert!(matches!(
            next_retry(50, 0, MAX_AGE_SECS - 4000, 0.0),
            Retry::At(_)
        ));
    }
}
