//! IDLE (RFC 2177) on our own terms: wait for the server to say the selected folder
//! changed, for `max` to pass (callers keep it under 29 minutes: servers may drop an
//! IDLE after 30), or for the caller to stop, then leave IDLE with DONE so the session can
//! sync, or log out. The link's guard (`guard`) allows that silence for as long as the
//! IDLE lasts, and its usual read timeout again after.

use std::time::Duration;

use async_imap::imap_proto::{MailboxDatum, Response, Status};

use super::connect::ImapSession;
use super::raw;
use crate::error::{Error, ErrorKind, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Woke {
    /// New mail, an expunge, or a flag change in the selected folder.
    Changed,
    /// `max` passed in silence (keepalives don't count).
    Timeout,
    /// `stop` changed, or its sender is gone.
    Stopped,
}

pub async fn idle(
    session: &mut ImapSession,
    max: Duration,
    stop: &mut tokio::sync::watch::Receiver<bool>,
) -> Result<Woke> {
    raw::drain(session);
    let tag = session
        .run_command("IDLE")
        .await
        .map_err(|e| super::connect::imap_error(e, ErrorKind::Network))?;
    loop {
        let started = next(session, |r| match r {
            Response::Continue { .. } => Ok(true),
            Response::Done {
                status, outcome, ..
            } if *status != Status::Ok => {
                let why = outcome.information.as_deref().unwrap_or("IDLE refused");
                Err(Error::new(ErrorKind::Protocol, why.to_owned()))
            }
            _ => Ok(false),
        })
        .await??;
        if started {
            break;
        }
    }
    // Silence is what IDLE waits for: the guard's read timeout would end it after a
    // minute. The server may stay silent up to `max`, then DONE is sent; a margin past it
    // only matters if our own deadline below were missed.
    session
        .get_mut()
        .set_wait(max + super::guard::read_timeout());
    let woke = wait(session, max, stop).await;
    session.get_mut().reset_wait();
    let woke = woke?;
    session
        .run_command_untagged("DONE")
        .await
        .map_err(|e| super::connect::imap_error(e, ErrorKind::Network))?;
    while !next(
        session,
        |r| matches!(r, Response::Done { tag: done, .. } if *done == tag),
    )
    .await?
    {}
    Ok(woke)
}

/// Wait in IDLE for a change, `max` or `stop`.
async fn wait(
    session: &mut ImapSession,
    max: Duration,
    stop: &mut tokio::sync::watch::Receiver<bool>,
) -> Result<Woke> {
    let deadline = tokio::time::Instant::now() + max;
    loop {
        let wait = tokio::time::timeout_at(deadline, next(session, is_change));
        let waited = tokio::select! {
            waited = wait => waited,
            _ = stop.changed() => return Ok(Woke::Stopped),
        };
        let Ok(r) = waited else {
            return Ok(Woke::Timeout);
        };
        if r? {
            return Ok(Woke::Changed);
        }
    }
}

/// Read one response and look at it with `f`.
async fn next<T>(session: &mut ImapSession, f: impl FnOnce(&Response<'_>) -> T) -> Result<T> {
    let r = session
        .read_response()
        .await?
        .ok_or_else(|| Error::new(ErrorKind::Network, "the server closed the connection"))?;
    Ok(f(r.parsed()))
}

fn is_change(r: &Response<'_>) -> bool {
    matches!(
        r,
        Response::MailboxData(MailboxDatum::Exists(_) | MailboxDatum::Recent(_))
            | Response::Expunge(_)
            | Response::Vanished { .. }
            | Response::Fetch(..)
    )
}
