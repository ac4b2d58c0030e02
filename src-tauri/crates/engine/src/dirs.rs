//! Where Courriel keeps its files on each OS, as a pure function of the OS and what it
//! says about the user ([`Base`]), so each platform's rules are tested on every machine:
//!
//! | | Linux (XDG) | macOS | Windows |
//! |---|---|---|---|
//! | data (the cache) | `$XDG_DATA_HOME/courriel`, `~/.local/share/courriel` | `~/Library/Application Support/org.Courriel.courriel` | `%LOCALAPPDATA%\Courriel\courriel\data` |
//! | config (`oauth.json`) | `$XDG_CONFIG_HOME/courriel`, `~/.config/courriel` | the same as data | `%APPDATA%\Courriel\courriel\config` |
//! | cache (attachments opened) | `$XDG_CACHE_HOME/courriel`, `~/.cache/courriel` | `~/Library/Caches/org.Courriel.courriel` | `%LOCALAPPDATA%\Courriel\courriel\cache` |
//! | runtime (the user's) | `$XDG_RUNTIME_DIR` | none | none |
//!
//! These are the `directories` crate's places but one: on Windows the mail cache (a
//! 100,000-message SQLite file and its journal) is in the local application data, never
//! the roaming one, which a domain profile copies to the server at every logoff. An XDG
//! variable that is not an absolute path is ignored, as the specification says.

use std::path::{Path, PathBuf};

/// The rules a platform follows (the BSDs follow Linux's: XDG).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Os {
    Linux,
    MacOs,
    Windows,
}

impl Os {
    /// The OS this build runs on.
    pub fn current() -> Os {
        if cfg!(windows) {
            Os::Windows
        } else if cfg!(target_os = "macos") {
            Os::MacOs
        } else {
            Os::Linux
        }
    }
}

/// What the OS says about the user: the home directory, the XDG variables (Linux), the
/// known folders `FOLDERID_RoamingAppData` (`%APPDATA%`) and `FOLDERID_LocalAppData`
/// (`%LOCALAPPDATA%`) on Windows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Base {
    pub home: Option<PathBuf>,
    pub xdg_data_home: Option<PathBuf>,
    pub xdg_config_home: Option<PathBuf>,
    pub xdg_cache_home: Option<PathBuf>,
    pub xdg_runtime_dir: Option<PathBuf>,
    pub roaming_app_data: Option<PathBuf>,
    pub local_app_data: Option<PathBuf>,
}

impl Base {
    /// This user's, read from the system (the known folders through the Windows API, not
    /// from the environment).
    pub fn current() -> Base {
        let base = directories::BaseDirs::new();
        let var = |name: &str| std::env::var_os(name).map(PathBuf::from);
        let windows = |f: fn(&directories::BaseDirs) -> &Path| {
            base.as_ref()
                .filter(|_| cfg!(windows))
                .map(|b| f(b).to_owned())
        };
        Base {
            home: base.as_ref().map(|b| b.home_dir().to_owned()),
            xdg_data_home: var("XDG_DATA_HOME"),
            xdg_config_home: var("XDG_CONFIG_HOME"),
            xdg_cache_home: var("XDG_CACHE_HOME"),
            xdg_runtime_dir: var("XDG_RUNTIME_DIR"),
            roaming_app_data: windows(directories::BaseDirs::config_dir),
            local_app_data: windows(directories::BaseDirs::data_local_dir),
        }
    }
}

/// Courriel's directories for one user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppDirs {
    /// The cache of mail (SQLite), the send locks.
    pub data: PathBuf,
    /// `oauth.json`.
    pub config: PathBuf,
    /// Copies of attachments being opened, when there is no private runtime directory.
    pub cache: PathBuf,
    /// The user's runtime directory, Linux's `$XDG_RUNTIME_DIR` (in memory, gone at
    /// logout), when set: attachments being opened go under it when it is private
    /// (the attachments' `Scratch`).
    pub runtime: Option<PathBuf>,
}

impl AppDirs {
    /// This user's on this OS; `None` without a home directory (or known folders).
    pub fn current() -> Option<AppDirs> {
        AppDirs::for_os(Os::current(), &Base::current())
    }

    /// The directories `os`'s rules give for `base` (the module's table).
    pub fn for_os(os: Os, base: &Base) -> Option<AppDirs> {
        match os {
            Os::Linux => {
                let home = base.home.as_deref()?;
                let xdg = |var: &Option<PathBuf>, default: &str| {
                    absolute(var).unwrap_or_else(|| home.join(default))
                };
                Some(AppDirs {
                    data: xdg(&base.xdg_data_home, ".local/share").join("courriel"),
                    config: xdg(&base.xdg_config_home, ".config").join("courriel"),
                    cache: xdg(&base.xdg_cache_home, ".cache").join("courriel"),
                    runtime: absolute(&base.xdg_runtime_dir),
                })
            }
            Os::MacOs => {
                let library = base.home.as_deref()?.join("Library");
                let support = library.join("Application Support").join(MAC_BUNDLE);
                Some(AppDirs {
                    data: support.clone(),
                    config: support,
                    cache: library.join("Caches").join(MAC_BUNDLE),
                    runtime: None,
                })
            }
            Os::Windows => {
                let app = |base: &Option<PathBuf>| {
                    base.as_deref().map(|b| b.join("Courriel").join("courriel"))
                };
                let (roaming, local) = (app(&base.roaming_app_data)?, app(&base.local_app_data)?);
                Some(AppDirs {
                    data: local.join("data"),
                    config: roaming.join("config"),
                    cache: local.join("cache"),
                    runtime: None,
                })
            }
        }
    }
}

