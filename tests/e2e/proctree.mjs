// A process tree's memory from /proc: the app (or any client) and every process under it
// (WebKit's web and network processes), found by parent pid. What the app benchmark and the
// soak run read.
import { readFileSync, readdirSync, readlinkSync } from "node:fs";

/** pid → parent pid, for every process now. */
function parents() {
  const map = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // The command name is in parentheses and may hold spaces: fields start after ")".
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      map.set(Number(name), Number(fields[1]));
    } catch {
      // Gone since readdir.
    }
  }
  return map;
}

/** Every process under `root`, children first. */
export function descendants(root) {
  const ppid = parents();
  const out = [];
  const todo = [root];
  while (todo.length) {
    const p = todo.pop();
    for (const [pid, parent] of ppid) {
      if (parent === p) {
        out.push(pid);
        todo.push(pid);
      }
    }
  }
  return out;
}

/**
 * `pid` and its descendants, each with its name, RSS and PSS in kB. RSS summed counts every
 * shared library once per process that maps it; PSS shares each shared page out among
 * them, so the tree's PSS is what the tree really holds.
 */
export function memory(pid) {
  const rows = [];
  for (const p of [pid, ...descendants(pid)]) {
    try {
      const status = readFileSync(`/proc/${p}/status`, "utf8");
      const kb = (re, text) => Number(re.exec(text)?.[1] ?? 0);
      const rss = kb(/^VmRSS:\s+(\d+) kB/m, status);
      let pss = 0;
      try {
        pss = kb(/^Pss:\s+(\d+) kB/m, readFileSync(`/proc/${p}/smaps_rollup`, "utf8"));
      } catch {
        pss = rss;
      }
      const name = /^Name:\s+(.*)$/m.exec(status)?.[1] ?? "?";
      rows.push({ pid: p, name, rss, pss });
    } catch {
      // Exited meanwhile.
    }
  }
  return rows;
}

/** The one process under `root` (tauri-driver) running the executable `exe`. */
export function processUnder(root, exe) {
  const mine = descendants(root).filter((pid) => {
    try {
      return readlinkSync(`/proc/${pid}/exe`) === exe;
    } catch {
      return false;
    }
  });
  if (mine.length !== 1) throw new Error(`expected one ${exe} process under pid ${root}, found ${mine.length}`);
  return mine[0];
}
