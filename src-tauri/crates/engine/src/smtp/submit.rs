//! One SMTP submission conversation over lettre's low-level async connection.
//!
//! TLS policy: implicit TLS, or STARTTLS that must succeed; a server that does not offer
//! STARTTLS is a `Tls` error, never a silent downgrade. AUTH is only ever sent encrypted.
//! EHLO carries the account's domain, not this machine's host name. MAIL, each RCPT and
//! DATA are sent one by one so that one refused recipient does not abort the others.

use lettre::transport::smtp::client::AsyncSmtpConnection;
use lettre::transport::smtp::commands::{Data, Ehlo, Mail, Rcpt};
use lettre::transport::smtp::extension::ClientId;
use lettre::transport::smtp::extension::{Extension, MailParameter};
use lettre::transport::smtp::response::Response;
use lettre::Address;

use super::auth::{self, Mechanism};
use super::dsn::Dsn;
use super::trace::Trace;
use crate::api::Account;
use crate::auth::secrets::Secret;
use crate::error::{Context, Error, ErrorKind, Result};

/// A server reply: the code and the text (enhanced status code included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub code: u16,
    pub text: String,
}

impl Reply {
    pub fn is_transient(&self) -> bool {
        (400..500).contains(&self.code)
    }
}

impl std::fmt::Display for Reply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.code, self.text)
    }
}

/// How the end of DATA went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataOutcome {
    /// DATA was never reached (MAIL or every RCPT refused).
    NotSent,
    Accepted(Reply),
    Refused(Reply),
    /// The link died after the message went out, before the final reply.
    NoReply,
}

/// What the server said, once connected and authenticated.
#[derive(Debug, Clone)]
pub struct Submission {
    /// Set when MAIL FROM was refused; then no recipient was tried.
    pub mail_from_refused: Option<Reply>,
    /// RCPT replies, in order, for the recipients tried.
    pub recipients: Vec<(String, Reply)>,
    pub data: DataOutcome,
}

impl Submission {
    /// Every reply the server gave in this transaction, in order.
    pub fn replies(&self) -> impl Iterator<Item = &Reply> {
        let data = match &self.data {
            DataOutcome::Accepted(r) | DataOutcome::Refused(r) => Some(r),
            _ => None,
        };
        self.mail_from_refused
            .iter()
            .chain(self.recipients.iter().map(|(_, r)| r))
            .chain(data)
    }
}

/// An authenticated connection, and what its EHLO said about message sizes.
pub struct Connected {
    pub conn: AsyncSmtpConnection,
    /// The server's `SIZE` limit in bytes (RFC 1870), when it announced a non-zero one.
    pub max_size: Option<u64>,
    /// Whether the server offers delivery status notifications (RFC 3461).
    pub dsn: bool,
}

/// Connect, secure and authenticate, with `mechanism` or the strongest both sides allow.
/// Returns the connection ready for MAIL FROM; also used to verify an account.
pub async fn login(
    account: &Account,
    secret: &Secret,
    mechanism: Option<Mechanism>,
    trace: &mut Trace,
) -> Result<Connected> {
    let server = format!("{}:{}", account.smtp.host, account.smtp.port);
    let mut conn = connect(account, trace)
        .await
        .with_context(|| format!("connecting to {server}"))?;
    let lines = ehlo(&mut conn, account, trace).await?;
    let (max_size, dsn) = (size_limit(&lines), super::dsn::offered(&lines));
    if account.smtp_plaintext_no_auth {
        return Ok(Connected {
            conn,
            max_size,
            dsn,
        }); // never AUTH on a clear channel
    }
    let offered = auth::advertised(&lines);
    let chosen = match mechanism {
        Some(m) => Some(m).filter(|m| offered.iter().any(|o| o == m.name())),
        None => auth::choose(&offered, secret),
    }
    .ok_or_else(|| {
        Error::new(
            ErrorKind::Auth,
            format!(
                "no usable sign-in method: the server offers {}",
                offered.join(" ")
            ),
        )
    })
    .with_context(|| format!("authenticating on {server}"))?;
    let hostport = (account.smtp.host.as_str(), account.smtp.port);
    let result = auth::authenticate(&mut conn, chosen, &account.username, secret, hostport).await;
    trace.step(match &result {
        Ok(r) => format!(
            "authenticated as {} with {} → {r}",
            account.username,
            chosen.name()
        ),
        Err(e) => format!(
            "authentication as {} with {} failed: {e}",
            account.username,
            chosen.name()
        ),
    });
    result.with_context(|| format!("authenticating as {} on {server}", account.username))?;
    Ok(Connected {
        conn,
        max_size,
        dsn,
    })
}

