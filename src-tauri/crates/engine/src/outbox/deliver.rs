//! One attempt at one outbox message: record it, converse, fold the replies into the
//! recipients' states, decide, record, all around a single `submit`.

use super::decide::{apply, verdict_after, Timing, Verdict};
use crate::api::{Account, OutboxState, RecipientResult};
use crate::auth::secrets::SecretStore;
use crate::error::{ErrorKind, Result};
use crate::smtp::dsn::Dsn;
use crate::smtp::session::SmtpSession;
use crate::smtp::trace::Trace;
use crate::smtp::Submission;
use crate::store::outbox::OutboxEntry;
use crate::store::Store;

/// Attempt delivery to the recipients still waiting, over `session` (opened here when
/// there is none, dropped when it can't carry another message). A failure before
/// anything was transmitted (network down, TLS, AUTH) is recorded on the message and
/// returned.
pub async fn attempt(
    store: &Store,
    account: &Account,
    secrets: &dyn SecretStore,
    entry: OutboxEntry,
    session: &mut Option<SmtpSession>,
    budget: Budget,
) -> Result<Outcome> {
    let attempt = store.begin_attempt(entry.id)?;
    let mut recipients = entry.recipients.clone();
    let (wanted, held_back) = within_budget(&recipients, budget);
    let mut trace = Trace::new();
    if held_back > 0 {
        trace.step(format!(
            "sending limit: {} of {} recipients now, the rest in {} when the limit's window frees up",
            wanted.len(),
            wanted.len() + held_back,
            in_words(budget.frees_at - budget.now)
        ));
    }
    let ids = (entry.id, attempt);
    let result = transact(
        store,
        account,
        secrets,
        (&entry, ids.1),
        &wanted,
        &mut trace,
        session,
    )
    .await;
    crate::fault::point("after-data");
    let timing = Timing {
        attempts: entry.attempts + 1,
        created_at: entry.created_at,
        now: budget.now,
        jitter: jitter(),
        paced_until: (held_back > 0).then_some(budget.frees_at),
    };
    let verdict = match &result {
        Ok(submission) => {
            apply(&mut recipients, submission);
            verdict_after(&mut recipients, timing)
        }
        Err(e) => failure_verdict(e, timing),
    };
    trace.step(format!("outcome: {}", verdict.state.as_str()));
    store.finish_attempt((entry.id, attempt), &verdict, &recipients, &trace.render())?;
    outcome(result)
}

/// The recipients this attempt is for, within the sending limit, and how many wait.
fn within_budget(recipients: &[RecipientResult], budget: Budget) -> (Vec<String>, usize) {
    let waiting: Vec<String> = recipients
        .iter()
        .filter(|r| r.wants_attempt())
        .map(|r| r.address.clone())
        .collect();
    let now = waiting.len().min(budget.recipients);
    let held_back = waiting.len() - now;
    (waiting.into_iter().take(now).collect(), held_back)
}

/// What the pacing learns from an attempt. A message too large for the server is its
/// own problem, recorded on it: the next message may still go.
fn outcome(result: Result<Submission>) -> Result<Outcome> {
    match result {
        Ok(s) => Ok(Outcome {
            tried: s.recipients.len() as u32,
            slow_down: super::pacing::asks_to_slow_down(&s),
        }),
        Err(e) if e.kind == ErrorKind::TooLarge => Ok(Outcome {
            tried: 0,
            slow_down: false,
        }),
        Err(e) => Err(e),
    }
}

/// A wait as people say it: "45 s", "12 min", "3 h 5 min".
fn in_words(secs: i64) -> String {
    let secs = secs.max(0);
    match secs {
        0..=59 => format!("{secs} s"),
        60..=3599 => format!("{} min", (secs + 59) / 60),
        _ => format!("{} h {} min", secs / 3600, secs % 3600 / 60),
    }
}

/// What the sending limits allow for one attempt.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// At most this many recipients in this transaction.
    pub recipients: usize,
    /// When the window frees up again, for the recipients held back.
    pub frees_at: i64,
    pub now: i64,
}

/// What an attempt tells the pacing: recipients handed to the server, and whether it
/// asked us to slow down.
#[derive(Debug, Clone, Copy)]
pub struct Outcome {
    pub tried: u32,
    pub slow_down: bool,
}

async fn transact(
    store: &Store,
    account: &Account,
    secrets: &dyn SecretStore,
    (entry, attempt): (&OutboxEntry, i64),
    wanted: &[String],
    trace: &mut Trace,
    session: &mut Option<SmtpSession>,
) -> Result<Submission> {
    let mut live = match session.take() {
        Some(s) => s,
        None => {
            let fresh = SmtpSession::open(account, secrets, trace).await?;
            store.set_smtp_max_size(account.id, fresh.max_size())?;
            fresh
        }
    };
    let envelope = (entry.mail_from.as_str(), wanted);
    let receipts = crate::settings::stored(store).report_delivered;
    let dsn = Dsn::for_message(&entry.message_id, receipts);
    let result = live
        .transact(
            account,
            envelope,
            (&entry.mime, Some(&dsn)),
            trace,
            |so_far| {
                crate::fault::point("before-data");
                // The trace so far goes with the mark: a crash from here on keeps it.
                store.mark_data_started((entry.id, attempt), &so_far.render())
            },
        )
        .await;
    match &result {
        Ok(submission) if live.reusable(submission) => *session = Some(live),
        Ok(_) => live.close().await,
        Err(e) if e.kind == ErrorKind::TooLarge => *session = Some(live), // nothing was sent
        Err(_) => {} // the link is in an unknown state: drop it
    }
    result
}

/// Nothing was transmitted. Network trouble is retried like a 4xx. A refused credential
/// is the account's problem, not the message's: it stays queued and goes as soon as the
/// user signs in again (background sending skips an account that needs sign-in, so it
/// is not retried meanwhile). A TLS or configuration problem needs the user to change
/// settings: the message fails (and stays editable).
fn failure_verdict(e: &crate::Error, t: Timing) -> Verdict {
    if matches!(e.kind, ErrorKind::Auth | ErrorKind::NeedsSignIn) {
        return Verdict {
            state: OutboxState::Queued,
            next_attempt_at: Some(t.now),
            summary: Some(format!("{}; waits until you sign in again", e.message)),
        };
    }
    let retry = matches!(
        e.kind,
        ErrorKind::Network | ErrorKind::Protocol | ErrorKind::Unavailable
    );
    let next = retry.then(|| super::retry::next_retry(t.attempts, t.created_at, t.now, t.jitter));
    match next {
        Some(super::retry::Retry::At(at)) => Verdict {
            state: OutboxState::Queued,
            next_attempt_at: Some(at),
            summary: Some(format!("{}; will retry", e.message)),
        },
        _ => Verdict {
            state: OutboxState::Failed,
            next_attempt_at: None,
            summary: Some(e.message.clone()),
        },
    }
}

/// In [0, 1): spreads the retries of many messages apart. Not cryptographic.
fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(crate::clock::system_now() as u64);
    (h.finish() % 10_000) as f64 / 10_000.0
}
