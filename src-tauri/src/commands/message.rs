//! The reader: open a message, change it, its remote content. The body itself reaches
//! the page through the `courriel-msg:` scheme (`scheme.rs`), not through a command.

use courriel_engine::api::{MessageAction, MessageDetail, RemoteContent};
use courriel_engine::{CommandError, Error, ErrorKind};
use tauri::{AppHandle, Manager, State};
use tauri_plugin_opener::OpenerExt;

use crate::state::AppState;

/// A message with its sanitized HTML, text and attachments (the body is fetched on
/// demand when it is not cached yet).
#[tauri::command]
pub async fn show(state: State<'_, AppState>, id: i64) -> Result<MessageDetail, CommandError> {
    Ok(state.engine()?.show(id).await?)
}

/// Flag, move, archive, delete: at once locally, then on the server.
#[tauri::command]
pub async fn act(
    state: State<'_, AppState>,
    id: i64,
    action: MessageAction,
) -> Result<u32, CommandError> {
    Ok(state.engine()?.act(id, action).await?)
}

/// Who the message is from, as far as SPF, DKIM and DMARC (or the provider's own
/// Authentication-Results) can tell, and warnings about look-alike senders.
#[tauri::command]
pub async fn message_trust(
    state: State<'_, AppState>,
    id: i64,
) -> Result<courriel_engine::api::TrustVerdict, CommandError> {
    Ok(state.engine()?.message_trust_with(id, &state.trust).await?)
}

/// Whether the message has remote content and whether its sender is allowed always.
#[tauri::command]
pub async fn remote_content(
    state: State<'_, AppState>,
    id: i64,
) -> Result<RemoteContent, CommandError> {
    Ok(state.engine()?.remote_content(id).await?)
}

/// Load remote content from this sender always (or stop doing so).
#[tauri::command]
pub async fn set_remote_content(
    state: State<'_, AppState>,
    sender: String,
    always: bool,
) -> Result<(), CommandError> {
    Ok(state.engine()?.set_remote_content(&sender, always).await?)
}

/// Open an attachment with the system's application for its type (from a private copy
/// in the temporary directory).
#[tauri::command]
pub async fn open_attachment(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
    part: String,
) -> Result<String, CommandError> {
    let a = state.engine()?.attachment(id, &part).await?;
    let dir = std::env::temp_dir().join("courriel").join(id.to_string());
    let path = write_new(&dir, &a.filename, &a.bytes)?;
    app.opener()
        .open_path(path.to_string_lossy(), None::<&str>)
        .map_err(|e| {
            Error::new(
                ErrorKind::Config,
                format!("opening {}: {e}", path.display()),
            )
        })?;
    Ok(path.to_string_lossy().into_owned())
}

/// Save an attachment in the Downloads folder (never over an existing file); returns
/// where it went.
#[tauri::command]
pub async fn save_attachment(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
    part: String,
) -> Result<String, CommandError> {
    let a = state.engine()?.attachment(id, &part).await?;
    let paths = app.path();
    let dir = paths
        .download_dir()
        .or_else(|_| paths.home_dir().map(|home| home.join("Downloads")))
        .map_err(|e| Error::new(ErrorKind::Config, format!("no Downloads folder: {e}")))?;
    let path = write_new(&dir, &a.filename, &a.bytes)?;
    Ok(path.to_string_lossy().into_owned())
}

/// Write `bytes` as `name` in `dir`, as "name (2).ext" when taken. The name is reduced
/// to its last component: an attachment cannot choose where it lands.
fn write_new(
    dir: &std::path::Path,
    name: &str,
    bytes: &[u8],
) -> Result<std::path::PathBuf, CommandError> {
    let io = |e: std::io::Error| CommandError::from(Error::from(e).context(dir.display()));
    std::fs::create_dir_all(dir).map_err(io)?;
    let name = std::path::Path::new(name)
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| !n.starts_with('.'))
        .unwrap_or("attachment");
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s, format!(".{e}")),
        _ => (name, String::new()),
    };
    for n in 1..1000 {
        let candidate = if n == 1 {
            dir.join(name)
        } else {
            dir.join(format!("{stem} ({n}){ext}"))
        };
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(mut f) => {
                use std::io::Write;
                f.write_all(bytes).map_err(io)?;
                return Ok(candidate);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io(e)),
        }
    }
    Err(Error::new(
        ErrorKind::Storage,
        format!("too many copies of {name} in {}", dir.display()),
    )
    .into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachments_never_overwrite_or_escape_the_folder() {
        let dir = std::env::temp_dir().join(format!("courriel-write-new-{}", std::process::id()));
        let first = write_new(&dir, "../../etc/report.pdf", b"1").expect("first");
        let second = write_new(&dir, "report.pdf", b"2").expect("second");
        assert_eq!(first, dir.join("report.pdf"));
        assert_eq!(second, dir.join("report (2).pdf"));
        assert_eq!(
            write_new(&dir, ".bashrc", b"3").expect("hidden"),
            dir.join("attachment")
        );
        std::fs::remove_dir_all(&dir).ok();
    }
}
