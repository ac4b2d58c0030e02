//! Whole messages, fetched with memory bounded whatever their size or the server's.
//!
//! Before fetching bodies, their RFC822.SIZE is asked (with the flags and dates, small
//! lines). Then:
//!
//! - messages up to [`LARGE`] (4 MB) are fetched whole, in groups of at most
//!   [`GROUP_BYTES`] (32 MB): one FETCH and one writer batch each, so a batch of 500
//!   attachments-laden messages is never in memory at once (the sync holds at most four
//!   batches: one read, two queued, one written);
//! - larger ones, one at a time, in pieces of [`CHUNK`] (`BODY.PEEK[]<offset.length>`)
//!   appended to a private file (0600, in the data directory's `tmp/`, 0700), never one
//!   huge literal; the writer reads it back, parses it and removes it;
//! - messages over [`MAX_BODY`] (100 MB) are cached like mail outside the body window:
//!   header fields and BODYSTRUCTURE, no body. Parsing MIME (mail-parser) and caching the
//!   message (a SQLite blob) need all of it in memory, about four times its size at the
//!   peak (measured: a 101 MB message raised the sync's peak by 381 MB, a 20 MB one by
//!   87 MB, whether fetched whole or in pieces); above 100 MB that is more than a mail
//!   client should take, and more than most providers accept (Gmail's limit is about
//!   35 MB once encoded). Opening one says so.
//!
//! So pieces do not lower the peak of one message (parsing does); they keep any single
//! literal, and so async-imap's buffer, at 4 MB, and with the groups they bound a batch.
//!
//! The guard (`frame`) refuses any literal over 65 MB, and one FETCH of a batch may bring
//! at most 64 MB in all ([`Budget`]), so a server whose RFC822.SIZE lies cannot make
//! "small" messages huge either.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::connect::ImapSession;
use super::fetch::{self, Fetched};
use super::raw::Caps;
use crate::error::{Context, Error, ErrorKind, Result};
use crate::ingest;
use crate::store::messages::NewMessage;
use crate::store::Store;

/// Above this a message is fetched in pieces.
pub const LARGE: u32 = 4 * 1024 * 1024;
/// One piece.
pub const CHUNK: u32 = 4 * 1024 * 1024;
/// Above this a message's body is not fetched.
pub const MAX_BODY: u32 = 100 * 1024 * 1024;
/// At most this many bytes of whole messages per FETCH (and per writer batch).
pub const GROUP_BYTES: u64 = 32 * 1024 * 1024;

/// A message as fetched, parsed later by the writer.
pub(super) enum Raw {
    Whole(Fetched),
    Headers(Fetched),
    /// Its body is in a file (`spool`).
    Spooled(Fetched, PathBuf),
}

impl Raw {
    pub(super) fn parse(self) -> Result<NewMessage> {
        Ok(match self {
            Raw::Whole(mut f) => {
                let body = f.body.take().unwrap_or_default();
                ingest::parse(body, super::sync::meta(&f))
            }
            Raw::Headers(mut f) => {
                let header = f.header.take().unwrap_or_default();
                let structure = f.structure.take().unwrap_or_default();
                ingest::parse_headers(&header, super::sync::meta(&f), structure)
            }
            Raw::Spooled(f, path) => {
                let body = std::fs::read(&path);
                std::fs::remove_file(&path).ok();
                let body = body.context("reading a downloaded message back")?;
                ingest::parse(body, super::sync::meta(&f))
            }
        })
    }
}

/// What one FETCH of a batch may bring: twice what the sizes announced for a group. The
/// guard bounds each literal, this their sum: a server whose RFC822.SIZE lies cannot
/// make a batch of 500 "small" messages hold 500 literals of 65 MB.
#[derive(Debug)]
pub(super) struct Budget {
    left: u64,
}

impl Default for Budget {
    fn default() -> Budget {
        Budget {
            left: 2 * GROUP_BYTES,
        }
    }
}

impl Budget {
    /// Count a fetched message's bytes; an error once the budget is spent.
    pub(super) fn take(&mut self, f: &Fetched) -> Result<()> {
        let bytes = f.body.as_ref().map_or(0, Vec::len) + f.header.as_ref().map_or(0, Vec::len);
        self.left = self.left.checked_sub(bytes as u64).ok_or_else(|| {
            Error::new(
                ErrorKind::Protocol,
                "the server sent far more than the messages' sizes it announced",
            )
        })?;
        Ok(())
    }
}

/// How the messages asked for whole are fetched.
#[derive(Debug, Default)]
pub(super) struct Plan {
    /// UIDs of small messages, each group one FETCH.
    pub groups: Vec<Vec<u32>>,
    /// Large messages (their flags, dates and size), fetched in pieces one by one.
    pub large: Vec<Fetched>,
    /// Too large for a body: cached with headers only.
    pub too_large: Vec<u32>,
}

/// Ask the sizes of `uids` (sorted) and plan their fetching.
pub(super) async fn plan(session: &mut ImapSession, caps: &Caps, uids: &[u32]) -> Result<Plan> {
    let mut metas = Vec::new();
    let items = super::sync::items(caps, "");
    fetch::uid_fetch(session, &fetch::uid_set(uids), &items, |f| {
        metas.push(f);
        Ok(())
    })
    .await?;
    metas.sort_by_key(|f| f.uid);
    Ok(plan_sizes(metas))
}

