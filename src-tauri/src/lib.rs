//! The Courriel desktop shell: windows, state and thin commands over `courriel-engine`.
//! Nothing about SQL or mail protocols lives here.

mod commands;
mod state;

use state::AppState;

pub fn run() {
    let result = tauri::Builder::default()
        .manage(AppState::open())
        .invoke_handler(tauri::generate_handler![commands::mailbox::list_inbox])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("Courriel could not start: {e}");
        std::process::exit(1);
    }
}
