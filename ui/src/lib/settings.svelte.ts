// The user's settings as the window holds them: read once at start, saved whole on each
// change (the engine keeps them in its database: src-tauri/crates/engine/src/settings.rs),
// and put back to what the engine holds when a save fails, so a checkbox never shows a
// choice that was not kept.
import * as backend from "./backend";
import type { Settings } from "./bindings";
import { BackendError } from "./errors";

export class SettingsState {
  current = $state<Settings | null>(null);
  error = $state<string | null>(null);

  async load(): Promise<void> {
    try {
      this.current = await backend.settings();
    } catch (reason) {
      this.error = BackendError.from(reason).message;
    }
  }

  /** Saves `change` over the current settings; the engine answers what it kept. */
  async save(change: Partial<Settings>): Promise<void> {
    if (!this.current) return;
    this.error = null;
    try {
      this.current = await backend.setSettings({ ...this.current, ...change });
    } catch (reason) {
      this.error = BackendError.from(reason).message;
      this.current = await backend.settings().catch(() => this.current);
    }
  }
}