/// macOS's name for the app's directories (`directories`' qualifier.organization.app).
const MAC_BUNDLE: &str = "org.Courriel.courriel";

/// An XDG variable's value, when it is an absolute path (XDG says to ignore others).
fn absolute(var: &Option<PathBuf>) -> Option<PathBuf> {
    var.as_ref().filter(|p| p.is_absolute()).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> PathBuf {
        PathBuf::from(s)
    }

    #[test]
    fn linux_follows_xdg_and_ignores_relative_values() {
        let mut base = Base {
            home: Some(p("/home/zoe")),
            ..Base::default()
        };
        let d = AppDirs::for_os(Os::Linux, &base).expect("dirs");
        assert_eq!(d.data, p("/home/zoe/.local/share/courriel"));
        assert_eq!(d.config, p("/home/zoe/.config/courriel"));
        assert_eq!(d.cache, p("/home/zoe/.cache/courriel"));
        assert_eq!(d.runtime, None);
        base.xdg_data_home = Some(p("/data/zoe"));
        base.xdg_config_home = Some(p("relative/config"));
        base.xdg_cache_home = Some(p("/tmp/cache"));
        base.xdg_runtime_dir = Some(p("/run/user/1000"));
        let d = AppDirs::for_os(Os::Linux, &base).expect("dirs");
        assert_eq!(d.data, p("/data/zoe/courriel"));
        assert_eq!(
            d.config,
            p("/home/zoe/.config/courriel"),
            "a relative value is ignored"
        );
        assert_eq!(d.cache, p("/tmp/cache/courriel"));
        assert_eq!(d.runtime, Some(p("/run/user/1000")));
        base.home = None;
        assert_eq!(AppDirs::for_os(Os::Linux, &base), None);
    }

    #[test]
    fn macos_uses_the_library_and_no_xdg_variable() {
        let base = Base {
            home: Some(p("/Users/zoe")),
            xdg_data_home: Some(p("/elsewhere")),
            xdg_runtime_dir: Some(p("/run/user/501")),
            ..Base::default()
        };
        let d = AppDirs::for_os(Os::MacOs, &base).expect("dirs");
        let support = p("/Users/zoe/Library/Application Support/org.Courriel.courriel");
        assert_eq!(d.data, support);
        assert_eq!(d.config, support);
        assert_eq!(
            d.cache,
            p("/Users/zoe/Library/Caches/org.Courriel.courriel")
        );
        assert_eq!(d.runtime, None);
    }

    #[test]
    fn windows_keeps_the_mail_cache_out_of_the_roaming_profile() {
        let base = Base {
            home: Some(p("/Users/zoe")),
            roaming_app_data: Some(p("/Users/zoe/AppData/Roaming")),
            local_app_data: Some(p("/Users/zoe/AppData/Local")),
            xdg_data_home: Some(p("/elsewhere")),
            ..Base::default()
        };
        let d = AppDirs::for_os(Os::Windows, &base).expect("dirs");
        assert_eq!(d.data, p("/Users/zoe/AppData/Local/Courriel/courriel/data"));
        assert_eq!(
            d.config,
            p("/Users/zoe/AppData/Roaming/Courriel/courriel/config")
        );
        assert_eq!(
            d.cache,
            p("/Users/zoe/AppData/Local/Courriel/courriel/cache")
        );
        assert_eq!(d.runtime, None);
        let no_local = Base {
            local_app_data: None,
            ..base
        };
        assert_eq!(AppDirs::for_os(Os::Windows, &no_local), None);
    }

    /// On the machine that runs the test, the rules give what the `directories` crate
    /// reads from the system (but the Windows data directory, local on purpose).
    #[test]
    fn the_rules_match_the_system_here() {
        let (Some(ours), Some(theirs)) = (
            AppDirs::current(),
            directories::ProjectDirs::from("org", "Courriel", "courriel"),
        ) else {
            panic!("no home directory on the test machine");
        };
        assert_eq!(ours.config, theirs.config_dir());
        assert_eq!(ours.cache, theirs.cache_dir());
        assert_eq!(ours.data, theirs.data_local_dir());
        let base = directories::BaseDirs::new().expect("base directories");
        assert_eq!(ours.runtime.as_deref(), base.runtime_dir());
    }
}
