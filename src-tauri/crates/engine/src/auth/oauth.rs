//! OAuth2 for mail (Gmail, Outlook/Microsoft 365, or any provider configured by name):
//! the authorization code flow with PKCE, its redirect caught by a listener (`loopback`) on
//! 127.0.0.1 at a random port (RFC 8252), the system browser doing the consent; then
//! refreshes. Client ids are configuration, not code: Google's `https://mail.google.com/`
//! scope needs the distributor's own verified client, so the built-in ids come from the
//! build environment and a config file or the environment override them (README).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use oauth2::basic::{BasicClient, BasicErrorResponseType};
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointNotSet, EndpointSet,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RefreshToken, RequestTokenError, Scope,
    TokenResponse, TokenUrl,
};
use serde::{Deserialize, Serialize};
use tokio::net::TcpListener;

use super::loopback::redirected;

use crate::error::{Context, Error, ErrorKind, Result};

/// An OAuth2 authorization server and our client there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provider {
    pub name: String,
    pub auth_url: String,
    pub token_url: String,
    pub client_id: String,
    /// Google's "desktop app" clients have a secret that is not secret (RFC 8252 §8.5);
    /// public clients (Microsoft) have none.
    #[serde(default)]
    pub client_secret: Option<String>,
    pub scopes: Vec<String>,
    /// An extra CA (PEM) trusted for the provider's HTTPS endpoints: self-hosted, tests.
    #[serde(default)]
    pub ca_file: Option<String>,
}

impl Provider {
    /// Whether a sign-in can start: a client id is known (built in, from oauth.json or the
    /// environment). A release built without the repository's secrets has none (an empty
    /// one, from an unset secret, counts as none).
    pub fn has_client(&self) -> bool {
        !self.client_id.trim().is_empty()
    }
}

/// The tokens a sign-in or a refresh gives.
#[derive(Clone, PartialEq, Eq)]
pub struct Tokens {
    pub access: String,
    /// Providers may rotate it on refresh; None keeps the one we have.
    pub refresh: Option<String>,
    /// Seconds the access token lives, when said.
    pub expires_in: Option<u64>,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Tokens(<redacted>, expires_in: {:?})", self.expires_in)
    }
}

/// Where `providers` looks for `oauth.json`: the OS config directory
/// (`~/.config/courriel/oauth.json` on Linux).
pub fn config_file() -> Option<std::path::PathBuf> {
    crate::dirs::AppDirs::current().map(|d| d.config.join("oauth.json"))
}

/// The providers the build knows, with client ids from the build environment
/// (`COURRIEL_GOOGLE_CLIENT_ID`, `COURRIEL_GOOGLE_CLIENT_SECRET`,
/// `COURRIEL_MICROSOFT_CLIENT_ID` at compile time), then `oauth.json` in the config
/// directory, then the same variables at run time, each overriding the one before.
pub fn providers(config_file: Option<&Path>) -> Result<BTreeMap<String, Provider>> {
    let mut all = BTreeMap::new();
    let google = Provider {
        name: "google".into(),
        auth_url: "https://accounts.google.com/o/oauth2/v2/auth".into(),
        token_url: "https://oauth2.googleapis.com/token".into(),
        client_id: built_in(option_env!("COURRIEL_GOOGLE_CLIENT_ID")).unwrap_or_default(),
        client_secret: built_in(option_env!("COURRIEL_GOOGLE_CLIENT_SECRET")),
        scopes: vec!["https://mail.google.com/".into()],
        ca_file: None,
    };
    let microsoft = Provider {
        name: "microsoft".into(),
        auth_url: "https://login.microsoftonline.com/common/oauth2/v2.0/authorize".into(),
        token_url: "https://login.microsoftonline.com/common/oauth2/v2.0/token".into(),
        client_id: built_in(option_env!("COURRIEL_MICROSOFT_CLIENT_ID")).unwrap_or_default(),
        client_secret: None,
        scopes: [
            "https://outlook.office.com/IMAP.AccessAsUser.All",
            "https://outlook.office.com/POP.AccessAsUser.All",
            "https://outlook.office.com/SMTP.Send",
            "offline_access",
        ]
        .map(str::to_owned)
        .to_vec(),
        ca_file: None,
    };
    for p in [google, microsoft] {
        all.insert(p.name.clone(), p);
    }
    if let Some(path) = config_file.filter(|p| p.exists()) {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let file: BTreeMap<String, PartialProvider> = serde_json::from_str(&text).map_err(|e| {
            Error::new(
                ErrorKind::Config,
                format!("{} is not valid: {e}", path.display()),
            )
        })?;
        for (name, partial) in file {
            let base = all.remove(&name);
            all.insert(name.clone(), partial.over(&name, base)?);
        }
    }
    for (name, p) in all.iter_mut() {
        let var =
            |what: &str| std::env::var(format!("COURRIEL_{}_{what}", name.to_uppercase())).ok();
        if let Some(id) = var("CLIENT_ID") {
            p.client_id = id;
        }
        if let Some(secret) = var("CLIENT_SECRET") {
            p.client_secret = Some(secret);
        }
    }
    Ok(all)
}

