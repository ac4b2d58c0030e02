//! Accelerated compositing in the web view. WebKitGTK composites with OpenGL; on a machine
//! without a GPU render node (`/dev/dri/renderD*`: a virtual machine, a remote desktop,
//! Xvfb) it does so with Mesa's software renderer, which loads LLVM into the app and costs
//! about 70 MB of memory and a fifth of a second at start while drawing nothing faster.
//! So by default compositing is off where no render node exists; the setting forces it
//! either way (a driver that misbehaves, or a GPU hidden from us). A
//! `WEBKIT_DISABLE_COMPOSITING_MODE` the user set themselves wins over both.
//!
//! WebKit reads the variable when it creates the first web view, so this runs before the
//! window is made (`lib.rs`).

use std::path::Path;

use courriel_engine::api::Compositing;

const VARIABLE: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// Sets WebKit's switch from the setting and the machine, and says what was chosen.
pub fn apply(choice: Compositing) {
    if !cfg!(target_os = "linux") || std::env::var_os(VARIABLE).is_some() {
        return;
    }
    let on = wanted(choice, has_render_node(Path::new("/dev/dri")));
    tracing::info!("accelerated compositing {}", if on { "on" } else { "off" });
    if !on {
        // Before the first web view; the runtime's threads only wait on their queues
        // and never read the environment.
        std::env::set_var(VARIABLE, "1");
    }
}

/// Whether to composite with the GPU.
fn wanted(choice: Compositing, render_node: bool) -> bool {
    match choice {
        Compositing::On => true,
        Compositing::Off => false,
        Compositing::Auto => render_node,
    }
}

/// Whether `dir` (the DRM device directory) holds a render node.
fn has_render_node(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries
        .flatten()
        .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_follows_the_render_node_and_a_choice_wins() {
        assert!(wanted(Compositing::Auto, true));
        assert!(!wanted(Compositing::Auto, false));
        assert!(wanted(Compositing::On, false));
        assert!(!wanted(Compositing::Off, true));
    }

    #[test]
    fn a_render_node_is_found_by_its_name() {
        let dir = std::env::temp_dir().join(format!("courriel-gpu-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        std::fs::write(dir.join("card0"), b"").expect("card");
        assert!(
            !has_render_node(&dir),
            "a card node alone cannot render off-screen"
        );
        std::fs::write(dir.join("renderD128"), b"").expect("node");
        assert!(has_render_node(&dir));
        std::fs::remove_dir_all(&dir).ok();
        assert!(!has_render_node(&dir), "no directory: no GPU");
    }
}
