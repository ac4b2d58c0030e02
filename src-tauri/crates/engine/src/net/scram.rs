//! SCRAM-SHA-256 (RFC 5802, RFC 7677), the client side, as bytes: each protocol frames
//! the three messages (IMAP AUTHENTICATE, SMTP AUTH, POP3 AUTH).
//!
//! The password never crosses the wire, and the server proves it holds the password's
//! keys: its final signature (`v=`) is checked, and an exchange that ends without a
//! correct one is an `Auth` error even when the server said OK, so a server that only
//! pretends to be the account's never gets mail sent to it or read from it.
//!
//! The server's first message is hostile input: its nonce must extend ours, its salt be
//! base64, its iteration count between 4,096 (RFC 7677's minimum) and 1,000,000 (a few
//! tenths of a second of PBKDF2: a server asking for billions would hold the CPU for
//! minutes). No channel binding: the gs2 header is `n,,` (why: `net::sasl`).

use std::num::NonZeroU32;

use base64::engine::general_purpose::{STANDARD as B64, STANDARD_NO_PAD as B64_NO_PAD};
use base64::Engine as _;
use ring::rand::SecureRandom as _;
use ring::{digest, hmac, pbkdf2};

use super::saslprep;
use crate::error::{Error, ErrorKind, Result};

/// The fewest PBKDF2 iterations accepted (RFC 7677 §4: "at least 4096").
pub const MIN_ITERATIONS: u32 = 4096;
/// The most: enough for any real server, too few to burn the CPU for long.
pub const MAX_ITERATIONS: u32 = 1_000_000;

/// `n,,`: no channel binding, no authorization identity.
const GS2_HEADER: &str = "n,,";

/// One exchange, from the client's first message to the check of the server's last.
pub struct Scram {
    password: String,
    client_first_bare: String,
    nonce: String,
    /// The signature the server must send back, known once the proof is computed.
    server_signature: Option<Vec<u8>>,
}

impl Scram {
    /// Begin an exchange for `user` with a fresh nonce from the system's CSPRNG.
    pub fn new(user: &str, password: &str) -> Result<Scram> {
        let mut bytes = [0u8; 24];
        ring::rand::SystemRandom::new()
            .fill(&mut bytes)
            .map_err(|_| Error::new(ErrorKind::Bug, "the system gave no random bytes"))?;
        Scram::with_nonce(user, password, &B64_NO_PAD.encode(bytes))
    }

    /// With a given nonce: RFC 7677's test vector, and scripted servers.
    pub fn with_nonce(user: &str, password: &str, nonce: &str) -> Result<Scram> {
        let password = saslprep::prepare(password).map_err(|why| {
            Error::new(
                ErrorKind::Config,
                format!(
                    "this password holds {}, which SCRAM-SHA-256 does not allow; \
                     sign in with another method",
                    why.0
                ),
            )
        })?;
        // The user name is escaped, not prepared: servers look it up as typed.
        let name = user.replace('=', "=3D").replace(',', "=2C");
        Ok(Scram {
            password: password.into_owned(),
            client_first_bare: format!("n={name},r={nonce}"),
            nonce: nonce.to_owned(),
            server_signature: None,
        })
    }

    /// The client's first message: `n,,n=user,r=nonce`.
    pub fn client_first(&self) -> String {
        format!("{GS2_HEADER}{}", self.client_first_bare)
    }

