//! The budget's copy of the HTML parser's "list of active formatting elements": `<b>`,
//! `<font>`, `<a>`... closed by something else than their own end tag are re-opened by
//! the parser at the next text or inline tag, and each re-opened copy is a new open
//! element. Left out of the estimate, `<mglyph><font></mglyph>` repeated kept the parser
//! a thousand deep while the estimate stayed flat (found by `fuzz_tests`).

/// One entry: a formatting element (its name, attribute text, the id of the open element
/// standing for it, whether that one is still open), or a marker (a cell, a caption, an
/// object: re-opening never crosses one).
enum Entry {
    Marker,
    Element {
        name: String,
        attrs: Vec<u8>,
        id: u32,
        open: bool,
    },
}

#[derive(Default)]
pub struct Active {
    entries: Vec<Entry>,
    /// Entries whose element is closed: what the next re-opening will open again.
    closed: usize,
    next_id: u32,
}

/// Elements that put a marker in the list, cleared when they close.
pub fn is_marker(name: &str) -> bool {
    matches!(
        name,
        "td" | "th" | "caption" | "applet" | "marquee" | "object" | "template"
    )
}

impl Active {
    /// How many formatting elements it holds.
    pub fn len(&self) -> usize {
        self.entries.len() - self.markers()
    }

    fn markers(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| matches!(e, Entry::Marker))
            .count()
    }

    /// Where the entries after the last marker begin.
    fn since_marker(&self) -> usize {
        self.entries
            .iter()
            .rposition(|e| matches!(e, Entry::Marker))
            .map_or(0, |i| i + 1)
    }

    pub fn new_id(&mut self) -> u32 {
        self.next_id += 1;
        self.next_id
    }

    /// A formatting element opened as `id`. The parser keeps at most three identical
    /// ones since the last marker (the "Noah's Ark" clause; identical here: the same
    /// attribute text), forgetting the earliest.
    pub fn add(&mut self, name: &str, attrs: &[u8], id: u32) {
        let from = self.since_marker();
        let same: Vec<usize> = (from..self.entries.len())
            .filter(|&i| {
                matches!(&self.entries[i], Entry::Element { name: n, attrs: a, .. } if n == name && a == attrs)
            })
            .collect();
        if same.len() >= 3 {
            self.remove(same[0]);
        }
        self.entries.push(Entry::Element {
            name: name.to_owned(),
            attrs: attrs.to_vec(),
            id,
            open: true,
        });
    }

    pub fn marker(&mut self) {
        self.entries.push(Entry::Marker);
    }

    /// The element `id` was closed (by something else than its own end tag).
    pub fn closed(&mut self, id: u32) {
        for entry in self.entries.iter_mut().rev() {
            if let Entry::Element { id: i, open, .. } = entry {
                if *i == id && *open {
                    *open = false;
                    self.closed += 1;
                    return;
                }
            }
        }
    }

    /// A cell, caption or object closed: the entries since its marker go.
    pub fn clear_to_marker(&mut self) {
        while let Some(entry) = self.entries.pop() {
            match entry {
                Entry::Marker => return,
                Entry::Element { open, .. } => self.closed -= usize::from(!open),
            }
        }
    }

    /// The element `id` closed by its own end tag: forgotten.
    pub fn forget(&mut self, id: u32) {
        let found = self
            .entries
            .iter()
            .rposition(|e| matches!(e, Entry::Element { id: i, .. } if *i == id));
        if let Some(i) = found {
            self.remove(i);
        }
    }

    /// An end tag for `name` when no such element is open: the parser forgets the entry.
    pub fn forget_closed(&mut self, name: &str) {
        let from = self.since_marker();
        let found = (from..self.entries.len()).rev().find(|&i| {
            matches!(&self.entries[i], Entry::Element { name: n, open: false, .. } if n == name)
        });
        if let Some(i) = found {
            self.remove(i);
        }
    }

    /// Whether an `<a>` (or `name`) is in the list since the last marker.
    pub fn holds(&self, name: &str) -> bool {
        self.entries[self.since_marker()..]
            .iter()
            .any(|e| matches!(e, Entry::Element { name: n, .. } if n == name))
    }

    /// The elements the parser opens again now (names and their new ids), in order.
    pub fn reopen(&mut self) -> Vec<(String, u32)> {
        if self.closed == 0 {
            return Vec::new();
        }
        let from = self.since_marker();
        let mut reopened = Vec::new();
        for i in from..self.entries.len() {
            self.next_id += 1;
            let new_id = self.next_id;
            if let Entry::Element { name, id, open, .. } = &mut self.entries[i] {
                if !*open {
                    *open = true;
                    *id = new_id;
                    self.closed -= 1;
                    reopened.push((name.clone(), new_id));
                }
            }
        }
        reopened
    }

    fn remove(&mut self, i: usize) {
        if let Entry::Element { open: false, .. } = self.entries.remove(i) {
            self.closed -= 1;
        }
    }
}
