//! The loopback listener that catches OAuth2's redirect (RFC 8252 §7.3) on 127.0.0.1.
//!
//! Any local program can connect to it, and browsers open speculative connections they
//! may never use, so no connection may hold up another: each is served concurrently,
//! with [`READ_WAIT`] to send its request and [`MAX_REQUEST`] bytes for it, at most
//! [`MAX_OPEN`] at a time (past that, new ones wait in the kernel's queue until one ends).
//! A request without our `state` (a favicon, a stray or hostile visitor) gets an error
//! page and the wait goes on; the one with it ends the wait with its code, or with the
//! provider's refusal.

use std::collections::BTreeMap;
use std::time::Duration;

use futures::stream::{FuturesUnordered, StreamExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::error::{Context, Error, ErrorKind, Result};

/// How long a connection may take to send its request: a browser sends it at once.
pub const READ_WAIT: Duration = Duration::from_secs(10);
/// The most a request's head may weigh: a redirect is one line of a few hundred bytes.
pub const MAX_REQUEST: usize = 8 * 1024;
/// Connections served at once.
const MAX_OPEN: usize = 64;

/// Serve the loopback redirect until the request with `state` comes.
pub async fn redirected(listener: &TcpListener, state: &str) -> Result<String> {
    let mut open = FuturesUnordered::new();
    loop {
        tokio::select! {
            accepted = listener.accept(), if open.len() < MAX_OPEN => {
                let (conn, _) = accepted.context("waiting for the browser")?;
                open.push(serve(conn, state));
            }
            Some(outcome) = open.next() => {
                if let Some(result) = outcome {
                    return result;
                }
            }
        }
    }
}

/// One connection: `None` when it was not the redirect we wait for.
async fn serve(mut conn: TcpStream, state: &str) -> Option<Result<String>> {
    let head = match tokio::time::timeout(READ_WAIT, read_head(&mut conn)).await {
        Ok(Head::Complete(head)) => head,
        Ok(Head::TooLarge) => {
            reply(&mut conn, 431, "That request is too large.").await;
            return None;
        }
        // Silent past the wait, or gone: dropped without a word.
        Ok(Head::Closed) | Err(_) => return None,
    };
    let query = query_of(&head);
    if query.get("state").map(String::as_str) != Some(state) {
        reply(&mut conn, 404, "Not the sign-in you started.").await;
        return None;
    }
    if let Some(error) = query.get("error") {
        reply(
            &mut conn,
            400,
            "Sign-in refused. You can close this window.",
        )
        .await;
        let why = query.get("error_description").cloned().unwrap_or_default();
        return Some(Err(Error::new(
            ErrorKind::NeedsSignIn,
            format!("the provider said {error}: {why}"),
        )));
    }
    let Some(code) = query.get("code").cloned() else {
        reply(&mut conn, 400, "No authorization code.").await;
        return None;
    };
    let thanks = "Signed in to Courriel. You can close this window.";
    reply(&mut conn, 200, thanks).await;
    Some(Ok(code))
}

enum Head {
    Complete(String),
    TooLarge,
    Closed,
}

/// The request up to its blank line (or what came before the peer closed).
async fn read_head(conn: &mut TcpStream) -> Head {
    let mut buf = vec![0u8; MAX_REQUEST];
    let mut len = 0;
    while !buf[..len].windows(4).any(|w| w == b"\r\n\r\n") {
        if len == buf.len() {
            return Head::TooLarge;
        }
        match conn.read(&mut buf[len..]).await {
            Ok(0) | Err(_) => break,
            Ok(n) => len += n,
        }
    }
    match len {
        0 => Head::Closed,
        _ => Head::Complete(String::from_utf8_lossy(&buf[..len]).into_owned()),
    }
}

/// Answer and close; a peer that does not read its page is not waited for.
async fn reply(conn: &mut TcpStream, status: u16, text: &str) {
    let page = page(status, text);
    let _ = tokio::time::timeout(READ_WAIT, conn.write_all(page.as_bytes())).await;
}

pub(crate) fn query_of(request: &str) -> BTreeMap<String, String> {
    let target = request.split_whitespace().nth(1).unwrap_or("");
    let query = target.split_once('?').map_or("", |(_, q)| q);
    oauth2::url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

fn page(status: u16, text: &str) -> String {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        431 => "Request Header Fields Too Large",
        _ => "Bad Request",
    };
    let body = format!("<!doctype html><meta charset=utf-8><title>Courriel</title><p>{text}</p>");
    format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncReadExt;

    #[test]
    fn the_redirect_query_is_decoded() {
        let q = query_of("GET /?code=a%2Fb&state=xyz HTTP/1.1\r\nHost: x\r\n\r\n");
        assert_eq!(q["code"], "a/b");
        assert_eq!(q["state"], "xyz");
    }

    async fn ask(port: u16, request: &[u8]) -> String {
        let mut conn = TcpStream::connect(("127.0.0.1", port))
            .await
            .expect("connect");
        conn.write_all(request).await.expect("send");
        let mut answer = String::new();
        let _ = conn.read_to_string(&mut answer).await;
        answer
    }

    /// Real sockets: an idle connection, one that never ends its request, an oversized
    /// one and a wrong `state` come first; the right redirect still ends the wait, at once.
    #[tokio::test]
    async fn idle_oversized_and_wrong_requests_do_not_block_the_redirect() {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let waiting = tokio::spawn(async move { redirected(&listener, "good").await });
        let _idle = TcpStream::connect(("127.0.0.1", port)).await.expect("idle");
        let mut endless = TcpStream::connect(("127.0.0.1", port)).await.expect("slow");
        endless
            .write_all(b"GET /?state=good")
            .await
            .expect("half a line");
        let huge = format!(
            "GET /?state=good&code=x HTTP/1.1\r\nX: {}\r\n\r\n",
            "a".repeat(9000)
        );
        // Closed with bytes unread, the kernel may reset the link before the page is read.
        let page = ask(port, huge.as_bytes()).await;
        assert!(
            page.is_empty() || page.starts_with("HTTP/1.1 431"),
            "{page}"
        );
        let wrong = ask(port, b"GET /?state=bad&code=stolen HTTP/1.1\r\n\r\n").await;
        assert!(wrong.starts_with("HTTP/1.1 404"), "{wrong}");
        let none = ask(port, b"GET /favicon.ico HTTP/1.1\r\n\r\n").await;
        assert!(none.starts_with("HTTP/1.1 404"), "{none}");
        let right = ask(port, b"GET /?state=good&code=c0de HTTP/1.1\r\n\r\n").await;
        assert!(right.starts_with("HTTP/1.1 200"), "{right}");
        let code = tokio::time::timeout(Duration::from_secs(2), waiting)
            .await
            .expect("not held up by the idle connections")
            .expect("task")
            .expect("a code");
        assert_eq!(code, "c0de");
    }

    #[tokio::test]
    async fn a_refusal_with_our_state_ends_the_wait() {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let waiting = tokio::spawn(async move { redirected(&listener, "s").await });
        let page = ask(port, b"GET /?state=s&error=access_denied HTTP/1.1\r\n\r\n").await;
        assert!(page.starts_with("HTTP/1.1 400"), "{page}");
        let e = waiting.await.expect("task").expect_err("refused");
        assert_eq!(e.kind, ErrorKind::NeedsSignIn);
        assert!(e.message.contains("access_denied"), "{e}");
    }
}
