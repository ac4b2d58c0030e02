//! A tiny plaintext line server for the "no TLS offered" tests: it greets, answers each
//! line with `answer(line)`, and records every line the client sent, so a test can prove
//! no credential ever crossed the clear channel. Real-server tests do everything else.

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::task::JoinHandle;

/// Serve one connection on a free 127.0.0.1 port; returns the port and, once the client
/// hangs up, the lines it sent.
pub async fn plaintext_server(
    greeting: &'static [u8],
    answer: fn(&str) -> &'static [u8],
) -> (u16, JoinHandle<Vec<String>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let task = tokio::spawn(async move {
        let (stream, _) = listener.accept().await.expect("accept");
        let (read, mut write) = stream.into_split();
        let mut lines = BufReader::new(read).lines();
        let mut heard = Vec::new();
        write.write_all(greeting).await.expect("greet");
        while let Ok(Some(line)) = lines.next_line().await {
            let reply = answer(&line);
            heard.push(line);
            if write.write_all(reply).await.is_err() {
                break;
            }
        }
        heard
    });
    (port, task)
}
