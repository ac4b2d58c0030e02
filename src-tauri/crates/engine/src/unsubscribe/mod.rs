//! Unsubscribe from list mail: the reader says which way it will go
//! (`Engine::unsubscribe_plan`), one click does it (`Engine::unsubscribe`).
//!
//! The ways, in order (`header::plan`):
//! 1. **One click** (RFC 8058), when `List-Unsubscribe-Post: List-Unsubscribe=One-Click`
//!    comes with an https URL: one POST, nothing opened (`post`).
//! 2. **Mail**, to the first `mailto:` address: the request goes through the outbox like
//!    any message (traced, retried while the server is away, in the Sent copy).
//! 3. **The page**: the https URL handed back for the caller to open in the browser (the
//!    app's link opener; the CLI prints it). Never `http:` or any other scheme.
//!
//! **DKIM, decided.** RFC 8058 §4 asks that the message carry a valid DKIM signature
//! covering both headers before a POST is sent. That rule is for mailbox providers that
//! POST on behalf of millions, where a forged header turns them into a request cannon.
//! Courriel POSTs only when its user clicks, after the reader has named the host it goes
//! to, with a fixed body and nothing about the user (no cookies, no credentials), never
//! to a private or loopback address (the account's own servers excepted: a self-hosted
//! list manager), and never following a redirect: a forged header gets no more than a
//! link in the same message would. So the POST does not wait on DKIM (a list message's
//! signature is often broken by the list itself, and DNS may be away); the sender's
//! trust verdict stays in view in the reader beside the button.
//!
//! **Private addresses.** A URL on the account's own IMAP or SMTP host may be private:
//! that is the test rig's and a self-hosted server's case, and its certificate is checked
//! against the account's CA file as the mail servers' is.

pub mod header;
pub mod post;

use crate::api::{Account, UnsubscribeKind, UnsubscribePlan, Unsubscribed};
use crate::engine::Engine;
use crate::error::{Context, Error, ErrorKind, Result};

impl Engine {
    /// How message `id`'s list would be left; None when it offers no usable way.
    pub async fn unsubscribe_plan(&self, id: i64) -> Result<Option<UnsubscribePlan>> {
        Ok(self.plan_for(id).await?.1)
    }

    /// Leave message `id`'s list the way `unsubscribe_plan` said: the POST sent, the mail
    /// queued (and sent when the server is there), or the page's URL handed back (kind
    /// `Page`) for the caller to open.
    pub async fn unsubscribe(&self, id: i64) -> Result<Unsubscribed> {
        let (account, plan) = self.plan_for(id).await?;
        let plan = plan.ok_or_else(|| {
            Error::new(
                ErrorKind::NotFound,
                "this message offers no way to unsubscribe (no https or mailto address in List-Unsubscribe)",
            )
        })?;
        let mut done = Unsubscribed {
            plan: plan.clone(),
            status: None,
            outbox_id: None,
        };
        match plan.kind {
            UnsubscribeKind::OneClick => {
                let ca = account.ca_file.as_deref().map(std::path::Path::new);
                let status = post::one_click(&plan.target, &own_hosts(&account), ca)
                    .await
                    .with_context(|| format!("unsubscribing at {}", plan.host))?;
                tracing::info!("unsubscribed at {} (HTTP {status})", plan.host);
                done.status = Some(status);
            }
            UnsubscribeKind::Mail => {
                done.outbox_id = Some(self.mail_request(&account, &plan).await?)
            }
            UnsubscribeKind::Page => {}
        }
        Ok(done)
    }

    /// The request as a message from the account, queued, then sent if the server is
    /// there (offline it waits in the outbox and is retried: not an error).
    async fn mail_request(&self, account: &Account, plan: &UnsubscribePlan) -> Result<i64> {
        let mut draft = crate::mailto::parse(&plan.target)?;
        draft.to.truncate(1);
        draft.cc.clear();
        draft.bcc.clear();
        if draft.subject.trim().is_empty() {
            draft.subject = "unsubscribe".into();
        }
        if draft.body.trim().is_empty() {
            draft.body = "unsubscribe".into();
        }
        let report = self.queue(&account.email, draft, None).await?;
        if let Err(e) = self.deliver_due(account).await {
            tracing::info!("the unsubscribe request waits in the outbox: {e}");
        }
        Ok(report.outbox_id)
    }

    async fn plan_for(&self, id: i64) -> Result<(Account, Option<UnsubscribePlan>)> {
        let summary = self.summary(id).await?;
        let account = self.account(&summary.account_email).await?;
        self.with_body(id).await?;
        let raw = self
            .blocking(move |s| s.raw_head(id, header::MAX_HEAD))
            .await?;
        let plan = header::plan(&header::read(&raw), &own_hosts(&account));
        Ok((account, plan))
    }
}

/// The account's own servers' hosts, which may be on a private network.
fn own_hosts(account: &Account) -> Vec<&str> {
    vec![account.incoming.host.as_str(), account.smtp.host.as_str()]
}
