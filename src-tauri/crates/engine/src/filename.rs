//! An attachment's name as the sender wrote it is not a name to trust: it can hide its real
//! extension behind a right-to-left override ("invoice\u{202e}fdp.exe" shows as
//! "invoiceexe.pdf") or invisible characters ("invoice.pdf\u{200b}.exe"), carry terminal
//! escapes, name another folder ("../../.bashrc"), a Windows device (`CON`, `NUL.txt`) or
//! stream ("report.txt:evil.exe"), end in dots or spaces Windows drops (so "x.exe." runs as
//! an .exe), or be longer than a file system allows.
//!
//! [`safe`] is the one place a name is made safe; the UI's display, Save and Open all use
//! it, so what the user reads is what lands on disk and what the OS will run it as.

/// Longest name kept, in bytes (file systems allow 255; room for " (2)").
const MAX_BYTES: usize = 200;
/// An extension longer than this is taken as part of the name when cutting.
const MAX_EXTENSION: usize = 16;
/// The name of an attachment that has none left.
pub const FALLBACK: &str = "attachment";

/// `name` as a safe file name: its last path component, without control, bidi or
/// invisible formatting characters, Windows' forbidden characters replaced by `_`, runs of
/// spaces as one, no leading dots (never hidden), no trailing dots or spaces, a reserved
/// Windows device name prefixed with `_`, at most 200 bytes with the extension kept, and
/// never empty.
pub fn safe(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let mut out = String::with_capacity(last.len());
    for c in last.chars().filter(|&c| !c.is_control() && !invisible(c)) {
        let c = if forbidden(c) { '_' } else { c };
        if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    let trimmed = out.trim_start_matches(['.', ' ']);
    let mut name = trim_end(trimmed).to_owned();
    if reserved(&name) {
        name.insert(0, '_');
    }
    let name = shorten(&name);
    if name.is_empty() {
        FALLBACK.to_owned()
    } else {
        name
    }
}

/// The extension the OS goes by, lowercased, without the dot: "exe" for "a.pdf.exe".
/// `None` for "README" or ".profile".
pub fn extension(name: &str) -> Option<String> {
    let (stem, ext) = name.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty()).then(|| ext.to_lowercase())
}

/// Bidirectional controls (embeddings, overrides, isolates, marks) and invisible
/// formatting characters: they change how a name reads without showing themselves.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}'                      // soft hyphen
            | '\u{061c}'                // Arabic letter mark
            | '\u{180e}'                // Mongolian vowel separator
            | '\u{200b}'..='\u{200f}'   // zero-width space, joiners, LRM, RLM
            | '\u{202a}'..='\u{202e}'   // embeddings and overrides
            | '\u{2060}'..='\u{2064}'   // word joiner, invisible operators
            | '\u{2066}'..='\u{206f}'   // isolates, deprecated format characters
            | '\u{feff}'                // zero-width no-break space
            | '\u{fff9}'..='\u{fffb}' // interlinear annotation
    )
}

/// Characters Windows forbids in a name (and `:` opens an alternate data stream).
fn forbidden(c: char) -> bool {
    matches!(c, '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*')
}

/// Windows drops trailing dots and spaces: "x.exe. " is "x.exe" there.
fn trim_end(name: &str) -> &str {
    name.trim_end_matches(['.', ' '])
}

/// `CON`, `PRN`, `AUX`, `NUL`, `CONIN$`, `CONOUT$`, `COM0`-`COM9`, `LPT0`-`LPT9` (also
/// `COM¹`...), with or without an extension, in any case: Windows opens the device
/// instead of a file (Microsoft's "Naming Files" lists `COM0` and `LPT0` too).
fn reserved(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or_default().trim_end();
    let upper = stem.to_uppercase();
    match upper.as_str() {
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$" => true,
        _ => {
            let digit = |rest: &str| {
                let mut chars = rest.chars();
                matches!(
                    (chars.next(), chars.next()),
                    (Some('0'..='9' | '¹' | '²' | '³'), None)
                )
            };
            upper.strip_prefix("COM").is_some_and(digit)
                || upper.strip_prefix("LPT").is_some_and(digit)
        }
    }
}

/// At most `MAX_BYTES`, cut in the stem so the extension (what the OS goes by) stays.
fn shorten(name: &str) -> String {
    cut_stem(name, MAX_BYTES, str::len)
}

/// `name` cut in its stem (the extension kept, as in [`shorten`]) until `measure` says it
/// is at most `max`; at least one character of the stem is kept.
fn cut_stem(name: &str, max: usize, measure: fn(&str) -> usize) -> String {
    if measure(name) <= max {
        return name.to_owned();
    }
    let ext = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && ext.len() < MAX_EXTENSION => &name[stem.len()..],
        _ => "",
    };
    let stem = &name[..name.len() - ext.len()];
    let room = max.saturating_sub(measure(ext));
    let mut end = 0;
    for (i, c) in stem.char_indices() {
        if i > 0 && measure(&stem[..i + c.len_utf8()]) > room {
            break;
        }
        end = i + c.len_utf8();
    }
    let kept = match trim_end(&stem[..end]) {
        "" => &stem[..stem.chars().next().map_or(0, char::len_utf8)],
        kept => kept,
    };
    format!("{kept}{ext}")
}

