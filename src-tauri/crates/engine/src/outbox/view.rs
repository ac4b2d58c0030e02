//! The outbox as the app shows it: each message with its account and subject, each
//! refused or deferred recipient's reply in plain words (`smtp::replies`), and the
//! recorded conversations split into timeline steps. Read-only views over the store, so
//! the desktop shell never parses a trace or a reply itself.

use crate::api::{OutboxItem, RecipientExplanation, RecipientState, SendReport, TraceAttempt};
use crate::api::{TraceStep, TraceView};
use crate::engine::Engine;
use crate::error::Result;
use crate::smtp::replies::{self, Lang};
use crate::store::Store;

impl Engine {
    /// Every outbox message, newest first, explained in `lang`.
    pub async fn outbox_items(&self, lang: Lang) -> Result<Vec<OutboxItem>> {
        self.blocking(move |s| {
            s.outbox(None)?
                .into_iter()
                .map(|report| item(s, report, lang))
                .collect()
        })
        .await
    }

    /// One outbox message (by id or Message-ID) with its attempts as timelines.
    pub async fn trace_view(&self, key: &str, lang: Lang) -> Result<TraceView> {
        let key = key.to_owned();
        self.blocking(move |s| {
            let id = s.outbox_id(&key)?;
            let attempts = s
                .attempts(id)?
                .into_iter()
                .map(|a| TraceAttempt {
                    started_at: a.started_at,
                    ended_at: a.ended_at,
                    outcome: if a.ended_at.is_none() {
                        "in progress".into()
                    } else {
                        a.outcome
                    },
                    steps: steps(&a.trace),
                })
                .collect();
            Ok(TraceView {
                item: item(s, s.outbox_report(id)?, lang)?,
                attempts,
            })
        })
        .await
    }
}

fn item(s: &Store, report: SendReport, lang: Lang) -> Result<OutboxItem> {
    let account = s.account(s.outbox_account(report.outbox_id)?)?;
    let (_, mime) = s.outbox_mime(report.outbox_id)?;
    let subject = mail_parser::MessageParser::default()
        .parse_headers(&mime[..])
        .and_then(|m| m.subject().map(str::to_owned))
        .unwrap_or_default();
    let explanations = report
        .recipients
        .iter()
        .filter(|r| !matches!(r.state, RecipientState::Accepted | RecipientState::Pending))
        .filter_map(|r| {
            replies::explain_recipient(r, lang).map(|e| RecipientExplanation {
                address: r.address.clone(),
                cause: e.cause,
                next_step: e.next_step,
                will_retry: e.will_retry,
            })
        })
        .collect();
    let waits_for_sign_in =
        report.state == crate::api::OutboxState::Queued && account.needs_signin.is_some();
    let later = crate::delivery::later_fates(s, report.outbox_id)?;
    Ok(OutboxItem {
        later,
        report,
        waits_for_sign_in,
        account_email: account.email,
        subject,
        explanations,
    })
}

/// "+0.012s  connecting to ..." lines (`smtp::trace::Trace::render`) back into steps.
fn steps(rendered: &str) -> Vec<TraceStep> {
    rendered
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let parsed = line
                .strip_prefix('+')
                .and_then(|rest| rest.split_once("s  "))
                .and_then(|(at, what)| Some((at.parse::<f64>().ok()?, what)));
            match parsed {
                Some((at, what)) => TraceStep {
                    at,
                    what: what.to_owned(),
                },
                None => TraceStep {
                    at: 0.0,
                    what: line.to_owned(),
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rendered_traces_split_into_steps() {
        let s =
            steps("+0.000s  connecting to mx:587\n+0.125s  S: 250 2.0.0 Ok: queued\n\nodd line");
        assert_eq!(s.len(), 3);
        assert_eq!(s[1].at, 0.125);
        assert_eq!(s[1].what, "S: 250 2.0.0 Ok: queued");
        assert_eq!(s[2].what, "odd line");
    }
}
