//! After the server took a message: its copy in the Sent folder (when the provider does
//! not file one itself), and uncertain messages settled where the server can tell.

use crate::api::{Account, SentCopy};
use crate::auth::secrets::Secret;
use crate::error::Result;
use crate::imap::sent;
use crate::store::Store;

/// File the Sent copy of every accepted message of the account that lacks one, over one
/// IMAP session. A copy already there (we crashed between APPEND and recording it) is
/// found by Message-ID and not appended twice. Only for accounts whose provider does not
/// file copies itself.
pub async fn file_sent_copies(store: &Store, account: &Account, secret: &Secret) -> Result<()> {
    let ids = store.accepted_without_copy(account.id)?;
    if ids.is_empty() || account.sent_copy != SentCopy::Append {
        return Ok(());
    }
    let mut session = crate::imap::connect(account, secret).await?;
    for id in ids {
        let (message_id, mime) = store.outbox_mime(id)?;
        if !sent::sent_has(&mut session, &message_id).await? {
            sent::append_to_sent(&mut session, &mime).await?;
        }
        store.mark_copied_to_sent(id)?;
    }
    session.logout().await.ok(); // everything is recorded; a failed LOGOUT changes nothing
    Ok(())
}

/// Settle uncertain messages where the server can tell: when the provider files sent
/// mail itself, a copy in Sent proves the submission went through. Otherwise they stay
/// uncertain, for the user to resend or mark as sent.
pub async fn settle_uncertain(store: &Store, account: &Account, secret: &Secret) -> Result<()> {
    let ids = store.uncertain(account.id)?;
    if ids.is_empty() || account.sent_copy != SentCopy::Provider {
        return Ok(());
    }
    let mut session = crate::imap::connect(account, secret).await?;
    for id in ids {
        let (message_id, _) = store.outbox_mime(id)?;
        if sent::sent_has(&mut session, &message_id).await? {
            store.settle_as_sent(id, true, "found in Sent: the provider accepted it")?;
        }
    }
    session.logout().await.ok();
    Ok(())
}
