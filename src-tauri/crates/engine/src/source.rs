//! A message as it came: its source (every header and the body, as the server sent them)
//! and saving it as an `.eml` file any mail client opens. The bytes are the cache's copy,
//! untouched by the repairs and the sanitizing applied to what the reader shows.

use std::path::{Path, PathBuf};

use crate::attachments::write::write_new;
use crate::error::Result;
use crate::Engine;

impl Engine {
    /// Message `id`'s source, its body fetched first when only the headers are cached.
    pub async fn source(&self, id: i64) -> Result<Vec<u8>> {
        self.with_body(id).await?;
        self.blocking(move |s| s.raw(id)).await
    }

    /// "Save as .eml": message `id` into `dir` (Downloads) as `<subject>.eml`, beside any
    /// file already there (made private, and marked as downloaded where the OS has a mark,
    /// like a saved attachment); returns where it went.
    pub async fn save_eml(&self, id: i64, dir: &Path) -> Result<PathBuf> {
        let name = self.eml_file_name(id).await?;
        std::fs::create_dir_all(dir).map_err(|e| crate::Error::from(e).context(dir.display()))?;
        self.save_eml_as(id, dir, &name).await
    }

    /// "Save as .eml" where the user chose in the system's dialog: as `name` in `dir`,
    /// beside any file already there (never over it), private and marked like `save_eml`.
    pub async fn save_eml_as(&self, id: i64, dir: &Path, name: &str) -> Result<PathBuf> {
        let raw = self.source(id).await?;
        write_new(dir, name, &raw)
    }

    /// The name Save as .eml suggests: `<subject>.eml` made safe (what the dialog shows is
    /// what lands on disk), "message.eml" without a subject.
    pub async fn eml_file_name(&self, id: i64) -> Result<String> {
        // A slash in a subject is a character, not a folder: the name rules (filename::safe)
        // would keep only what follows it.
        let subject = self.summary(id).await?.subject.replace(['/', '\\'], "-");
        let stem = match subject.trim() {
            "" => "message",
            s => s,
        };
        Ok(crate::filename::safe(&format!("{stem}.eml")))
    }
}
