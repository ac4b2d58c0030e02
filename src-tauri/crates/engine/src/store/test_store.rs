//! One cache with one IMAP account, for the store's own tests.

use super::Store;
use crate::api::{Endpoint, NewAccount, Protocol, Security};

/// A new cache in a temporary directory holding bob@example.test's account: the store,
/// the directory (alive as long as the caller keeps it) and the account's id.
pub(crate) fn with_account() -> (Store, tempfile::TempDir, i64) {
    let dir = tempfile::tempdir().expect("dir");
    let store = Store::open(dir.path()).expect("open");
    let endpoint = Endpoint {
        host: "mail.example.test".into(),
        port: 993,
        security: Security::Tls,
    };
    let account = store
        .insert_account(&NewAccount {
            email: "bob@example.test".into(),
            display_name: "Bob".into(),
            username: "bob@example.test".into(),
            protocol: Protocol::Imap,
            incoming: endpoint.clone(),
            smtp: endpoint,
            ca_file: None,
            sent_copy: None,
            smtp_plaintext_no_auth: false,
            auth: Default::default(),
        })
        .expect("account");
    (store, dir, account.id)
}
