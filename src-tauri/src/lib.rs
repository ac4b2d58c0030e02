//! The Courriel desktop shell: windows, state and thin commands over `courriel-engine`.
//! Nothing about SQL or mail protocols lives here.
//!
//! - `commands/`: one file per screen area, one engine call per command.
//! - `scheme.rs`: the reader's `courriel-msg:` pages (sanitized HTML, strict CSP), served
//!   only as the window asked (`grants.rs`).
//! - `links.rs`: the window never leaves the app; links in mail open in the system browser.
//! - `events.rs`: the engine's background work (its scheduler: sending, syncing, drafts)
//!   told to the window as events.
//! - `desktop.rs`: one instance, `mailto:` links, the optional tray (background mode).
//! - `notify.rs`: desktop notifications for new mail (what to announce).
//! - `settings.rs`: the user's settings (kept by the engine), applied to the shell.
//! - `closing.rs`: closing and quitting wait for the page to save the open draft.
//! - `gpu.rs`: accelerated compositing off where there is no GPU (memory, start).
//! - `smoke.rs`: `COURRIEL_SMOKE=1` quits once the window has loaded (ci.yml's start).
//! - `dialogs.rs`: the system's file dialogs (attach, save), with a test seam.
//! - `window_state.rs`: the window's size and place remembered, the appearance chosen.

mod closing;
mod commands;
mod desktop;
mod dialogs;
mod events;
mod gpu;
mod grants;
mod links;
mod notify;
mod scheme;
mod settings;
mod smoke;
mod state;
mod webview_memory;
mod window_state;

use state::AppState;
use tauri::Manager;

/// The system language for the UI's strings, as `window.__COURRIEL_LANG__` in the main
/// frame only (never in a message's frame). WebKitGTK reports the system language as
/// `navigator.language` only when that locale is installed; the environment says it
/// either way.
fn locale_plugin<R: tauri::Runtime>() -> tauri::plugin::TauriPlugin<R> {
    let lang = courriel_engine::lang::locale_tag(|name| std::env::var(name).ok());
    tauri::plugin::Builder::new("courriel-locale")
        .js_init_script(format!("window.__COURRIEL_LANG__ = {lang:?};"))
        .build()
}

pub fn run() {
    courriel_engine::logging::init(courriel_engine::logging::Level::INFO);
    let result = tauri::Builder::default()
        // First: a second instance hands its arguments over and exits before anything starts.
        .plugin(desktop::single_instance())
        .plugin(tauri_plugin_deep_link::init())
        .plugin(desktop::plugin())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(links::plugin())
        .plugin(locale_plugin())
        .manage(AppState::open())
        .manage(grants::Grants::default())
        .register_asynchronous_uri_scheme_protocol(scheme::SCHEME, scheme::handle)
        .on_page_load(smoke::on_page_load)
        .setup(|app| {
            smoke::start_deadline();
            let config_dir = app.path().app_config_dir().ok();
            let engine = app.state::<AppState>().shared();
            let current = settings::load(engine.as_deref(), config_dir.as_deref());
            gpu::apply(current.get().gpu_compositing); // before the first web view
            webview_memory::apply(); // the same
            app.manage(current);
            links::main_window(app)?;
            window_state::restore(app); // before anything shows it
            desktop::setup(app);
            commands::message::clear_opened_copies(); // what a crash left behind
            app.manage(notify::Notifier::new());
            notify::on_click(app.handle());
            start_background(app.handle());
            Ok(())
        })
        .invoke_handler(command_handler())
        .build(tauri::generate_context!());
    match result {
        Ok(app) => app.run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                stop_background(app);
                commands::message::clear_opened_copies();
            }
        }),
        Err(e) => {
            eprintln!("Courriel could not start: {e}");
            std::process::exit(1);
        }
    }
}

