//! A temporary sign-in failure is not a wrong password: Dovecot's password database
//! fails (its users file unreadable, as a broken disk or directory server would), so
//! IMAP answers `NO [UNAVAILABLE]` and POP3 `-ERR [SYS/TEMP]`. The account stays healthy,
//! the error says Courriel will retry, and the next sync after the repair goes through.

use courriel_engine::api::Security;
use courriel_engine::ErrorKind;
use courriel_tests::{engine, Servers};

#[tokio::test(flavor = "multi_thread")]
async fn a_temporary_imap_or_pop3_sign_in_failure_keeps_the_account_healthy() {
    let servers = Servers::start();
    let (engine, _dir) = engine(servers.secrets());
    let imap = engine
        .add_account(servers.account("alice"))
        .await
        .expect("alice")
        .email;
    let pop3 = engine
        .add_account(servers.pop3_account("bob", Security::Tls))
        .await
        .expect("bob")
        .email;
    servers.break_auth();
    for email in [&imap, &pop3] {
        let e = engine.sync(email).await.expect_err("the passdb is down");
        assert_eq!(e.kind, ErrorKind::Unavailable, "{email}: {e}");
        assert!(
            e.message
                .contains("the provider's sign-in service is having trouble; Courriel will retry"),
            "{e}"
        );
        assert!(!e.message.contains("Some("), "no debug text: {e}");
        let account = engine.account(email).await.expect("account");
        assert_eq!(account.needs_signin, None, "{email} is still signed in");
    }
    servers.repair_auth();
    for email in [&imap, &pop3] {
        engine.sync(email).await.expect("synced after the repair");
    }
}
