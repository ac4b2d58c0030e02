//! One SMTP submission conversation over lettre's low-level async connection.
//!
//! TLS policy: implicit TLS, or STARTTLS that must succeed; a server that does not offer
//! STARTTLS is a `Tls` error, never a silent downgrade. AUTH is only ever sent encrypted.
//! EHLO carries the account's domain, not this machine's host name.

use std::time::Duration;

use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, Certificate, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
use lettre::transport::smtp::extension::ClientId;
use lettre::transport::smtp::response::Response;
use lettre::Address;

use crate::api::{Account, RecipientResult, Security};
use crate::error::{Context, Error, ErrorKind, Result};

const TIMEOUT: Duration = Duration::from_secs(60);

/// How a conversation ended once the connection and AUTH worked.
#[derive(Debug, Clone)]
pub struct Submission {
    pub recipients: Vec<RecipientResult>,
    /// The reply to the end of DATA; `None` when no recipient was accepted.
    pub data_reply: Option<Result<String, RecipientResult>>,
    /// True when the link died after the message was sent but before the final reply:
    /// the server may or may not have taken it.
    pub uncertain: bool,
}

/// Submit `mime` from `from` to `rcpts`. Errors before MAIL FROM (connect, TLS, AUTH) are
/// returned as `Err`; per-recipient and DATA outcomes are in the `Submission`.
pub async fn submit(
    account: &Account,
    password: &str,
    from: &str,
    rcpts: &[String],
    mime: &[u8],
) -> Result<Submission> {
    let server = format!("{}:{}", account.smtp.host, account.smtp.port);
    let mut conn = connect(account)
        .await
        .with_context(|| format!("connecting to {server}"))?;
    let creds = Credentials::new(account.username.clone(), password.to_owned());
    conn.auth(&[Mechanism::Plain, Mechanism::Login], &creds)
        .await
        .map_err(|e| smtp_error(e, ErrorKind::Auth))
        .with_context(|| format!("authenticating as {} on {server}", account.username))?;
    let outcome = converse(&mut conn, from, rcpts, mime).await;
    conn.quit().await.ok(); // the outcome is known; a failed QUIT changes nothing
    outcome.with_context(|| format!("sending through {server}"))
}

async fn connect(account: &Account) -> Result<AsyncSmtpConnection> {
    let hello = ClientId::Domain(domain_of(&account.email).to_owned());
    let tls = tls_parameters(account)?;
    let addr = (account.smtp.host.as_str(), account.smtp.port);
    let implicit = (account.smtp.security == Security::Tls).then(|| tls.clone());
    let mut conn = AsyncSmtpConnection::connect_tokio1(addr, Some(TIMEOUT), &hello, implicit, None)
        .await
        .map_err(|e| smtp_error(e, ErrorKind::Network))?;
    if account.smtp.security == Security::Starttls {
        if !conn.can_starttls() {
            return Err(Error::new(
                ErrorKind::Tls,
                "the server does not offer STARTTLS; refusing to continue unencrypted",
            ));
        }
        conn.starttls(tls, &hello)
            .await
            .map_err(|e| smtp_error(e, ErrorKind::Tls))?;
    }
    Ok(conn)
}

fn tls_parameters(account: &Account) -> Result<TlsParameters> {
    let mut builder = TlsParameters::builder(account.smtp.host.clone());
    if let Some(path) = &account.ca_file {
        for der in crate::tls::read_ca_file(path.as_ref())? {
            let cert = Certificate::from_der(der.to_vec())
                .map_err(|e| Error::new(ErrorKind::Config, format!("CA file {path}: {e}")))?;
            builder = builder.add_root_certificate(cert);
        }
    }
    builder
        .build_rustls()
        .map_err(|e| Error::new(ErrorKind::Tls, e.to_string()))
}

