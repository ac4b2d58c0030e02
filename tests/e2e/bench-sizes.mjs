// The app on caches of several sizes side by side (tests/e2e/bench-app, BENCH_SIZES): from
// each size's bench-app.mjs result (size-N.json) and list_timing output (size-N.txt) in
// DIR, the start, the tree's memory and the engine's timings, and issue 19's goals for a
// million messages: start at most 1 s, the tree's PSS within 10 MB of the smallest size's,
// search p95 and the folder counts at most 20 ms each.
//
//   node bench-sizes.mjs DIR SIZE...

import { readFileSync } from "node:fs";

const [dir, ...sizes] = process.argv.slice(2);
const results = sizes.map((size) => ({
  size: Number(size),
  app: JSON.parse(readFileSync(`${dir}/size-${size}.json`, "utf8")),
  timings: timings(readFileSync(`${dir}/size-${size}.txt`, "utf8")),
}));

/** list_timing's lines ("label   12.34 ms") as label → ms. */
function timings(text) {
  const out = new Map();
  for (const line of text.split("\n")) {
    const m = /^(.*?)\s+([\d.]+) ms$/.exec(line);
    if (m) out.set(m[1].trim(), Number(m[2]));
  }
  return out;
}

const mb = (kb) => `${(kb / 1024).toFixed(1)} MB`;
const ms = (v) => (v === undefined ? "?" : `${v.toFixed(v < 10 ? 2 : 0)} ms`);
const row = (label, cells, goal = "") =>
  console.log(`  ${label.padEnd(38)}${cells.map((c) => String(c).padStart(14)).join("")}   ${goal}`);
const met = (ok) => (ok ? "met" : "NOT met");

console.log("");
console.log("Courriel on caches of each size (seed_cache: the app alone, no server)");
row("cached messages", results.map((r) => r.size.toLocaleString("en")));
row("cold start to a painted inbox, median", results.map((r) => ms(r.app.median)));
row("tree after 50 messages opened, PSS", results.map((r) => mb(r.app.opened.pss)));
row("  the same, RSS summed", results.map((r) => mb(r.app.opened.rss)));
row("  the same, anonymous memory", results.map((r) => mb(r.app.opened.anon)));
const timed = (label) => results.map((r) => ms(r.timings.get(label)));
row("folders with their counts", timed("folders with their counts"));
row("search p50 (100 queries)", timed("search p50 (100 queries, 50 results)"));
row("search p95", timed("search p95"));
row("inbox first page (100), grouped", timed("inbox first page (100), grouped"));
row("inbox ids, grouped", timed("inbox ids, grouped"));
row("opening the engine", timed("opening the engine"));

const [small, big] = [results[0], results.at(-1)];
if (results.length > 1) {
  const grew = (big.app.opened.pss - small.app.opened.pss) / 1024;
  const p95 = big.timings.get("search p95") ?? Infinity;
  const counts = big.timings.get("folders with their counts") ?? Infinity;
  const at = big.size.toLocaleString("en");
  console.log(`  goals at ${at} messages:`);
  console.log(`    start at most 1 s (median): ${met(big.app.median <= 1000)}`);
  console.log(`    the tree's PSS within 10 MB of ${small.size.toLocaleString("en")}'s: ${grew >= 0 ? "+" : ""}${grew.toFixed(1)} MB, ${met(grew <= 10)}`);
  console.log(`    search p95 at most 20 ms: ${met(p95 <= 20)}`);
  console.log(`    folder counts at most 20 ms: ${met(counts <= 20)}`);
}
