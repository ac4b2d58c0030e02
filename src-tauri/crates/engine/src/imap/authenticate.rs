//! IMAP AUTHENTICATE: `net::sasl`'s payloads, framed by async-imap (which base64-codes
//! both ways and sends each answer as one line).
//!
//! async-imap's `Authenticator` answers challenges but cannot fail or cancel, so SCRAM's
//! verdict is kept in the answerer and read once the exchange ends: a broken server
//! message or a wrong server signature turns even a tagged OK into our error, and the
//! session is dropped unused.

use async_imap::{Client, Session};

use super::error_words::imap_error;
use super::link::Link;
use crate::auth::secrets::Secret;
use crate::error::{ErrorKind, Result};
use crate::net::sasl::{self, Mechanism};
use crate::net::scram::{self, Scram};

/// Run AUTHENTICATE with `mechanism`; an `Auth` error for a refusal.
pub(super) async fn authenticate(
    client: Client<Link>,
    mechanism: Mechanism,
    user: &str,
    secret: &Secret,
) -> Result<Session<Link>> {
    let scram = match (mechanism, secret) {
        (Mechanism::ScramSha256, Secret::Password(p)) => Some(Scram::new(user, p)?),
        (Mechanism::ScramSha256, _) => return Err(sasl::unfit(mechanism)),
        _ => None,
    };
    let mut answer = SaslAnswer {
        mechanism,
        user: user.to_owned(),
        secret: secret.clone(),
        step: 0,
        scram,
        verdict: None,
    };
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