    /// The client's final message (with its proof) for the server's first one.
    pub fn client_final(&mut self, server_first: &[u8]) -> Result<String> {
        let text = std::str::from_utf8(server_first)
            .map_err(|_| refused("its first message is not text"))?;
        let first = ServerFirst::parse(text, &self.nonce)?;
        let iterations = NonZeroU32::new(first.iterations)
            .ok_or_else(|| refused("it asked for no iterations"))?;
        let mut salted = [0u8; 32];
        pbkdf2::derive(
            pbkdf2::PBKDF2_HMAC_SHA256,
            iterations,
            &first.salt,
            self.password.as_bytes(),
            &mut salted,
        );
        let without_proof = format!("c={},r={}", B64.encode(GS2_HEADER), first.nonce);
        let auth_message = format!("{},{text},{without_proof}", self.client_first_bare);
        let salted = hmac::Key::new(hmac::HMAC_SHA256, &salted);
        let client_key = hmac::sign(&salted, b"Client Key");
        let stored_key = digest::digest(&digest::SHA256, client_key.as_ref());
        let stored_key = hmac::Key::new(hmac::HMAC_SHA256, stored_key.as_ref());
        let client_signature = hmac::sign(&stored_key, auth_message.as_bytes());
        let proof: Vec<u8> = client_key
            .as_ref()
            .iter()
            .zip(client_signature.as_ref())
            .map(|(k, s)| k ^ s)
            .collect();
        let server_key = hmac::Key::new(
            hmac::HMAC_SHA256,
            hmac::sign(&salted, b"Server Key").as_ref(),
        );
        let server_signature = hmac::sign(&server_key, auth_message.as_bytes());
        self.server_signature = Some(server_signature.as_ref().to_vec());
        Ok(format!("{without_proof},p={}", B64.encode(proof)))
    }

    /// Check the server's final message: `v=` with the signature only the holder of the
    /// password's keys can compute, or `e=` with its reason.
    pub fn verify_server_final(&self, server_final: &[u8]) -> Result<()> {
        let text = String::from_utf8_lossy(server_final);
        let first = text.split(',').next().unwrap_or_default();
        if let Some(reason) = first.strip_prefix("e=") {
            return Err(Error::new(
                ErrorKind::Auth,
                format!(
                    "the server refused the sign-in: {}",
                    crate::error::quote(reason)
                ),
            ));
        }
        let claimed = first.strip_prefix("v=").and_then(|v| B64.decode(v).ok());
        match (claimed, &self.server_signature) {
            (Some(claimed), Some(expected)) if claimed == *expected => Ok(()),
            _ => Err(unproven()),
        }
    }
}

/// The words for a server whose final signature is missing or wrong.
pub fn unproven() -> Error {
    Error::new(
        ErrorKind::Auth,
        "the server could not prove it knows the password (its SCRAM-SHA-256 signature is \
         missing or wrong): it may not be the server it claims to be, so Courriel stopped",
    )
}

fn refused(why: &str) -> Error {
    Error::new(
        ErrorKind::Protocol,
        format!("the server's SCRAM-SHA-256 exchange is broken: {why}"),
    )
}

/// `r=<nonce>,s=<salt>,i=<count>[,extensions]`, checked.
struct ServerFirst<'a> {
    nonce: &'a str,
    salt: Vec<u8>,
    iterations: u32,
}

