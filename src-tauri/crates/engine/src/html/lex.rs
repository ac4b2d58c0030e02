//! The tags of raw, untrusted HTML, found the way an HTML5 tokenizer finds them, in one
//! linear pass and without building anything: for the budget check (`budget`), which must
//! see the same start and end tags the real parser will. Where it cannot know what the
//! parser will do (text that is raw in HTML but markup in SVG, a CDATA section), it says
//! so with [`Item::Opaque`], and the budget counts what is in there as opened, never as
//! closed: an estimate that errs high.

/// One thing found in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item<'a> {
    /// `<name ...>`: its name as written, the text of its attributes, whether it ends in `/>`.
    Start {
        name: &'a [u8],
        attrs: &'a [u8],
        self_closing: bool,
    },
    /// `</name ...>`.
    End { name: &'a [u8] },
    /// A stretch whose tags the parser may or may not see (raw text, CDATA): the number
    /// of `<letter` in it.
    Opaque { starts: usize },
}

/// The elements whose text the tokenizer reads raw, up to their own end tag (in HTML;
/// in SVG or MathML they are ordinary elements, hence [`Item::Opaque`]). `select` and
/// `frameset` are not raw, but the parser ignores most tags inside them.
pub fn is_raw(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "xmp"
            | "iframe"
            | "noembed"
            | "noframes"
            | "noscript"
            | "textarea"
            | "title"
            | "plaintext"
            | "select"
            | "frameset"
    )
}

/// A cursor over the document.
pub struct Lexer<'a> {
    html: &'a [u8],
    at: usize,
    /// Whether text came before the item just returned ([`Lexer::take_text`]).
    text: bool,
}

impl<'a> Lexer<'a> {
    pub fn new(html: &'a str) -> Self {
        Lexer {
            html: html.as_bytes(),
            at: 0,
            text: false,
        }
    }

    /// The next tag, or `None` at the end (a tag cut off by the end is no tag, as for
    /// the tokenizer).
    pub fn next_item(&mut self) -> Option<Item<'a>> {
        loop {
            let lt = self.at + find(&self.html[self.at..], b"<")?;
            self.text |= lt > self.at;
            self.at = lt + 1;
            let rest = &self.html[lt + 1..];
            match rest.first() {
                Some(c) if c.is_ascii_alphabetic() => return self.tag(lt + 1, false),
                Some(b'/') => match rest.get(1) {
                    Some(c) if c.is_ascii_alphabetic() => return self.tag(lt + 2, true),
                    Some(b'>') => self.at = lt + 3,
                    Some(_) => self.skip_past(b">"),
                    None => return None,
                },
                Some(b'!') if rest.starts_with(b"!--") => {
                    // From the first dash: `<!-->` and `<!--->` end at once, as they do
                    // for the tokenizer.
                    self.at = lt + 2;
                    self.skip_past(b"-->");
                }
                Some(b'!') if rest.starts_with(b"![CDATA[") => {
                    // Text in SVG, a comment up to `>` in HTML: counted, never trusted.
                    let end = find(&rest[8..], b"]]>").map_or(self.html.len(), |i| lt + 9 + i);
                    let starts = count_starts(&self.html[lt + 9..end]);
                    self.at = (end + 3).min(self.html.len());
                    return Some(Item::Opaque { starts });
                }
                Some(b'!' | b'?') => self.skip_past(b">"),
                _ => {}
            }
        }
    }

    /// Whether text stood between the previous item and this one (reset by asking).
    /// Text outside a tag, that is: a `<` that starts nothing is text too.
    pub fn take_text(&mut self) -> bool {
        std::mem::take(&mut self.text)
    }

    /// The raw text of element `name` opened just before: the cursor moves past its end
    /// tag (or to the end), and the text is an opaque stretch.
    pub fn raw_text(&mut self, name: &str) -> Item<'a> {
        let from = self.at;
        let mut at = from;
        let end = loop {
            let Some(i) = find(&self.html[at..], b"</") else {
                break self.html.len();
            };
            let candidate = at + i;
            let after = candidate + 2 + name.len();
            let same = self
                .html
                .get(candidate + 2..after)
                .is_some_and(|n| name != "plaintext" && n.eq_ignore_ascii_case(name.as_bytes()));
            if same
                && matches!(
                    self.html.get(after),
                    None | Some(b'>' | b'/') | Some(b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
                )
            {
                break candidate;
            }
            at = candidate + 2;
        };
        self.at = end;
        Item::Opaque {
            starts: count_starts(&self.html[from..end]),
        }
    }

    fn skip_past(&mut self, needle: &[u8]) {
        self.at = find(&self.html[self.at..], needle)
            .map_or(self.html.len(), |i| self.at + i + needle.len());
    }

    /// A start or end tag whose name begins at `from`, read as the tokenizer does.
    fn tag(&mut self, from: usize, closing: bool) -> Option<Item<'a>> {
        let html = self.html;
        let mut i = from;
        while i < html.len() && !is_space(html[i]) && !matches!(html[i], b'/' | b'>') {
            i += 1;
        }
        let name = &html[from..i];
        let attrs_from = i;
        let (end, self_closing) = attributes_end(html, i)?;
        self.at = end + 1;
        Some(if closing {
            Item::End { name }
        } else {
            Item::Start {
                name,
                attrs: &html[attrs_from..end],
                self_closing,
            }
        })
    }
}

