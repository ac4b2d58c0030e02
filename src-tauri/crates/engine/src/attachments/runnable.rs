//! Whether an attachment would run rather than open: by the extension the OS goes by, or
//! by a few magic numbers in its first bytes (a program is a program whatever it is
//! named: an ELF file called "photo.jpg" still runs once someone marks it executable, and
//! some openers sniff content before names).

use crate::api::{Runnable, RunnableKind};
use crate::filename;

/// What runs: `name` must already be [`filename::safe`] (its last extension is the real
/// one). `None` for a document.
pub fn runnable(name: &str, bytes: &[u8]) -> Option<Runnable> {
    let extension = filename::extension(name).unwrap_or_default();
    let by_name = by_extension(&extension);
    let by_content = sniff(bytes);
    let kind = by_content.or(by_name)?;
    Some(Runnable {
        kind,
        by_content: by_content.is_some() && by_name != by_content,
        extension,
    })
}

fn by_extension(ext: &str) -> Option<RunnableKind> {
    use RunnableKind::*;
    Some(match ext {
        "exe" | "com" | "scr" | "pif" | "cpl" | "msc" => WindowsProgram,
        "msi" | "msp" => WindowsInstaller,
        "lnk" => WindowsShortcut,
        "bat" | "cmd" | "js" | "jse" | "vbs" | "vbe" | "wsf" | "wsh" | "ps1" | "hta" => {
            WindowsScript
        }
        "reg" => WindowsRegistry,
        "jar" => JavaProgram,
        "appimage" => LinuxProgram,
        "desktop" => LinuxLauncher,
        "app" | "command" | "terminal" => MacProgram,
        "sh" => Script,
        _ => return None,
    })
}

/// The kind a file's first bytes say it is.
fn sniff(bytes: &[u8]) -> Option<RunnableKind> {
    use RunnableKind::*;
    const MACH_O: [[u8; 4]; 5] = [
        [0xfe, 0xed, 0xfa, 0xce],
        [0xfe, 0xed, 0xfa, 0xcf],
        [0xce, 0xfa, 0xed, 0xfe],
        [0xcf, 0xfa, 0xed, 0xfe],
        [0xca, 0xfe, 0xba, 0xbe], // universal binary (also a Java class file)
    ];
    const SHELL_LINK: &[u8] = b"L\0\0\0\x01\x14\x02\0";
    let text = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if bytes.starts_with(b"\x7fELF") {
        Some(LinuxProgram)
    } else if bytes.starts_with(b"MZ") {
        Some(WindowsProgram)
    } else if text.starts_with(b"#!") {
        Some(Script)
    } else if MACH_O.iter().any(|m| bytes.starts_with(m)) {
        Some(MacProgram)
    } else if bytes.starts_with(SHELL_LINK) {
        Some(WindowsShortcut)
    } else if desktop_entry(text) {
        Some(LinuxLauncher)
    } else {
        None
    }
}

/// A desktop entry's group header on its first non-comment line.
fn desktop_entry(text: &[u8]) -> bool {
    let head = &text[..text.len().min(4096)];
    String::from_utf8_lossy(head)
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_some_and(|l| l == "[Desktop Entry]")
}

#[cfg(test)]
mod tests {
    use super::*;
    use RunnableKind::*;

    fn kind(name: &str, bytes: &[u8]) -> Option<(RunnableKind, bool)> {
        runnable(name, bytes).map(|r| (r.kind, r.by_content))
    }

    #[test]
    fn runnable_extensions_are_named() {
        for (name, want) in [
            ("setup.exe", WindowsProgram),
            ("SETUP.EXE", WindowsProgram),
            ("screensaver.scr", WindowsProgram),
            ("update.msi", WindowsInstaller),
            ("Documents.lnk", WindowsShortcut),
            ("run.bat", WindowsScript),
            ("run.cmd", WindowsScript),
            ("invoice.pdf.js", WindowsScript),
            ("x.vbs", WindowsScript),
            ("x.ps1", WindowsScript),
            ("x.hta", WindowsScript),
            ("x.wsf", WindowsScript),
            ("tweak.reg", WindowsRegistry),
            ("tool.jar", JavaProgram),
            ("Tool.AppImage", LinuxProgram),
            ("autostart.desktop", LinuxLauncher),
            ("install.sh", Script),
            ("Open.command", MacProgram),
            ("x.terminal", MacProgram),
            ("x.app", MacProgram),
            ("x.com", WindowsProgram),
            ("x.pif", WindowsProgram),
            ("x.cpl", WindowsProgram),
            ("x.msc", WindowsProgram),
        ] {
            assert_eq!(kind(name, b"plain"), Some((want, false)), "{name}");
        }
        for name in [
            "report.pdf",
            "photo.jpg",
            "notes.txt",
            "exe",
            "archive.zip",
            "a.exe.pdf",
        ] {
            assert_eq!(kind(name, b"%PDF-1.7"), None, "{name}");
        }
    }

    #[test]
    fn content_says_what_runs_whatever_the_name() {
        assert_eq!(
            kind("photo.jpg", b"\x7fELF\x02\x01"),
            Some((LinuxProgram, true))
        );
        assert_eq!(
            kind("invoice.pdf", b"MZ\x90\0"),
            Some((WindowsProgram, true))
        );
        assert_eq!(
            kind("notes.txt", b"#!/bin/sh\nrm -rf ~\n"),
            Some((Script, true))
        );
        assert_eq!(
            kind("README", b"\xef\xbb\xbf#!/usr/bin/env python3"),
            Some((Script, true))
        );
        assert_eq!(
            kind("a.bin", b"\xcf\xfa\xed\xfe\x07"),
            Some((MacProgram, true))
        );
        assert_eq!(
            kind("a.doc", b"L\0\0\0\x01\x14\x02\0\0"),
            Some((WindowsShortcut, true))
        );
        assert_eq!(
            kind(
                "notes",
                b"# made by hand\n\n[Desktop Entry]\nExec=sh -c x\n"
            ),
            Some((LinuxLauncher, true))
        );
        // The name already says so: not "by content".
        assert_eq!(
            kind("setup.exe", b"MZ\x90\0"),
            Some((WindowsProgram, false))
        );
        assert_eq!(kind("a.txt", b"[Other]\n[Desktop Entry]"), None);
        assert_eq!(kind("empty.txt", b""), None);
    }
}
