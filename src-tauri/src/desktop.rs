//! Courriel as an installed desktop app: one running instance, `mailto:` links, and the
//! optional background mode (a tray icon; closing the window keeps Courriel syncing).
//!
//! **One instance per data directory.** A second launch (from the menu, a `mailto:` link,
//! `courriel-app mailto:...`) hands its command line to the running app and exits; the
//! running app shows and focuses its window, and opens compose for each `mailto:` link. On
//! Linux the instance is a D-Bus name (tauri-plugin-single-instance): `org.courriel.desktop`
//! for the usual data directory, one derived from `COURRIEL_DATA_DIR` when that is set, so a second
//! profile (`COURRIEL_DATA_DIR=...`) runs beside the first as Thunderbird's profiles do.
//!
//! **`mailto:` links** are parsed by the engine (`courriel_engine::mailto`, RFC 6068). On
//! Linux and Windows they arrive as command-line arguments, of the first launch or of a
//! second one: every argument that starts with `mailto:` is taken (the deep-link plugin's
//! own reading accepts only a lone argument, and launchers may add others). On macOS they
//! arrive as Apple events, through tauri-plugin-deep-link. Drafts wait in [`PENDING`] until
//! the window takes them (`take_mailto`), and the `mailto` event tells a window already
//! running to do so: a link that arrives before the page has loaded, or even before the
//! app's state exists (a second launch racing the first one's start), is not lost.
//!
//! **Background mode** (off by default; Settings): closing the window hides it and
//! Courriel keeps running, syncing and sending, with a tray icon (Open, Quit). "Start in
//! the tray" opens no window at start (for a session's autostart). The choice is one of
//! the engine's settings (`settings.rs`), read at start before any page loads. Where
//! the desktop shows no tray icons (GNOME without an AppIndicator extension), launching
//! Courriel again brings the window back.

use std::path::Path;
use std::sync::Mutex;

use courriel_engine::api::Draft;
use courriel_engine::{mailto, CommandError, Error, ErrorKind};
use tauri::menu::{Menu, MenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Emitter, Manager, RunEvent, Runtime, WindowEvent};

/// Tells the window that drafts from `mailto:` links are waiting (`take_mailto`).
pub const MAILTO_EVENT: &str = "mailto";
const TRAY_ID: &str = "courriel";

/// The drafts of the links received and not yet taken by the window. A static, not app
/// state: the single-instance callback can run before any state is managed.
static PENDING: Mutex<Vec<Draft>> = Mutex::new(Vec::new());

/// The drafts of the links received so far, each one once.
pub fn take_mailtos() -> Vec<Draft> {
    std::mem::take(&mut *lock(&PENDING))
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The single-instance plugin; registered first, so a second instance exits before
/// anything else starts.
pub fn single_instance<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    let mut builder = tauri_plugin_single_instance::Builder::new().callback(|app, args, _cwd| {
        receive(app, args.into_iter().skip(1));
        show_main(app);
    });
    let own_dir = std::env::var_os(courriel_engine::DATA_DIR_ENV).filter(|d| !d.is_empty());
    if let Some(dir) = own_dir {
        builder = builder.dbus_id(instance_id(Path::new(&dir)));
    }
    builder.build()
}

/// The D-Bus id for a data directory given by `COURRIEL_DATA_DIR`.
fn instance_id(data_dir: &Path) -> String {
    // FNV-1a: stable across builds, so two versions of the app agree on the name.
    let hash = data_dir
        .as_os_str()
        .as_encoded_bytes()
        .iter()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
    format!("org.courriel.desktop.d{hash:016x}")
}

/// The window's close button and the background mode.
pub fn plugin<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri::plugin::Builder::new("courriel-desktop")
        .on_event(|app, event| {
            let RunEvent::WindowEvent {
                label,
                event: WindowEvent::CloseRequested { api, .. },
                ..
            } = event
            else {
                return;
            };
            if label != "main" {
                return;
            }
            api.prevent_close();
            let background = app
                .try_state::<crate::settings::Current>()
                .is_some_and(|s| s.get().run_in_background);
            if !background {
                // Closing quits: the page saves what is being written first.
                return crate::closing::begin(app, crate::closing::After::CloseWindow);
            }
            if let Some(window) = app.get_webview_window(label) {
                if let Err(e) = window.hide() {
                    tracing::warn!("could not hide the window: {e}");
                }
            }
        })
        .build()
}

