//! An authenticated SMTP session that carries many messages: the outbox worker opens one
//! per run and sends message after message over it, instead of one connection each.
//! A server that says 421, a broken link, or [`MAX_MESSAGES`] messages ends it; the next
//! message opens a fresh one.

use lettre::transport::smtp::client::AsyncSmtpConnection;
use lettre::transport::smtp::commands::Rset;

use super::dsn::Dsn;
use super::submit::{check_size, converse, login, DataOutcome, Outgoing, Submission};
use super::trace::Trace;
use crate::api::Account;
use crate::auth::secrets::{Secret, SecretStore};
use crate::error::{Context, ErrorKind, Result};

/// Messages per connection before a fresh one: some servers cap transactions per
/// connection, and a long-lived session should not outlast a password change for long.
pub const MAX_MESSAGES: u32 = 100;

pub struct SmtpSession {
    conn: AsyncSmtpConnection,
    messages: u32,
    server: String,
    max_size: Option<u64>,
    dsn: bool,
}

impl SmtpSession {
    /// Connect and authenticate. A refused OAuth2 token gets one refresh and one retry:
    /// it may just have expired.
    pub async fn open(
        account: &Account,
        secrets: &dyn SecretStore,
        trace: &mut Trace,
    ) -> Result<SmtpSession> {
        let secret = secrets.secret(account).await?;
        let mut result = login(account, &secret, None, trace).await;
        let refused = result.as_ref().is_err_and(|e| e.kind == ErrorKind::Auth);
        if refused && matches!(secret, Secret::OAuth2Token(_)) {
            if let Some(fresh) = secrets.refresh(account).await? {
                trace.step("the token was refused; refreshed it, trying once more");
                result = login(account, &fresh, None, trace).await;
            }
        }
        let connected = result?;
        Ok(SmtpSession {
            conn: connected.conn,
            messages: 0,
            server: format!("{}:{}", account.smtp.host, account.smtp.port),
            max_size: connected.max_size,
            dsn: connected.dsn,
        })
    }

    /// The largest message the server said it takes (EHLO `SIZE`), if it said.
    pub fn max_size(&self) -> Option<u64> {
        self.max_size
    }

    /// One transaction: MAIL, RCPT each, DATA. Leaves the session ready for the next.
    /// A message over the server's SIZE is refused here (`ErrorKind::TooLarge`) before
    /// any command: the session stays usable. `dsn` is asked for only where offered.
    pub async fn transact(
        &mut self,
        account: &Account,
        envelope: (&str, &[String]),
        (mime, dsn): (&[u8], Option<&Dsn>),
        trace: &mut Trace,
        before_data: impl FnOnce(&Trace) -> Result<()>,
    ) -> Result<Submission> {
        check_size(account, mime.len(), self.max_size).inspect_err(|e| {
            trace.step(format!("not sent, nothing uploaded: {}", e.message));
        })?;
        self.messages += 1;
        if self.messages > 1 {
            trace.step(format!(
                "reusing the session to {} (message {} on it)",
                self.server, self.messages
            ));
        }
        let message = Outgoing {
            mime,
            max_size: self.max_size,
            dsn: dsn.filter(|_| self.dsn),
        };
        let submission = converse(&mut self.conn, envelope, message, trace, before_data)
            .await
            .with_context(|| format!("sending through {}", self.server))?;
        if !matches!(submission.data, DataOutcome::Accepted(_)) && !self.conn.has_broken() {
            // An unfinished transaction must be reset before the next MAIL FROM.
            self.conn.command(Rset).await.ok();
        }
        Ok(submission)
    }

    /// Whether the next message may use this session.
    pub fn reusable(&self, last: &Submission) -> bool {
        let closing = last.replies().any(|r| r.code == 421);
        !closing && !self.conn.has_broken() && self.messages < MAX_MESSAGES
    }

    pub async fn close(mut self) {
        self.conn.quit().await.ok(); // everything is recorded; a failed QUIT changes nothing
    }
}