impl<'a> ServerFirst<'a> {
    fn parse(text: &'a str, our_nonce: &str) -> Result<ServerFirst<'a>> {
        if text.starts_with("m=") {
            return Err(refused("it requires an extension Courriel does not know"));
        }
        let mut parts = text.split(',');
        let mut field = |name: &str| {
            parts
                .next()
                .and_then(|p| p.strip_prefix(name))
                .ok_or_else(|| refused("its first message is not in the expected form"))
        };
        let (nonce, salt, iterations) = (field("r=")?, field("s=")?, field("i=")?);
        let printable = nonce.bytes().all(|b| (0x21..=0x7E).contains(&b));
        if !nonce.starts_with(our_nonce) || nonce.len() == our_nonce.len() || !printable {
            return Err(refused("its nonce does not extend ours"));
        }
        let salt = B64
            .decode(salt)
            .ok()
            .filter(|s| !s.is_empty())
            .ok_or_else(|| refused("its salt is not base64"))?;
        let iterations: u32 = iterations
            .parse()
            .map_err(|_| refused("its iteration count is not a number"))?;
        if !(MIN_ITERATIONS..=MAX_ITERATIONS).contains(&iterations) {
            return Err(refused(&format!(
                "it asked for {iterations} iterations (Courriel accepts {MIN_ITERATIONS} to {MAX_ITERATIONS})"
            )));
        }
        Ok(ServerFirst {
            nonce,
            salt,
            iterations,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONCE: &str = "rOprNGfwEbeRWgbNEkqO";
    const SERVER_FIRST: &str = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,\
                                s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";

    #[test]
    fn rfc_7677_test_vector() {
        let mut scram = Scram::with_nonce("user", "pencil", NONCE).expect("scram");
        assert_eq!(scram.client_first(), "n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
        let fin = scram.client_final(SERVER_FIRST.as_bytes()).expect("final");
        assert_eq!(
            fin,
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,\
             p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
        );
        scram
            .verify_server_final(b"v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")
            .expect("the server's signature");
        let e = scram
            .verify_server_final(b"v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")
            .expect_err("a wrong signature");
        assert_eq!(e.kind, ErrorKind::Auth);
        assert!(
            e.message.contains("could not prove it knows the password"),
            "{e}"
        );
        assert_eq!(
            scram.verify_server_final(b"").expect_err("none").kind,
            ErrorKind::Auth
        );
        let e = scram
            .verify_server_final(b"e=invalid-proof")
            .expect_err("e=");
        assert!(e.message.contains("invalid-proof"), "{e}");
    }

    #[test]
    fn no_signature_is_accepted_before_the_proof() {
        let scram = Scram::with_nonce("user", "pencil", NONCE).expect("scram");
        assert!(scram.verify_server_final(b"v=").is_err());
    }

    #[test]
    fn user_names_are_escaped() {
        let scram = Scram::with_nonce("a=b,c", "p", "n").expect("scram");
        assert_eq!(scram.client_first(), "n,,n=a=3Db=2Cc,r=n");
    }

    #[test]
    fn hostile_first_messages_are_refused_in_words() {
        let salt = "s=W22ZaJ0SNY7soEsUEjb6gQ==";
        for (bad, words) in [
            (format!("r=other,{salt},i=4096"), "does not extend ours"),
            (format!("r={NONCE},{salt},i=4096"), "does not extend ours"),
            (format!("r={NONCE}x,{salt},i=4095"), "4095 iterations"),
            (
                format!("r={NONCE}x,{salt},i=4294967295"),
                "4294967295 iterations",
            ),
            (format!("r={NONCE}x,{salt},i=-1"), "not a number"),
            (format!("r={NONCE}x,s=!!,i=4096"), "not base64"),
            (format!("r={NONCE}x,s=,i=4096"), "not base64"),
            (format!("m=x,r={NONCE}x,{salt},i=4096"), "extension"),
            (format!("r={NONCE}x,{salt}"), "expected form"),
            (String::new(), "expected form"),
            ("i=4096,s=x,r=y".into(), "expected form"),
        ] {
            let mut scram = Scram::with_nonce("user", "pencil", NONCE).expect("scram");
            let e = scram.client_final(bad.as_bytes()).expect_err(&bad);
            assert_eq!(e.kind, ErrorKind::Protocol, "{bad}");
            assert!(e.message.contains(words), "{bad}: {e}");
            assert!(scram.verify_server_final(b"v=x").is_err());
        }
        let mut scram = Scram::with_nonce("user", "pencil", NONCE).expect("scram");
        assert!(scram.client_final(&[0xff, 0xfe]).is_err());
    }

    #[test]
    fn a_password_saslprep_refuses_is_said_plainly() {
        let e = Scram::with_nonce("u", "bell\u{7}", "n")
            .err()
            .expect("refused");
        assert_eq!(e.kind, ErrorKind::Config);
        assert!(e.message.contains("a control character"), "{e}");
    }
}
