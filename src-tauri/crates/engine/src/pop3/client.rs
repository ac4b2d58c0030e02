//! A small POP3 client (RFC 1939, 2449 CAPA, 5034 SASL, XOAUTH2; STLS is
//! `net::connect`'s), generic over the stream so protocol steps run against scripted
//! server bytes in unit tests.
//!
//! Why not async-pop: it has no STLS, trusts UIDL only when CAPA lists it (Dovecot and
//! Gmail do, but older servers answer UIDL without advertising it), does not answer the
//! XOAUTH2 error challenge (the server then waits forever), and reads a whole RETR into
//! memory; a 30 MB message should stream to disk.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufStream};

use crate::auth::secrets::Secret;
use crate::error::{Error, ErrorKind, Result};
use crate::net::sasl::{self, Mechanism};
use crate::net::scram::{self, Scram};

/// The largest message RETR takes (a POP3 server cannot send only the header).
pub const MAX_RETR: u64 = 100 * 1024 * 1024;

pub struct Pop3<S> {
    stream: BufStream<S>,
    read_timeout: std::time::Duration,
}

impl<S: AsyncRead + AsyncWrite + Unpin> Pop3<S> {
    pub fn new(stream: S) -> Self {
        Pop3 {
            stream: BufStream::new(stream),
            read_timeout: crate::net::lines::READ_TIMEOUT,
        }
    }

    /// Another wait per reply than `net::lines::READ_TIMEOUT` (tests).
    pub fn with_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// The greeting's text; it carries the APOP timestamp when the server offers APOP.
    pub async fn greeting(&mut self) -> Result<String> {
        self.status().await
    }

