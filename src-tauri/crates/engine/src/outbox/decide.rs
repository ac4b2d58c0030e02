//! The outbox's decisions, as pure functions over recipient states: what one attempt's
//! replies mean for each recipient, and where the message stands after it.
//!
//! - 2xx at RCPT and at the end of DATA: accepted (by the provider; not "delivered").
//! - 4xx anywhere: deferred, retried with backoff (`retry`), until two days old.
//! - 5xx: refused at once, never retried; the message stays editable.
//! - No reply after the message went out: uncertain, never resent blindly.

use super::retry::{next_retry, Retry};
use crate::api::{OutboxState, RecipientResult, RecipientState};
use crate::smtp::{DataOutcome, Reply, Submission};
pub use crate::store::outbox::Verdict;

/// Fold one attempt's replies into the recipients it was made for.
pub fn apply(recipients: &mut [RecipientResult], submission: &Submission) {
    let tried = |r: &RecipientResult| r.wants_attempt();
    if let Some(refusal) = &submission.mail_from_refused {
        recipients
            .iter_mut()
            .filter(|r| tried(r))
            .for_each(|r| set(r, refusal, verdict(refusal)));
        return;
    }
    for (address, reply) in &submission.recipients {
        let Some(r) = recipients
            .iter_mut()
            .find(|r| &r.address == address && tried(r))
        else {
            continue;
        };
        if reply.code >= 400 {
            set(r, reply, verdict(reply));
            continue;
        }
        match &submission.data {
            DataOutcome::Accepted(done) => set(r, done, RecipientState::Accepted),
            DataOutcome::Refused(no) => set(r, no, verdict(no)),
            DataOutcome::NoReply => set(r, reply, RecipientState::Uncertain),
            DataOutcome::NotSent => {}
        }
    }
}

fn verdict(reply: &Reply) -> RecipientState {
    if reply.is_transient() {
        RecipientState::Deferred
    } else {
        RecipientState::Refused
    }
}

fn set(r: &mut RecipientResult, reply: &Reply, state: RecipientState) {
    r.state = state;
    r.code = reply.code;
    r.text = reply.text.clone();
}

/// When the decision is made, and what it can lean on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timing {
    /// Attempts so far, the one just made included.
    pub attempts: u32,
    pub created_at: i64,
    pub now: i64,
    /// In [0, 1): spreads retries of many messages apart.
    pub jitter: f64,
    /// Set when the sending limit held recipients back: when the window frees up.
    pub paced_until: Option<i64>,
}

/// Decide from the recipients' states. Deferred recipients are retried until the message
/// is two days old, then refused; recipients held back by pacing wait for the window.
pub fn verdict_after(recipients: &mut [RecipientResult], t: Timing) -> Verdict {
    if count(recipients, RecipientState::Uncertain) > 0 {
        return Verdict {
            state: OutboxState::Uncertain,
            next_attempt_at: None,
            summary: Some(
                "the connection dropped after the message was sent, before the server confirmed it; \
                 not resent, to avoid a duplicate"
                    .into(),
            ),
        };
    }
    let (deferred, pending) = (
        count(recipients, RecipientState::Deferred),
        count(recipients, RecipientState::Pending),
    );
    if let (0, 1.., Some(at)) = (deferred, pending, t.paced_until) {
        return Verdict {
            state: OutboxState::Queued,
            next_attempt_at: Some(at),
            summary: Some(format!(
                "paced: {pending} recipient(s) wait for the sending limit"
            )),
        };
    }
    if deferred + pending > 0 {
        match next_retry(t.attempts, t.created_at, t.now, t.jitter) {
            Retry::At(at) => {
                return Verdict {
                    state: OutboxState::Queued,
                    next_attempt_at: Some(at),
                    summary: Some("temporarily refused; will retry".into()),
                }
            }
            Retry::GiveUp => recipients
                .iter_mut()
                .filter(|r| r.wants_attempt())
                .for_each(|r| {
                    r.state = RecipientState::Refused;
                    r.text = format!("gave up after two days of temporary refusals: {}", r.text);
                }),
        }
    }
    let refused = count(recipients, RecipientState::Refused);
    if count(recipients, RecipientState::Accepted) > 0 {
        let summary = (refused > 0).then(|| format!("{refused} recipient(s) refused"));
        return Verdict {
            state: OutboxState::Accepted,
            next_attempt_at: None,
            summary,
        };
    }
    Verdict {
        state: OutboxState::Failed,
        next_attempt_at: None,
        summary: Some("no recipient accepted the message".into()),
    }
}

