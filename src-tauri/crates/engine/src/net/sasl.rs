//! SASL for every protocol: the mechanisms, the strongest-first choice, and the payloads.
//! IMAP (AUTHENTICATE), SMTP (AUTH) and POP3 (AUTH) carry the same bytes in their own
//! framing; only the framing lives with each protocol.
//!
//! The strongest mechanism that both the server and the credentials allow is used: with a
//! token OAUTHBEARER, then XOAUTH2; with a password SCRAM-SHA-256 (the password never
//! crosses the wire, even inside TLS, and the server proves it knows it: `scram`), then
//! CRAM-MD5 (never crosses the wire either, but proves nothing and needs the password
//! stored in clear), then PLAIN, then LOGIN. SCRAM is chosen on its own only for a
//! password SASLprep leaves unchanged (`saslprep`: servers that do not prepare passwords
//! would hold the other reading); asked for by name, it takes any password SASLprep allows.
//!
//! No SCRAM-SHA-256-PLUS (channel binding), decided December 2026: the client could
//! produce `tls-exporter` (RFC 9266, rustls' `export_keying_material`) or
//! `tls-server-end-point`, but no server we can test against takes either. Debian 12's
//! Dovecot 2.3.19 offers no -PLUS at all (it came in 2.4), and its Cyrus IMAP 3.6 offers
//! only `tls-unique`, which rustls cannot produce and RFC 9266 retires for TLS 1.3.
//! Untested channel binding would be a way to fail logins, not to secure them; TLS
//! certificate checks already bind the session to the server's name. The gs2 header is
//! therefore `n,,` ("no binding support"), never `y,,`: `y` claims the client could bind.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::auth::secrets::Secret;
use crate::error::{Error, ErrorKind, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum Mechanism {
    #[serde(rename = "SCRAM-SHA-256")]
    ScramSha256,
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
            Mechanism::ScramSha256 => "SCRAM-SHA-256",
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

    pub(crate) fn for_token(self) -> bool {
        matches!(self, Mechanism::OAuthBearer | Mechanism::XOAuth2)
    }
}

/// Strongest first.
const ALL: [Mechanism; 6] = [
    Mechanism::OAuthBearer,
    Mechanism::XOAuth2,
    Mechanism::ScramSha256,
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
        .filter(|m| *m != Mechanism::ScramSha256 || scram_fits(secret))
        .find(|m| advertised.iter().any(|a| a == m.name()))
}

/// Whether SCRAM may be chosen on its own for this password (module doc).
fn scram_fits(secret: &Secret) -> bool {
    matches!(secret, Secret::Password(p) if super::saslprep::is_stable(p))
}

/// The initial response of a one-step mechanism (PLAIN, XOAUTH2, OAUTHBEARER), raw: each
/// protocol base64-encodes it in its own framing. `None` for LOGIN and CRAM-MD5, which
/// answer challenges, and for a mechanism that does not fit the credential.
pub fn initial_response(
    mechanism: Mechanism,
    user: &str,
    secret: &Secret,
    server: Option<(&str, u16)>,
) -> Option<String> {
    match (mechanism, secret) {
        (Mechanism::Plain, Secret::Password(p)) => Some(format!("\0{user}\0{p}")),
        (Mechanism::XOAuth2, Secret::OAuth2Token(t)) => {
            Some(format!("user={user}\x01auth=Bearer {t}\x01\x01"))
        }
        (Mechanism::OAuthBearer, Secret::OAuth2Token(t)) => Some(match server {
            Some((host, port)) => {
                format!("n,a={user},\x01host={host}\x01port={port}\x01auth=Bearer {t}\x01\x01")
            }
            None => format!("n,a={user},\x01auth=Bearer {t}\x01\x01"),
        }),
        _ => None,
    }
}

/// What a client answers to a token mechanism's error challenge, so the server sends its
/// final refusal: RFC 7628 §3.2.3 wants %x01 for OAUTHBEARER; XOAUTH2 an empty response.
pub fn oauth_error_answer(mechanism: Mechanism) -> &'static [u8] {
    match mechanism {
        Mechanism::OAuthBearer => b"\x01",
        _ => b"",
    }
}

/// A server challenge's base64, decoded as text (an OAuth error JSON), if it is that.
pub fn decode_challenge(text: &str) -> Option<String> {
    B64.decode(text.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
}

/// A mechanism the credential cannot use.
pub fn unfit(mechanism: Mechanism) -> Error {
    Error::new(
        ErrorKind::Config,
        format!("{} does not fit these credentials", mechanism.name()),
    )
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
    fn chooses_the_strongest_allowed() {
        let adv = advertised(&[
            "mail.example.test".into(),
            "AUTH PLAIN LOGIN CRAM-MD5 XOAUTH2 OAUTHBEARER".into(),
        ]);
        let pw = Secret::Password("x".into());
        let tok = Secret::OAuth2Token("t".into());
        assert_eq!(choose(&adv, &pw), Some(Mechanism::CramMd5));
        let scram = advertised(&["AUTH PLAIN CRAM-MD5 SCRAM-SHA-256 OAUTHBEARER".into()]);
        assert_eq!(choose(&scram, &pw), Some(Mechanism::ScramSha256));
        assert_eq!(choose(&scram, &tok), Some(Mechanism::OAuthBearer));
        // A password SASLprep would change: the server may hold either reading.
        let odd = Secret::Password("e\u{301}te\u{A0}2".into());
        assert_eq!(choose(&scram, &odd), Some(Mechanism::CramMd5));
        assert_eq!(
            Mechanism::parse("scram-sha-256"),
            Some(Mechanism::ScramSha256)
        );
        assert_eq!(choose(&adv, &tok), Some(Mechanism::OAuthBearer));
        let only_plain = advertised(&["AUTH=PLAIN".into()]);
        assert_eq!(choose(&only_plain, &pw), Some(Mechanism::Plain));
        assert_eq!(choose(&only_plain, &tok), None);
    }

    #[test]
    fn the_payloads_every_protocol_sends() {
        let tok = Secret::OAuth2Token("T".into());
        assert_eq!(
            initial_response(Mechanism::XOAuth2, "u", &tok, None).as_deref(),
            Some("user=u\x01auth=Bearer T\x01\x01")
        );
        assert_eq!(
            initial_response(Mechanism::OAuthBearer, "u", &tok, Some(("h", 587))).as_deref(),
            Some("n,a=u,\x01host=h\x01port=587\x01auth=Bearer T\x01\x01")
        );
        let pw = Secret::Password("p".into());
        assert_eq!(
            initial_response(Mechanism::Plain, "u", &pw, None).as_deref(),
            Some("\0u\0p")
        );
        assert_eq!(initial_response(Mechanism::XOAuth2, "u", &pw, None), None);
    }
}
