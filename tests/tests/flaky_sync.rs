//! A first sync over a link that keeps dropping: a proxy in front of the real Dovecot
//! cuts every connection after a random 5 KB to 3 MB. One `sync` must still bring the
//! whole 3,000-message folder down, each message once: what arrived before a cut is
//! kept, and the sync reconnects and resumes from it within the run.

use courriel_engine::api::Security;
use courriel_tests::proxy::flaky_proxy;
use courriel_tests::{engine, Servers};

const MESSAGES: usize = 3_000;

#[tokio::test(flavor = "multi_thread")]
async fn a_first_sync_over_a_link_that_keeps_dropping_finishes() {
    let servers = Servers::start();
    let seeded = servers
        .seed("bob", None, MESSAGES, 1_700_000_000)
        .expect("seed");
    let (port, ended) = flaky_proxy(servers.port("IMAPS_PORT"), (5_000, 3_000_000), 7).await;
    let (engine, _dir) = engine(servers.secrets());
    let mut bob = servers.account("bob");
    bob.incoming = servers.endpoint("IMAPS_PORT", Security::Tls);
    bob.incoming.port = port;
    let bob = engine.add_account(bob).await.expect("bob").email;
    // Headers and bodies, as a first sync of recent mail fetches them.
    engine
        .set_body_window(&bob, None)
        .await
        .expect("every body");

    let report = engine
        .sync(&bob)
        .await
        .expect("one sync finishes the folder");
    assert_eq!(report.total_cached, MESSAGES as u32, "{report:?}");
    let cuts = ended.load(std::sync::atomic::Ordering::SeqCst);
    eprintln!("the link dropped {cuts} times during the sync");
    assert!(
        cuts >= 3,
        "the link dropped {cuts} times: the test did not test anything"
    );

    // Each message once: the cache holds exactly the seeded Message-IDs.
    let mut cached: Vec<String> = engine
        .list_inbox(MESSAGES as u32 + 100)
        .await
        .expect("list")
        .into_iter()
        .filter_map(|m| m.message_id)
        .collect();
    cached.sort();
    let mut want = seeded.message_ids.clone();
    want.sort();
    assert_eq!(cached.len(), want.len(), "no duplicate, none missing");
    assert_eq!(cached, want);
}
