// A local HTTP server that counts requests: the "remote host" of the HTML test's images.
// Prints its port on stdout once listening. GET /__count answers the number of other
// requests so far (as JSON) and is not counted itself. Bound to 127.0.0.1 only; it stops
// when its parent kills it (tests/e2e/run) or after an hour at most.
import { createServer } from "node:http";

let hits = 0;
const server = createServer((req, res) => {
  if (req.url === "/__count") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ hits }));
    return;
  }
  hits += 1;
  // A 1x1 transparent GIF.
  const gif = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");
  res.writeHead(200, { "content-type": "image/gif", "cache-control": "no-store" });
  res.end(gif);
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${server.address().port}\n`);
});
setTimeout(() => process.exit(0), 3600_000).unref();
