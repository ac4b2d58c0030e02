// What the main area shows.
export type View =
  | { kind: "inbox" }
  | { kind: "folder"; email: string; folder: string }
  | { kind: "search"; query: string }
  | { kind: "outbox" }
  | { kind: "settings" }
  | { kind: "onboarding" };