/// The plan, from what the server said of each message.
fn plan_sizes(metas: Vec<Fetched>) -> Plan {
    let mut plan = Plan::default();
    let (mut group, mut bytes) = (Vec::new(), 0u64);
    for f in metas {
        if f.size > MAX_BODY {
            plan.too_large.push(f.uid);
        } else if f.size > LARGE {
            plan.large.push(f);
        } else {
            if !group.is_empty() && bytes + u64::from(f.size) > GROUP_BYTES {
                plan.groups.push(std::mem::take(&mut group));
                bytes = 0;
            }
            bytes += u64::from(f.size);
            group.push(f.uid);
        }
    }
    if !group.is_empty() {
        plan.groups.push(group);
    }
    plan
}

/// Download the body of `meta.uid` (selected folder) in pieces into a new private file
/// under the data directory's `tmp/`; its path.
pub(super) async fn spool(
    store: &Store,
    session: &mut ImapSession,
    meta: &Fetched,
) -> Result<PathBuf> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let dir = store.path().parent().unwrap_or(Path::new(".")).join("tmp");
    crate::private::dir(&dir).context("creating the download directory")?;
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let path = dir.join(format!("imap-{}-{}-{n}.part", std::process::id(), meta.uid));
    let written = download(session, meta.uid, &path).await;
    if written.is_err() {
        std::fs::remove_file(&path).ok();
    }
    written.with_context(|| format!("downloading message {} in pieces", meta.uid))?;
    Ok(path)
}

/// `BODY.PEEK[]<offset.CHUNK>` until a short piece, each appended to `path`.
async fn download(session: &mut ImapSession, uid: u32, path: &Path) -> Result<()> {
    use std::io::Write;
    std::fs::remove_file(path).ok();
    let mut file = crate::private::new_file(path)?;
    let mut offset: u64 = 0;
    loop {
        let items = format!("(UID BODY.PEEK[]<{offset}.{CHUNK}>)");
        let mut piece = None;
        fetch::uid_fetch(session, &uid.to_string(), &items, |f| {
            if f.uid == uid {
                piece = Some(f.body.unwrap_or_default());
            }
            Ok(())
        })
        .await?;
        let piece = piece.ok_or_else(gone)?;
        file.write_all(&piece)?;
        offset += piece.len() as u64;
        if piece.len() < CHUNK as usize {
            return Ok(file.sync_data()?);
        }
        if offset > u64::from(MAX_BODY) {
            // The size said it was smaller: the server keeps sending.
            return Err(Error::new(
                ErrorKind::Protocol,
                "the server sent more of the message than its size announced",
            ));
        }
    }
}

/// The whole body of one message (selected folder), for reading it now: in pieces
/// through a file when large, refused when over [`MAX_BODY`].
pub(super) async fn fetch_one(
    store: &Store,
    session: &mut ImapSession,
    caps: &Caps,
    uid: u32,
) -> Result<Raw> {
    let plan = plan(session, caps, &[uid]).await?;
    if !plan.too_large.is_empty() {
        return Err(too_large());
    }
    if let Some(meta) = plan.large.into_iter().next() {
        let path = spool(store, session, &meta).await?;
        return Ok(Raw::Spooled(meta, path));
    }
    let mut raw = None;
    let items = super::sync::items(caps, "BODY.PEEK[]");
    fetch::uid_fetch(session, &uid.to_string(), &items, |f| {
        raw = Some(Raw::Whole(f));
        Ok(())
    })
    .await?;
    raw.ok_or_else(gone)
}

fn gone() -> Error {
    Error::new(
        ErrorKind::NotFound,
        "the message is no longer on the server",
    )
}

fn too_large() -> Error {
    Error::new(
        ErrorKind::TooLarge,
        format!(
            "this message is larger than {} MB, more than Courriel downloads; read it in \
             the provider's webmail",
            MAX_BODY >> 20
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(uid: u32, size: u32) -> Fetched {
        Fetched {
            uid,
            size,
            ..Fetched::default()
        }
    }

    #[test]
    fn a_batch_cannot_bring_more_than_its_budget() {
        let mut budget = Budget::default();
        let piece = Fetched {
            body: Some(vec![0; 16 << 20]),
            ..Fetched::default()
        };
        for _ in 0..4 {
            budget.take(&piece).expect("within the budget");
        }
        let e = budget.take(&piece).expect_err("over");
        assert!(e.message.contains("far more than"), "{e}");
    }

    #[test]
    fn small_messages_go_in_groups_large_ones_alone() {
        let mb = 1024 * 1024;
        let metas = vec![
            meta(1, 10 * mb),
            meta(2, 3 * mb),
            meta(3, 200 * mb),
            meta(4, 3 * mb),
            meta(5, 4 * mb),
        ];
        let mut many: Vec<Fetched> = (10..30).map(|u| meta(u, 3 * mb)).collect();
        many.extend(metas);
        let plan = plan_sizes(many);
        assert_eq!(plan.too_large, [3]);
        let large: Vec<u32> = plan.large.iter().map(|f| f.uid).collect();
        assert_eq!(large, [1]);
        for g in &plan.groups {
            assert!(g.len() * 3 * mb as usize <= GROUP_BYTES as usize + mb as usize);
        }
        let grouped: usize = plan.groups.iter().map(Vec::len).sum();
        assert_eq!(grouped, 23);
    }
}
