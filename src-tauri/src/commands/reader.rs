//! The reader's frame and its links: which page the frame may load (`grants.rs`), and a
//! disguised link opened once the user has seen where it goes (`links.rs`).

use courriel_engine::{CommandError, Error, ErrorKind};
use tauri::{AppHandle, State};

use crate::grants::Grants;

/// A one-time token for message `id`'s page in the reader's frame; its remote content
/// loads when `remote_once` (the user's "Load images") or when its sender is allowed
/// always and proven. Nothing in the frame's own address can decide that.
#[tauri::command]
pub fn reader_frame(grants: State<'_, Grants>, id: i64, remote_once: bool) -> String {
    grants.grant(id, remote_once)
}

/// Open a link the user confirmed after seeing its real address (`confirm-link`); only
/// such a link, once.
#[tauri::command]
pub fn open_link(
    app: AppHandle,
    grants: State<'_, Grants>,
    url: String,
) -> Result<(), CommandError> {
    if !grants.take_offer(&url) {
        return Err(Error::new(ErrorKind::NotFound, "this link was not offered to open").into());
    }
    crate::links::open(&app, &url).map_err(|e| Error::new(ErrorKind::Config, e).into())
}
