//! The desktop around the mail: attaching through the system's file dialog, printing the
//! message shown, the appearance (system, light, dark).

use base64::Engine as _;
use courriel_engine::api::Attachment;
use courriel_engine::{CommandError, Error, ErrorKind};
use tauri::{AppHandle, State, WebviewWindow};

use crate::dialogs;
use crate::window_state::{apply_appearance, Appearance, WindowState};

/// The largest file Attach reads (the same bound as a message fetched from a server): no
/// provider takes more, and the bytes travel to the page and back.
const MAX_FILE: u64 = 100 * 1024 * 1024;

/// Attach: the files the user picks in the system's dialog (titled `title`), read as
/// compose holds a dropped file; none when the dialog was cancelled.
#[tauri::command]
pub async fn pick_attachments(
    app: AppHandle,
    title: String,
) -> Result<Vec<Attachment>, CommandError> {
    let Some(paths) = dialogs::pick_files(&app, &title).await else {
        return Ok(Vec::new());
    };
    let read =
        tauri::async_runtime::spawn_blocking(move || paths.iter().map(|p| read(p)).collect());
    read.await
        .map_err(|e| Error::new(ErrorKind::Config, format!("reading the files: {e}")))?
}

fn read(path: &std::path::Path) -> Result<Attachment, CommandError> {
    let shown = path.display();
    let size = std::fs::metadata(path)
        .map_err(|e| Error::from(e).context(&shown))?
        .len();
    if size > MAX_FILE {
        let message = format!("{shown} is over 100 MB: share it by link instead");
        return Err(Error::new(ErrorKind::TooLarge, message).into());
    }
    let bytes = std::fs::read(path).map_err(|e| Error::from(e).context(&shown))?;
    let filename = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "attachment".to_owned());
    Ok(Attachment {
        path: None,
        filename,
        content_type: None,
        content_id: None,
        data_base64: Some(base64::engine::general_purpose::STANDARD.encode(bytes)),
    })
}

/// Print: the system's print dialog for the window, whose print stylesheet leaves the
/// message shown (headers and body) and nothing else.
#[tauri::command]
pub fn print(window: WebviewWindow) -> Result<(), CommandError> {
    if dialogs::seam_print("message") {
        return Ok(());
    }
    window
        .print()
        .map_err(|e| Error::new(ErrorKind::Config, format!("printing: {e}")).into())
}

/// The appearance chosen in Settings: "system", "light" or "dark".
#[tauri::command]
pub fn appearance(state: State<'_, WindowState>) -> Appearance {
    state.appearance()
}

/// Choose the appearance: remembered, and the window's own (title bar, dialogs) follows.
#[tauri::command]
pub fn set_appearance(
    window: WebviewWindow,
    state: State<'_, WindowState>,
    appearance: Appearance,
) {
    state.set_appearance(appearance);
    apply_appearance(&window, appearance);
}
