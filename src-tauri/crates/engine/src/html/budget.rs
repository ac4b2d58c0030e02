//! What one message's HTML may cost. The parser under ammonia (html5ever) keeps a stack
//! of open elements and walks it for most tags, so a document that keeps elements open
//! costs the square of its size: 100,000 unclosed `<div>` (500 KB) took minutes. Before
//! sanitizing, [`check`] makes one linear pass (`lex`) that estimates how deep that stack
//! gets, and refuses a document that is too big, has too many tags or goes too deep;
//! the caller shows a plain rendering instead (`super::sanitize`).
//!
//! The estimate follows the parser's rules where they close elements (an end tag closes
//! up to its element, but never through a block like `<div>` or `<td>`; a new `<p>`,
//! `<li>`, `<td>` or `<tr>` closes the previous one), re-opens formatting elements
//! (`<b>`, `<font>`...) closed by something else, as the parser does (`active`), and errs
//! high everywhere else: those count until their own end tag, raw text and CDATA count
//! their tags as opened.
//! Browsers cap their own tree at 512 levels; mail that needs more is not mail. The tag
//! cap bounds what a document crafted to fool the estimate can still cost.

use super::active::{self, Active};
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
        if lexer.take_text() {
            model.reopen(); // text re-opens formatting elements, as a tag would
        }
        match item {
            Item::Start { name, attrs, .. } => {
                tags += 1;
                let name = String::from_utf8_lossy(name).to_ascii_lowercase();
                if lex::is_raw(&name) {
                    model.raw();
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

/// The estimate of the parser's state: open elements, the formatting elements it may
/// re-open (`active`), and the tags of opaque stretches (never closed).
#[derive(Default)]
struct Model {
    open: Vec<Open>,
    active: Active,
    opaque: usize,
    /// Once `<svg>` or `<math>` appears, elements void in HTML may hold children.
    foreign: bool,
}

/// An open element; formatting ones carry the id their entry in `active` knows them by.
struct Open {
    name: String,
    id: Option<u32>,
}

impl Model {
    fn depth(&self) -> usize {
        self.open.len() + self.active.len() + self.opaque
    }

    fn start(&mut self, name: String, attrs: &[u8]) {
        if matches!(name.as_str(), "html" | "head" | "body") {
            return; // merged into the ones the parser made
        }
        if matches!(name.as_str(), "svg" | "math") {
            self.foreign = true;
        }
        if is_table_part(&name) && !self.open.iter().any(|o| o.name == "table") {
            return; // ignored outside a table: counting it would let it close others
        }
        if name == "a" && !self.foreign && self.active.holds("a") {
            // A link inside a link closes the first; not in SVG, where `<a>` is SVG's
            // own element and closes nothing.
            self.end("a");
        }
        self.close_implied(&name);
        if reopens(&name) {
            self.reopen();
        }
        if is_void(&name, self.foreign) {
            return;
        }
        let id = is_formatting(&name).then(|| self.active.new_id());
        if let Some(id) = id {
            self.active.add(&name, attrs, id);
        }
        if active::is_marker(&name) {
            self.active.marker();
        }
        self.open.push(Open { name, id });
    }

    /// Raw text elements re-open formatting elements too (some of them, for the parser:
    /// all of them here, which errs high).
    fn raw(&mut self) {
        self.reopen();
    }

    fn reopen(&mut self) {
        for (name, id) in self.active.reopen() {
            self.open.push(Open { name, id: Some(id) });
        }
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

    fn end(&mut self, name: &str) {
        let heading = |n: &str| matches!(n, "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
        if is_void(name, false) {
            // Never open in HTML; one opened inside SVG (counted, to err high) must not
            // close what the parser put above it.
            return;
        }
        match name {
            "html" | "body" => {}
            "form" => {
                // The parser takes the form out of the stack and leaves what it holds.
                if let Some(i) = self.open.iter().rposition(|o| o.name == "form") {
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
            _ if is_formatting(name) => self.end_formatting(name),
            // An HTML tag inside SVG or MathML closes them for the parser, which then
            // reads `</svg>` as a stray end tag: never closed through such a tag.
            "svg" | "math" => self.pop_to(|n| n == name, |n| is_special(n) || breaks_out(n)),
            _ if is_special(name) => self.pop_to(|n| n == name, in_scope_stop),
            _ => self.pop_to(|n| n == name, is_special),
        }
    }

    /// Closed only with nothing but inline elements above it; past a block the parser
    /// moves it (the adoption agency) and it stays open. One that is not open is
    /// forgotten.
    fn end_formatting(&mut self, name: &str) {
        let Some(i) = self.find(|n| n == name, is_special) else {
            if !self.open.iter().any(|o| o.name == name) {
                self.active.forget_closed(name);
            }
            return;
        };
        if let Some(id) = self.open[i].id {
            self.active.forget(id);
        }
        self.close_from(i);
    }

    /// The nearest open element `is`, unless `stop` comes first.
    fn find(&self, is: impl Fn(&str) -> bool, stop: impl Fn(&str) -> bool) -> Option<usize> {
        for i in (0..self.open.len()).rev() {
            let n = self.open[i].name.as_str();
            if is(n) {
                return Some(i);
            }
            if stop(n) {
                return None;
            }
        }
        None
    }

    /// Closes up to the nearest element `is`, unless `stop` comes first: the parser
    /// does not close through those.
    fn pop_to(&mut self, is: impl Fn(&str) -> bool, stop: impl Fn(&str) -> bool) {
        if let Some(i) = self.find(is, stop) {
            self.close_from(i);
        }
    }

    /// As `pop_to`, through the parts of a table (a cell closes with its row), but not
    /// out of a table.
    fn pop_to_in_table(&mut self, is: impl Fn(&str) -> bool) {
        let stop = |n: &str| n == "table" || (is_special(n) && !is_table_part(n));
        self.pop_to(is, stop);
    }

    /// Closes the open elements from `i` up: formatting ones wait to be re-opened, a
    /// cell's end clears what was opened in it.
    fn close_from(&mut self, i: usize) {
        for closed in self.open.drain(i..).rev() {
            if let Some(id) = closed.id {
                self.active.closed(id);
            }
            if active::is_marker(&closed.name) {
                self.active.clear_to_marker();
            }
        }
    }
}

/// Start tags before which the parser re-opens formatting elements: all but blocks,
/// table parts and what belongs in the head (more than the parser, which errs high).
fn reopens(name: &str) -> bool {
    !(closes_p(name)
        || is_table_part(name)
        || matches!(
            name,
            "table"
                | "html"
                | "body"
                | "head"
                | "frameset"
                | "frame"
                | "hr"
                | "base"
                | "link"
                | "meta"
                | "template"
                | "param"
                | "source"
                | "track"
        ))
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

/// Start tags that close an open `<p>` (`<table>` only outside quirks mode, which is
/// how the sanitizer's parser reads mail; closing it here errs high in both).
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
            | "table"
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