async fn converse(
    conn: &mut AsyncSmtpConnection,
    from: &str,
    rcpts: &[String],
    mime: &[u8],
) -> Result<Submission> {
    let from: Address = parse_address(from)?;
    conn.command(Mail::new(Some(from), vec![]))
        .await
        .map_err(|e| smtp_error(e, ErrorKind::Rejected))
        .context("MAIL FROM")?;
    let mut recipients = Vec::with_capacity(rcpts.len());
    for rcpt in rcpts {
        let reply = conn.command(Rcpt::new(parse_address(rcpt)?, vec![])).await;
        recipients.push(recipient_result(rcpt, reply)?);
    }
    if !recipients.iter().any(|r| r.accepted) {
        return Ok(Submission {
            recipients,
            data_reply: None,
            uncertain: false,
        });
    }
    conn.command(Data)
        .await
        .map_err(|e| smtp_error(e, ErrorKind::Rejected))
        .context("DATA")?;
    let (data_reply, uncertain) = match conn.message(mime).await {
        Ok(reply) => (Some(Ok(reply_text(&reply))), false),
        Err(e) => match reply_of(&e) {
            Some((code, text)) => (Some(Err(rejected("DATA", code, text))), false),
            // No reply to the end of DATA: the server may have queued it.
            None => (None, true),
        },
    };
    Ok(Submission {
        recipients,
        data_reply,
        uncertain,
    })
}

fn recipient_result(
    rcpt: &str,
    reply: Result<Response, lettre::transport::smtp::Error>,
) -> Result<RecipientResult> {
    match reply {
        Ok(reply) => Ok(RecipientResult {
            address: rcpt.to_owned(),
            accepted: true,
            code: u16::from(reply.code()),
            text: reply_text(&reply),
        }),
        Err(e) => match reply_of(&e) {
            Some((code, text)) => Ok(rejected(rcpt, code, text)),
            None => {
                Err(smtp_error(e, ErrorKind::Network)).with_context(|| format!("RCPT TO {rcpt}"))
            }
        },
    }
}

fn rejected(address: &str, code: u16, text: String) -> RecipientResult {
    RecipientResult {
        address: address.to_owned(),
        accepted: false,
        code,
        text,
    }
}

fn reply_text(reply: &Response) -> String {
    reply.message().collect::<Vec<_>>().join(" ")
}

/// The code and text of a negative server reply, when the error is one.
fn reply_of(e: &lettre::transport::smtp::Error) -> Option<(u16, String)> {
    let code = e.status()?;
    let text = std::error::Error::source(e)
        .map(|s| s.to_string())
        .unwrap_or_default();
    Some((u16::from(code), text))
}

/// Map a lettre error to our kinds. `reply_kind` is what a negative reply means here
/// (`Auth` during AUTH, `Rejected` elsewhere).
fn smtp_error(e: lettre::transport::smtp::Error, reply_kind: ErrorKind) -> Error {
    if let Some((code, text)) = reply_of(&e) {
        return Error::new(reply_kind, format!("the server answered {code} {text}"));
    }
    let kind = if e.is_tls() || tls_in_chain(&e) {
        ErrorKind::Tls
    } else if e.is_response() || e.is_client() {
        ErrorKind::Protocol
    } else {
        ErrorKind::Network
    };
    Error::new(kind, full_chain(&e))
}

/// rustls certificate errors reach us wrapped as network I/O errors.
fn tls_in_chain(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur = Some(e);
    while let Some(err) = cur {
        if err.downcast_ref::<rustls::Error>().is_some() {
            return true;
        }
        cur = err.source();
    }
    false
}

fn full_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(err) = cur {
        parts.push(err.to_string());
        cur = err.source();
    }
    parts.dedup();
    parts.join(": ")
}

fn parse_address(s: &str) -> Result<Address> {
    s.parse()
        .map_err(|e| Error::new(ErrorKind::Config, format!("invalid address {s:?}: {e}")))
}

pub(crate) fn domain_of(email: &str) -> &str {
    email.rsplit_once('@').map_or(email, |(_, d)| d)
}
