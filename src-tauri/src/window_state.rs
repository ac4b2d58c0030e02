//! The window as the user left it (size, position, maximized) and the appearance they
//! chose (the system's, light or dark), kept in `window.json` in the data directory,
//! beside the mail cache.
//!
//! Decisions: a shell file, not the engine's settings: it describes this machine's
//! screens, which the CLI never uses, and it is written on every move and resize (a
//! quarter of a second after the last one). Sizes and positions are physical pixels, as
//! the monitors report them.
//! - The first window is 80% of the primary monitor, at least 1100x720 (or the whole
//!   monitor when smaller), at most 1600x1000 (times the monitor's scale), centred.
//! - A remembered window comes back where it was when its title bar is still on a monitor
//!   (at least 100x20 pixels of its top strip); when that monitor is gone, it keeps its
//!   size (shrunk to the primary monitor when larger) centred on the primary monitor.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use tauri::{Manager, PhysicalPosition, PhysicalSize, Runtime, Theme, WebviewWindow, WindowEvent};

/// The remembered window (physical pixels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Geometry {
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
    #[serde(default)]
    pub maximized: bool,
}

/// The appearance the user chose in Settings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Appearance {
    #[default]
    System,
    Light,
    Dark,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
struct Stored {
    window: Option<Geometry>,
    appearance: Appearance,
}

/// A monitor's area and scale.
#[derive(Debug, Clone, Copy)]
pub struct Screen {
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
    pub scale: f64,
}

/// Where the window opens: `saved` when its title bar is on one of `screens`, else on
/// `primary` (module doc). Without any monitor known, `saved` or nothing.
pub fn place(
    saved: Option<Geometry>,
    screens: &[Screen],
    primary: Option<Screen>,
) -> Option<Geometry> {
    let Some(home) = primary.or_else(|| screens.first().copied()) else {
        return saved;
    };
    if let Some(s) = saved {
        if let Some(on) = screens.iter().find(|m| title_bar_on(&s, m)) {
            let (width, height) = (s.width.min(on.width), s.height.min(on.height));
            return Some(Geometry { width, height, ..s });
        }
        return Some(centred(&home, s.width, s.height, s.maximized));
    }
    let scaled = |v: f64| (v * home.scale) as u32;
    let fit = |share: u32, least: u32, most: u32| share.clamp(least.min(most), most);
    let width = fit(
        home.width * 4 / 5,
        scaled(1100.0).min(home.width),
        scaled(1600.0).min(home.width),
    );
    let height = fit(
        home.height * 4 / 5,
        scaled(720.0).min(home.height),
        scaled(1000.0).min(home.height),
    );
    Some(centred(&home, width, height, false))
}

fn centred(on: &Screen, width: u32, height: u32, maximized: bool) -> Geometry {
    let (width, height) = (width.min(on.width), height.min(on.height));
    let x = on.x + ((on.width - width) / 2) as i32;
    let y = on.y + ((on.height - height) / 2) as i32;
    Geometry {
        x,
        y,
        width,
        height,
        maximized,
    }
}

/// Whether enough of the window's top strip (where it is grabbed) is on `m`.
fn title_bar_on(g: &Geometry, m: &Screen) -> bool {
    let strip = 40_i64.min(i64::from(g.height));
    let left = i64::from(g.x).max(i64::from(m.x));
    let right = (i64::from(g.x) + i64::from(g.width)).min(i64::from(m.x) + i64::from(m.width));
    let top = i64::from(g.y).max(i64::from(m.y));
    let bottom = (i64::from(g.y) + strip).min(i64::from(m.y) + i64::from(m.height));
    right - left >= 100 && bottom - top >= 20.min(strip)
}

/// The file and what it holds, shared by the window's events and the commands.
pub struct WindowState {
    path: Option<PathBuf>,
    stored: Mutex<Stored>,
    writing: AtomicBool,
}

