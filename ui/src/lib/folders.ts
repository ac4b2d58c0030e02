// Folder management in the sidebar: which folders may be renamed or deleted, a name
// checked before it goes to the server, and what a dragged message row carries.

import type { Folder } from "./bindings";

/** The drag type of message rows: only Courriel's own rows drop on a folder. */
export const DRAG_TYPE = "application/x-courriel-messages";

export interface Dragged {
  account: string;
  /** The folder the rows are in (its server name). */
  folder: string;
  ids: number[];
}

/** What a dragged row carries (dataTransfer's text). */
export function dragData(account: string, folder: string, ids: number[]): string {
  return JSON.stringify({ account, folder, ids });
}

/** The rows dropped, or null for anything that is not ours (text, files, a forged drop). */
export function readDrag(text: string | undefined | null): Dragged | null {
  if (!text || text.length > 100_000) return null;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null) return null;
    const { account, folder, ids } = value as { account?: unknown; folder?: unknown; ids?: unknown };
    if (typeof account !== "string" || typeof folder !== "string") return null;
    if (!Array.isArray(ids) || ids.length === 0) return null;
    if (!ids.every((id) => Number.isSafeInteger(id) && id > 0)) return null;
    return { account, folder, ids: ids as number[] };
  } catch {
    return null;
  }
}

/** The rows a drag from row `id` carries: the picked ones when it is one of them. */
export function dragIds(picked: ReadonlySet<number>, id: number): number[] {
  return picked.has(id) ? [...picked] : [id];
}

/** Special-use folders (Inbox, Sent, Drafts, Trash, Junk, Archive) stay as they are. */
export const canManage = (f: Folder): boolean => f.role === null;

/** Whether `dragged` may drop on folder `f` of `account`: same account, another folder. */
export function canDrop(dragged: Dragged | null, account: string, f: Folder): boolean {
  return dragged !== null && dragged.account === account && f.name !== dragged.folder;
}

/** Why a typed name cannot be used (a key of the i18n table), or null when it can. */
export function nameProblem(name: string, delimiter: string): "folderNameEmpty" | "folderNameDelimiter" | null {
  const trimmed = name.trim();
  if (trimmed === "") return "folderNameEmpty";
  if (delimiter !== "" && trimmed.includes(delimiter)) return "folderNameDelimiter";
  return null;
}

/** The leaf of a folder's shown name (what Rename starts from). */
export function leafName(f: Folder): string {
  const d = f.delimiter;
  const parts = d ? f.displayName.split(d) : [f.displayName];
  return parts[parts.length - 1] ?? f.displayName;
}
