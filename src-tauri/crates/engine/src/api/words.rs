//! Sentences in the languages Courriel speaks.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::lang::Lang;

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

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Fr => &self.fr,
        }
    }

    /// The sentence in the user's language (`Lang::current`).
    pub fn for_locale(&self) -> &str {
        self.get(Lang::current())
    }
}
