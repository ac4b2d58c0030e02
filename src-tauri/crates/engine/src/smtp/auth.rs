//! SMTP AUTH: SCRAM-SHA-256, PLAIN, LOGIN, CRAM-MD5, XOAUTH2 and OAUTHBEARER (RFC 7628), sent as raw
//! commands over lettre's connection. lettre has no SCRAM, CRAM-MD5 or OAUTHBEARER, and drops
//! the server's XOAUTH2 error JSON, which says why a token was refused; we keep it. The
//! mechanisms, the choice and the payloads are `net::sasl`'s; this is SMTP's framing.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use lettre::transport::smtp::client::AsyncSmtpConnection;

use super::submit::{reply, Reply};
use crate::auth::secrets::Secret;
use crate::error::{Error, ErrorKind, Result};
pub use crate::net::sasl::{advertised, choose, Mechanism};
use crate::net::sasl::{cram_md5, initial_response, unfit};
use crate::net::scram::{self, Scram};

/// Run the exchange. Returns the final reply (235) or an `Auth` error carrying the
/// server's reason (for OAuth, the decoded error JSON).
pub async fn authenticate(
    conn: &mut AsyncSmtpConnection,
    mechanism: Mechanism,
    user: &str,
    secret: &Secret,
    (host, port): (&str, u16),
) -> Result<Reply> {
    let ir = |m| initial_response(m, user, secret, Some((host, port))).map(|ir| B64.encode(ir));
    let step = match (mechanism, secret) {
        (Mechanism::Plain, Secret::Password(_)) => {
            send(
                conn,
                &format!("AUTH PLAIN {}", ir(mechanism).unwrap_or_default()),
            )
            .await?
        }
        (Mechanism::Login, Secret::Password(p)) => {
            expect_challenge(send(conn, "AUTH LOGIN").await?)?;
            expect_challenge(send(conn, &B64.encode(user)).await?)?;
            send(conn, &B64.encode(p)).await?
        }
        (Mechanism::ScramSha256, Secret::Password(p)) => {
            scram_steps(conn, Scram::new(user, p)?).await?
        }
        (Mechanism::CramMd5, Secret::Password(p)) => {
            let challenge = expect_challenge(send(conn, "AUTH CRAM-MD5").await?)?;
            send(conn, &B64.encode(cram_md5(user, p, &challenge)?)).await?
        }
        (Mechanism::XOAuth2 | Mechanism::OAuthBearer, Secret::OAuth2Token(_)) => {
            let first = format!(
                "AUTH {} {}",
                mechanism.name(),
                ir(mechanism).unwrap_or_default()
            );
            let answer = B64.encode(crate::net::sasl::oauth_error_answer(mechanism));
            oauth_step(conn, &first, &answer).await?
        }
        _ => return Err(unfit(mechanism)),
    };
    finish(step)
}

/// SCRAM-SHA-256: our first message with AUTH, our proof for the server's first, then
/// the server's signature checked before the empty line that lets it say 235. A broken
/// server message or a wrong signature cancels the exchange ("*", RFC 4954 §4).
async fn scram_steps(conn: &mut AsyncSmtpConnection, mut scram: Scram) -> Result<Reply> {
    let first = format!("AUTH SCRAM-SHA-256 {}", B64.encode(scram.client_first()));
    let server_first = expect_challenge(send(conn, &first).await?)?;
    let answer = match scram.client_final(&server_first) {
        Ok(answer) => answer,
        Err(e) => return cancel(conn, e).await,
    };
    let server_final = send(conn, &B64.encode(answer)).await?;
    if server_final.code != 334 {
        // A 235 without the server's signature proves nothing; a refusal is itself.
        return finish(server_final).and_then(|_| Err(scram::unproven()));
    }
    let signature = B64.decode(server_final.text.trim()).unwrap_or_default();
    if let Err(e) = scram.verify_server_final(&signature) {
        return cancel(conn, e).await;
    }
    send(conn, "").await
}

/// Abandon an exchange with "*" and report our reason, whatever the server answers.
async fn cancel(conn: &mut AsyncSmtpConnection, e: Error) -> Result<Reply> {
    let _ = send(conn, "*").await;
    Err(e)
}

/// XOAUTH2/OAUTHBEARER: a 334 carries the error JSON; answer it so the server sends
/// its final refusal, and keep the JSON as the reason.
async fn oauth_step(conn: &mut AsyncSmtpConnection, first: &str, answer: &str) -> Result<Reply> {
    let r = send(conn, first).await?;
    if r.code != 334 {
        return Ok(r);
    }
    let json = crate::net::sasl::decode_challenge(&r.text).unwrap_or_else(|| r.text.clone());
    let fin = send(conn, answer).await?;
    Ok(Reply {
        code: fin.code,
        text: format!("{} (server said: {json})", fin.text),
    })
}

/// 235 is success; a 4xx (454 4.7.0) is a temporary failure of the provider's sign-in
/// service, retried and never a reason to ask for the password again; a 5xx is a refusal.
fn finish(r: Reply) -> Result<Reply> {
    match r.code {
        235 => Ok(r),
        400..=499 => Err(crate::error::sign_in_trouble(&r)),
        _ => Err(Error::new(
            ErrorKind::Auth,
            format!("the server answered {r}"),
        )),
    }
}

fn expect_challenge(r: Reply) -> Result<Vec<u8>> {
    if r.code != 334 {
        return finish(r).map(|_| Vec::new());
    }
    Ok(B64.decode(r.text.trim()).unwrap_or_default())
}

/// One line out, one reply back (positive or negative).
async fn send(conn: &mut AsyncSmtpConnection, line: &str) -> Result<Reply> {
    reply(conn.command(Line(line)).await)
}

struct Line<'a>(&'a str);

impl std::fmt::Display for Line<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}\r\n", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_temporary_refusal_is_not_a_wrong_password() {
        let temp = Reply {
            code: 454,
            text: "4.7.0 Temporary authentication failure".into(),
        };
        let e = finish(temp).expect_err("454");
        assert_eq!(e.kind, ErrorKind::Unavailable);
        assert!(
            e.message.contains("sign-in service is having trouble"),
            "{e}"
        );
        let wrong = Reply {
            code: 535,
            text: "5.7.8 authentication failed".into(),
        };
        assert_eq!(finish(wrong).expect_err("535").kind, ErrorKind::Auth);
    }
}
