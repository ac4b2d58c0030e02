//! Which reader pages the window asked for. A message's frame must not be able to open
//! pages by itself: a link or image pointing at `courriel-msg://localhost/5` (or, once
//! remote content is allowed, a remote stylesheet doing the same) would show message 5
//! inside the attacker's frame, and `?remote=1` in its own address turned remote content
//! on. So the window asks first (`commands::reader::reader_frame`: message N, remote
//! content this once or not) and gets a one-time token for the frame's address; the
//! scheme serves a page only for a token it handed out, once, and with the remote-content
//! decision the window made. The inline images (`cid:`) served are those of the page
//! served last, the one the frame shows.
//!
//! The page served last also says which of its links disguise their address
//! (`reader::ReaderPage::disguised_links`); a click on one is shown to the user before it
//! opens (`links.rs`), and only a link shown that way may be opened by `open_link`.

use std::collections::VecDeque;
use std::hash::{BuildHasher, Hasher};
use std::sync::{Mutex, MutexGuard};

use courriel_engine::api::ConfirmLink;

/// Tokens handed out and not used yet: a window asks for one page at a time.
const MAX_PENDING: usize = 8;
/// Links waiting for the user's answer.
const MAX_OFFERED: usize = 8;

#[derive(Default)]
pub struct Grants(Mutex<Inner>);

#[derive(Default)]
struct Inner {
    pending: VecDeque<Pending>,
    /// The page served last: its message and its disguised links.
    shown: Option<(i64, Vec<ConfirmLink>)>,
    /// Links shown to the user for confirmation, not opened yet.
    offered: VecDeque<String>,
    issued: u64,
}

struct Pending {
    token: String,
    id: i64,
    remote: bool,
}

impl Grants {
    /// A token for message `id`'s page, with remote content (this once) or not.
    pub fn grant(&self, id: i64, remote: bool) -> String {
        let mut inner = self.lock();
        inner.issued += 1;
        let token = token(inner.issued);
        inner.pending.push_back(Pending {
            token: token.clone(),
            id,
            remote,
        });
        if inner.pending.len() > MAX_PENDING {
            inner.pending.pop_front();
        }
        token
    }

    /// Use `token` for message `id`'s page: whether to load remote content, or `None`
    /// when the window did not ask for this page (or the token was used already).
    pub fn take(&self, id: i64, token: &str) -> Option<bool> {
        let mut inner = self.lock();
        let at = inner
            .pending
            .iter()
            .position(|p| p.id == id && p.token == token)?;
        inner.pending.remove(at).map(|p| p.remote)
    }

    /// Message `id`'s page was served: its parts may be, its disguised links are known.
    pub fn served(&self, id: i64, disguised: Vec<ConfirmLink>) {
        self.lock().shown = Some((id, disguised));
    }

    /// Whether message `id`'s inline images may be served (its page is the one shown).
    pub fn may_serve_parts(&self, id: i64) -> bool {
        self.lock()
            .shown
            .as_ref()
            .is_some_and(|(shown, _)| *shown == id)
    }

    /// The confirmation to ask for before opening `url`, if the page shown has a link to
    /// its domain whose text names another; `url` may then be opened by [`Self::take_offer`].
    pub fn confirmation(&self, url: &str) -> Option<ConfirmLink> {
        let domain = courriel_engine::link_domain(url);
        let mut inner = self.lock();
        let (_, disguised) = inner.shown.as_ref()?;
        let link = disguised
            .iter()
            .find(|d| courriel_engine::link_domain(&d.url) == domain)?;
        let ask = ConfirmLink {
            url: url.to_owned(),
            shown: link.shown.clone(),
        };
        inner.offered.push_back(url.to_owned());
        if inner.offered.len() > MAX_OFFERED {
            inner.offered.pop_front();
        }
        Some(ask)
    }

    /// Whether `url` was shown to the user for confirmation (once).
    pub fn take_offer(&self, url: &str) -> bool {
        let mut inner = self.lock();
        let at = inner.offered.iter().position(|o| o == url);
        at.and_then(|at| inner.offered.remove(at)).is_some()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// 128 bits no page can guess: std's `RandomState` is keyed from the OS's random source,
/// so its SipHash outputs are unpredictable without the key (no extra dependency).
fn token(n: u64) -> String {
    let word = |salt: u64| {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(n);
        h.write_u64(salt);
        h.finish()
    };
    format!("{:016x}{:016x}", word(1), word(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_served_once_and_only_as_asked() {
        let g = Grants::default();
        let t = g.grant(5, false);
        assert_eq!(t.len(), 32);
        assert_ne!(t, g.grant(5, false), "tokens differ");
        assert_eq!(g.take(6, &t), None, "another message");
        assert_eq!(g.take(5, "guess"), None);
        assert_eq!(g.take(5, &t), Some(false));
        assert_eq!(g.take(5, &t), None, "used");
        let r = g.grant(7, true);
        assert_eq!(g.take(7, &r), Some(true));
        for _ in 0..=MAX_PENDING {
            g.grant(1, false);
        }
        assert!(g.lock().pending.len() <= MAX_PENDING);
    }

    #[test]
    fn parts_of_the_shown_page_only() {
        let g = Grants::default();
        assert!(!g.may_serve_parts(5));
        g.served(5, Vec::new());
        assert!(g.may_serve_parts(5));
        assert!(!g.may_serve_parts(1));
        g.served(6, Vec::new());
        assert!(!g.may_serve_parts(5));
    }

    #[test]
    fn a_disguised_link_is_asked_about_and_then_may_open_once() {
        let g = Grants::default();
        g.served(
            5,
            vec![ConfirmLink {
                url: "https://evil.example/login".into(),
                shown: "paypal.com".into(),
            }],
        );
        assert_eq!(g.confirmation("https://example.org/"), None);
        assert!(!g.take_offer("https://evil.example/other"));
        let ask = g.confirmation("https://evil.example/other").expect("asked");
        assert_eq!(ask.shown, "paypal.com");
        assert!(g.take_offer("https://evil.example/other"));
        assert!(!g.take_offer("https://evil.example/other"));
    }
}