/// Windows' `MAX_PATH`: 260 UTF-16 units with the final NUL. Explorer, the shell's "Open"
/// and most programs cannot open a longer path, even where Courriel could write it.
pub const WINDOWS_MAX_PATH: usize = 259;

/// What `write_new` may add to a name taken already: " (999)".
const COPY_SUFFIX: usize = 6;

/// `name` (already [`safe`]) shortened, its extension kept, so that `dir` + a separator +
/// the name, with room for a " (999)" copy number, stays within Windows' `MAX_PATH`
/// (counted in UTF-16 units, as Windows does). A name that fits is unchanged.
pub fn fit_windows_path(dir: &str, name: &str) -> String {
    let room = WINDOWS_MAX_PATH.saturating_sub(dir.encode_utf16().count() + 1 + COPY_SUFFIX);
    let fitted = cut_stem(name, room, utf16_len);
    match reserved(&fitted) {
        true => cut_stem(&format!("_{fitted}"), room, utf16_len), // "CONTRACT.pdf" cut to "CON.pdf"
        false => fitted,
    }
}

fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

#[cfg(test)]
#[path = "filename_windows_tests.rs"]
mod windows_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cannot_hide_their_real_extension() {
        assert_eq!(safe("invoice\u{202e}fdp.exe"), "invoicefdp.exe");
        assert_eq!(safe("invoice.pdf\u{200b}.exe"), "invoice.pdf.exe");
        assert_eq!(safe("photo\u{2066}.jpg\u{2069}.scr"), "photo.jpg.scr");
        assert_eq!(safe("a\u{200e}b\u{200f}c\u{feff}.txt"), "abc.txt");
        assert_eq!(
            safe("invoice.pdf                     .exe"),
            "invoice.pdf .exe"
        );
        assert_eq!(safe("setup.exe."), "setup.exe");
        assert_eq!(safe("setup.exe . . "), "setup.exe");
        assert_eq!(extension(&safe("setup.exe. ")).as_deref(), Some("exe"));
    }

    #[test]
    fn control_characters_and_forbidden_ones_go() {
        assert_eq!(safe("bill\x1b[2J\x07.pdf"), "bill[2J.pdf");
        assert_eq!(safe("a\u{9b}b\u{85}c.txt"), "abc.txt");
        assert_eq!(safe("line\nbreak\ttab.txt"), "linebreaktab.txt");
        assert_eq!(safe("report.txt:evil.exe"), "report.txt_evil.exe");
        assert_eq!(safe("a<b>c\"d|e?f*g.txt"), "a_b_c_d_e_f_g.txt");
        assert_eq!(safe("Re: minutes.doc"), "Re_ minutes.doc");
    }

    #[test]
    fn a_name_never_picks_its_folder_or_hides() {
        assert_eq!(safe("../../etc/passwd"), "passwd");
        assert_eq!(safe("..\\..\\Windows\\evil.dll"), "evil.dll");
        assert_eq!(safe("C:\\Users\\x\\report.pdf"), "report.pdf");
        assert_eq!(safe(".bashrc"), "bashrc");
        assert_eq!(safe("..."), FALLBACK);
        assert_eq!(safe(""), FALLBACK);
        assert_eq!(safe("\u{202e}\u{200b} \x1b"), FALLBACK);
        assert_eq!(safe("dir/"), FALLBACK);
    }

    #[test]
    fn windows_device_names_are_never_used() {
        for name in [
            "CON",
            "con.txt",
            "Nul",
            "aux.tar.gz",
            "PRN",
            "COM1",
            "com9.log",
        ] {
            assert!(safe(name).starts_with('_'), "{name} -> {}", safe(name));
        }
        assert_eq!(safe("LPT3.txt"), "_LPT3.txt");
        assert_eq!(safe("COM¹.txt"), "_COM¹.txt");
        assert_eq!(safe("CON .txt"), "_CON .txt");
        for name in ["CONSOLE.txt", "COM10", "COMA", "nullable.txt", "icon.png"] {
            assert_eq!(safe(name), name);
        }
    }

    #[test]
    fn long_names_keep_their_extension() {
        let long = format!("{}.pdf", "a".repeat(300));
        let cut = safe(&long);
        assert!(cut.len() <= MAX_BYTES, "{}", cut.len());
        assert!(cut.ends_with("aaa.pdf"), "{cut}");
        let wide = format!("{}.exe", "é".repeat(150));
        let cut = safe(&wide);
        assert!(cut.len() <= MAX_BYTES && cut.ends_with(".exe"), "{cut}");
        let no_ext = "b".repeat(400);
        assert_eq!(safe(&no_ext).len(), MAX_BYTES);
        // A name of dots and spaces at the cut does not end the name in one.
        let dotted = format!("{}{}.txt", "c".repeat(190), ". ".repeat(20));
        assert!(safe(&dotted).ends_with("c.txt"), "{}", safe(&dotted));
    }

    #[test]
    fn the_extension_is_the_last_one() {
        assert_eq!(extension("a.PDF.Exe").as_deref(), Some("exe"));
        assert_eq!(extension("README"), None);
        assert_eq!(extension(".profile"), None);
        assert_eq!(extension("x."), None);
    }
}
