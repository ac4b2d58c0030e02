//! Accounts as people add them: settings checked against the real servers (incoming
//! login and SMTP AUTH) before anything is saved, the secret saved in the keychain only
//! then; OAuth2 sign-in through the browser; signing in again; removing an account and
//! its secrets; identities. A credential refused for good marks the account "needs
//! sign-in", which the next successful sign-in clears.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use crate::api::{Account, AuthMethod, Identity, NewAccount, Protocol};
use crate::auth::credentials::Credentials;
use crate::auth::oauth::{self, Authorization, Tokens};
use crate::auth::secrets::{Secret, SecretFuture, SecretStore};
use crate::engine::Engine;
use crate::error::{Context, Error, ErrorKind, Result};

/// How long the browser has to come back from the consent page.
pub const SIGN_IN_WAIT: Duration = Duration::from_secs(300);

impl Engine {
    /// Add an account with a password: the incoming server and SMTP are both logged in
    /// to first (a failure says which server and why, and nothing is saved); then the
    /// account is saved and the password goes to the keychain.
    pub async fn create_account(&self, new: NewAccount, password: &str) -> Result<Account> {
        self.create_account_from(new, password, "entered by hand")
            .await
    }

    /// `create_account`, noting where the settings came from (an autoconfig source).
    pub async fn create_account_from(
        &self,
        new: NewAccount,
        password: &str,
        source: &str,
    ) -> Result<Account> {
        let new = NewAccount {
            auth: AuthMethod::Password,
            ..new
        };
        let secret = Secret::Password(password.to_owned());
        verify(&new, &secret).await?;
        let credentials = self.credentials()?;
        self.save_new(new, source, |email| async move {
            credentials.save_password(&email, password).await
        })
        .await
    }

    /// Start an OAuth2 sign-in with `provider`: open the returned URL in the browser
    /// (the app does; the CLI prints it), then call `finish_oauth_account` or
    /// `finish_sign_in`.
    pub async fn begin_oauth(
        &self,
        provider: &str,
        login_hint: Option<&str>,
    ) -> Result<Authorization> {
        let provider = self.credentials()?.provider(provider)?;
        oauth::begin(&provider, login_hint).await
    }

    /// Finish an OAuth2 sign-in for a new account: the tokens log in to both servers,
    /// then the account is saved and its refresh token goes to the keychain.
    pub async fn finish_oauth_account(
        &self,
        authorization: Authorization,
        new: NewAccount,
        provider: &str,
        source: &str,
    ) -> Result<Account> {
        let tokens = authorization.finish(SIGN_IN_WAIT).await?;
        let new = NewAccount {
            auth: AuthMethod::OAuth2 {
                provider: provider.into(),
            },
            ..new
        };
        verify(&new, &Secret::OAuth2Token(tokens.access.clone())).await?;
        let credentials = self.credentials()?;
        let now = self.now();
        self.save_new(new, source, |email| async move {
            credentials.save_tokens(&email, &tokens, now).await
        })
        .await
    }

    /// Sign an existing account in again (its token was revoked, its password changed).
    pub async fn finish_sign_in(
        &self,
        authorization: Authorization,
        email: &str,
    ) -> Result<Account> {
        let account = self.account(email).await?;
        let tokens: Tokens = authorization.finish(SIGN_IN_WAIT).await?;
        verify_account(&account, &Secret::OAuth2Token(tokens.access.clone())).await?;
        self.credentials()?
            .save_tokens(&account.email, &tokens, self.now())
            .await?;
        self.signed_in(&account)?;
        self.account(email).await
    }

    /// A new password for an existing account, checked before it replaces the old one.
    pub async fn change_password(&self, email: &str, password: &str) -> Result<Account> {
        let account = self.account(email).await?;
        verify_account(&account, &Secret::Password(password.to_owned())).await?;
        self.credentials()?
            .save_password(&account.email, password)
            .await?;
        self.signed_in(&account)?;
        self.account(email).await
    }

    /// A password that works, given for this run only where there is no keychain to
    /// keep it (a script, a headless machine): checked by logging in, then the account's
    /// "needs sign-in" mark is cleared and its waiting mail may go. Nothing is saved: the
    /// next run needs it again (`COURRIEL_PASSWORD`).
    pub async fn sign_in_for_this_run(&self, email: &str, password: &str) -> Result<Account> {
        let account = self.account(email).await?;
        verify_account(&account, &Secret::Password(password.to_owned())).await?;
        self.signed_in(&account)?;
        self.account(email).await
    }

    /// Whether this engine can keep secrets (it was opened with the OS keychain).
    pub fn has_keychain(&self) -> bool {
        self.credentials.is_some()
    }

