//! Accounts: server names and login names, never secrets.

use rusqlite::{params, OptionalExtension, Row};

use super::Store;
use crate::api::{
    Account, AuthMethod, Endpoint, Identity, NewAccount, Protocol, Security, SentCopy,
};
use crate::error::{Context, Error, ErrorKind, Result};

const COLUMNS: &str = "id, email, display_name, username, incoming_host, incoming_port, \
     incoming_security, smtp_host, smtp_port, smtp_security, ca_file, sent_copy, smtp_plaintext_no_auth, \
     incoming_protocol, auth, oauth_provider, needs_signin, settings_source";

impl Store {
    pub fn insert_account(&self, new: &NewAccount) -> Result<Account> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO accounts (email, display_name, username, incoming_host, incoming_port,
                 incoming_security, smtp_host, smtp_port, smtp_security, ca_file, sent_copy,
                 smtp_plaintext_no_auth, incoming_protocol, created_at, auth, oauth_provider)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            params![
                new.email,
                new.display_name,
                new.username,
                new.incoming.host,
                new.incoming.port,
                new.incoming.security.as_str(),
                new.smtp.host,
                new.smtp.port,
                new.smtp.security.as_str(),
                new.ca_file,
                new.sent_copy
                    .unwrap_or_else(|| SentCopy::default_for(&new.smtp.host))
                    .as_str(),
                new.smtp_plaintext_no_auth,
                new.protocol.as_str(),
                self.now(),
                match new.auth {
                    AuthMethod::Password => "password",
                    AuthMethod::OAuth2 { .. } => "oauth2",
                },
                match &new.auth {
                    AuthMethod::OAuth2 { provider } => Some(provider.as_str()),
                    AuthMethod::Password => None,
                },
            ],
        )
        .map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::ConstraintViolation) => Error::new(
                ErrorKind::Config,
                format!("an account for {} already exists", new.email),
            ),
            _ => e.into(),
        })
        .with_context(|| format!("saving the account {}", new.email))?;
        let id = conn.last_insert_rowid();
        drop(conn);
        self.account(id)
    }

    pub fn account(&self, id: i64) -> Result<Account> {
        let account = self
            .conn()
            .query_row(
                &format!("SELECT {COLUMNS} FROM accounts WHERE id = ?1"),
                [id],
                account_from_row,
            )
            .with_context(|| format!("loading account {id}"))?;
        self.with_identities(account)
    }

    /// Find an account by its address (case-insensitive).
    pub fn account_by_email(&self, email: &str) -> Result<Account> {
        // The connection's lock is released at the end of this statement, before
        // `with_identities` takes it again.
        let account = self
            .conn()
            .query_row(
                &format!("SELECT {COLUMNS} FROM accounts WHERE lower(email) = lower(?1)"),
                [email],
                account_from_row,
            )
            .optional()
            .context("looking up an account")?
            .ok_or_else(|| Error::new(ErrorKind::NotFound, format!("no account for {email}")))?;
        self.with_identities(account)
    }

    fn with_identities(&self, mut account: Account) -> Result<Account> {
        account.identities = self.identities(account.id)?;
        Ok(account)
    }

    pub fn identities(&self, account_id: i64) -> Result<Vec<Identity>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT email, name, signature FROM identities WHERE account_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([account_id], |r| {
            Ok(Identity {
                email: r.get(0)?,
                name: r.get(1)?,
                signature: r.get(2)?,
            })
        })?;
        rows.collect::<rusqlite::Result<_>>()
            .context("reading identities")
    }

    /// Add or update an identity (by address).
    pub fn save_identity(&self, account_id: i64, identity: &Identity) -> Result<()> {
        self.conn()
            .execute(
                "INSERT INTO identities (account_id, email, name, signature) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (account_id, email) DO UPDATE SET name = excluded.name,
                     signature = excluded.signature",
                params![account_id, identity.email.trim(), identity.name, identity.signature],
            )
            .context("saving an identity")?;
        Ok(())
    }

    pub fn remove_identity(&self, account_id: i64, email: &str) -> Result<bool> {
        let n = self
            .conn()
            .execute(
                "DELETE FROM identities WHERE account_id = ?1 AND lower(email) = lower(?2)",
                params![account_id, email],
            )
            .context("removing an identity")?;
        Ok(n > 0)
    }

    /// The account needs the user to sign in again (`Some(why)`), or works again (None).
    pub fn set_needs_signin(&self, account_id: i64, why: Option<&str>) -> Result<()> {
        self.conn()
            .execute(
                "UPDATE accounts SET needs_signin = ?2 WHERE id = ?1",
                params![account_id, why],
            )
            .context("saving the account's sign-in state")?;
        Ok(())
    }

    /// The submission server's SIZE limit as last seen (`None`: unknown or no limit).
    pub fn smtp_max_size(&self, account_id: i64) -> Result<Option<u64>> {
        self.conn()
            .query_row(
                "SELECT smtp_max_size FROM accounts WHERE id = ?1",
                [account_id],
                |r| r.get::<_, Option<i64>>(0),
            )
            .map(|n| n.and_then(|n| u64::try_from(n).ok()))
            .context("reading the account's message size limit")
    }

    /// Remember what the submission server's EHLO said about message sizes.
    pub fn set_smtp_max_size(&self, account_id: i64, limit: Option<u64>) -> Result<()> {
        let limit = limit.and_then(|n| i64::try_from(n).ok());
        self.conn()
            .execute(
                "UPDATE accounts SET smtp_max_size = ?2 WHERE id = ?1",
                params![account_id, limit],
            )
            .context("saving the account's message size limit")?;
        Ok(())
    }

    /// Who files the copy of sent mail: Courriel (APPEND) or the provider itself.
    pub fn set_sent_copy(&self, account_id: i64, sent_copy: crate::api::SentCopy) -> Result<()> {
        self.conn()
            .execute(
                "UPDATE accounts SET sent_copy = ?2 WHERE id = ?1",
                params![account_id, sent_copy.as_str()],
            )
            .context("saving the sent-copy setting")?;
        Ok(())
    }

    pub fn set_settings_source(&self, account_id: i64, source: &str) -> Result<()> {
        self.conn()
            .execute(
                "UPDATE accounts SET settings_source = ?2 WHERE id = ?1",
                params![account_id, source],
            )
            .context("saving where the settings came from")?;
        Ok(())
    }

    /// Forget the account and everything cached for it (messages, outbox, identities).
    /// Mail still waiting to go out is never dropped silently: unless `discard_outbox`,
    /// an account with queued, sending or uncertain messages is kept and the error says so.
    pub fn delete_account(&self, account_id: i64, discard_outbox: bool) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let waiting: u32 = tx.query_row(
            "SELECT count(*) FROM outbox WHERE account_id = ?1
             AND state IN ('queued', 'sending', 'uncertain')",
            [account_id],
            |r| r.get(0),
        )?;
        if waiting > 0 && !discard_outbox {
            return Err(Error::new(
                ErrorKind::Config,
                format!("{waiting} message(s) of this account have not gone out yet: send or discard them first"),
            ));
        }
        tx.execute(
            "DELETE FROM messages_fts WHERE rowid IN (SELECT fts_key FROM messages WHERE account_id = ?1)",
            [account_id],
        )?;
        tx.execute("DELETE FROM outbox WHERE account_id = ?1", [account_id])?;
        tx.execute("DELETE FROM accounts WHERE id = ?1", [account_id])?;
        tx.commit().context("removing the account")
    }

    /// Point the account at another incoming server (settings; tests).
    pub fn set_incoming(&self, id: i64, endpoint: &Endpoint) -> Result<()> {
        self.conn()
            .execute(
                "UPDATE accounts SET incoming_host = ?2, incoming_port = ?3, incoming_security = ?4
                 WHERE id = ?1",
                params![id, endpoint.host, endpoint.port, endpoint.security.as_str()],
            )
            .context("saving the incoming server")?;
        Ok(())
    }

    pub fn accounts(&self) -> Result<Vec<Account>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM accounts ORDER BY id"))?;
        let rows = stmt.query_map([], account_from_row)?;
        let accounts: Vec<Account> = rows
            .collect::<rusqlite::Result<_>>()
            .context("listing accounts")?;
        drop(stmt);
        drop(conn);
        accounts
            .into_iter()
            .map(|a| self.with_identities(a))
            .collect()
    }

    /// How many days of mail sync fetches whole; None: every body.
    pub fn body_window(&self, account_id: i64) -> Result<Option<u32>> {
        self.conn()
            .query_row(
                "SELECT body_window_days FROM accounts WHERE id = ?1",
                [account_id],
                |r| r.get(0),
            )
            .context("reading the sync window")
    }

    /// Point the account at another IMAP/POP3 port (the server moved; tests put a proxy
    /// in between).
    pub fn set_incoming_port(&self, account_id: i64, port: u16) -> Result<()> {
        self.conn()
            .execute(
                "UPDATE accounts SET incoming_port = ?2 WHERE id = ?1",
                rusqlite::params![account_id, port],
            )
            .context("saving the incoming port")?;
        Ok(())
    }

    pub fn set_body_window(&self, account_id: i64, days: Option<u32>) -> Result<()> {
        self.conn()
            .execute(
                "UPDATE accounts SET body_window_days = ?2 WHERE id = ?1",
                rusqlite::params![account_id, days],
            )
            .context("saving the sync window")?;
        Ok(())
    }
}