    /// CAPA: the capability lines (empty when the server has no CAPA).
    pub async fn capa(&mut self) -> Result<Vec<String>> {
        self.send("CAPA").await?;
        match self.status().await {
            Ok(_) => self.multiline_text().await,
            Err(e) if e.kind == ErrorKind::Rejected => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }

    pub async fn user_pass(&mut self, user: &str, password: &str) -> Result<()> {
        self.send(&format!("USER {user}")).await?;
        self.auth_status().await?;
        self.send(&format!("PASS {password}")).await?;
        self.auth_status().await.map(|_| ())
    }

    /// APOP: the password never crosses the wire, only MD5(timestamp + password).
    pub async fn apop(&mut self, user: &str, password: &str, timestamp: &str) -> Result<()> {
        use md5::Digest;
        let digest = md5::Md5::digest(format!("{timestamp}{password}").as_bytes());
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        self.send(&format!("APOP {user} {hex}")).await?;
        self.auth_status().await.map(|_| ())
    }

    pub async fn auth_plain(&mut self, user: &str, password: &str) -> Result<()> {
        let secret = Secret::Password(password.to_owned());
        let ir = sasl::initial_response(Mechanism::Plain, user, &secret, None).unwrap_or_default();
        self.send(&format!("AUTH PLAIN {}", B64.encode(ir))).await?;
        self.auth_status().await.map(|_| ())
    }

    /// XOAUTH2. On a bad token the server sends a "+ <base64 JSON>" challenge and waits:
    /// answer it with an empty line to get the final -ERR, and keep the JSON as the reason.
    pub async fn auth_xoauth2(&mut self, user: &str, token: &str) -> Result<()> {
        let secret = Secret::OAuth2Token(token.to_owned());
        let ir =
            sasl::initial_response(Mechanism::XOAuth2, user, &secret, None).unwrap_or_default();
        self.send(&format!("AUTH XOAUTH2 {}", B64.encode(ir)))
            .await?;
        let line = self.line().await?;
        // "+OK" is success; a bare "+ ..." is the error challenge.
        if let Some(challenge) = challenge_of(&line) {
            let json = sasl::decode_challenge(challenge).unwrap_or_default();
            self.send("").await?;
            let fin = self.line().await?;
            return Err(Error::new(
                ErrorKind::Auth,
                format!("the server answered {fin} (server said: {json})"),
            ));
        }
        check(&line, ErrorKind::Auth).map(|_| ())
    }

    /// SCRAM-SHA-256 (RFC 5034 framing): our first message as the initial response, our
    /// proof for the server's first, then its signature checked before the empty line
    /// that lets it say +OK. A broken message or a wrong signature cancels with "*".
    pub async fn auth_scram(&mut self, mut scram: Scram) -> Result<()> {
        let first = B64.encode(scram.client_first());
        self.send(&format!("AUTH SCRAM-SHA-256 {first}")).await?;
        let server_first = self.challenge().await?;
        let answer = match scram.client_final(&server_first) {
            Ok(answer) => answer,
            Err(e) => return self.cancel(e).await,
        };
        self.send_sasl(&B64.encode(answer)).await?;
        let line = self.line().await?;
        let Some(server_final) = challenge_of(&line) else {
            // +OK without the server's signature proves nothing; -ERR is a refusal.
            return check(&line, ErrorKind::Auth).and_then(|_| Err(scram::unproven()));
        };
        let signature = B64.decode(server_final.trim()).unwrap_or_default();
        if let Err(e) = scram.verify_server_final(&signature) {
            return self.cancel(e).await;
        }
        self.send("").await?;
        self.auth_status().await.map(|_| ())
    }

    /// A "+ <base64>" challenge, decoded; anything else ends the exchange with its words.
    async fn challenge(&mut self) -> Result<Vec<u8>> {
        let line = self.line().await?;
        match challenge_of(&line) {
            Some(text) => Ok(B64.decode(text.trim()).unwrap_or_default()),
            None => check(&line, ErrorKind::Auth)
                .and_then(|_| Err(protocol("the server ended the exchange too early".into()))),
        }
    }

    /// Abandon a SASL exchange ("*", RFC 5034 §4) and report our reason.
    async fn cancel(&mut self, e: Error) -> Result<()> {
        if self.send("*").await.is_ok() {
            let _ = self.line().await;
        }
        Err(e)
    }

    /// STAT: (messages, octets).
    pub async fn stat(&mut self) -> Result<(u32, u64)> {
        self.send("STAT").await?;
        let text = self.status().await?;
        let mut parts = text.split_whitespace();
        let count = parts.next().and_then(|n| n.parse().ok());
        let size = parts.next().and_then(|n| n.parse().ok());
        count
            .zip(size)
            .ok_or_else(|| protocol(format!("bad STAT reply: {text}")))
    }

    /// UIDL: (message number, unique id) for every message.
    pub async fn uidl(&mut self) -> Result<Vec<(u32, String)>> {
        self.send("UIDL").await?;
        self.status().await?;
        self.pairs().await
    }

    /// LIST: (message number, size in octets).
    pub async fn list(&mut self) -> Result<Vec<(u32, u64)>> {
        self.send("LIST").await?;
        self.status().await?;
        let pairs = self.pairs().await?;
        pairs
            .into_iter()
            .map(|(n, size)| {
                size.parse()
                    .map(|s| (n, s))
                    .map_err(|_| protocol(format!("bad LIST size {size}")))
            })
            .collect()
    }

    /// RETR, streamed into `out` with dot-unstuffing and CRLF kept; returns the octets
    /// written. The message is complete only when this returns Ok.
    /// RETR, streamed to `out` a piece at a time: each read waits at most the read
    /// timeout, a line is taken 64 KB at a time (a long line is written out in pieces,
    /// never held whole), and a message over [`MAX_RETR`] is refused.
    pub async fn retr<W: AsyncWrite + Unpin>(&mut self, msgno: u32, out: &mut W) -> Result<u64> {
        use tokio::io::AsyncReadExt;
        self.send(&format!("RETR {msgno}")).await?;
        self.status().await?;
        let (mut written, mut line, mut line_start) = (0u64, Vec::with_capacity(1024), true);
        loop {
            line.clear();
            let mut piece = (&mut self.stream).take(crate::net::lines::MAX_LINE as u64);
            let read = tokio::time::timeout(self.read_timeout, piece.read_until(b'\n', &mut line));
            let n = read
                .await
                .map_err(|_| crate::net::lines::silent(self.read_timeout))??;
            if n == 0 {
                return Err(Error::new(
                    ErrorKind::Network,
                    "the connection dropped in the middle of a message",
                ));
            }
            if line_start && (line == b".\r\n" || line == b".\n") {
                break;
            }
            let data = match line_start {
                true => line.strip_prefix(b".").unwrap_or(&line),
                false => &line[..],
            };
            out.write_all(data).await?;
            written += data.len() as u64;
            if written > MAX_RETR {
                return Err(Error::new(
                    ErrorKind::TooLarge,
                    "the server sent a message over 100 MB; it was not downloaded",
                ));
            }
            line_start = line.ends_with(b"\n");
        }
        out.flush().await?;
        Ok(written)
    }

    pub async fn dele(&mut self, msgno: u32) -> Result<()> {
        self.send(&format!("DELE {msgno}")).await?;
        self.status().await.map(|_| ())
    }

    /// QUIT commits deletions (the UPDATE state); a dropped link before it deletes nothing.
    pub async fn quit(&mut self) -> Result<()> {
        self.send("QUIT").await?;
        self.status().await.map(|_| ())
    }

    async fn send(&mut self, command: &str) -> Result<()> {
        tracing::debug!(target: "courriel_engine::pop3", "→ {}", loggable(command));
        self.write_line(command).await
    }

    /// A SASL response: never logged (with the rest of the exchange, SCRAM's proof lets
    /// anyone who reads the log guess the password offline).
    async fn send_sasl(&mut self, response: &str) -> Result<()> {
        tracing::debug!(target: "courriel_engine::pop3", "→ (SASL response)");
        self.write_line(response).await
    }

    async fn write_line(&mut self, command: &str) -> Result<()> {
        self.stream.write_all(command.as_bytes()).await?;
        self.stream.write_all(b"\r\n").await?;
        self.stream.flush().await?;
        Ok(())
    }

    /// One line, bounded in time and length (`net::lines`): a server that goes silent
    /// or never ends a line cannot hang a sync.
    async fn line(&mut self) -> Result<String> {
        crate::net::lines::read_line(&mut self.stream, self.read_timeout).await
    }

    /// "+OK text" → text; "-ERR text" → `Rejected`.
    async fn status(&mut self) -> Result<String> {
        let line = self.line().await?;
        check(&line, ErrorKind::Rejected)
    }

    async fn auth_status(&mut self) -> Result<String> {
        let line = self.line().await?;
        check(&line, ErrorKind::Auth)
    }

    async fn multiline_text(&mut self) -> Result<Vec<String>> {
        let mut lines = Vec::new();
        loop {
            let line = self.line().await?;
            if line == "." {
                return Ok(lines);
            }
            lines.push(line.strip_prefix('.').map(str::to_owned).unwrap_or(line));
        }
    }

    async fn pairs(&mut self) -> Result<Vec<(u32, String)>> {
        self.multiline_text()
            .await?
            .into_iter()
            .map(|l| {
                let (n, rest) = l
                    .split_once(' ')
                    .ok_or_else(|| protocol(format!("bad listing line {l:?}")))?;
                let n = n
                    .parse()
                    .map_err(|_| protocol(format!("bad message number in {l:?}")))?;
                Ok((n, rest.trim().to_owned()))
            })
            .collect()
    }
}

/// A command as it may be logged: the verb alone when the rest is a secret (PASS, APOP's
/// digest, AUTH's initial response) or a name (USER).
fn loggable(command: &str) -> &str {
    let verb = command.split(' ').next().unwrap_or_default();
    match verb.to_ascii_uppercase().as_str() {
        "PASS" | "APOP" | "USER" | "" => verb,
        "AUTH" => {
            // "AUTH PLAIN <initial response>": the mechanism, not the response.
            let end = command
                .match_indices(' ')
                .nth(1)
                .map_or(command.len(), |(i, _)| i);
            &command[..end]
        }
        _ => command,
    }
}

/// The text of a SASL challenge line ("+ text"), not "+OK".
fn challenge_of(line: &str) -> Option<&str> {
    (!line.starts_with("+OK")).then(|| line.strip_prefix('+'))?
}

fn check(line: &str, err_kind: ErrorKind) -> Result<String> {
    tracing::debug!(target: "courriel_engine::pop3", "← {line}");
    if let Some(rest) = line.strip_prefix("+OK") {
        Ok(rest.trim().to_owned())
    } else if temporary(line) {
        Err(crate::error::sign_in_trouble(line))
    } else if line.starts_with("-ERR") {
        Err(Error::new(err_kind, format!("the server answered {line}")))
    } else {
        Err(protocol(format!("unexpected reply {line:?}")))
    }
}

/// RFC 3206: `[SYS/TEMP]` is the server's trouble, `[IN-USE]` another session holding
/// the maildrop; both pass, and neither says the password is wrong.
fn temporary(line: &str) -> bool {
    let upper = line.to_ascii_uppercase();
    upper.starts_with("-ERR [SYS/TEMP]") || upper.starts_with("-ERR [IN-USE]")
}

fn protocol(message: String) -> Error {
    Error::new(ErrorKind::Protocol, message)
}

/// The APOP timestamp ("<1896.697170952@dbc.mtview.ca.us>") in a greeting, if any.
pub fn apop_timestamp(greeting: &str) -> Option<&str> {
    let start = greeting.find('<')?;
    let end = start + greeting[start..].find('>')?;
    let stamp = &greeting[start..=end];
    stamp.contains('@').then_some(stamp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{duplex, AsyncReadExt};

    /// Run `client` against a server that answers each expected line with its reply.
    async fn scripted<F, T>(greeting: &str, script: &[(&str, &str)], client: F) -> (T, Vec<String>)
    where
        F: AsyncFnOnce(&mut Pop3<tokio::io::DuplexStream>) -> T,
    {
        let (a, b) = duplex(1 << 20);
        let script: Vec<(String, String)> = script
            .iter()
            .map(|(q, r)| (q.to_string(), r.to_string()))
            .collect();
        let greeting = greeting.to_owned();
        let server = tokio::spawn(async move {
            let mut server = BufStream::new(b);
            server.write_all(greeting.as_bytes()).await.expect("greet");
            server.flush().await.expect("flush");
            let mut heard = Vec::new();
            for (_, reply) in script {
                let mut line = String::new();
                server.read_line(&mut line).await.expect("read");
                heard.push(line.trim_end().to_owned());
                server.write_all(reply.as_bytes()).await.expect("reply");
                server.flush().await.expect("flush");
            }
            // Hang up: a client still reading sees the connection drop.
            let _ = server.shutdown().await;
            let mut rest = Vec::new();
            let _ = server.read_to_end(&mut rest).await;
            heard
        });
        let mut pop = Pop3::new(a);
        pop.greeting().await.expect("greeting");
        let out = client(&mut pop).await;
        drop(pop);
        (out, server.await.expect("server"))
    }

    #[tokio::test]
    async fn retr_unstuffs_dots_and_keeps_crlf() {
        let body = "+OK 30 octets\r\nSubject: x\r\n\r\n..leading dot\r\nend\r\n.\r\n";
        let (out, heard) = scripted("+OK ready\r\n", &[("RETR 1", body)], async |p| {
            let mut sink = Vec::new();
            let n = p.retr(1, &mut sink).await.expect("retr");
            (n, sink)
        })
        .await;
        assert_eq!(heard, ["RETR 1"]);
        assert_eq!(out.1, b"Subject: x\r\n\r\n.leading dot\r\nend\r\n");
        assert_eq!(out.0, out.1.len() as u64);
    }

    #[tokio::test]
    async fn a_cut_in_the_middle_of_retr_is_an_error_not_a_short_message() {
        let (out, _) = scripted(
            "+OK\r\n",
            &[("RETR 1", "+OK\r\nSubject: x\r\n\r\npart")],
            async |p| p.retr(1, &mut Vec::new()).await,
        )
        .await;
        assert_eq!(out.expect_err("cut").kind, ErrorKind::Network);
    }

    #[tokio::test]
    async fn uidl_and_list_are_parsed() {
        let script = [
            ("UIDL", "+OK\r\n1 a1b2\r\n2 c3d4\r\n.\r\n"),
            ("LIST", "+OK 2 messages\r\n1 120\r\n2 4500\r\n.\r\n"),
        ];
        let (out, _) = scripted("+OK\r\n", &script, async |p| {
            (p.uidl().await.expect("uidl"), p.list().await.expect("list"))
        })
        .await;
        assert_eq!(out.0, [(1, "a1b2".to_owned()), (2, "c3d4".to_owned())]);
        assert_eq!(out.1, [(1, 120), (2, 4500)]);
    }

    #[tokio::test]
    async fn xoauth2_answers_the_error_challenge_and_keeps_the_reason() {
        let json = B64.encode(r#"{"status":"401","schemes":"bearer"}"#);
        let script = [
            ("AUTH XOAUTH2", format!("+ {json}\r\n")),
            (String::new().leak(), "-ERR [AUTH] failed\r\n".into()),
        ];
        let script: Vec<(&str, &str)> = script.iter().map(|(a, b)| (*a, b.as_str())).collect();
        let (out, heard) = scripted("+OK\r\n", &script, async |p| {
            p.auth_xoauth2("bob", "bad").await
        })
        .await;
        let err = out.expect_err("refused");
        assert_eq!(err.kind, ErrorKind::Auth);
        assert!(err.message.contains("\"status\":\"401\""), "{err}");
        assert_eq!(heard[1], "", "the challenge is answered with an empty line");
    }

    /// RFC 7677's exchange in POP3's framing; then the same with a forged signature,
    /// which is cancelled and reported, not logged in.
    #[tokio::test]
    async fn scram_sha_256_checks_the_server_signature() {
        let nonce = "rOprNGfwEbeRWgbNEkqO";
        let first = B64.encode(format!(
            "r={nonce}%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
        ));
        for (signature, ok) in [
            ("6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", true),
            ("6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G5=", false),
        ] {
            let last = format!("+ {}\r\n", B64.encode(format!("v={signature}")));
            let end = if ok {
                "+OK Logged in.\r\n"
            } else {
                "-ERR cancelled\r\n"
            };
            let script = [
                ("AUTH", format!("+ {first}\r\n")),
                ("proof", last),
                ("end", end.to_owned()),
            ];
            let script: Vec<(&str, &str)> = script.iter().map(|(a, b)| (*a, b.as_str())).collect();
            let (out, heard) = scripted("+OK\r\n", &script, async |p| {
                let scram = Scram::with_nonce("user", "pencil", nonce).expect("scram");
                p.auth_scram(scram).await
            })
            .await;
            let ir = B64.encode(format!("n,,n=user,r={nonce}"));
            assert_eq!(heard[0], format!("AUTH SCRAM-SHA-256 {ir}"));
            let proof = B64.decode(&heard[1]).expect("base64");
            assert!(String::from_utf8_lossy(&proof)
                .ends_with(",p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="));
            if ok {
                out.expect("signed in");
                assert_eq!(
                    heard[2], "",
                    "the signature is acknowledged with an empty line"
                );
            } else {
                let e = out.expect_err("forged");
                assert_eq!(e.kind, ErrorKind::Auth);
                assert!(
                    e.message.contains("could not prove it knows the password"),
                    "{e}"
                );
                assert_eq!(heard[2], "*", "the exchange is cancelled");
            }
        }
    }

    #[tokio::test]
    async fn xoauth2_success_is_not_mistaken_for_a_challenge() {
        let script = [("AUTH XOAUTH2", "+OK Logged in.\r\n")];
        let (out, heard) = scripted("+OK\r\n", &script, async |p| {
            p.auth_xoauth2("bob", "good").await
        })
        .await;
        assert!(out.is_ok(), "{out:?}");
        assert_eq!(heard.len(), 1, "nothing sent after success: {heard:?}");
    }

    #[tokio::test]
    async fn a_silent_server_or_an_endless_line_ends_in_an_error() {
        let (client, mut server) = duplex(1 << 20);
        server.write_all(b"+OK hi\r\n").await.expect("greet");
        let mut pop = Pop3::new(client).with_timeout(std::time::Duration::from_millis(100));
        pop.greeting().await.expect("greeting");
        let e = pop.stat().await.expect_err("silence");
        assert_eq!(e.kind, ErrorKind::Network, "{e}");
        assert!(e.message.contains("did not answer"), "{e}");
        let endless = vec![b'x'; crate::net::lines::MAX_LINE + 2];
        server.write_all(&endless).await.expect("endless");
        let e = pop.stat().await.expect_err("endless line");
        assert_eq!(e.kind, ErrorKind::Protocol, "{e}");
        drop(server);
    }

    #[test]
    fn secrets_never_reach_the_log() {
        assert_eq!(loggable("PASS hunter2"), "PASS");
        assert_eq!(
            loggable("APOP mrose c4c9334bac560ecc979e58001b3e22fb"),
            "APOP"
        );
        assert_eq!(loggable("AUTH PLAIN AGJvYgBodW50ZXIy"), "AUTH PLAIN");
        assert_eq!(loggable("RETR 4"), "RETR 4");
    }

    #[tokio::test]
    async fn a_wrong_password_is_auth_and_apop_digests() {
        let script = [("APOP", "-ERR [AUTH] Authentication failed.\r\n")];
        let (out, heard) = scripted(
            "+OK <1896.697170952@dbc.mtview.ca.us>\r\n",
            &script,
            async |p| {
                p.apop("mrose", "tanstaaf", "<1896.697170952@dbc.mtview.ca.us>")
                    .await
            },
        )
        .await;
        assert_eq!(out.expect_err("refused").kind, ErrorKind::Auth);
        // RFC 1939's own example digest.
        assert_eq!(heard[0], "APOP mrose c4c9334bac560ecc979e58001b3e22fb");
    }

    #[test]
    fn finds_the_apop_timestamp() {
        assert_eq!(
            apop_timestamp("+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>"),
            Some("<1896.697170952@dbc.mtview.ca.us>")
        );
        assert_eq!(apop_timestamp("+OK Dovecot ready."), None);
    }

    #[tokio::test]
    async fn retr_is_bounded_in_time_and_takes_long_lines_in_pieces() {
        let (client, mut server) = duplex(1 << 20);
        server.write_all(b"+OK hi\r\n").await.expect("greet");
        let mut pop = Pop3::new(client).with_timeout(std::time::Duration::from_millis(100));
        pop.greeting().await.expect("greeting");
        // A line of 64 KB and more: its next piece starts with a dot, which is data, not
        // stuffing; then a stuffed line and the end.
        let long = format!("+OK\r\n{}.x\r\n..y\r\n.\r\n", "a".repeat(65_536));
        server.write_all(long.as_bytes()).await.expect("message");
        let mut sink = Vec::new();
        let n = pop.retr(1, &mut sink).await.expect("retr");
        assert_eq!(n, 65_536 + 4 + 4);
        assert!(
            sink.ends_with(b"a.x\r\n.y\r\n"),
            "the dot after the piece is data"
        );
        // Silence in the middle of a message.
        server
            .write_all(b"+OK\r\nSubject: half")
            .await
            .expect("half");
        let e = pop.retr(2, &mut Vec::new()).await.expect_err("silence");
        assert_eq!(e.kind, ErrorKind::Network, "{e}");
        assert!(e.message.contains("did not answer"), "{e}");
        drop(server);
    }
}