fn count(recipients: &[RecipientResult], state: RecipientState) -> usize {
    recipients.iter().filter(|r| r.state == state).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(code: u16, text: &str) -> Reply {
        Reply {
            code,
            text: text.into(),
        }
    }

    fn rcpts(addresses: &[&str]) -> Vec<RecipientResult> {
        addresses
            .iter()
            .map(|a| RecipientResult::pending(a))
            .collect()
    }

    fn submission(replies: &[(&str, u16)], data: DataOutcome) -> Submission {
        Submission {
            mail_from_refused: None,
            recipients: replies
                .iter()
                .map(|(a, c)| (a.to_string(), reply(*c, "x")))
                .collect(),
            data,
        }
    }

    fn t(attempts: u32, created_at: i64, now: i64, jitter: f64) -> Timing {
        Timing {
            attempts,
            created_at,
            now,
            jitter,
            paced_until: None,
        }
    }

    #[test]
    fn recipients_held_back_by_pacing_wait_for_the_window_not_a_backoff() {
        let mut r = rcpts(&["a", "b"]);
        apply(
            &mut r,
            &submission(&[("a", 250)], DataOutcome::Accepted(reply(250, "ok"))),
        );
        let v = verdict_after(
            &mut r,
            Timing {
                paced_until: Some(500),
                ..t(1, 0, 10, 0.0)
            },
        );
        assert_eq!(v.state, OutboxState::Queued);
        assert_eq!(v.next_attempt_at, Some(500));
        assert!(v.summary.as_deref().unwrap_or("").starts_with("paced"));
    }

    fn states(r: &[RecipientResult]) -> Vec<RecipientState> {
        r.iter().map(|r| r.state).collect()
    }

    #[test]
    fn a_550_for_one_recipient_leaves_the_others_accepted() {
        let mut r = rcpts(&["a", "b", "c"]);
        let s = submission(
            &[("a", 250), ("b", 550), ("c", 451)],
            DataOutcome::Accepted(reply(250, "2.0.0 queued as X")),
        );
        apply(&mut r, &s);
        use RecipientState::*;
        assert_eq!(states(&r), [Accepted, Refused, Deferred]);
        let v = verdict_after(&mut r, t(1, 0, 10, 0.0));
        assert_eq!(v.state, OutboxState::Queued, "the 451 is retried");
        assert_eq!(v.next_attempt_at, Some(70));
    }

    #[test]
    fn the_retry_only_sends_to_the_deferred_recipient() {
        let mut r = rcpts(&["a", "c"]);
        apply(
            &mut r,
            &submission(
                &[("a", 250), ("c", 451)],
                DataOutcome::Accepted(reply(250, "ok")),
            ),
        );
        let wanted: Vec<_> = r
            .iter()
            .filter(|r| r.wants_attempt())
            .map(|r| r.address.as_str())
            .collect();
        assert_eq!(wanted, ["c"]);
        apply(
            &mut r,
            &submission(&[("c", 250)], DataOutcome::Accepted(reply(250, "ok"))),
        );
        let v = verdict_after(&mut r, t(2, 0, 100, 0.0));
        assert_eq!(v.state, OutboxState::Accepted);
        assert_eq!(v.summary, None);
    }

    #[test]
    fn no_reply_after_data_is_uncertain_never_retried() {
        let mut r = rcpts(&["a"]);
        apply(&mut r, &submission(&[("a", 250)], DataOutcome::NoReply));
        let v = verdict_after(&mut r, t(1, 0, 10, 0.0));
        assert_eq!(v.state, OutboxState::Uncertain);
        assert_eq!(v.next_attempt_at, None);
    }

    #[test]
    fn a_permanent_refusal_of_everyone_fails_at_once() {
        let mut r = rcpts(&["a"]);
        let s = Submission {
            mail_from_refused: Some(reply(553, "5.7.1 sender not allowed")),
            recipients: vec![],
            data: DataOutcome::NotSent,
        };
        apply(&mut r, &s);
        let v = verdict_after(&mut r, t(1, 0, 10, 0.0));
        assert_eq!(v.state, OutboxState::Failed);
        assert_eq!(r[0].code, 553);
    }

    #[test]
    fn deferred_too_long_becomes_refused() {
        let mut r = rcpts(&["a", "b"]);
        apply(
            &mut r,
            &submission(
                &[("a", 250), ("b", 451)],
                DataOutcome::Accepted(reply(250, "ok")),
            ),
        );
        let v = verdict_after(&mut r, t(40, 0, super::super::retry::MAX_AGE_SECS, 0.0));
        assert_eq!(v.state, OutboxState::Accepted);
        assert_eq!(r[1].state, RecipientState::Refused);
        assert!(r[1].text.starts_with("gave up"));
    }

    #[test]
    fn a_temporary_data_refusal_defers_the_accepted_rcpts() {
        let mut r = rcpts(&["a"]);
        apply(
            &mut r,
            &submission(
                &[("a", 250)],
                DataOutcome::Refused(reply(452, "4.3.1 full")),
            ),
        );
        assert_eq!(r[0].state, RecipientState::Deferred);
    }
}
