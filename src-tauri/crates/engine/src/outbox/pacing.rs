//! Sending limits: recipients per minute and per day, per account, with the provider's
//! defaults. Providers count recipients, not messages (Gmail: about 500 a day on a
//! consumer account, 2,000 on Workspace), so we do too. A limit reached does not refuse
//! anything: the rest of the recipients wait for the window to free up. A 421 or a 4.7.x
//! "slow down" halves the per-minute rate for an hour.

use crate::smtp::replies::enhanced_status;
use crate::smtp::Submission;
pub use crate::store::pacing::Limits;

/// How long a slow-down request lowers the rate.
pub const SLOW_DOWN_SECS: i64 = 3600;

/// The provider's published limits, or conservative ones.
pub fn defaults_for(email: &str, smtp_host: &str) -> Limits {
    let domain = crate::smtp::domain_of(email).to_ascii_lowercase();
    let host = smtp_host.to_ascii_lowercase();
    let limits = |per_minute, per_day| Limits {
        per_minute,
        per_day,
    };
    if domain == "gmail.com" || domain == "googlemail.com" {
        limits(20, 500)
    } else if host == "smtp.gmail.com" {
        limits(60, 2000) // Google Workspace
    } else if ["outlook.com", "hotmail.com", "live.com"].contains(&domain.as_str()) {
        limits(30, 5000)
    } else if host.ends_with("office365.com") {
        limits(30, 10000)
    } else {
        limits(60, 1000)
    }
}

/// The effective limits: configured (0 = default), halved per minute while slowed.
pub fn effective(configured: Limits, default: Limits, slowed: bool) -> Limits {
    let pick = |set: u32, def: u32| if set == 0 { def } else { set };
    let per_minute = pick(configured.per_minute, default.per_minute);
    Limits {
        per_minute: if slowed {
            (per_minute / 2).max(1)
        } else {
            per_minute
        },
        per_day: pick(configured.per_day, default.per_day),
    }
}

/// How many recipients may go out now, given what went out in the last minute and day;
/// when none, the time the window next frees up (from the oldest entries in it).
pub fn allowance(limits: Limits, last_minute: u32, last_day: u32) -> u32 {
    let minute = limits.per_minute.saturating_sub(last_minute);
    let day = limits.per_day.saturating_sub(last_day);
    minute.min(day)
}

/// Whether the server asked us to slow down (421, or 4.7.x on a temporary reply).
pub fn asks_to_slow_down(s: &Submission) -> bool {
    s.replies().any(|r| {
        r.code == 421
            || (r.is_transient()
                && enhanced_status(r.code, &r.text).is_some_and(|e| e.subject == 7))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::smtp::{DataOutcome, Reply};

    #[test]
    fn gmail_consumer_and_workspace_differ() {
        assert_eq!(defaults_for("a@gmail.com", "smtp.gmail.com").per_day, 500);
        assert_eq!(
            defaults_for("a@firm.example", "smtp.gmail.com").per_day,
            2000
        );
        assert_eq!(
            defaults_for("a@example.test", "mail.example.test"),
            Limits {
                per_minute: 60,
                per_day: 1000
            }
        );
    }

    #[test]
    fn the_tighter_window_wins_and_slowing_halves_the_minute() {
        let l = Limits {
            per_minute: 10,
            per_day: 100,
        };
        assert_eq!(allowance(l, 4, 50), 6);
        assert_eq!(allowance(l, 0, 97), 3);
        assert_eq!(allowance(l, 12, 0), 0);
        let slowed = effective(
            Limits {
                per_minute: 0,
                per_day: 0,
            },
            l,
            true,
        );
        assert_eq!(
            slowed,
            Limits {
                per_minute: 5,
                per_day: 100
            }
        );
        assert_eq!(
            effective(
                Limits {
                    per_minute: 1,
                    per_day: 0
                },
                l,
                true
            )
            .per_minute,
            1
        );
    }

    #[test]
    fn slow_down_replies_are_recognised() {
        let sub = |code, text: &str| Submission {
            mail_from_refused: None,
            recipients: vec![(
                "a".into(),
                Reply {
                    code,
                    text: text.into(),
                },
            )],
            data: DataOutcome::NotSent,
        };
        assert!(asks_to_slow_down(&sub(421, "4.7.0 try again later")));
        assert!(asks_to_slow_down(&sub(
            450,
            "4.7.1 rate limited, slow down"
        )));
        assert!(!asks_to_slow_down(&sub(451, "4.3.0 local error")));
        assert!(!asks_to_slow_down(&sub(550, "5.7.1 denied")));
    }
}
