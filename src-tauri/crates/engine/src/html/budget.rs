//! What one message's HTML may cost. The parser under ammonia (html5ever) keeps a stack
//! of open elements and walks it for most tags, so a document that keeps elements open
//! costs the square of its size: 100,000 unclosed `<div>` (500 KB) took minutes. Before
//! sanitizing, [`check`] makes one linear pass (`lex`) that estimates how deep that stack
//! gets, and refuses a document that is too big, has too many tags or goes too deep;
//! the caller shows a plain rendering instead (`super::sanitize`).
//!
//! The estimate follows the parser's rules where they close elements (an end tag closes
//! up to its element, but never through a block like `<div>` or `<td>`; a new `<p>`,
//! `<li>`, `<td>` or `<tr>` closes the previous one) and errs high everywhere else: a
//! formatting element (`<b>`, `<font>`...) left open is counted until its own end tag,
//! since the parser re-opens it later; raw text and CDATA count their tags as opened.
//! Browsers cap their own tree at 512 levels; mail that needs more is not mail. The tag
//! cap bounds what a document crafted to fool the estimate can still cost.

use super::lex::{self, Item, Lexer};

/// Past these, a message's HTML is shown as plain text.
pub const MAX_BYTES: usize = 4 << 20;
pub const MAX_TAGS: usize = 25_000;
pub const MAX_DEPTH: usize = 512;

/// Which limit a document went past.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Over {
    Bytes,
    Tags,
    Depth,
}

/// Whether `html` is cheap enough to sanitize; which limit it passes otherwise.
pub fn check(html: &str) -> Result<(), Over> {
    if html.len() > MAX_BYTES {
        return Err(Over::Bytes);
    }
    let mut model = Model::default();
    let mut lexer = Lexer::new(html);
    let mut tags = 0;
    while let Some(item) = lexer.next_item() {
        match item {
            Item::Start { name, attrs, .. } => {
                tags += 1;
                let name = String::from_utf8_lossy(name).to_ascii_lowercase();
                if lex::is_raw(&name) {
                    if let Item::Opaque { starts } = lexer.raw_text(&name) {
                        tags += starts;
                        model.opaque += starts + 1;
                    }
                } else {
                    model.start(name, attrs);
                }
            }
            Item::End { name } => model.end(&String::from_utf8_lossy(name).to_ascii_lowercase()),
            Item::Opaque { starts } => {
                tags += starts;
                model.opaque += starts;
            }
        }
        if tags > MAX_TAGS {
            return Err(Over::Tags);
        }
        if model.depth() > MAX_DEPTH {
            return Err(Over::Depth);
        }
    }
    Ok(())
}

/// The estimate of the parser's state: open elements, open formatting elements, and the
/// tags of opaque stretches (never closed).
#[derive(Default)]
struct Model {
    open: Vec<String>,
    /// Formatting elements the parser may re-open: name and attribute text.
    formatting: Vec<(String, Vec<u8>)>,
    opaque: usize,
    /// Once `<svg>` or `<math>` appears, elements void in HTML may hold children.
    foreign: bool,
}

impl Model {
    fn depth(&self) -> usize {
        self.open.len() + self.formatting.len() + self.opaque
    }

    fn start(&mut self, name: String, attrs: &[u8]) {
        if matches!(name.as_str(), "html" | "head" | "body") {
            return; // merged into the ones the parser made
        }
        if matches!(name.as_str(), "svg" | "math") {
            self.foreign = true;
        }
        if is_table_part(&name) && !self.open.iter().any(|n| n == "table") {
            return; // ignored outside a table: counting it would let it close others
        }
        self.close_implied(&name);
        if is_void(&name, self.foreign) {
            return;
        }
        if is_formatting(&name) {
            self.remember_formatting(&name, attrs);
        }
        self.open.push(name);
    }

    /// The elements a start tag closes: the open `<p>` before a block, the previous
    /// item, cell or row.
    fn close_implied(&mut self, name: &str) {
        if closes_p(name) {
            self.pop_to(|n| n == "p", |n| in_scope_stop(n) || n == "button");
        }
        let item_stop = |n: &str| is_special(n) && !matches!(n, "address" | "div" | "p");
        match name {
            "li" => self.pop_to(|n| n == "li", item_stop),
            "dd" | "dt" => self.pop_to(|n| matches!(n, "dd" | "dt"), item_stop),
            "td" | "th" => self.pop_to_in_table(|n| matches!(n, "td" | "th")),
            "tr" => self.pop_to_in_table(|n| n == "tr"),
            _ => {}
        }
    }

    /// The parser keeps at most three identical formatting elements open to re-open
    /// (the "Noah's Ark" clause); identical here means the same attribute text.
    fn remember_formatting(&mut self, name: &str, attrs: &[u8]) {
        let same: Vec<usize> = (0..self.formatting.len())
            .filter(|&i| self.formatting[i].0 == name && self.formatting[i].1 == attrs)
            .collect();
        if same.len() >= 3 {
            self.formatting.remove(same[0]);
        }
        self.formatting.push((name.to_owned(), attrs.to_vec()));
    }

