//! The network layer every protocol shares: how Courriel reaches a server and proves who
//! it is, whatever it then speaks.
//!
//! - `sasl`: the mechanisms (SCRAM-SHA-256, CRAM-MD5, PLAIN, LOGIN, XOAUTH2,
//!   OAUTHBEARER), the strongest-first choice and the payloads; IMAP, SMTP and POP3 only
//!   frame them. `scram` is SCRAM-SHA-256's exchange, `saslprep` its password preparation.
//! - `connect`: TCP with a timeout, implicit TLS or required STARTTLS/STLS with the one
//!   rustls configuration (`crate::tls`), plaintext after the upgrade discarded.
//! - `lines`: a line reader with a length limit and a read timeout, for every plaintext
//!   exchange before TLS and for POP3.

pub mod connect;
pub mod lines;
pub mod sasl;
pub mod saslprep;
pub mod scram;
