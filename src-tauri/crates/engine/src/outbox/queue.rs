//! Putting a message in the outbox and the user's calls on it: send now, queue (the undo
//! window, "send later"), send again, edit, withdraw, mark as sent, and the outbox as it
//! stands. Nothing here talks to a server but `send`, which drains the account's queue
//! (`run`).

use crate::api::{Draft, SendReport};
use crate::engine::Engine;
use crate::error::Result;

impl Engine {
    /// Send a message now: queue it, then drain the account's queue. A message the
    /// server turned out to be too small for (its SIZE, learned on this connection) is an
    /// error too; it stays in the outbox, failed, to be edited.
    pub async fn send(&self, email: &str, draft: Draft) -> Result<SendReport> {
        let report = self.queue(email, draft, None).await?;
        let account = self.account(email).await?;
        self.deliver_due(&account).await?;
        let report = self.store.outbox_report(report.outbox_id)?;
        if report.state == crate::api::OutboxState::Failed {
            let (_, mime) = self.store.outbox_mime(report.outbox_id)?;
            let limit = self.store.smtp_max_size(account.id)?;
            crate::smtp::check_size(&account, mime.len(), limit)?;
        }
        Ok(report)
    }

    /// The largest message the account's server takes, as last seen (EHLO `SIZE`), in
    /// bytes: Compose warns before attachments pass it.
    pub async fn send_size_limit(&self, email: &str) -> Result<Option<u64>> {
        let account = self.account(email).await?;
        self.blocking(move |s| s.smtp_max_size(account.id)).await
    }

    /// Build the message (Message-ID and Date fixed) and write it to the outbox, before
    /// any network I/O. `not_before` (unix seconds) holds it back: the undo window, or
    /// "send later".
    pub async fn queue(
        &self,
        email: &str,
        draft: Draft,
        not_before: Option<i64>,
    ) -> Result<SendReport> {
        let account = self.account(email).await?;
        let built = crate::mime::build::build(&account, &draft)?;
        // Over the server's known limit: refused before it is queued, so nothing is
        // uploaded and the draft stays with the user.
        let limit = self.store.smtp_max_size(account.id)?;
        crate::smtp::check_size(&account, built.mime.len(), limit)?;
        let report = self
            .blocking(move |store| {
                let id = store.enqueue(
                    account.id,
                    &built.message_id,
                    &built.mail_from,
                    &built.rcpt_to,
                    &built.mime,
                )?;
                if let Some(at) = not_before {
                    store.hold_until(id, at)?;
                }
                store.outbox_report(id)
            })
            .await?;
        self.learn_sent_quietly(&draft).await; // its recipients, for address completion
        Ok(report)
    }

    /// The user's call on a failed or uncertain message: send it again to everyone who
    /// has not accepted it.
    pub async fn resend(&self, key: &str) -> Result<SendReport> {
        let id = self.store.outbox_id(key)?;
        self.store.requeue(id)?;
        let report = self.store.outbox_report(id)?;
        let account_id = self.blocking(move |s| s.outbox_account(id)).await?;
        let account = self.blocking(move |s| s.account(account_id)).await?;
        self.deliver_due(&account).await?;
        self.store.outbox_report(report.outbox_id)
    }

    /// An outbox message as an editable draft: a refused message is never lost.
    pub async fn outbox_draft(&self, key: &str) -> Result<Draft> {
        let id = self.store.outbox_id(key)?;
        let (mime, envelope) = self.store.outbox_message(id)?;
        crate::mime::reopen::reopen(&mime, &envelope)
    }

    /// Withdraw a message that has not gone out: undo a queued send, or drop a failed or
    /// uncertain one (after `outbox_draft` to edit it into a new message).
    pub async fn discard(&self, key: &str) -> Result<()> {
        let id = self.store.outbox_id(key)?;
        self.store.discard(id)
    }

    /// The user's call on an uncertain message: it did go out (they checked).
    pub async fn mark_sent(&self, key: &str) -> Result<SendReport> {
        let id = self.store.outbox_id(key)?;
        self.store
            .settle_as_sent(id, false, "marked as sent by the user")?;
        self.store.outbox_report(id)
    }

    pub async fn outbox(&self) -> Result<Vec<SendReport>> {
        self.blocking(|store| store.outbox(None)).await
    }

    /// The recorded SMTP conversations of an outbox message (by id or Message-ID).
    pub async fn trace(
        &self,
        key: &str,
    ) -> Result<(SendReport, Vec<crate::store::outbox::Attempt>)> {
        let key = key.to_owned();
        self.blocking(move |store| {
            let id = store.outbox_id(&key)?;
            Ok((store.outbox_report(id)?, store.attempts(id)?))
        })
        .await
    }
}
