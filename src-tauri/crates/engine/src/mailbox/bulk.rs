//! Changing many messages at once, and Undo (`store::bulk` for the cache and the queue,
//! `imap::batch` for the server: one command per folder).

use crate::api::{ActReport, MessageAction, Moved};
use crate::engine::Engine;
use crate::error::{ErrorKind, Result};

impl Engine {
    /// Change every message of `ids`: at once in the cache (all or none), then on the
    /// server, one command per folder and action. Offline the changes stay queued for the
    /// next sync; that is not an error. The report's `undo` is what `undo` takes back.
    pub async fn act_many(&self, ids: Vec<i64>, action: MessageAction) -> Result<ActReport> {
        let now = self.now();
        let applied = self
            .blocking(move |s| s.apply_many(&ids, &action, now))
            .await?;
        let replayed = self.replay_accounts(&applied.accounts).await?;
        Ok(ActReport {
            changed: applied.changed,
            replayed,
            undo: applied.moved,
        })
    }

    /// `act_many` on whole conversations: each of `ids` is a grouped row's message, and the
    /// action takes every message of its conversation in that folder, as the row shows
    /// them (archiving a conversation archives all of it, not its newest message alone).
    pub async fn act_on_conversations(
        &self,
        ids: Vec<i64>,
        action: MessageAction,
    ) -> Result<ActReport> {
        let members = self.blocking(move |s| s.conversation_members(&ids)).await?;
        self.act_many(members, action).await
    }

    /// Put back what an action moved: a move not sent yet is dropped from the queue, one
    /// the server has is reversed (`store::bulk`). Returns how many messages went back.
    /// Each account's queue is changed in its turn (`imap::pool`): a replay already under
    /// way finishes first, so no change is dropped here while it is being sent.
    pub async fn undo(&self, moved: Vec<Moved>) -> Result<u32> {
        let ids: Vec<i64> = moved.iter().map(|m| m.id).collect();
        let mut accounts: Vec<i64> = self
            .blocking(move |s| s.summaries(&ids))
            .await?
            .iter()
            .map(|m| m.account_id)
            .collect();
        accounts.sort_unstable();
        accounts.dedup();
        let mut turns = Vec::new();
        for account in &accounts {
            turns.push(self.sessions.turn(*account).await);
        }
        let now = self.now();
        let (changed, restored) = self.blocking(move |s| s.undo_local(&moved, now)).await?;
        drop(turns);
        self.replay_accounts(&changed).await?;
        Ok(restored)
    }

    /// The IMAP commands this engine sent lately, oldest first (the last 1,000; UID sets
    /// cut short, never a credential): how many round trips an action took.
    pub fn imap_commands(&self) -> Vec<String> {
        self.commands.commands()
    }

    /// Send these accounts' queued changes; an unreachable server keeps them queued.
    async fn replay_accounts(&self, accounts: &[i64]) -> Result<u32> {
        let mut took = 0;
        for &id in accounts {
            let account = self.blocking(move |s| s.account(id)).await?;
            match self.replay(&account).await {
                Ok(n) => took += n,
                Err(e) if e.kind == ErrorKind::Network => {
                    tracing::info!("changes queued until {} is reachable: {e}", account.email);
                }
                Err(e) => return Err(e),
            }
        }
        Ok(took)
    }
}
