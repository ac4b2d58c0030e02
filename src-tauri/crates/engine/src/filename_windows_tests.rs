//! Attachment names under Windows' rules, checked on every OS: what [`safe`] gives is a
//! name Windows creates as written (no device, no alternate stream, nothing it silently
//! drops), and a saved attachment's path stays within `MAX_PATH`.

use proptest::prelude::*;

use super::*;

/// Why Windows would not create `name` as a plain file of that name, from Microsoft's
/// "Naming Files, Paths, and Namespaces", written apart from `safe` to check it.
fn windows_refuses(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return Some("empty");
    }
    if name.encode_utf16().count() > 255 {
        return Some("longer than a component may be");
    }
    if name
        .chars()
        .any(|c| u32::from(c) < 32 || "<>:\"/\\|?*".contains(c))
    {
        return Some("a reserved character (':' opens a stream)");
    }
    if name.ends_with(['.', ' ']) {
        return Some("a trailing dot or space, which Windows drops");
    }
    let base = name.split('.').next().unwrap_or_default().trim_end();
    let base = base.to_uppercase();
    let numbered = |prefix: &str| {
        base.strip_prefix(prefix).is_some_and(|n| {
            let mut n = n.chars();
            matches!(n.next(), Some('0'..='9' | '¹' | '²' | '³')) && n.next().is_none()
        })
    };
    let devices = ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"];
    if devices.contains(&base.as_str()) || numbered("COM") || numbered("LPT") {
        return Some("a device name");
    }
    None
}

#[test]
fn names_windows_would_misread_are_made_plain() {
    for name in [
        "CON",
        "con.txt",
        "Con .tar.gz",
        "COM0.log",
        "lpt¹",
        "CONIN$",
        "conout$.txt",
        "NUL.",
        "report.txt:Zone.Identifier",
        "a\\b\\c.txt",
        "x.exe. ",
        "trailing space ",
        "tab\there.txt",
        "what?.txt",
        "\"quoted\".doc",
    ] {
        assert!(
            windows_refuses(name).is_some(),
            "the oracle refuses {name:?}"
        );
        let made = safe(name);
        assert_eq!(windows_refuses(&made), None, "{name:?} -> {made:?}");
    }
    assert_eq!(safe("COM0.log"), "_COM0.log");
    assert_eq!(safe("conout$.txt"), "_conout$.txt");
    assert_eq!(
        safe("report.txt:Zone.Identifier"),
        "report.txt_Zone.Identifier"
    );
}

#[test]
fn a_saved_path_fits_windows_max_path() {
    let dir = format!("C:\\Users\\zoe\\Downloads\\{}", "d".repeat(180));
    let name = format!("{}.pdf", "n".repeat(150));
    let fitted = fit_windows_path(&dir, &name);
    let total = dir.encode_utf16().count() + 1 + fitted.encode_utf16().count() + COPY_SUFFIX;
    assert!(total <= WINDOWS_MAX_PATH, "{total}: {fitted}");
    assert!(fitted.ends_with("n.pdf"), "{fitted}");
    assert_eq!(
        fit_windows_path("C:\\Users\\zoe\\Downloads", "a.pdf"),
        "a.pdf"
    );
    // Windows counts UTF-16 units: each of these emoji is two (and four UTF-8 bytes).
    let dir = format!("C:\\Users\\zoe\\{}", "d".repeat(170));
    let emoji = format!("{}.txt", "😀".repeat(50));
    let fitted = fit_windows_path(&dir, &emoji);
    let units = dir.encode_utf16().count() + 1 + fitted.encode_utf16().count() + COPY_SUFFIX;
    assert!(units <= WINDOWS_MAX_PATH, "{units}");
    assert!(
        units >= WINDOWS_MAX_PATH - 1,
        "cut no more than a character: {units}"
    );
    assert!(fitted.ends_with("😀.txt"), "{fitted}");
    // A folder too deep for any name still gets one character and the extension.
    let deep = "x".repeat(300);
    assert_eq!(fit_windows_path(&deep, "report.pdf"), "r.pdf");
}

proptest! {
    /// Whatever a sender writes, the name is one Windows takes as written, and making it
    /// safe again changes nothing.
    #[test]
    fn any_name_becomes_one_windows_takes_as_written(
        name in "[a-zA-Z0-9 .:<>\"/\\\\|?*\u{0}-\u{1f}\u{202e}\u{200b}¹éCONULPTAX$😀-]{0,300}"
    ) {
        let made = safe(&name);
        prop_assert_eq!(windows_refuses(&made), None, "{:?} -> {:?}", name, made);
        prop_assert_eq!(safe(&made), made.clone());
        let fitted = fit_windows_path("C:\\Users\\zoe\\Downloads", &made);
        prop_assert_eq!(windows_refuses(&fitted), None, "{:?} -> {:?}", made, fitted);
    }
}
