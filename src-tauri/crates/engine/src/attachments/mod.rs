//! Attachments leaving the message: "Open" (a private copy for the system's application)
//! and "Save" (into Downloads). Mail cannot hurt you through them:
//!
//! - the name is [`crate::filename::safe`]: what the reader shows is what lands on disk;
//! - files are new (never over another, never through a link), 0600, never executable,
//!   and marked as downloaded where the OS has such a mark (`write`);
//! - Open writes only into this user's private directory, emptied at exit (`scratch`);
//! - Open of something that runs (by its extension or its first bytes, `runnable`)
//!   writes nothing until the user has said yes to a question naming what it really is.
//!   Save stays one click: a saved file does nothing until someone opens it.
//!
//! The shell hands the copy to the OS's opener; everything else is here, testable
//! without a window.

mod runnable;
mod scratch;
pub(crate) mod write;

use std::path::{Path, PathBuf};

use crate::api::Opening;
use crate::engine::Engine;
use crate::error::Result;

pub use runnable::runnable;
pub use scratch::Scratch;
pub use write::write_new;

impl Engine {
    /// "Open": attachment `part` of message `id` copied into `scratch` for the system's
    /// application. When it runs and the user has not `confirmed`, nothing is written and
    /// the answer says what it is.
    pub async fn open_attachment(
        &self,
        id: i64,
        part: &str,
        confirmed: bool,
        scratch: &Scratch,
    ) -> Result<Opening> {
        let a = self.attachment(id, part).await?;
        let name = crate::filename::safe(&a.filename);
        if let Some(runnable) = runnable(&name, &a.bytes).filter(|_| !confirmed) {
            return Ok(Opening::NeedsConfirmation { runnable });
        }
        let path = write_new(scratch.dir(), &name, &a.bytes)?;
        Ok(Opening::Opened {
            path: path.to_string_lossy().into_owned(),
        })
    }

    /// "Save": attachment `part` of message `id` into `dir` (Downloads), under its safe
    /// name, beside any file already there; returns where it went.
    pub async fn save_attachment(&self, id: i64, part: &str, dir: &Path) -> Result<PathBuf> {
        let a = self.attachment(id, part).await?;
        std::fs::create_dir_all(dir).map_err(|e| crate::Error::from(e).context(dir.display()))?;
        write_new(dir, &a.filename, &a.bytes)
    }

    /// "Save as": attachment `part` of message `id` as `name` in `dir`, where the user
    /// chose in the system's dialog. The name is made safe like any other, and a file
    /// already there stays: the copy goes beside it ("name (2).ext"), even when the dialog
    /// asked about replacing it (Courriel never writes over a file; the answer says where
    /// it went).
    pub async fn save_attachment_as(
        &self,
        id: i64,
        part: &str,
        dir: &Path,
        name: &str,
    ) -> Result<PathBuf> {
        let a = self.attachment(id, part).await?;
        write_new(dir, name, &a.bytes)
    }
}