    /// Remove the account, its cache and its secrets. Unsent mail keeps the account
    /// unless `discard_outbox` says to drop it.
    pub async fn remove_account(&self, email: &str, discard_outbox: bool) -> Result<()> {
        let account = self.account(email).await?;
        let id = account.id;
        self.sessions.forget(id);
        self.blocking(move |s| s.delete_account(id, discard_outbox))
            .await?;
        if let Some(credentials) = &self.credentials {
            credentials.forget(&account.email).await?;
        }
        Ok(())
    }

    /// Add or update a From address of the account.
    pub async fn save_identity(&self, email: &str, identity: Identity) -> Result<Account> {
        let account = self.account(email).await?;
        let checked = crate::mime::check_identity(&identity)?;
        self.store.save_identity(account.id, &checked)?;
        self.account(email).await
    }

    /// Who files sent copies: Courriel APPENDs them, or the provider does (Gmail,
    /// Outlook), where appending would make duplicates.
    pub async fn set_sent_copy(
        &self,
        email: &str,
        sent_copy: crate::api::SentCopy,
    ) -> Result<Account> {
        let account = self.account(email).await?;
        self.store.set_sent_copy(account.id, sent_copy)?;
        self.account(email).await
    }

    pub async fn remove_identity(&self, email: &str, identity: &str) -> Result<Account> {
        let account = self.account(email).await?;
        if !self.store.remove_identity(account.id, identity)? {
            return Err(Error::new(
                ErrorKind::NotFound,
                format!("{identity} is not an identity of {email}"),
            ));
        }
        self.account(email).await
    }

    /// How many sign-ins this engine has seen: read it before an attempt that uses the
    /// account's credential, pass it to `note_sign_in` after.
    pub(crate) fn sign_in_count(&self) -> u64 {
        self.sign_ins.load(Ordering::SeqCst)
    }

    /// A new credential is saved: attempts still running with the old one must not mark
    /// the account again when the server refuses them.
    fn signed_in(&self, account: &Account) -> Result<()> {
        self.sessions.forget(account.id); // logged in with the old credential
        self.sign_ins.fetch_add(1, Ordering::SeqCst);
        self.store.set_needs_signin(account.id, None)
    }

    /// Note what a server said about the account's credential: refused for good marks it
    /// "needs sign-in" (the UI's prompt; background work stops retrying); working clears it.
    /// A refusal is ignored when the user signed in after the attempt began (`since`, from
    /// `sign_in_count`): the attempt used the old credential, and marking the account
    /// would undo the sign-in the user just made. Returns whether the refusal counted.
    pub(crate) fn note_sign_in<T>(
        &self,
        account: &Account,
        since: u64,
        result: &Result<T>,
    ) -> bool {
        let refused =
            matches!(result, Err(e) if matches!(e.kind, ErrorKind::NeedsSignIn | ErrorKind::Auth));
        if refused && self.sign_in_count() != since {
            tracing::info!(
                "{}: a refusal of the credential from before the latest sign-in, ignored",
                account.email
            );
            return false;
        }
        let update = match result {
            Err(e) if refused => Some(Some(e.message.clone())),
            Ok(_) if account.needs_signin.is_some() => Some(None),
            _ => None,
        };
        if let Some(why) = update {
            if let Err(e) = self.store.set_needs_signin(account.id, why.as_deref()) {
                tracing::warn!(
                    "could not record the sign-in state of {}: {e}",
                    account.email
                );
            }
        }
        true
    }

    fn credentials(&self) -> Result<Arc<Credentials>> {
        self.credentials.clone().ok_or_else(|| {
            Error::new(
                ErrorKind::Config,
                "no keychain here to keep the password in: run a Secret Service (GNOME Keyring, \
                 KWallet), or give the password in COURRIEL_PASSWORD for each run \
                 (`account add --no-verify` records an account without saving it)",
            )
        })
    }

    /// Save the account, then its secret; a secret that cannot be saved takes the
    /// account back out, so no account exists that could never sign in.
    async fn save_new<F, Fut>(
        &self,
        new: NewAccount,
        source: &str,
        save_secret: F,
    ) -> Result<Account>
    where
        F: FnOnce(String) -> Fut,
        Fut: std::future::Future<Output = Result<()>>,
    {
        let account = self.add_account(new).await?;
        if let Err(e) = save_secret(account.email.clone()).await {
            let id = account.id;
            self.blocking(move |s| s.delete_account(id, true)).await?;
            return Err(e);
        }
        self.store.set_settings_source(account.id, source)?;
        self.account(&account.email).await
    }
}

/// Log in to the incoming server and to SMTP with `secret`, as this new account would.
async fn verify(new: &NewAccount, secret: &Secret) -> Result<()> {
    if let Some(ca) = &new.ca_file {
        crate::tls::read_ca_file(std::path::Path::new(ca))?;
    }
    let account = Account {
        id: 0,
        email: new.email.clone(),
        display_name: new.display_name.clone(),
        username: new.username.clone(),
        protocol: new.protocol,
        incoming: new.incoming.clone(),
        smtp: new.smtp.clone(),
        ca_file: new.ca_file.clone(),
        sent_copy: crate::api::SentCopy::Append,
        smtp_plaintext_no_auth: new.smtp_plaintext_no_auth,
        auth: new.auth.clone(),
        needs_signin: None,
        settings_source: String::new(),
        identities: Vec::new(),
    };
    verify_account(&account, secret).await
}