impl WindowState {
    pub fn load() -> WindowState {
        let path = courriel_engine::resolve_data_dir(None)
            .ok()
            .map(|d| d.join("window.json"));
        let stored = path
            .as_ref()
            .and_then(|p| std::fs::read(p).ok())
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        WindowState {
            path,
            stored: Mutex::new(stored),
            writing: AtomicBool::new(false),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Stored> {
        self.stored.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn appearance(&self) -> Appearance {
        self.lock().appearance
    }

    pub fn set_appearance(&self, appearance: Appearance) {
        self.lock().appearance = appearance;
        self.write();
    }

    fn write(&self) {
        let Some(path) = &self.path else { return };
        let json = serde_json::to_vec_pretty(&*self.lock()).unwrap_or_default();
        if let Err(e) = std::fs::write(path, json) {
            tracing::warn!("could not remember the window in {}: {e}", path.display());
        }
    }
}

/// At start, before the window shows: its remembered (or first) place and the appearance.
pub fn restore<R: Runtime>(app: &tauri::App<R>) {
    let state = WindowState::load();
    let Some(window) = app.get_webview_window("main") else {
        app.manage(state);
        return;
    };
    apply_appearance(&window, state.appearance());
    let screens: Vec<Screen> = window
        .available_monitors()
        .unwrap_or_default()
        .iter()
        .map(screen)
        .collect();
    let primary = window.primary_monitor().ok().flatten().map(|m| screen(&m));
    if let Some(g) = place(state.lock().window, &screens, primary) {
        let placed = window
            .set_size(PhysicalSize::new(g.width, g.height))
            .and_then(|()| window.set_position(PhysicalPosition::new(g.x, g.y)))
            .and_then(|()| {
                if g.maximized {
                    window.maximize()
                } else {
                    Ok(())
                }
            });
        if let Err(e) = placed {
            tracing::warn!("could not place the window: {e}");
        }
    }
    app.manage(state);
    track(&window);
}

fn screen(m: &tauri::Monitor) -> Screen {
    let (at, size) = (m.position(), m.size());
    Screen {
        x: at.x,
        y: at.y,
        width: size.width,
        height: size.height,
        scale: m.scale_factor(),
    }
}

/// The window's title bar, native dialogs and the page's `prefers-color-scheme` follow.
pub fn apply_appearance<R: Runtime>(window: &WebviewWindow<R>, appearance: Appearance) {
    let theme = match appearance {
        Appearance::System => None,
        Appearance::Light => Some(Theme::Light),
        Appearance::Dark => Some(Theme::Dark),
    };
    if let Err(e) = window.set_theme(theme) {
        tracing::warn!("could not set the window's theme: {e}");
    }
}

/// Every move and resize remembered (the last one, a quarter of a second later).
fn track<R: Runtime>(window: &WebviewWindow<R>) {
    let w = window.clone();
    window.on_window_event(move |event| {
        if matches!(event, WindowEvent::Resized(_) | WindowEvent::Moved(_)) {
            note(&w);
        }
    });
}

fn note<R: Runtime>(window: &WebviewWindow<R>) {
    let state = window.state::<WindowState>();
    let maximized = window.is_maximized().unwrap_or(false);
    let minimized = window.is_minimized().unwrap_or(false);
    let (Ok(at), Ok(size)) = (window.outer_position(), window.inner_size()) else {
        return;
    };
    {
        let mut stored = state.lock();
        match (&mut stored.window, maximized || minimized) {
            (Some(g), true) => g.maximized = maximized || g.maximized && minimized,
            _ => {
                stored.window = Some(Geometry {
                    x: at.x,
                    y: at.y,
                    width: size.width,
                    height: size.height,
                    maximized,
                })
            }
        }
    }
    if !state.writing.swap(true, Ordering::AcqRel) {
        let app = window.app_handle().clone();
        tauri::async_runtime::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
            let state = app.state::<WindowState>();
            state.writing.store(false, Ordering::Release);
            state.write();
        });
    }
}

#[cfg(test)]
#[path = "window_state_tests.rs"]
mod tests;
