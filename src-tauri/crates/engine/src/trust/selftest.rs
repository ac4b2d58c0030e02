//! The domain check's last step: a message to oneself, sent through the account's own
//! submission server, read back from the account's mailbox, and checked like any
//! received message. When the provider adds Authentication-Results, its verdict on the
//! user's own mail (DKIM signed and aligned, SPF covering the server, DMARC pass) is the
//! proof the DNS records work; otherwise Courriel checks the copy itself.

use std::time::Duration;

use super::TrustOptions;
use crate::api::{Draft, OutboxState, TrustVerdict};
use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};

impl Engine {
    /// Send a test message from `email` to itself, wait (at most `wait`) for it to arrive,
    /// syncing every couple of seconds, and return the verdict on the received copy.
    pub async fn domain_self_test(
        &self,
        email: &str,
        options: &TrustOptions,
        wait: Duration,
    ) -> Result<TrustVerdict> {
        let account = self.account(email).await?;
        let message_id = self.send_self_test(&account.email).await?;
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            self.sync(&account.email).await?;
            if let Some(id) = self.received_copy(account.id, &message_id).await? {
                return self.message_trust_with(id, options).await;
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(Error::new(
                    ErrorKind::Network,
                    format!(
                        "the test message <{message_id}> did not arrive within {} s; it may \
                         still come (look in Junk), or your provider held it",
                        wait.as_secs()
                    ),
                ));
            }
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
    }

    /// Send the test message to `email` itself; its Message-ID, without the brackets.
    async fn send_self_test(&self, email: &str) -> Result<String> {
        let draft = Draft {
            to: vec![email.to_owned()],
            subject: "Courriel: domain check".into(),
            body: "Courriel sent this message to itself to check how receivers see your \
                   domain (SPF, DKIM, DMARC). You can delete it.\n\n\
                   Courriel a envoyé ce message à lui-même pour vérifier comment les \
                   destinataires voient votre domaine (SPF, DKIM, DMARC). Vous pouvez le \
                   supprimer.\n"
                .into(),
            ..Default::default()
        };
        let report = self.send(email, draft).await?;
        if matches!(report.state, OutboxState::Failed | OutboxState::Uncertain) {
            return Err(Error::new(
                ErrorKind::Rejected,
                format!(
                    "the test message was not sent: {}",
                    report.last_error.unwrap_or_default()
                ),
            ));
        }
        Ok(report.message_id.trim_matches(['<', '>']).to_owned())
    }

    /// The received copy of the test message (an INBOX one first), not the Sent one.
    async fn received_copy(&self, account_id: i64, message_id: &str) -> Result<Option<i64>> {
        let mid = message_id.to_owned();
        self.blocking(move |s| s.received_copy(account_id, &mid))
            .await
    }
}
