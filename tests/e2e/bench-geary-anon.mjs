// Anonymous memory of a process tree: its heaps, stacks and other memory backed by no file
// ("Anonymous" in each process's smaps_rollup), summed. PSS, the measure, shares
// each library's pages out among every process on the machine that maps them, so the
// same client reads lower while another WebKit application happens to run (on this shared
// machine: 198 to 284 MB PSS for one RSS of 470 MB, run to run); RSS counts the libraries
// once per process. The anonymous memory is what the client itself allocated and moves
// with nothing else: make bench-app prints it beside PSS and RSS, for both clients.
import { readFileSync } from "node:fs";

/** kB of anonymous memory of the processes of `rows` (as proctree.mjs's memory() gives). */
export function anonymousKb(rows) {
  let total = 0;
  for (const { pid } of rows) {
    try {
      const text = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
      total += Number(/^Anonymous:\s+(\d+) kB/m.exec(text)?.[1] ?? 0);
    } catch {
      // Exited meanwhile, or no smaps_rollup: counts nothing.
    }
  }
  return total;
}