/// A fresh EHLO's lines (lettre keeps only the extensions it implements, not SIZE's
/// value nor every AUTH mechanism).
async fn ehlo(
    conn: &mut AsyncSmtpConnection,
    account: &Account,
    trace: &mut Trace,
) -> Result<Vec<String>> {
    let hello = ClientId::Domain(domain_of(&account.email).to_owned());
    let ehlo = conn
        .command(Ehlo::new(hello))
        .await
        .map_err(|e| smtp_error(e, ErrorKind::Protocol))
        .context("EHLO")?;
    let lines: Vec<String> = ehlo.message().map(str::to_owned).collect();
    trace.step(format!("EHLO → {}", lines.join(", ")));
    Ok(lines)
}

/// The `SIZE` limit of an EHLO reply; `SIZE` alone or `SIZE 0` means no fixed limit.
pub(crate) fn size_limit(lines: &[String]) -> Option<u64> {
    lines.iter().find_map(|line| {
        let mut words = line.split_whitespace();
        let keyword = words.next()?;
        if !keyword.eq_ignore_ascii_case("SIZE") {
            return None;
        }
        words.next()?.parse::<u64>().ok().filter(|&n| n > 0)
    })
}

/// The message is larger than the server takes: refused here, before a byte of it is
/// uploaded (an upload would only be cut off, or refused after minutes).
pub(crate) fn check_size(account: &Account, size: usize, limit: Option<u64>) -> Result<()> {
    match limit {
        Some(limit) if size as u64 > limit => {
            Err(too_large(&account.smtp.host, size as u64, limit))
        }
        _ => Ok(()),
    }
}

/// "this message is 41 MB; smtp.example.org accepts at most 25 MB: ..."
pub fn too_large(host: &str, size: u64, limit: u64) -> Error {
    Error::new(
        ErrorKind::TooLarge,
        format!(
            "this message is {}; {host} accepts at most {}: remove or shrink attachments \
             (or share large files by link), then send again",
            megabytes(size),
            megabytes(limit)
        ),
    )
}

/// Sizes as mail clients show them: MB of 1,048,576 bytes, one decimal under 10 MB.
pub fn megabytes(bytes: u64) -> String {
    let mb = bytes as f64 / 1_048_576.0;
    if mb >= 10.0 {
        format!("{} MB", mb.round())
    } else if mb >= 0.1 {
        format!("{:.1} MB", (mb * 10.0).round() / 10.0)
    } else {
        format!("{} KB", (bytes as f64 / 1024.0).ceil())
    }
}

async fn connect(account: &Account, trace: &mut Trace) -> Result<AsyncSmtpConnection> {
    let hello = ClientId::Domain(domain_of(&account.email).to_owned());
    let link = super::transport::open(account, trace)
        .await
        .inspect_err(|e| trace.step(format!("connection failed: {e}")))?;
    let conn = AsyncSmtpConnection::connect_with_transport(Box::new(link), &hello)
        .await
        .map_err(|e| smtp_error(e, ErrorKind::Network))?;
    Ok(conn)
}

pub(crate) async fn converse(
    conn: &mut AsyncSmtpConnection,
    (from, rcpts): (&str, &[String]),
    message: Outgoing<'_>,
    trace: &mut Trace,
    before_data: impl FnOnce(&Trace) -> Result<()>,
) -> Result<Submission> {
    let mut submission = Submission {
        mail_from_refused: None,
        recipients: Vec::with_capacity(rcpts.len()),
        data: DataOutcome::NotSent,
    };
    if let Some(refused) = mail_from(conn, (from, rcpts), message, trace).await? {
        submission.mail_from_refused = Some(refused);
        return Ok(submission);
    }
    let rcpt_params = message.dsn.map(Dsn::rcpt_parameters).unwrap_or_default();
    let shown: String = rcpt_params.iter().map(|p| format!(" {p}")).collect();
    for rcpt in rcpts {
        let command = Rcpt::new(parse_address(rcpt)?, rcpt_params.clone());
        let r = reply(conn.command(command).await).with_context(|| format!("RCPT TO {rcpt}"))?;
        trace.step(format!("RCPT TO:<{rcpt}>{shown} → {r}"));
        submission.recipients.push((rcpt.clone(), r));
    }
    if submission.recipients.iter().all(|(_, r)| r.code >= 400) {
        return Ok(submission);
    }
    let go = reply(conn.command(Data).await).context("DATA")?;
    trace.step(format!("DATA → {go}"));
    if go.code >= 400 {
        submission.data = DataOutcome::Refused(go);
        return Ok(submission);
    }
    before_data(trace)?;
    submission.data = transmit(conn, message.mime, trace).await;
    Ok(submission)
}

/// The message a transaction carries, and what the server lets us ask with it.
#[derive(Clone, Copy)]
pub(crate) struct Outgoing<'a> {
    pub mime: &'a [u8],
    /// The server's SIZE limit, when it announced one (then SIZE= goes with MAIL FROM).
    pub max_size: Option<u64>,
    /// Delivery status notifications to ask for, when the server offers DSN.
    pub dsn: Option<&'a Dsn>,
}

