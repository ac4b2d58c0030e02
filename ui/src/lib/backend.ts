// The one module that talks to the Rust backend. Nothing else imports @tauri-apps/*.

import { invoke } from "@tauri-apps/api/core";
import type { MessageSummary } from "./bindings";
import { BackendError } from "./errors";

export { BackendError } from "./errors";

/** Calls a command; a rejection always comes out as a BackendError. */
async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    throw BackendError.from(reason);
  }
}

/** The unified inbox, newest first, across all accounts. */
export function listInbox(limit: number): Promise<MessageSummary[]> {
  return call<MessageSummary[]>("list_inbox", { limit });
}