/// The engine's scheduler (outbox, drafts, watches), its events forwarded to the window.
fn start_background(app: &tauri::AppHandle) {
    let state = app.state::<AppState>();
    let Some(engine) = state.shared() else {
        return; // no engine: every command says why; nothing to run
    };
    let (handle, shared) = (app.clone(), engine.clone());
    let runtime = tauri::async_runtime::handle();
    let scheduler =
        courriel_engine::scheduler::Scheduler::start(engine, runtime.inner(), move |event| {
            events::forward(&handle, &shared, event)
        });
    state.set_scheduler(scheduler);
}

/// Courriel exits: the loops end (what they were doing resumes at the next start).
fn stop_background(app: &tauri::AppHandle) {
    if let Some(scheduler) = app.state::<AppState>().scheduler() {
        tauri::async_runtime::block_on(scheduler.stop());
    }
}

/// Every command the page may invoke (`ui/src/lib/backend.ts` is the only caller), in two
/// tables so that each stays a short function: the mail's and the desktop's around it.
fn command_handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    let (around, serve_around) = around_the_mail();
    let serve_mail = mail_commands();
    move |invoke| {
        if around.contains(&invoke.message.command()) {
            serve_around(invoke)
        } else {
            serve_mail(invoke)
        }
    }
}

/// A table of commands: their names and their handler.
macro_rules! table {
    ($($module:ident::$name:ident),* $(,)?) => {
        (
            &[$(stringify!($name)),*] as &'static [&'static str],
            serves(tauri::generate_handler![$(commands::$module::$name),*]),
        )
    };
}

/// The handler of a table, typed where it is made (a closure's argument type is taken from
/// the bound it is passed to).
fn serves<F: Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static>(handler: F) -> F {
    handler
}

/// Command names and the handler that serves them.
type Table = (
    &'static [&'static str],
    Box<dyn Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static>,
);

/// The desktop around the mail: closing and links, settings, the domain check, the looks.
fn around_the_mail() -> Table {
    let (names, handler) = table![
        looks::pick_attachments,
        looks::print,
        looks::appearance,
        looks::set_appearance,
        desktop::take_mailto,
        desktop::ready_to_close,
        desktop::quit,
        domain::own_domains,
        domain::domain_check,
        domain::domain_self_test,
        settings::settings,
        settings::set_settings,
    ];
    (names, Box::new(handler))
}

/// Accounts, mailboxes, messages, compose, the outbox.
fn mail_commands() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        commands::accounts::accounts,
        commands::accounts::discover,
        commands::accounts::add_account,
        commands::accounts::begin_oauth,
        commands::accounts::finish_oauth_account,
        commands::accounts::finish_sign_in,
        commands::accounts::change_password,
        commands::accounts::remove_account,
        commands::accounts::save_identity,
        commands::accounts::remove_identity,
        commands::accounts::set_send_limits,
        commands::accounts::set_sync_window,
        commands::accounts::set_sent_copy,
        commands::mailbox::list_inbox,
        commands::mailbox::folders,
        commands::mailbox::folder_messages,
        commands::mailbox::inbox_ids,
        commands::mailbox::folder_ids,
        commands::mailbox::summaries,
        commands::mailbox::search,
        commands::mailbox::thread,
        commands::mailbox::sync,
        commands::folders::create_folder,
        commands::folders::rename_folder,
        commands::folders::delete_folder,
        commands::folders::unsubscribe_plan,
        commands::folders::unsubscribe,
        commands::message::show,
        commands::message::act,
        commands::bulk::act_many,
        commands::bulk::act_on_conversations,
        commands::bulk::undo,
        commands::message::remote_content,
        commands::message::message_trust,
        commands::message::set_remote_content,
        commands::message::open_attachment,
        commands::message::save_attachment,
        commands::message::message_source,
        commands::message::save_eml,
        commands::reader::reader_frame,
        commands::reader::open_link,
        commands::compose::queue,
        commands::compose::undo_send,
        commands::compose::send_size_limit,
        commands::compose::save_draft,
        commands::compose::drafts,
        commands::compose::delete_draft,
        commands::compose::edit_draft,
        commands::contacts::contacts,
        commands::contacts::forget_contact,
        commands::outbox::outbox,
        commands::outbox::trace,
        commands::outbox::resend,
        commands::outbox::discard,
        commands::outbox::outbox_draft,
    ]
}
