//! IMAP AUTHENTICATE: `net::sasl`'s payloads, framed by async-imap (which base64-codes
//! both ways and sends each answer as one line).
//!
//! async-imap's `Authenticator` answers challenges but cannot fail or cancel, so SCRAM's
//! verdict is kept in the answerer and read once the exchange ends: a broken server
//! message or a wrong server signature turns even a tagged OK into our error, and the
//! session is dropped unused.

use async_imap::{Client, Session};

use super::error_words::imap_error;
use crate::auth::secrets::Secret;
use crate::error::{ErrorKind, Result};
use crate::net::sasl::{self, Mechanism};
use crate::net::scram::{self, Scram};

/// Run AUTHENTICATE with `mechanism`; an `Auth` error for a refusal.
pub(super) async fn authenticate<T: Stream>(
    client: Client<T>,
    mechanism: Mechanism,
    user: &str,
    secret: &Secret,
) -> Result<Session<T>> {
    let scram = match (mechanism, secret) {
        (Mechanism::ScramSha256, Secret::Password(p)) => Some(Scram::new(user, p)?),
        (Mechanism::ScramSha256, _) => return Err(sasl::unfit(mechanism)),
        _ => None,
    };
    let answer = SaslAnswer {
        mechanism,
        user: user.to_owned(),
        secret: secret.clone(),
        step: 0,
        scram,
        verdict: None,
    };
    run(client, answer).await
}

/// What async-imap's client needs of its stream.
pub(super) trait Stream:
    tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + std::fmt::Debug + Send
{
}
impl<T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + std::fmt::Debug + Send> Stream
    for T
{
}

async fn run<T: Stream>(client: Client<T>, mut answer: SaslAnswer) -> Result<Session<T>> {
    let mechanism = answer.mechanism;
    let session = client
        .authenticate(mechanism.name(), &mut answer)
        .await
        .map_err(|(e, _)| imap_error(e, ErrorKind::Auth));
    if answer.scram.is_none() {
        return session;
    }
    // Our own finding first: a server that sent nonsense or a wrong signature and then
    // said NO (or OK) is described by what it did wrong.
    match (answer.verdict, session) {
        (Some(Err(e)), _) => Err(e),
        (_, Err(e)) => Err(e),
        (Some(Ok(())), Ok(session)) => Ok(session),
        (None, Ok(_)) => Err(scram::unproven()),
    }
}

/// The client side of one exchange.
struct SaslAnswer {
    mechanism: Mechanism,
    user: String,
    secret: Secret,
    step: u8,
    scram: Option<Scram>,
    /// SCRAM: the first failure, or the server's final signature checked.
    verdict: Option<Result<()>>,
}

impl SaslAnswer {
    /// SCRAM's steps: our first message, our proof, then the server's signature checked
    /// (answered with an empty line, as RFC 5802 over IMAP wants).
    fn scram_step(&mut self, challenge: &[u8]) -> Vec<u8> {
        let (Some(scram), None) = (self.scram.as_mut(), &self.verdict) else {
            return Vec::new();
        };
        match self.step {
            1 => scram.client_first().into_bytes(),
            2 => match scram.client_final(challenge) {
                Ok(answer) => answer.into_bytes(),
                Err(e) => {
                    self.verdict = Some(Err(e));
                    Vec::new()
                }
            },
            3 => {
                self.verdict = Some(scram.verify_server_final(challenge));
                Vec::new()
            }
            _ => Vec::new(),
        }
    }
}

impl async_imap::Authenticator for &mut SaslAnswer {
    type Response = Vec<u8>;

    fn process(&mut self, challenge: &[u8]) -> Vec<u8> {
        self.step = self.step.saturating_add(1);
        if self.scram.is_some() {
            return self.scram_step(challenge);
        }
        let (user, secret) = (self.user.as_str(), &self.secret);
        match (self.mechanism, self.step, secret) {
            (Mechanism::CramMd5, 1, Secret::Password(p)) => sasl::cram_md5(user, p, challenge)
                .unwrap_or_default()
                .into_bytes(),
            (m, 1, _) => sasl::initial_response(m, user, secret, None)
                .unwrap_or_default()
                .into_bytes(),
            // A second challenge to a token is the error JSON: answer so the server sends
            // its final NO.
            (m, _, _) if m.for_token() => sasl::oauth_error_answer(m).to_vec(),
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::STANDARD as B64;
    use base64::Engine as _;
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufStream};

    const NONCE: &str = "rOprNGfwEbeRWgbNEkqO";
    const SIGNATURE: &str = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    /// RFC 7677's exchange over IMAP, the server's last challenge `last` (None: it says
    /// OK straight after the proof); the client's lines are returned too.
    async fn exchange(last: Option<&str>) -> (Result<()>, Vec<String>) {
        let (a, b) = tokio::io::duplex(1 << 16);
        let first =
            format!("r={NONCE}%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");
        let mut replies = vec!["+ \r\n".to_owned(), format!("+ {}\r\n", B64.encode(first))];
        replies.extend(last.map(|v| format!("+ {}\r\n", B64.encode(v))));
        replies.push("A0001 OK done\r\n".into());
        let server = tokio::spawn(async move {
            let mut server = BufStream::new(b);
            let mut heard = Vec::new();
            for reply in replies {
                let mut line = String::new();
                server.read_line(&mut line).await.expect("read");
                heard.push(line.trim_end().to_owned());
                server.write_all(reply.as_bytes()).await.expect("reply");
                server.flush().await.expect("flush");
            }
            heard
        });
        let answer = SaslAnswer {
            mechanism: Mechanism::ScramSha256,
            user: "user".into(),
            secret: Secret::Password("pencil".into()),
            step: 0,
            scram: Some(Scram::with_nonce("user", "pencil", NONCE).expect("scram")),
            verdict: None,
        };
        let out = run(Client::new(a), answer).await.map(|_| ());
        (out, server.await.expect("server"))
    }

    #[tokio::test]
    async fn scram_over_imap_checks_the_signature_even_after_ok() {
        let (out, heard) = exchange(Some(SIGNATURE)).await;
        out.expect("the right signature");
        assert_eq!(heard[0], "A0001 AUTHENTICATE SCRAM-SHA-256");
        assert_eq!(heard[1], B64.encode(format!("n,,n=user,r={NONCE}")));
        assert!(
            String::from_utf8_lossy(&B64.decode(&heard[2]).expect("b64"))
                .ends_with(",p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")
        );
        assert_eq!(
            heard[3], "",
            "the signature is acknowledged with an empty line"
        );
        let forged = SIGNATURE.replace("6rri", "AAAA");
        for last in [Some(forged.as_str()), Some("e=other-error"), None] {
            let (out, _) = exchange(last).await;
            let e = out.expect_err("an OK without proof is not a login");
            assert_eq!(e.kind, ErrorKind::Auth, "{last:?}: {e}");
        }
    }
}
