//! The reader: open a message, change it, its remote content. The body itself reaches
//! the page through the `courriel-msg:` scheme (`scheme.rs`), not through a command.

use courriel_engine::api::{MessageAction, MessageDetail, Opening, RemoteContent};
use courriel_engine::Scratch;
use courriel_engine::{CommandError, Error, ErrorKind};
use std::path::Path;
use tauri::{AppHandle, Manager, State};
use tauri_plugin_opener::OpenerExt;

use crate::dialogs::{self, SaveTo};
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

/// Open an attachment with the system's application, from a private copy (this user's
/// own directory, emptied at exit). A file that runs is not written until `confirmed`:
/// the answer names what it is, and the UI asks.
#[tauri::command]
pub async fn open_attachment(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
    part: String,
    confirmed: bool,
) -> Result<Opening, CommandError> {
    let scratch = Scratch::for_user()?;
    let opening = state
        .engine()?
        .open_attachment(id, &part, confirmed, &scratch)
        .await?;
    if let Opening::Opened { path } = &opening {
        app.opener()
            .open_path(path, None::<&str>)
            .map_err(|e| Error::new(ErrorKind::Config, format!("opening {path}: {e}")))?;
    }
    Ok(opening)
}

/// Save an attachment where the user chooses in the system's dialog (titled `title`),
/// starting in Downloads under its safe name; straight into Downloads when no dialog can
/// be shown. Never over an existing file, whatever its type (a saved file does nothing
/// until opened). Returns where it went, or `None` when the user cancelled.
#[tauri::command]
pub async fn save_attachment(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
    part: String,
    title: String,
) -> Result<Option<String>, CommandError> {
    let engine = state.engine()?;
    let dir = downloads(&app)?;
    let shown = engine.show(id).await?.attachments;
    let name = shown
        .into_iter()
        .find(|a| a.part == part)
        .map(|a| a.filename)
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "attachment".to_owned());
    let path = match dialogs::save_file(&app, &title, &dir, &name).await {
        SaveTo::Chosen(chosen) => {
            let (dir, name) = split(&chosen)?;
            engine.save_attachment_as(id, &part, dir, name).await?
        }
        SaveTo::Cancelled => return Ok(None),
        SaveTo::NoDialog => engine.save_attachment(id, &part, &dir).await?,
    };
    Ok(Some(path.to_string_lossy().into_owned()))
}

/// A chosen file as its folder and its name.
fn split(chosen: &Path) -> Result<(&Path, &str), CommandError> {
    let dir = chosen.parent().filter(|d| !d.as_os_str().is_empty());
    let name = chosen.file_name().and_then(|n| n.to_str());
    match (dir, name) {
        (Some(dir), Some(name)) => Ok((dir, name)),
        _ => Err(Error::new(
            ErrorKind::Config,
            format!(
                "{} is not a file name Courriel can save to",
                chosen.display()
            ),
        )
        .into()),
    }
}

/// The copies Open made, removed: at exit, and at start for those a crash left behind.
pub fn clear_opened_copies() {
    let cleared = Scratch::for_user().and_then(|scratch| scratch.clear());
    match cleared {
        Ok(0) => {}
        Ok(n) => tracing::info!("removed {n} opened attachment(s)"),
        Err(e) => tracing::warn!("could not remove opened attachments: {e}"),
    }
}

/// View source: the message as the server sent it, as text (never rendered).
#[tauri::command]
pub async fn message_source(state: State<'_, AppState>, id: i64) -> Result<String, CommandError> {
    let raw = state.engine()?.source(id).await?;
    Ok(String::from_utf8_lossy(&raw).into_owned())
}

/// Save as .eml: where the user chooses (starting in Downloads, under the subject), or
/// into Downloads when no dialog can be shown; `None` when the user cancelled.
#[tauri::command]
pub async fn save_eml(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
    title: String,
) -> Result<Option<String>, CommandError> {
    let engine = state.engine()?;
    let dir = downloads(&app)?;
    let name = engine.eml_file_name(id).await?;
    let path = match dialogs::save_file(&app, &title, &dir, &name).await {
        SaveTo::Chosen(chosen) => {
            let (dir, name) = split(&chosen)?;
            engine.save_eml_as(id, dir, name).await?
        }
        SaveTo::Cancelled => return Ok(None),
        SaveTo::NoDialog => engine.save_eml(id, &dir).await?,
    };
    Ok(Some(path.to_string_lossy().into_owned()))
}

/// The user's Downloads folder, where Save puts files.
fn downloads(app: &AppHandle) -> Result<std::path::PathBuf, CommandError> {
    let paths = app.path();
    let dir = paths
        .download_dir()
        .or_else(|_| paths.home_dir().map(|home| home.join("Downloads")))
        .map_err(|e| Error::new(ErrorKind::Config, format!("no Downloads folder: {e}")))?;
    Ok(dir)
}
