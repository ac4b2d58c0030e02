//! A TCP proxy that cuts the link: forwards both ways until `cut_after` bytes went in one
//! direction, then drops both sides. TLS stays end to end; the proxy only counts. Used to
//! lose a connection in the middle of DATA or RETR, as a flaky network would; and a
//! proxy that cuts every connection after a random size, for a sync over such a link.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Which direction's byte count triggers the cut.
#[derive(Debug, Clone, Copy)]
pub enum Cut {
    /// After the client sent this many bytes.
    Upstream(usize),
    /// After the server sent this many bytes.
    Downstream(usize),
}

/// Start a proxy to 127.0.0.1:`target` for one connection, cutting when the client has
/// sent `cut_after` bytes; returns its port.
pub async fn cutting_proxy(target: u16, cut_after: usize) -> u16 {
    proxy(target, Cut::Upstream(cut_after)).await
}

/// Start a proxy to 127.0.0.1:`target` for one connection; returns its port.
pub async fn proxy(target: u16, cut: Cut) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
    let port = listener.local_addr().expect("proxy addr").port();
    tokio::spawn(async move {
        let Ok((client, _)) = listener.accept().await else {
            return;
        };
        let Ok(server) = TcpStream::connect(("127.0.0.1", target)).await else {
            return;
        };
        let (cr, cw) = client.into_split();
        let (sr, sw) = server.into_split();
        let (limit, (from, to), (back_from, back_to)) = match cut {
            Cut::Upstream(n) => (n, (cr, sw), (sr, cw)),
            Cut::Downstream(n) => (n, (sr, cw), (cr, sw)),
        };
        let (mut back_from, mut back_to) = (back_from, back_to);
        let other =
            tokio::spawn(async move { tokio::io::copy(&mut back_from, &mut back_to).await });
        counted_copy(from, to, limit).await;
        other.abort(); // dropping both halves closes both connections
    });
    port
}

/// Copy until `limit` bytes went through, the source ends, or the sink fails.
async fn counted_copy(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    limit: usize,
) {
    let mut sent = 0usize;
    let mut buf = vec![0u8; 16 * 1024];
    while sent < limit {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n.min(limit - sent),
        };
        if to.write_all(&buf[..n]).await.is_err() {
            break;
        }
        sent += n;
    }
}

/// A proxy to 127.0.0.1:`target` for any number of connections, each cut after a random
/// number of server→client bytes in `min..=max`, as a link that keeps dropping would.
/// The sizes come from `seed`, so a run can be repeated. Returns its port and a counter
/// of the connections that ended (cut, or closed by either side first).
pub async fn flaky_proxy(
    target: u16,
    (min, max): (usize, usize),
    seed: u64,
) -> (u16, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
    let port = listener.local_addr().expect("proxy addr").port();
    let cuts = std::sync::Arc::new(AtomicUsize::new(0));
    let counted = cuts.clone();
    tokio::spawn(async move {
        let mut state = seed.max(1);
        while let Ok((client, _)) = listener.accept().await {
            let limit = min + (xorshift(&mut state) as usize) % (max - min + 1);
            let Ok(server) = TcpStream::connect(("127.0.0.1", target)).await else {
                continue;
            };
            let counted = counted.clone();
            tokio::spawn(async move {
                let (cr, cw) = client.into_split();
                let (sr, sw) = server.into_split();
                let up = tokio::spawn(async move {
                    let (mut cr, mut sw) = (cr, sw);
                    tokio::io::copy(&mut cr, &mut sw).await
                });
                counted_copy(sr, cw, limit).await;
                up.abort(); // both sides drop: the link is gone
                counted.fetch_add(1, Ordering::SeqCst);
            });
        }
    });
    (port, cuts)
}

/// A small deterministic generator: no dependency for a few random sizes.
fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}
