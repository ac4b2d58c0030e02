//! SMTP AUTH: PLAIN, LOGIN, CRAM-MD5, XOAUTH2 and OAUTHBEARER (RFC 7628), sent as raw
//! commands over lettre's connection. lettre has no CRAM-MD5 or OAUTHBEARER, and drops
//! the server's XOAUTH2 error JSON, which says why a token was refused; we keep it.
//!
//! The strongest mechanism that both the server's EHLO and the credentials allow is used:
//! with a token OAUTHBEARER, then XOAUTH2; with a password CRAM-MD5 (the password never
//! crosses the wire, even inside TLS), then PLAIN, then LOGIN.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use lettre::transport::smtp::client::AsyncSmtpConnection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::submit::{reply, Reply};
use crate::auth::secrets::Secret;
use crate::error::{Error, ErrorKind, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum Mechanism {
    #[serde(rename = "OAUTHBEARER")]
    OAuthBearer,
    #[serde(rename = "XOAUTH2")]
    XOAuth2,
    #[serde(rename = "CRAM-MD5")]
    CramMd5,
    #[serde(rename = "PLAIN")]
    Plain,
    #[serde(rename = "LOGIN")]
    Login,
}

impl Mechanism {
    pub fn name(self) -> &'static str {
        match self {
            Mechanism::OAuthBearer => "OAUTHBEARER",
            Mechanism::XOAuth2 => "XOAUTH2",
            Mechanism::CramMd5 => "CRAM-MD5",
            Mechanism::Plain => "PLAIN",
            Mechanism::Login => "LOGIN",
        }
    }

    pub fn parse(s: &str) -> Option<Mechanism> {
        ALL.into_iter().find(|m| m.name().eq_ignore_ascii_case(s))
    }

    fn for_token(self) -> bool {
        matches!(self, Mechanism::OAuthBearer | Mechanism::XOAuth2)
    }
}

/// Strongest first.
const ALL: [Mechanism; 5] = [
    Mechanism::OAuthBearer,
    Mechanism::XOAuth2,
    Mechanism::CramMd5,
    Mechanism::Plain,
    Mechanism::Login,
];

/// The mechanisms in an EHLO reply's `AUTH` line.
pub fn advertised(ehlo_lines: &[String]) -> Vec<String> {
    ehlo_lines
        .iter()
        .filter_map(|l| {
            let l = l.trim();
            let rest = l
                .strip_prefix("AUTH ")
                .or_else(|| l.strip_prefix("AUTH="))?;
            Some(
                rest.split_whitespace()
                    .map(str::to_ascii_uppercase)
                    .collect::<Vec<_>>(),
            )
        })
        .flatten()
        .collect()
}

/// The strongest mechanism both sides allow.
pub fn choose(advertised: &[String], secret: &Secret) -> Option<Mechanism> {
    let token = matches!(secret, Secret::OAuth2Token(_));
    ALL.into_iter()
        .filter(|m| m.for_token() == token)
        .find(|m| advertised.iter().any(|a| a == m.name()))
}

/// Run the exchange. Returns the final reply (235) or an `Auth` error carrying the
/// server's reason (for OAuth, the decoded error JSON).
pub async fn authenticate(
    conn: &mut AsyncSmtpConnection,
    mechanism: Mechanism,
    user: &str,
    secret: &Secret,
    (host, port): (&str, u16),
) -> Result<Reply> {
    let step = match (mechanism, secret) {
        (Mechanism::Plain, Secret::Password(p)) => {
            send(
                conn,
                &format!("AUTH PLAIN {}", B64.encode(format!("\0{user}\0{p}"))),
            )
            .await?
        }
        (Mechanism::Login, Secret::Password(p)) => {
            expect_challenge(send(conn, "AUTH LOGIN").await?)?;
            expect_challenge(send(conn, &B64.encode(user)).await?)?;
            send(conn, &B64.encode(p)).await?
        }
        (Mechanism::CramMd5, Secret::Password(p)) => {
            let challenge = expect_challenge(send(conn, "AUTH CRAM-MD5").await?)?;
            send(conn, &B64.encode(cram_md5(user, p, &challenge)?)).await?
        }
        (Mechanism::XOAuth2, Secret::OAuth2Token(t)) => {
            let ir = format!("user={user}\x01auth=Bearer {t}\x01\x01");
            oauth_step(conn, &format!("AUTH XOAUTH2 {}", B64.encode(ir)), "").await?
        }
        (Mechanism::OAuthBearer, Secret::OAuth2Token(t)) => {
            let ir =
                format!("n,a={user},\x01host={host}\x01port={port}\x01auth=Bearer {t}\x01\x01");
            // RFC 7628 3.2.3: the client answers an error challenge with %x01.
            oauth_step(
                conn,
                &format!("AUTH OAUTHBEARER {}", B64.encode(ir)),
                "AQ==",
            )
            .await?
        }
        _ => {
            return Err(Error::new(
                ErrorKind::Config,
                format!("{} does not fit these credentials", mechanism.name()),
            ))
        }
    };
    finish(step)
}

/// XOAUTH2/OAUTHBEARER: a 334 carries the error JSON; answer it so the server sends
/// its final refusal, and keep the JSON as the reason.
async fn oauth_step(conn: &mut AsyncSmtpConnection, first: &str, answer: &str) -> Result<Reply> {
    let r = send(conn, first).await?;
    if r.code != 334 {
        return Ok(r);
    }
    let json = decode(&r.text).unwrap_or_else(|| r.text.clone());
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

fn decode(text: &str) -> Option<String> {
    B64.decode(text.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
}

/// RFC 2195: "user hex(HMAC-MD5(password, challenge))".
pub(crate) fn cram_md5(user: &str, password: &str, challenge: &[u8]) -> Result<String> {
    let mut mac = Hmac::<md5::Md5>::new_from_slice(password.as_bytes())
        .map_err(|e| Error::new(ErrorKind::Bug, e.to_string()))?;
    mac.update(challenge);
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!("{user} {hex}"))
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
    fn cram_md5_matches_rfc_2195() {
        let challenge = b"<1896.697170952@postoffice.reston.mci.net>";
        let answer = cram_md5("tim", "tanstaaftanstaaf", challenge).expect("hmac");
        assert_eq!(answer, "tim b913a602c7eda7a495b4e6e7334d3890");
    }

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

    #[test]
    fn chooses_the_strongest_allowed() {
        let adv = advertised(&[
            "mail.example.test".into(),
            "AUTH PLAIN LOGIN CRAM-MD5 XOAUTH2 OAUTHBEARER".into(),
        ]);
        let pw = Secret::Password("x".into());
        let tok = Secret::OAuth2Token("t".into());
        assert_eq!(choose(&adv, &pw), Some(Mechanism::CramMd5));
        assert_eq!(choose(&adv, &tok), Some(Mechanism::OAuthBearer));
        let only_plain = advertised(&["AUTH=PLAIN".into()]);
        assert_eq!(choose(&only_plain, &pw), Some(Mechanism::Plain));
        assert_eq!(choose(&only_plain, &tok), None);
    }
}
