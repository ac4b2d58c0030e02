//! The user's language, picked once from the environment as gettext reads it (LANGUAGE,
//! LC_ALL, LC_MESSAGES, LANG: the first that names a language), and shared by everything
//! that words something: SMTP replies explained, the sender checks' words, the CLI, and
//! the UI (the shell hands `locale_tag` to the page). Courriel speaks English and French.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A language Courriel speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Lang {
    En,
    Fr,
}

impl Lang {
    /// From a locale string like "fr_FR.UTF-8" or "fr-FR"; English otherwise.
    pub fn from_locale(locale: &str) -> Lang {
        if locale.to_ascii_lowercase().starts_with("fr") {
            Lang::Fr
        } else {
            Lang::En
        }
    }

    /// The user's language, read from the environment once per process.
    pub fn current() -> Lang {
        static CURRENT: OnceLock<Lang> = OnceLock::new();
        *CURRENT.get_or_init(|| Lang::from_locale(&locale_tag(|name| std::env::var(name).ok())))
    }
}

/// "fr-FR" from LANGUAGE, LC_ALL, LC_MESSAGES or LANG (the first set that names a
/// language, as gettext reads them); "" when none does ("C", "POSIX", unset).
pub fn locale_tag(var: impl Fn(&str) -> Option<String>) -> String {
    ["LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|name| var(name))
        .map(|v| v.split(':').next().unwrap_or_default().to_owned())
        .map(|v| {
            v.split(['.', '@'])
                .next()
                .unwrap_or_default()
                .replace('_', "-")
        })
        .find(|v| !v.is_empty() && v != "C" && v != "POSIX")
        .filter(|v| v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn the_language_comes_from_the_environment() {
        assert_eq!(locale_tag(env(&[("LANG", "fr_FR.UTF-8")])), "fr-FR");
        assert_eq!(
            locale_tag(env(&[("LANGUAGE", "fr:en"), ("LANG", "de_DE.UTF-8")])),
            "fr"
        );
        assert_eq!(
            locale_tag(env(&[("LC_ALL", "C"), ("LANG", "en_GB")])),
            "en-GB"
        );
        assert_eq!(locale_tag(env(&[("LANG", "C.UTF-8")])), "");
        assert_eq!(locale_tag(env(&[("LANG", "x\"y")])), "");
        assert_eq!(Lang::from_locale("fr-CA"), Lang::Fr);
        assert_eq!(Lang::from_locale(""), Lang::En);
    }
}
