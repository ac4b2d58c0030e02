//! Closing never loses what is being written. The window's ✕ (background mode off) and the
//! tray's Quit first send the page a `closing` event; the page saves any open draft and
//! answers with `ready_to_close`, and only then does the window close (or Courriel exit).
//! Autosave alone (every 3 s) would lose the last seconds of typing. A page that does not
//! answer within [`WAIT`] (hung, still loading) does not keep Courriel open: it closes
//! anyway, and the draft is as autosave left it.

use std::sync::Mutex;
use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager, Runtime};

/// Asks the page to save before it goes.
pub const CLOSING_EVENT: &str = "closing";
/// How long a close waits for the page's answer.
const WAIT: Duration = Duration::from_millis(1500);

/// What happens once the page is ready.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum After {
    CloseWindow,
    /// Quit wins over a close already waiting.
    Exit,
}

static PENDING: Mutex<Option<After>> = Mutex::new(None);

fn pending() -> std::sync::MutexGuard<'static, Option<After>> {
    PENDING.lock().unwrap_or_else(|p| p.into_inner())
}

/// Start closing: ask the page to save, and go on when it answers or `WAIT` has passed.
/// The caller has held the window's own close back (`prevent_close`).
pub fn begin<R: Runtime>(app: &AppHandle<R>, after: After) {
    {
        let mut waiting = pending();
        if let Some(already) = *waiting {
            *waiting = Some(already.max(after));
            return;
        }
        *waiting = Some(after);
    }
    if let Err(e) = app.emit(CLOSING_EVENT, ()) {
        tracing::warn!("could not ask the window to save before closing: {e}");
        return finish(app);
    }
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(WAIT).await;
        if pending().is_some() {
            tracing::warn!("the window did not answer within {WAIT:?}: closing anyway");
        }
        finish(&app);
    });
}

/// The page is ready (or the wait is over): close the window or exit, once.
pub fn finish<R: Runtime>(app: &AppHandle<R>) {
    let Some(after) = pending().take() else {
        return;
    };
    match (after, app.get_webview_window("main")) {
        // destroy: no second CloseRequested. The last window gone, Courriel exits.
        (After::CloseWindow, Some(window)) => {
            if let Err(e) = window.destroy() {
                tracing::warn!("could not close the window: {e}");
                app.exit(0);
            }
        }
        _ => app.exit(0),
    }
}
