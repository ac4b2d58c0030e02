//! The OAuth2 loopback listener under a hostile neighbour, with the real local
//! authorization server (tests/servers/oauth2-server.py) playing the provider and the
//! test the browser: an idle local connection that never sends a byte, then a request
//! with a wrong `state` (answered with an error page), then the real redirect: sign-in
//! completes, with tokens, well before the idle connection would time out.

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use courriel_engine::auth::loopback::READ_WAIT;
use courriel_engine::auth::oauth::{self, Provider};
use courriel_tests::Servers;

/// The test's browser: GET a URL, return the status line and the Location header.
fn browse(url: &str) -> (String, Option<String>) {
    let rest = url.strip_prefix("http://").expect("http URL");
    let (host, path) = rest
        .split_once('/')
        .map_or((rest, "/".to_owned()), |(h, p)| (h, format!("/{p}")));
    let mut conn = std::net::TcpStream::connect(host).expect("connect");
    write!(
        conn,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .expect("request");
    let mut response = String::new();
    conn.read_to_string(&mut response).expect("response");
    let status = response.lines().next().unwrap_or_default().to_owned();
    let location = response
        .lines()
        .find_map(|l| {
            l.strip_prefix("Location: ")
                .or_else(|| l.strip_prefix("location: "))
        })
        .map(str::to_owned);
    (status, location)
}

#[tokio::test(flavor = "multi_thread")]
async fn an_idle_connection_and_a_wrong_state_do_not_block_sign_in() {
    let servers = Servers::start();
    let base = format!("http://127.0.0.1:{}", servers.port("OAUTH_PORT"));
    let provider = Provider {
        name: "test".into(),
        auth_url: format!("{base}/authorize"),
        token_url: format!("{base}/token"),
        client_id: "courriel-test".into(),
        client_secret: None,
        scopes: vec!["mail".into()],
        ca_file: None,
    };
    let email = servers.get("ALICE").to_owned();
    let authorization = oauth::begin(&provider, Some(&email)).await.expect("begin");
    let url = authorization.authorize_url.clone();
    let started = Instant::now();
    let signing_in = tokio::spawn(authorization.finish(Duration::from_secs(60)));

    let browser = tokio::task::spawn_blocking(move || {
        let (status, location) = browse(&url);
        assert!(status.contains(" 302 "), "{status}");
        let back = location.expect("the redirect to the listener");
        let listener = back
            .strip_prefix("http://")
            .and_then(|r| r.split('/').next())
            .expect("host:port")
            .to_owned();
        // A local program connects first and never sends anything.
        let idle = std::net::TcpStream::connect(&listener).expect("idle connection");
        // Someone else's redirect, or a guess: an error page, and the wait goes on.
        let (wrong, _) = browse(&format!("http://{listener}/?code=stolen&state=guessed"));
        assert!(wrong.contains(" 404 "), "{wrong}");
        let (right, _) = browse(&back);
        assert!(right.contains(" 200 "), "{right}");
        idle
    });
    let tokens = tokio::time::timeout(Duration::from_secs(30), signing_in)
        .await
        .expect("sign-in finished")
        .expect("task")
        .expect("tokens");
    assert!(tokens.access.starts_with("at-"), "an access token");
    assert!(tokens.refresh.is_some_and(|r| r.starts_with("rt-")));
    assert!(
        started.elapsed() < READ_WAIT,
        "served while the idle connection was still open ({:?})",
        started.elapsed()
    );
    drop(browser.await.expect("browser"));
}
