// The UI and the shell agree on names that no compiler checks: a command backend.ts calls
// that the shell does not register fails only when clicked ("command not found"), and an
// event the UI listens for under another name than the shell emits never arrives. Both
// sides are read as text: the `tauri::generate_handler![...]` and `table![...]` lists and
// the `emit(...)` calls of src-tauri/src (lib.rs holds the lists today), the `call("...")` and
// `listen("...")` of backend.ts.
import { describe, expect, it } from "vitest";
import backendTs from "./backend.ts?raw";

const shell = import.meta.glob<string>("../../../src-tauri/src/**/*.rs", { query: "?raw", import: "default", eager: true });
/** Every file of the shell, for the one `generate_handler!` wherever it lives (lib.rs today). */
const shellRs = Object.values(shell).join("\n");

/**
 * Commands the shell registers that backend.ts does not call, each with the reason
 * (e.g. `"some_command": "called by the tray menu in desktop.rs"`). None today.
 */
const USED_ELSEWHERE: Record<string, string> = {};

/** The names the shell registers: the entries of its `generate_handler![...]` and of the
 * `table![...]` lists lib.rs makes its second handler from (the macro's own template,
 * written with `$`, left out); each entry's last path segment (the fn's name). */
function registered(rust: string): string[] {
  const lists = [...rust.matchAll(/\b(?:generate_handler|table)!\s*\[([^\]]*)\]/g)]
    .map((m) => m[1]!)
    .filter((list) => !list.includes("$"));
  if (lists.length === 0) throw new Error("no generate_handler! list in the shell");
  return lists.flatMap((list) =>
    list
      .split(",")
      .map((entry) => entry.trim().split("::").pop() ?? "")
      .filter((name) => name !== ""),
  );
}

/** The command names backend.ts passes to `call` (with or without a type argument). */
function called(ts: string): string[] {
  return [...ts.matchAll(/\bcall\s*(?:<[^(]*?>)?\(\s*"([^"]+)"/g)].map((m) => m[1]!);
}

/**
 * The events the shell emits: `emit(NAME, ...)` (or `emit(module::NAME, ...)`) resolved
 * through `const NAME: &str = "..."`, or a string literal.
 */
function emitted(rust: string): string[] {
  const consts = new Map([...rust.matchAll(/const\s+([A-Z_]+)\s*:\s*&str\s*=\s*"([^"]+)"/g)].map((m) => [m[1]!, m[2]!]));
  return [...rust.matchAll(/\.emit\(\s*(?:[a-z_]+::)*([A-Z_]+|"[^"]+")/g)].map((m) => {
    const arg = m[1]!;
    return arg.startsWith('"') ? arg.slice(1, -1) : (consts.get(arg) ?? `unresolved constant ${arg}`);
  });
}

/** The events backend.ts listens for. */
function listened(ts: string): string[] {
  return [...ts.matchAll(/\blisten\s*(?:<[^(]*?>)?\(\s*"([^"]+)"/g)].map((m) => m[1]!);
}

const sorted = (names: string[]): string[] => [...new Set(names)].sort();

describe("commands: backend.ts and the shell's generate_handler!", () => {
  it("reads both lists", () => {
    expect(registered(shellRs).length).toBeGreaterThan(40);
    expect(called(backendTs).length).toBeGreaterThan(40);
  });

  it("registers every command backend.ts calls", () => {
    const shellHas = new Set(registered(shellRs));
    expect(called(backendTs).filter((name) => !shellHas.has(name))).toEqual([]);
  });

  it("calls every registered command, or says where it is used", () => {
    const uiCalls = new Set(called(backendTs));
    const unused = registered(shellRs).filter((name) => !uiCalls.has(name) && !(name in USED_ELSEWHERE));
    expect(unused).toEqual([]);
  });

  it("lists as used elsewhere only commands that are registered and not called", () => {
    const shellHas = new Set(registered(shellRs));
    const uiCalls = new Set(called(backendTs));
    const stale = Object.keys(USED_ELSEWHERE).filter((name) => !shellHas.has(name) || uiCalls.has(name));
    expect(stale).toEqual([]);
  });

  it("talks to the shell only through call()", () => {
    // Another invoke() would bypass this check (and BackendError).
    expect(backendTs.match(/\binvoke\s*(?:<[^(]*?>)?\(/g)).toHaveLength(1);
  });

  it("finds names in the shapes the files use", () => {
    expect(registered("tauri::generate_handler![\n  commands::a::one,\n  commands::b::two,\n]")).toEqual(["one", "two"]);
    expect(called('call("one"); call<Foo<Bar>>(\n  "two", { x })')).toEqual(["one", "two"]);
    expect(emitted('pub const X: &str = "x";\napp.emit(X, ());\nh.emit("y", 1);\nh.emit(events::X, ())')).toEqual(["x", "y", "x"]);
  });
});

describe("events: the shell's emit() and backend.ts's listen()", () => {
  it("listens for exactly the events the shell emits", () => {
    const fromShell = sorted(emitted(shellRs));
    expect(fromShell.length).toBeGreaterThanOrEqual(5);
    expect(sorted(listened(backendTs))).toEqual(fromShell);
  });
});