fn account_from_row(row: &Row<'_>) -> rusqlite::Result<Account> {
    Ok(Account {
        id: row.get(0)?,
        email: row.get(1)?,
        display_name: row.get(2)?,
        username: row.get(3)?,
        incoming: endpoint(row, 4)?,
        smtp: endpoint(row, 7)?,
        ca_file: row.get(10)?,
        smtp_plaintext_no_auth: row.get(12)?,
        protocol: {
            let v: String = row.get(13)?;
            Protocol::parse(&v).ok_or_else(|| {
                rusqlite::Error::InvalidColumnType(13, v, rusqlite::types::Type::Text)
            })?
        },
        sent_copy: {
            let v: String = row.get(11)?;
            SentCopy::parse(&v).ok_or_else(|| {
                rusqlite::Error::InvalidColumnType(11, v, rusqlite::types::Type::Text)
            })?
        },
        auth: match (
            row.get::<_, String>(14)?.as_str(),
            row.get::<_, Option<String>>(15)?,
        ) {
            ("oauth2", Some(provider)) => AuthMethod::OAuth2 { provider },
            _ => AuthMethod::Password,
        },
        needs_signin: row.get(16)?,
        settings_source: row.get(17)?,
        identities: Vec::new(),
    })
}

fn endpoint(row: &Row<'_>, first: usize) -> rusqlite::Result<Endpoint> {
    let security: String = row.get(first + 2)?;
    Ok(Endpoint {
        host: row.get(first)?,
        port: row.get(first + 1)?,
        // The CHECK constraint admits only the two values `Security::parse` knows.
        security: Security::parse(&security).ok_or_else(|| {
            rusqlite::Error::InvalidColumnType(
                first + 2,
                security.clone(),
                rusqlite::types::Type::Text,
            )
        })?,
    })
}
