//! Mail-derived text made inert where Courriel shows it outside the reader (which has its
//! own sanitizer): a notification body, where servers render a subset of markup (`<a>`,
//! `<img>`: a subject could link or fetch), and a terminal, where escape sequences in a
//! subject could retitle the window, clear the screen, rewrite what was printed before or,
//! on some terminals, answer back as if typed.

/// Text for a notification body: `&`, `<` and `>` as entities, so a subject's tags show
/// as written instead of being rendered. (The notification's title, the spec's summary,
/// is plain text: servers show it as given and need no escaping.)
pub fn markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Text for a terminal: escape sequences removed whole (CSI `ESC [ ... final`, OSC
/// `ESC ] ... BEL|ST`, DCS/SOS/PM/APC strings, two-byte escapes, their C1 forms), then
/// every other C0 and C1 control but newline and tab, and the bidi controls that reorder
/// what follows. A string sequence left open ends at the line's end, so it hides nothing
/// below it.
pub fn terminal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\x1b' => match chars.next() {
                Some('[') => skip_csi(&mut chars),
                Some(']' | 'P' | 'X' | '^' | '_') => skip_string(&mut chars),
                Some('\n') => out.push('\n'),
                _ => {} // a two-byte escape (ESC c resets the terminal), or ESC alone
            },
            '\u{9b}' => skip_csi(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\n' | '\t' => out.push(c),
            c if c.is_control() || bidi(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Parameter and intermediate bytes, up to and including the final byte (`@` to `~`).
fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(&c) = chars.peek() {
        if c == '\n' {
            return;
        }
        chars.next();
        if ('\u{40}'..='\u{7e}').contains(&c) {
            return;
        }
    }
}

/// An OSC/DCS-style string: up to BEL, ST (`ESC \` or U+009C), or the end of the line.
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(&c) = chars.peek() {
        if c == '\n' {
            return;
        }
        chars.next();
        match c {
            '\x07' | '\u{9c}' => return,
            '\x1b' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                return;
            }
            _ => {}
        }
    }
}

/// Embeddings, overrides and isolates: they reorder the rest of the line.
fn bidi(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_shows_as_written() {
        assert_eq!(
            markup("<a href=\"x\">Pay</a> & <img src=y>"),
            "&lt;a href=\"x\"&gt;Pay&lt;/a&gt; &amp; &lt;img src=y&gt;"
        );
        assert_eq!(markup("Zoé: budget"), "Zoé: budget");
    }

    #[test]
    fn escape_sequences_are_removed_whole() {
        assert_eq!(
            terminal("Invoice \x1b]0;pwned\x07\x1b[2J ready"),
            "Invoice  ready"
        );
        assert_eq!(
            terminal("a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\b"),
            "alinkb"
        );
        assert_eq!(terminal("\x1b[31mred\x1b[0m"), "red");
        assert_eq!(terminal("\x1b[?1049h\x1b[1;1H"), "");
        assert_eq!(terminal("c1\u{9b}2Jcsi"), "c1csi");
        assert_eq!(terminal("\u{9d}0;title\u{9c}x"), "x");
        assert_eq!(terminal("reset\x1bc!"), "reset!");
        assert_eq!(terminal("\x1bP+q544e\x1b\\dcs"), "dcs");
    }

    #[test]
    fn other_controls_go_newlines_and_tabs_stay() {
        assert_eq!(terminal("a\tb\nc\rd\x08e\x07f\x7fg\u{85}h"), "a\tb\ncdefgh");
        assert_eq!(
            terminal("abc\u{202e}fdp.exe\u{2066}x\u{2069}"),
            "abcfdp.exex"
        );
    }

    #[test]
    fn an_open_sequence_ends_with_its_line() {
        assert_eq!(terminal("a\x1b]0;never ends\nnext line"), "a\nnext line");
        assert_eq!(terminal("a\x1b[12\nb"), "a\nb");
        assert_eq!(terminal("tail\x1b"), "tail");
    }
}
