// The one module that talks to the Rust backend. Nothing else imports @tauri-apps/*.
// Every command is one engine call; a rejection always comes out as a BackendError.

import { Channel, convertFileSrc, invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type {
  ActReport,
  Account,
  Attachment,
  ConfirmLink,
  DiscoveredSettings,
  DomainReport,
  Draft,
  Folder,
  Identity,
  Lang,
  LocalDraft,
  MailChanged,
  MessageAction,
  MessageDetail,
  MessageSummary,
  Moved,
  NewAccount,
  OpenMessage,
  Opening,
  OutboxItem,
  RemoteContent,
  TrustVerdict,
  SendReport,
  SentCopy,
  Settings,
  SyncProgress,
  SyncReport,
  TraceView,
  UnsubscribePlan,
  Unsubscribed,
} from "./bindings";
import type { Contact } from "./bindings";
import { BackendError } from "./errors";

export { BackendError } from "./errors";

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    throw BackendError.from(reason);
  }
}

// --- Accounts and onboarding.
export const accounts = (): Promise<Account[]> => call("accounts");
export const discover = (email: string, displayName: string): Promise<DiscoveredSettings[]> =>
  call("discover", { email, displayName });
export const addAccount = (account: NewAccount, password: string, source: string): Promise<Account> =>
  call("add_account", { account, password, source });
export const beginOauth = (provider: string, email: string): Promise<void> =>
  call("begin_oauth", { provider, email });
export const finishOauthAccount = (account: NewAccount, provider: string, source: string): Promise<Account> =>
  call("finish_oauth_account", { account, provider, source });
export const finishSignIn = (email: string): Promise<Account> => call("finish_sign_in", { email });
export const changePassword = (email: string, password: string): Promise<Account> =>
  call("change_password", { email, password });
export const removeAccount = (email: string, discardOutbox: boolean): Promise<void> =>
  call("remove_account", { email, discardOutbox });
export const saveIdentity = (email: string, identity: Identity): Promise<Account> =>
  call("save_identity", { email, identity });
export const removeIdentity = (email: string, identity: string): Promise<Account> =>
  call("remove_identity", { email, identity });
export const setSendLimits = (email: string, perMinute: number, perDay: number): Promise<void> =>
  call("set_send_limits", { email, perMinute, perDay });
export const setSentCopy = (email: string, sentCopy: SentCopy): Promise<Account> =>
  call("set_sent_copy", { email, sentCopy });
export const setSyncWindow = (email: string, days: number | null): Promise<void> =>
  call("set_sync_window", { email, days });

// --- Mailboxes.
// `grouped`: one row per conversation, its newest message with the others' marks
// (`MessageSummary.conversation`); the ids, first page and summaries of one list agree on it.
export const listInbox = (limit: number, grouped = false): Promise<MessageSummary[]> =>
  call("list_inbox", { limit, grouped });
export const folders = (email: string): Promise<Folder[]> => call("folders", { email });
export const folderMessages = (email: string, folder: string, limit: number, grouped = false): Promise<MessageSummary[]> =>
  call("folder_messages", { email, folder, limit, grouped });
export const inboxIds = (grouped = false): Promise<number[]> => call("inbox_ids", { grouped });
export const folderIds = (email: string, folder: string, grouped = false): Promise<number[]> =>
  call("folder_ids", { email, folder, grouped });
export const summaries = (ids: number[], grouped = false): Promise<MessageSummary[]> =>
  call("summaries", { ids, grouped });
export const search = (query: string, limit: number): Promise<MessageSummary[]> =>
  call("search", { query, limit });
export const thread = (threadId: number): Promise<MessageSummary[]> => call("thread", { threadId });

// --- Folder management (the sidebar): on the server at once, the cache following.
export const createFolder = (email: string, parent: string | null, name: string): Promise<Folder> =>
  call("create_folder", { email, parent, name });
export const renameFolder = (email: string, folder: string, name: string): Promise<Folder> =>
  call("rename_folder", { email, folder, name });
export const deleteFolder = (email: string, folder: string): Promise<void> => call("delete_folder", { email, folder });