/// Where the `>` ending a tag is, from just after its name, and whether the tag is
/// self-closing: the tokenizer's attribute states (a quote opens a value only after `=`).
fn attributes_end(html: &[u8], mut i: usize) -> Option<(usize, bool)> {
    loop {
        // Before an attribute name.
        while i < html.len() && is_space(html[i]) {
            i += 1;
        }
        match *html.get(i)? {
            b'>' => return Some((i, false)),
            b'/' => {
                if html.get(i + 1) == Some(&b'>') {
                    return Some((i + 1, true));
                }
                i += 1;
                continue;
            }
            _ => {}
        }
        // The name (a leading `=` belongs to it).
        i += 1;
        while i < html.len() && !is_space(html[i]) && !matches!(html[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        while i < html.len() && is_space(html[i]) {
            i += 1;
        }
        if html.get(i) != Some(&b'=') {
            continue; // no value: `>`, `/` or the next name
        }
        i += 1;
        while i < html.len() && is_space(html[i]) {
            i += 1;
        }
        match *html.get(i)? {
            q @ (b'"' | b'\'') => i += 2 + find(&html[i + 1..], &[q])?,
            b'>' => return Some((i, false)),
            _ => {
                while i < html.len() && !is_space(html[i]) && html[i] != b'>' {
                    i += 1;
                }
            }
        }
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// How many `<letter` a stretch holds: tags the parser may see there.
fn count_starts(text: &[u8]) -> usize {
    text.windows(2)
        .filter(|w| w[0] == b'<' && w[1].is_ascii_alphabetic())
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(html: &str) -> Vec<String> {
        let mut lexer = Lexer::new(html);
        let mut out = Vec::new();
        while let Some(item) = lexer.next_item() {
            out.push(match item {
                Item::Start {
                    name, self_closing, ..
                } => {
                    let name = String::from_utf8_lossy(name).to_ascii_lowercase();
                    if is_raw(&name) {
                        let Item::Opaque { starts } = lexer.raw_text(&name) else {
                            unreachable!("raw_text is opaque")
                        };
                        format!("<{name}>[{starts}]")
                    } else {
                        format!("<{name}{}>", if self_closing { "/" } else { "" })
                    }
                }
                Item::End { name } => format!("</{}>", String::from_utf8_lossy(name)),
                Item::Opaque { starts } => format!("[{starts}]"),
            });
        }
        out
    }

    #[test]
    fn finds_tags_where_the_tokenizer_does() {
        assert_eq!(
            items(r#"<div title="</div>" a'b=x c=d>x<br/><!-- </p> --><!--></i><p/>"#),
            ["<div>", "<br/>", "</i>", "<p/>"]
        );
        assert_eq!(
            items("<style>a</div><b></STYLE ><i><![CDATA[<u></u>]]></i"),
            ["<style>[1]", "</STYLE>", "<i>", "[1]"]
        );
        assert_eq!(items("a < b </ x> <? y > </> <a"), Vec::<String>::new());
        assert_eq!(items("<plaintext></plaintext><b>"), ["<plaintext>[1]"]);
    }
}
