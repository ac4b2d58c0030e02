//! A TCP proxy that cuts the link: forwards both ways until the client has sent
//! `cut_after` bytes, then drops both sides. TLS stays end to end; the proxy only counts.
//! Used to lose a connection in the middle of DATA, as a flaky network would.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Start a proxy to 127.0.0.1:`target` for one connection; returns its port.
pub async fn cutting_proxy(target: u16, cut_after: usize) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
    let port = listener.local_addr().expect("proxy addr").port();
    tokio::spawn(async move {
        let Ok((client, _)) = listener.accept().await else {
            return;
        };
        let Ok(server) = TcpStream::connect(("127.0.0.1", target)).await else {
            return;
        };
        let (mut cr, mut cw) = client.into_split();
        let (mut sr, mut sw) = server.into_split();
        let down = tokio::spawn(async move { tokio::io::copy(&mut sr, &mut cw).await });
        let mut sent = 0usize;
        let mut buf = vec![0u8; 16 * 1024];
        while sent < cut_after {
            let n = match cr.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n.min(cut_after - sent),
            };
            if sw.write_all(&buf[..n]).await.is_err() {
                break;
            }
            sent += n;
        }
        down.abort(); // dropping both halves closes both connections
    });
    port
}