/** Syncs an account; `onProgress` gets each folder's batches as they land. */
export function sync(email: string, onProgress: (p: SyncProgress) => void): Promise<SyncReport> {
  const progress = new Channel<SyncProgress>();
  progress.onmessage = onProgress;
  return call("sync", { email, progress });
}

// --- The reader.
export const show = (id: number): Promise<MessageDetail> => call("show", { id });
export const act = (id: number, action: MessageAction): Promise<number> => call("act", { id, action });
export const remoteContent = (id: number): Promise<RemoteContent> => call("remote_content", { id });
export const messageTrust = (id: number): Promise<TrustVerdict> => call("message_trust", { id });
export const setRemoteContent = (sender: string, always: boolean): Promise<void> =>
  call("set_remote_content", { sender, always });

/** One action on many messages: one server command per folder; `undo` lists what moved. */
export const actMany = (ids: number[], action: MessageAction): Promise<ActReport> => call("act_many", { ids, action });
/** The same on grouped rows: each id stands for its whole conversation in its folder. */
export const actOnConversations = (ids: number[], action: MessageAction): Promise<ActReport> =>
  call("act_on_conversations", { ids, action });
/** Puts back what an action moved; how many went back. */
export const undo = (moved: Moved[]): Promise<number> => call("undo", { moved });
/**
 * Opens an attachment with the system's application from a private copy. Something that
 * runs (a program, a script) is not opened until asked again with `confirmed`: the answer
 * is then `needsConfirmation`, naming what it is.
 */
export const openAttachment = (id: number, part: string, confirmed = false): Promise<Opening> =>
  call("open_attachment", { id, part, confirmed });
/** Saves an attachment where the user chooses in the system's dialog (titled `title`,
 * starting in Downloads); returns where it went, or null when the user cancelled. */
export const saveAttachment = (id: number, part: string, title: string): Promise<string | null> =>
  call("save_attachment", { id, part, title });
/** The message as the server sent it, headers and all, as text (shown, never rendered). */
export const messageSource = (id: number): Promise<string> => call("message_source", { id });
/** Saves the message as `<subject>.eml` where the user chooses (starting in Downloads);
 * returns where it went, or null when the user cancelled. */
export const saveEml = (id: number, title: string): Promise<string | null> => call("save_eml", { id, title });
/** Attach: the files picked in the system's dialog, read (none when cancelled). */
export const pickAttachments = (title: string): Promise<Attachment[]> => call("pick_attachments", { title });
/** The system's print dialog for the message shown (the window's print stylesheet). */
export const print = (): Promise<void> => call("print");
/** The appearance chosen in Settings (the shell keeps it with the window's size). */
export type Appearance = "system" | "light" | "dark";
export const appearance = (): Promise<Appearance> => call("appearance");
export const setAppearance = (appearance: Appearance): Promise<void> => call("set_appearance", { appearance });

/**
 * The reader frame's address for one load of message `id`'s sanitized page: the shell
 * hands out a one-time token (src-tauri/src/grants.rs). Remote content loads when
 * `remoteOnce` (the user's "Load images") or when the sender is allowed always and proven;
 * nothing else in the address decides it.
 */
export async function readerUrl(id: number, remoteOnce: boolean, dark = false): Promise<string> {
  const token = await call<string>("reader_frame", { id, remoteOnce });
  const look = dark ? "&look=dark" : ""; // the page in the dark theme (engine reader/dark.rs)
  return `${convertFileSrc(String(id), "courriel-msg")}?t=${encodeURIComponent(token)}${look}`;
}
/** Opens a link the user confirmed after seeing its real address (`onConfirmLink`). */
export const openLink = (url: string): Promise<void> => call("open_link", { url });
/** How message `id`'s list would be left (null: no way offered); nothing is done. */
export const unsubscribePlan = (id: number): Promise<UnsubscribePlan | null> => call("unsubscribe_plan", { id });
/** Leaves the list as planned: the one-click POST, the mail queued, or the page opened. */
export const unsubscribe = (id: number): Promise<Unsubscribed> => call("unsubscribe", { id });

// --- Sending and the outbox.
export const queue = (email: string, draft: Draft, delaySecs: number, sendAt: number | null): Promise<SendReport> =>
  call("queue", { email, draft, delaySecs, sendAt });