    fn end(&mut self, name: &str) {
        let heading = |n: &str| matches!(n, "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
        match name {
            "html" | "body" | "br" => {}
            "form" => {
                // The parser takes the form out of the stack and leaves what it holds.
                if let Some(i) = self.open.iter().rposition(|n| n == "form") {
                    self.open.remove(i);
                }
            }
            "p" => self.pop_to(|n| n == "p", |n| in_scope_stop(n) || n == "button"),
            "li" => self.pop_to(
                |n| n == "li",
                |n| in_scope_stop(n) || matches!(n, "ol" | "ul"),
            ),
            _ if heading(name) => self.pop_to(heading, in_scope_stop),
            "table" | "tbody" | "thead" | "tfoot" | "tr" | "td" | "th" | "caption" | "colgroup" => {
                self.pop_to_in_table(|n| n == name)
            }
            _ if is_formatting(name) => {
                // Closed only with nothing but inline elements above it; past a block the
                // parser moves it (the adoption agency) and it stays open.
                let before = self.open.len();
                self.pop_to(|n| n == name, is_special);
                if self.open.len() < before {
                    if let Some(i) = self.formatting.iter().rposition(|(n, _)| n == name) {
                        self.formatting.remove(i);
                    }
                }
            }
            // An HTML tag inside SVG or MathML closes them for the parser, which then
            // reads `</svg>` as a stray end tag: never closed through such a tag.
            "svg" | "math" => self.pop_to(|n| n == name, |n| is_special(n) || breaks_out(n)),
            _ if is_special(name) => self.pop_to(|n| n == name, in_scope_stop),
            _ => self.pop_to(|n| n == name, is_special),
        }
    }

    /// Closes up to the nearest element `is`, unless `stop` comes first: the parser
    /// does not close through those.
    fn pop_to(&mut self, is: impl Fn(&str) -> bool, stop: impl Fn(&str) -> bool) {
        for i in (0..self.open.len()).rev() {
            if is(&self.open[i]) {
                self.open.truncate(i);
                return;
            }
            if stop(&self.open[i]) {
                return;
            }
        }
    }

    /// As `pop_to`, through the parts of a table (a cell closes with its row), but not
    /// out of a table.
    fn pop_to_in_table(&mut self, is: impl Fn(&str) -> bool) {
        for i in (0..self.open.len()).rev() {
            let n = self.open[i].as_str();
            if is(n) {
                self.open.truncate(i);
                return;
            }
            if n == "table" || (is_special(n) && !is_table_part(n)) {
                return;
            }
        }
    }
}

/// HTML tags that end SVG or MathML content where they appear.
fn breaks_out(name: &str) -> bool {
    matches!(
        name,
        "b" | "big"
            | "blockquote"
            | "body"
            | "br"
            | "center"
            | "code"
            | "dd"
            | "div"
            | "dl"
            | "dt"
            | "em"
            | "embed"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "head"
            | "hr"
            | "i"
            | "img"
            | "li"
            | "listing"
            | "menu"
            | "meta"
            | "nobr"
            | "ol"
            | "p"
            | "pre"
            | "ruby"
            | "s"
            | "small"
            | "span"
            | "strong"
            | "strike"
            | "sub"
            | "sup"
            | "table"
            | "tt"
            | "u"
            | "ul"
            | "var"
            | "font"
    )
}

/// The parts of a table, which the parser takes only inside one.
fn is_table_part(name: &str) -> bool {
    matches!(
        name,
        "tbody" | "thead" | "tfoot" | "tr" | "td" | "th" | "caption" | "col" | "colgroup"
    )
}

/// Where the parser's "in scope" search ends.
fn in_scope_stop(name: &str) -> bool {
    matches!(
        name,
        "applet"
            | "caption"
            | "html"
            | "table"
            | "td"
            | "th"
            | "marquee"
            | "object"
            | "template"
            | "mi"
            | "mo"
            | "mn"
            | "ms"
            | "mtext"
            | "annotation-xml"
            | "foreignobject"
            | "desc"
            | "title"
    )
}

/// Elements that never hold children: in SVG or MathML only those that break out of it.
fn is_void(name: &str, foreign: bool) -> bool {
    matches!(name, "br" | "embed" | "hr" | "img" | "meta")
        || (!foreign
            && matches!(
                name,
                "area"
                    | "base"
                    | "basefont"
                    | "bgsound"
                    | "col"
                    | "image"
                    | "input"
                    | "keygen"
                    | "link"
                    | "param"
                    | "source"
                    | "track"
                    | "wbr"
            ))
}

fn is_formatting(name: &str) -> bool {
    matches!(
        name,
        "a" | "b"
            | "big"
            | "code"
            | "em"
            | "font"
            | "i"
            | "nobr"
            | "s"
            | "small"
            | "strike"
            | "strong"
            | "tt"
            | "u"
    )
}

/// Start tags that close an open `<p>`.
fn closes_p(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "center"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "header"
            | "hgroup"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "search"
            | "section"
            | "summary"
            | "ul"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "pre"
            | "listing"
            | "form"
            | "li"
            | "dd"
            | "dt"
    )
}

/// The parser's "special" elements: an end tag never closes through them.
fn is_special(name: &str) -> bool {
    closes_p(name)
        || matches!(
            name,
            "applet"
                | "area"
                | "base"
                | "basefont"
                | "bgsound"
                | "body"
                | "br"
                | "button"
                | "caption"
                | "col"
                | "colgroup"
                | "embed"
                | "frame"
                | "head"
                | "hr"
                | "html"
                | "img"
                | "input"
                | "keygen"
                | "link"
                | "marquee"
                | "meta"
                | "object"
                | "param"
                | "source"
                | "table"
                | "tbody"
                | "td"
                | "template"
                | "tfoot"
                | "th"
                | "thead"
                | "tr"
                | "track"
                | "wbr"
                | "mi"
                | "mo"
                | "mn"
                | "ms"
                | "mtext"
                | "annotation-xml"
                | "foreignobject"
                | "desc"
        )
}