async fn verify_account(account: &Account, secret: &Secret) -> Result<()> {
    let incoming = format!("{}:{}", account.incoming.host, account.incoming.port);
    match account.protocol {
        Protocol::Imap => {
            let mut session = crate::imap::connect(account, secret)
                .await
                .with_context(|| format!("checking the IMAP server {incoming}"))?;
            session.logout().await.ok();
        }
        Protocol::Pop3 => {
            let mut pop = crate::pop3::sync::login(account, secret, None)
                .await
                .with_context(|| format!("checking the POP3 server {incoming}"))?;
            pop.quit().await.ok();
        }
    }
    let smtp = format!("{}:{}", account.smtp.host, account.smtp.port);
    let mut trace = crate::smtp::trace::Trace::new();
    let session =
        crate::smtp::session::SmtpSession::open(account, &Fixed(secret.clone()), &mut trace)
            .await
            .with_context(|| format!("checking the SMTP server {smtp}"))?;
    session.close().await;
    Ok(())
}

/// One known secret, for checking settings before an account exists.
struct Fixed(Secret);

impl SecretStore for Fixed {
    fn secret<'a>(&'a self, _: &'a Account) -> SecretFuture<'a, Secret> {
        let secret = self.0.clone();
        Box::pin(async move { Ok(secret) })
    }
}

impl Engine {
    /// Find the servers of an address (presets, ISPDB autoconfig, SRV, MX), best first;
    /// each says where it came from.
    pub async fn discover(
        &self,
        email: &str,
        how: &crate::autoconfig::Discovery,
    ) -> Result<Vec<crate::autoconfig::Found>> {
        crate::autoconfig::discover_all(email, how).await
    }
}

/// The account a discovered configuration describes, ready for `create_account` (or,
/// when `found.auth` is OAuth2, `finish_oauth_account`).
pub fn new_account_from(
    found: &crate::autoconfig::Found,
    email: &str,
    display_name: &str,
    ca_file: Option<String>,
) -> NewAccount {
    let auth = match &found.auth {
        crate::autoconfig::AuthKind::OAuth2 { provider: Some(p) } => AuthMethod::OAuth2 {
            provider: p.clone(),
        },
        _ => AuthMethod::Password,
    };
    NewAccount {
        email: email.trim().to_owned(),
        display_name: display_name.to_owned(),
        username: found.username.for_address(email.trim()),
        protocol: found.protocol,
        incoming: found.incoming.clone(),
        smtp: found.smtp.clone(),
        ca_file,
        sent_copy: None,
        smtp_plaintext_no_auth: false,
        auth,
    }
}

impl Engine {
    /// `discover`, each result as the account it would create: what onboarding shows
    /// ("found by ...") before the user confirms.
    pub async fn discover_settings(
        &self,
        email: &str,
        display_name: &str,
    ) -> Result<Vec<crate::api::DiscoveredSettings>> {
        let found = self
            .discover(email, &crate::autoconfig::Discovery::default())
            .await?;
        let has_client = |provider: &str| self.has_oauth_client(provider);
        Ok(found
            .iter()
            .map(|f| discovered_settings(f, email, display_name, &has_client))
            .collect())
    }

    /// Whether an OAuth2 sign-in with `provider` can start: a client id is known for it
    /// (built in, oauth.json, the environment; [`oauth::Provider::has_client`]).
    pub fn has_oauth_client(&self, provider: &str) -> bool {
        match &self.credentials {
            Some(credentials) => credentials.has_client(provider),
            None => oauth::providers(oauth::config_file().as_deref())
                .is_ok_and(|all| all.get(provider).is_some_and(oauth::Provider::has_client)),
        }
    }
}

/// What onboarding shows of one discovered configuration; `has_client` says whether
/// this build can sign in with a provider's OAuth2.
pub fn discovered_settings(
    found: &crate::autoconfig::Found,
    email: &str,
    display_name: &str,
    has_client: &dyn Fn(&str) -> bool,
) -> crate::api::DiscoveredSettings {
    let account = new_account_from(found, email, display_name, None);
    let oauth_configured = match &account.auth {
        AuthMethod::OAuth2 { provider } => has_client(provider),
        AuthMethod::Password => false,
    };
    crate::api::DiscoveredSettings {
        provider: found.provider.map(str::to_owned),
        source: found.settings_source(),
        account,
        oauth_configured,
    }
}

#[cfg(test)]
#[path = "signin_tests.rs"]
mod tests;