/// At start (from the app's setup, once the window exists): the tray icon when in
/// background mode, the window unless starting in the tray, and the first launch's
/// `mailto:` links.
pub fn setup<R: Runtime>(app: &tauri::App<R>) {
    let handle = app.handle();
    let settings = app.state::<crate::settings::Current>().get();
    if settings.run_in_background {
        if let Err(e) = add_tray(handle) {
            tracing::warn!("no tray icon: {e}");
        }
    }
    receive(handle, std::env::args().skip(1));
    let in_tray = settings.run_in_background && settings.start_in_tray;
    let has_mail_to_write = !lock(&PENDING).is_empty();
    if !in_tray || has_mail_to_write {
        show_main(handle);
    }
    #[cfg(target_os = "macos")]
    {
        use tauri_plugin_deep_link::DeepLinkExt;
        if let Ok(Some(urls)) = app.deep_link().get_current() {
            receive(handle, urls.iter().map(|u| u.to_string()));
        }
        let h = handle.clone();
        app.deep_link().on_open_url(move |event| {
            receive(&h, event.urls().iter().map(|u| u.to_string()));
            show_main(&h);
        });
    }
}

/// Queues a draft for each `mailto:` argument and tells the window.
fn receive<R: Runtime>(app: &AppHandle<R>, args: impl IntoIterator<Item = String>) {
    let drafts: Vec<Draft> = args
        .into_iter()
        .filter(|a| mailto::is_mailto(a))
        .filter_map(|a| match mailto::parse(&a) {
            Ok(d) => Some(d),
            Err(e) => {
                tracing::warn!("{e}");
                None
            }
        })
        .collect();
    if drafts.is_empty() {
        return;
    }
    lock(&PENDING).extend(drafts);
    if let Err(e) = app.emit(MAILTO_EVENT, ()) {
        tracing::warn!("could not tell the window about a mailto: link: {e}");
    }
}

/// Shows, unminimizes and focuses the main window.
pub fn show_main<R: Runtime>(app: &AppHandle<R>) {
    let Some(window) = app.get_webview_window("main") else {
        return;
    };
    for result in [window.show(), window.unminimize(), window.set_focus()] {
        if let Err(e) = result {
            tracing::warn!("could not bring the window forward: {e}");
        }
    }
}

/// The tray icon: a click or "Open" shows the window, "Quit" ends Courriel (once the
/// page has saved what is being written: `closing`).
fn add_tray<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    if app.tray_by_id(TRAY_ID).is_some() {
        return Ok(());
    }
    let french = courriel_engine::lang::Lang::current() == courriel_engine::lang::Lang::Fr;
    let (open, quit) = if french {
        ("Ouvrir Courriel", "Quitter")
    } else {
        ("Open Courriel", "Quit")
    };
    let open = MenuItem::with_id(app, "open", open, true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", quit, true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&open, &quit])?;
    let mut tray = TrayIconBuilder::with_id(TRAY_ID)
        .tooltip("Courriel")
        .menu(&menu)
        .show_menu_on_left_click(false)
        .on_menu_event(|app, event| match event.id.as_ref() {
            "open" => show_main(app),
            "quit" => crate::closing::begin(app, crate::closing::After::Exit),
            _ => {}
        })
        .on_tray_icon_event(|tray, event| {
            use tauri::tray::{MouseButton, MouseButtonState, TrayIconEvent};
            if let TrayIconEvent::Click {
                button: MouseButton::Left,
                button_state: MouseButtonState::Up,
                ..
            } = event
            {
                show_main(tray.app_handle());
            }
        });
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.build(app)?;
    Ok(())
}

/// The tray icon comes or goes with background mode.
pub fn show_tray<R: Runtime>(app: &AppHandle<R>, background: bool) -> Result<(), CommandError> {
    if !background {
        app.remove_tray_by_id(TRAY_ID);
        return Ok(());
    }
    add_tray(app).map_err(|e| Error::new(ErrorKind::Config, format!("no tray icon: {e}")).into())
}

#[cfg(test)]
mod tests {
    use super::instance_id;

    #[test]
    fn each_data_directory_is_its_own_instance() {
        let a = instance_id(std::path::Path::new("/tmp/a"));
        let b = instance_id(std::path::Path::new("/tmp/b"));
        assert_ne!(a, b);
        assert_eq!(a, instance_id(std::path::Path::new("/tmp/a")));
        assert!(a.starts_with("org.courriel.desktop.d"));
    }
}