export const saveDraft = (draft: LocalDraft): Promise<void> => call("save_draft", { draft });
export const drafts = (): Promise<LocalDraft[]> => call("drafts");
export const deleteDraft = (key: string): Promise<void> => call("delete_draft", { key });
/** A message of a Drafts folder as a draft being written here (engine `edit_draft`). */
export const editDraft = (id: number): Promise<LocalDraft> => call("edit_draft", { id });
/** The account's server's message size limit in bytes, when known (EHLO SIZE). */
export const sendSizeLimit = (email: string): Promise<number | null> => call("send_size_limit", { email });
/** Address completion: the contacts the typed words find, best first. */
export const contacts = (query: string, limit: number): Promise<Contact[]> => call("contacts", { query, limit });
/** Never suggest this address again, until a message is written to it. */
export const forgetContact = (address: string): Promise<boolean> => call("forget_contact", { address });
export const undoSend = (outboxId: number): Promise<void> => call("undo_send", { outboxId });
export const outbox = (lang: Lang): Promise<OutboxItem[]> => call("outbox", { lang });
export const trace = (outboxId: number, lang: Lang): Promise<TraceView> => call("trace", { outboxId, lang });
export const resend = (outboxId: number): Promise<SendReport> => call("resend", { outboxId });
export const discard = (outboxId: number): Promise<void> => call("discard", { outboxId });
export const outboxDraft = (outboxId: number): Promise<Draft> => call("outbox_draft", { outboxId });

// --- Settings: your domain, the settings themselves.
/** The domains of your addresses whose DNS you control (none at gmail.com-style providers). */
export const ownDomains = (): Promise<string[]> => call("own_domains");
export const domainCheck = (domain: string): Promise<DomainReport> => call("domain_check", { domain });
/** Sends a message from `email` to itself and says how it arrived (waits up to 90 s). */
export const domainSelfTest = (email: string): Promise<TrustVerdict> => call("domain_self_test", { email });
/** Every setting (background mode, notifications, the undo window), defaults included. */
export const settings = (): Promise<Settings> => call("settings");
/** Saves and applies the settings (the tray icon comes or goes); returns what was kept. */
export const setSettings = (settings: Settings): Promise<Settings> => call("set_settings", { settings });

// --- Events from background work; their payloads are generated from the engine's api.rs.
/** A background sync of an account finished (or failed). */
export const onMailChanged = (handler: (e: MailChanged) => void): Promise<UnlistenFn> =>
  listen<MailChanged>("mail-changed", (event) => handler(event.payload));

/** A new-mail notification was clicked: open that message (`null`: the inbox). */
export const onOpenMessage = (handler: (id: number | null) => void): Promise<UnlistenFn> =>
  listen<OpenMessage>("open-message", (event) => handler(event.payload.id));

/** A link clicked in a message shows another address than it opens: ask first. */
export const onConfirmLink = (handler: (link: ConfirmLink) => void): Promise<UnlistenFn> =>
  listen<ConfirmLink>("confirm-link", (event) => handler(event.payload));

/** The outbox changed (a message was sent, refused, deferred). */
export const onOutboxChanged = (handler: () => void): Promise<UnlistenFn> =>
  listen("outbox-changed", () => handler());

// --- The installed app: mailto: links and closing (src-tauri/src/desktop.rs).
/** The drafts of the mailto: links received since the last call, each one once. */
export const takeMailto = (): Promise<Draft[]> => call("take_mailto");
/** A mailto: link arrived (a second launch, xdg-open): call `takeMailto`. */
export const onMailto = (handler: () => void): Promise<UnlistenFn> => listen("mailto", () => handler());
/** Ctrl+Q: quit as the tray's Quit does (the page is asked to save first: `onClosing`). */
export const quit = (): Promise<void> => call("quit");
/** The window is about to close: save, then `readyToClose` (src-tauri/src/closing.rs). */
export const onClosing = (handler: () => void): Promise<UnlistenFn> => listen("closing", () => handler());
export const readyToClose = (): Promise<void> => call("ready_to_close");
