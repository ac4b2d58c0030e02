//! Sentences in the languages Courriel speaks.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A sentence in the languages Courriel speaks; the UI and the CLI pick one by locale.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Words {
    pub en: String,
    pub fr: String,
}

impl Words {
    pub fn new(en: impl Into<String>, fr: impl Into<String>) -> Words {
        Words {
            en: en.into(),
            fr: fr.into(),
        }
    }

    pub fn get(&self, lang: crate::smtp::replies::Lang) -> &str {
        match lang {
            crate::smtp::replies::Lang::En => &self.en,
            crate::smtp::replies::Lang::Fr => &self.fr,
        }
    }

    /// The sentence in the language of `LC_ALL`, `LC_MESSAGES` or `LANG` (the first set).
    pub fn for_locale(&self) -> &str {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .find(|v| !v.is_empty())
            .unwrap_or_default();
        self.get(crate::smtp::replies::Lang::from_locale(&locale))
    }
}