/// A value built in from the build environment; an empty one (a release workflow's secret
/// that is not set) is none.
fn built_in(value: Option<&'static str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// A provider as written in `oauth.json`: any field may be left out for a built-in one.
#[derive(Debug, Default, Deserialize)]
struct PartialProvider {
    auth_url: Option<String>,
    token_url: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    scopes: Option<Vec<String>>,
    ca_file: Option<String>,
}

impl PartialProvider {
    fn over(self, name: &str, base: Option<Provider>) -> Result<Provider> {
        let missing = |field: &str| {
            Error::new(
                ErrorKind::Config,
                format!("oauth.json: provider {name} needs {field}"),
            )
        };
        let base = base.unwrap_or_else(|| Provider {
            name: name.into(),
            auth_url: String::new(),
            token_url: String::new(),
            client_id: String::new(),
            client_secret: None,
            scopes: Vec::new(),
            ca_file: None,
        });
        let p = Provider {
            name: name.into(),
            auth_url: self.auth_url.unwrap_or(base.auth_url),
            token_url: self.token_url.unwrap_or(base.token_url),
            client_id: self.client_id.unwrap_or(base.client_id),
            client_secret: self.client_secret.or(base.client_secret),
            scopes: self.scopes.unwrap_or(base.scopes),
            ca_file: self.ca_file.or(base.ca_file),
        };
        if p.auth_url.is_empty() {
            return Err(missing("auth_url"));
        }
        if p.token_url.is_empty() {
            return Err(missing("token_url"));
        }
        Ok(p)
    }
}

type Client = BasicClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

fn client(p: &Provider, redirect: Option<String>) -> Result<Client> {
    if !p.has_client() {
        return Err(Error::new(
            ErrorKind::Config,
            format!(
                "no OAuth2 client id for {}: set COURRIEL_{}_CLIENT_ID or add it to oauth.json (README: registering a client)",
                p.name,
                p.name.to_uppercase()
            ),
        ));
    }
    let bad = |what: &str, e: oauth2::url::ParseError| {
        Error::new(ErrorKind::Config, format!("{}: bad {what}: {e}", p.name))
    };
    let mut c = BasicClient::new(ClientId::new(p.client_id.clone()))
        .set_auth_uri(AuthUrl::new(p.auth_url.clone()).map_err(|e| bad("auth_url", e))?)
        .set_token_uri(TokenUrl::new(p.token_url.clone()).map_err(|e| bad("token_url", e))?);
    if let Some(secret) = &p.client_secret {
        c = c.set_client_secret(ClientSecret::new(secret.clone()));
    }
    if let Some(r) = redirect {
        c = c.set_redirect_uri(RedirectUrl::new(r).map_err(|e| bad("redirect", e))?);
    }
    Ok(c)
}

/// HTTPS to the provider: our rustls setup (OS trust store, plus the provider's CA when
/// configured), and no redirects (a token endpoint that redirects is not followed).
fn http(p: &Provider) -> Result<oauth2::reqwest::Client> {
    let tls = crate::tls::client_config(p.ca_file.as_deref().map(Path::new))?;
    oauth2::reqwest::Client::builder()
        .use_preconfigured_tls((*tls).clone())
        .redirect(oauth2::reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| Error::new(ErrorKind::Config, format!("setting up HTTPS: {e}")))
}

/// A sign-in under way: open `authorize_url` in the browser, then `finish`.
pub struct Authorization {
    pub authorize_url: String,
    provider: Provider,
    listener: TcpListener,
    redirect: String,
    state: CsrfToken,
    verifier: PkceCodeVerifier,
}

/// Start a sign-in: the loopback listener, PKCE, `state`, and the consent page's URL.
/// `login_hint` pre-fills the address on the provider's page.
pub async fn begin(provider: &Provider, login_hint: Option<&str>) -> Result<Authorization> {
    let listener = TcpListener::bind(("127.0.0.1", 0))
        .await
        .context("opening the sign-in listener on 127.0.0.1")?;
    let port = listener.local_addr()?.port();
    let redirect = format!("http://127.0.0.1:{port}/");
    let c = client(provider, Some(redirect.clone()))?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = c
        .authorize_url(CsrfToken::new_random)
        .set_pkce_challenge(challenge)
        .add_scopes(provider.scopes.iter().cloned().map(Scope::new));
    if let Some(hint) = login_hint {
        request = request.add_extra_param("login_hint", hint);
    }
    // Google sends a refresh token only when asked for offline access with consent.
    if provider.name == "google" {
        request = request
            .add_extra_param("access_type", "offline")
            .add_extra_param("prompt", "consent");
    }
    let (url, state) = request.url();
    Ok(Authorization {
        authorize_url: url.to_string(),
        provider: provider.clone(),
        listener,
        redirect,
        state,
        verifier,
    })
}

impl Authorization {
    /// Wait (at most `wait`) for the browser to come back with the code, check `state`,
    /// and trade the code for tokens.
    pub async fn finish(self, wait: Duration) -> Result<Tokens> {
        let code = tokio::time::timeout(wait, redirected(&self.listener, self.state.secret()))
            .await
            .map_err(|_| {
                Error::new(
                    ErrorKind::NeedsSignIn,
                    "the sign-in was not finished in the browser in time",
                )
            })??;
        let c = client(&self.provider, Some(self.redirect))?;
        let token = c
            .exchange_code(AuthorizationCode::new(code))
            .set_pkce_verifier(self.verifier)
            .request_async(&http(&self.provider)?)
            .await
            .map_err(|e| token_error(&self.provider, e))?;
        Ok(tokens(&token))
    }
}

/// Trade a refresh token for a fresh access token.
pub async fn refresh(provider: &Provider, refresh_token: &str) -> Result<Tokens> {
    let c = client(provider, None)?;
    let token = c
        .exchange_refresh_token(&RefreshToken::new(refresh_token.to_owned()))
        .request_async(&http(provider)?)
        .await
        .map_err(|e| token_error(provider, e))?;
    Ok(tokens(&token))
}

fn tokens(t: &oauth2::basic::BasicTokenResponse) -> Tokens {
    Tokens {
        access: t.access_token().secret().clone(),
        refresh: t.refresh_token().map(|r| r.secret().clone()),
        expires_in: t.expires_in().map(|d| d.as_secs()),
    }
}

/// `invalid_grant` (revoked, expired, password changed) means signing in again; other
/// failures may pass (network) or are setup errors.
fn token_error<RE: std::error::Error + 'static>(
    p: &Provider,
    e: RequestTokenError<RE, oauth2::StandardErrorResponse<BasicErrorResponseType>>,
) -> Error {
    match e {
        RequestTokenError::ServerResponse(r) => {
            let detail = r.error_description().cloned().unwrap_or_default();
            let kind = match r.error() {
                BasicErrorResponseType::InvalidGrant => ErrorKind::NeedsSignIn,
                BasicErrorResponseType::InvalidClient
                | BasicErrorResponseType::UnauthorizedClient => ErrorKind::Config,
                // RFC 6749 §5.2's outage codes: the provider's trouble, not the user's.
                BasicErrorResponseType::Extension(code)
                    if code == "temporarily_unavailable" || code == "server_error" =>
                {
                    return crate::error::sign_in_trouble(format!("{}: {code} {detail}", p.name));
                }
                _ => ErrorKind::Auth,
            };
            Error::new(
                kind,
                format!("{} refused: {} {detail}", p.name, r.error().as_ref()),
            )
        }
        RequestTokenError::Request(e) => Error::new(
            ErrorKind::Network,
            format!("reaching {}: {}", p.token_url, chain(&e)),
        ),
        // Not the JSON of RFC 6749: an outage page (a 502 or 503 from a proxy) far more
        // often than a broken provider. Retried, the sign-in kept.
        RequestTokenError::Parse(_, body) => crate::error::sign_in_trouble(format!(
            "{} answered with something that is not a token: \"{}\"",
            p.name,
            crate::error::quote(&String::from_utf8_lossy(&body))
        )),
        RequestTokenError::Other(e) => Error::new(ErrorKind::Protocol, format!("{}: {e}", p.name)),
    }
}

fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(&format!(": {s}"));
        source = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_config_file_overrides_and_adds_providers() {
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("oauth.json");
        std::fs::write(
            &file,
            r#"{"google": {"client_id": "g-id", "client_secret": "g-s"},
                "corp": {"auth_url": "https://id.corp.test/auth", "token_url": "https://id.corp.test/token",
                         "client_id": "c", "scopes": ["mail"]}}"#,
        )
        .expect("write");
        let all = providers(Some(&file)).expect("providers");
        assert_eq!(all["google"].client_id, "g-id");
        assert_eq!(all["google"].scopes, ["https://mail.google.com/"]);
        assert_eq!(all["corp"].token_url, "https://id.corp.test/token");
        assert!(all["microsoft"]
            .scopes
            .iter()
            .any(|s| s == "offline_access"));
        std::fs::write(&file, r#"{"corp": {"client_id": "c"}}"#).expect("write");
        let e = providers(Some(&file)).expect_err("incomplete");
        assert!(e.message.contains("needs auth_url"), "{e}");
    }
}