/// MAIL FROM, with SIZE (RFC 1870: a server then refuses at MAIL, not after the upload),
/// SMTPUTF8 when needed and DSN's RET and ENVID. `Some(reply)` when the server refused it.
async fn mail_from(
    conn: &mut AsyncSmtpConnection,
    (from, rcpts): (&str, &[String]),
    message: Outgoing<'_>,
    trace: &mut Trace,
) -> Result<Option<Reply>> {
    let mut params = utf8_parameters(conn, from, rcpts)?;
    if message.max_size.is_some() {
        params.push(MailParameter::Size(message.mime.len()));
    }
    params.extend(message.dsn.map(Dsn::mail_parameters).unwrap_or_default());
    let shown: String = params.iter().map(|p| format!(" {p}")).collect();
    let command = Mail::new(Some(parse_address(from)?), params);
    let mail = reply(conn.command(command).await).context("MAIL FROM")?;
    trace.step(format!("MAIL FROM:<{from}>{shown} → {mail}"));
    Ok((mail.code >= 400).then_some(mail))
}

/// The message itself, and the server's last word on it. No reply at all (the link
/// died after the bytes went out) is `NoReply`: maybe delivered.
async fn transmit(conn: &mut AsyncSmtpConnection, mime: &[u8], trace: &mut Trace) -> DataOutcome {
    let outcome = match conn.message(mime).await {
        Ok(r) => DataOutcome::Accepted(Reply {
            code: r.code().into(),
            text: text(&r),
        }),
        Err(e) => match reply_of(&e) {
            Some(r) => DataOutcome::Refused(r),
            None => DataOutcome::NoReply,
        },
    };
    trace.step(match &outcome {
        DataOutcome::Accepted(r) => format!("message sent ({} bytes) → {r}", mime.len()),
        DataOutcome::Refused(r) => format!("message refused → {r}"),
        _ => "the connection dropped before the server confirmed the message".to_owned(),
    });
    outcome
}

/// SMTPUTF8 (RFC 6531) when an address needs it: asked for when the server offers it,
/// and a clear refusal before anything is sent when it does not.
fn utf8_parameters(
    conn: &AsyncSmtpConnection,
    from: &str,
    rcpts: &[String],
) -> Result<Vec<MailParameter>> {
    if std::iter::once(from)
        .chain(rcpts.iter().map(String::as_str))
        .all(|a| a.is_ascii())
    {
        return Ok(Vec::new());
    }
    if !conn.server_info().supports_feature(Extension::SmtpUtfEight) {
        return Err(Error::new(
            ErrorKind::Config,
            "an address has non-ASCII characters and the server does not support SMTPUTF8",
        ));
    }
    Ok(vec![MailParameter::SmtpUtfEight])
}

/// A reply, positive or negative; a transport failure stays an error.
pub(crate) fn reply(result: Result<Response, lettre::transport::smtp::Error>) -> Result<Reply> {
    match result {
        Ok(r) => Ok(Reply {
            code: r.code().into(),
            text: text(&r),
        }),
        Err(e) => reply_of(&e).ok_or_else(|| smtp_error(e, ErrorKind::Network)),
    }
}

fn text(reply: &Response) -> String {
    reply.message().collect::<Vec<_>>().join(" ")
}

/// The code and text of a negative server reply, when the error is one.
fn reply_of(e: &lettre::transport::smtp::Error) -> Option<Reply> {
    let code = e.status()?;
    let text = std::error::Error::source(e)
        .map(|s| s.to_string())
        .unwrap_or_default();
    Some(Reply {
        code: code.into(),
        text,
    })
}

/// Map a lettre error to our kinds. `reply_kind` is what a negative reply means here
/// (`Auth` during AUTH, `Rejected` elsewhere).
fn smtp_error(e: lettre::transport::smtp::Error, reply_kind: ErrorKind) -> Error {
    if let Some(r) = reply_of(&e) {
        return Error::new(reply_kind, format!("the server answered {r}"));
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

/// rustls certificate errors reach us wrapped in I/O errors, whose `source()` skips the
/// wrapped error itself: look inside each I/O error too.
fn tls_in_chain(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur = Some(e);
    while let Some(err) = cur {
        let inner = err
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref());
        if err.is::<rustls::Error>() || inner.is_some_and(|i| i.is::<rustls::Error>()) {
            return true;
        }
        cur = err.source();
    }
    false
}

/// The error and its causes in one line, without the repeats lettre's wrapping adds.
fn full_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut cur = e.source();
    while let Some(err) = cur {
        let part = err.to_string();
        if !text.contains(&part) {
            text = format!("{text}: {part}");
        }
        cur = err.source();
    }
    text
}

fn parse_address(s: &str) -> Result<Address> {
    s.parse()
        .map_err(|e| Error::new(ErrorKind::Config, format!("invalid address {s:?}: {e}")))
}

pub(crate) fn domain_of(email: &str) -> &str {
    email.rsplit_once('@').map_or(email, |(_, d)| d)
}
