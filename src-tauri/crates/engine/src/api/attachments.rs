//! Opening an attachment: a private copy handed to the system's application, or first a
//! question when the file is something that runs.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What "Open" did: opened a private copy, or needs the user's yes first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Opening {
    /// The private copy at `path` went to the system's application.
    #[serde(rename_all = "camelCase")]
    Opened { path: String },
    /// Nothing was written: the file runs, by its name or its content; ask "Open it
    /// anyway?" naming `runnable`, then open again with the confirmation.
    #[serde(rename_all = "camelCase")]
    NeedsConfirmation { runnable: Runnable },
}

/// An attachment that would run as a program rather than open as a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Runnable {
    pub kind: RunnableKind,
    /// The name's extension, lowercased, without the dot ("exe"); empty without one.
    pub extension: String,
    /// The content says it runs while the name does not (an ELF program named
    /// "photo.jpg"): the question says what it really is, whatever it is called.
    pub by_content: bool,
}

/// What kind of thing runs, in words the UI can say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum RunnableKind {
    /// .exe .com .scr .pif .cpl .msc, or content starting "MZ".
    WindowsProgram,
    /// .msi
    WindowsInstaller,
    /// .lnk, or a shell link's header.
    WindowsShortcut,
    /// .bat .cmd .js .vbs .wsf .ps1 .hta
    WindowsScript,
    /// .reg: changes to Windows' settings.
    WindowsRegistry,
    /// .jar
    JavaProgram,
    /// .appimage, or an ELF header.
    LinuxProgram,
    /// .desktop, or content starting "[Desktop Entry]".
    LinuxLauncher,
    /// .app .command .terminal, or a Mach-O header.
    MacProgram,
    /// .sh, or content starting "#!".
    Script,
}
