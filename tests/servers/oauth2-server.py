"""A tiny OAuth2 token-introspection endpoint (RFC 7662) for Dovecot's oauth2 passdb.

Usage: python3 oauth2-server.py PORT TOKENS_JSON PID_FILE

TOKENS_JSON maps access tokens to introspection answers, e.g.
  {"tok-alice": {"active": true, "username": "alice@example.test"}}
It is re-read on every request, so a test can revoke or add tokens by
rewriting the file. Unknown tokens get 200 {"active": false}, as RFC 7662 says.
The token is accepted the three ways Dovecot can send it: POST form body
(introspection_mode = post), ?token= (get) or Authorization: Bearer (auth).
"""

import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class Handler(BaseHTTPRequestHandler):
    tokens_file = ""

    def answer(self, token):
        try:
            with open(self.tokens_file, encoding="utf-8") as f:
                known = json.load(f)
        except (OSError, ValueError) as e:
            self.log_message("cannot read %s: %s", self.tokens_file, e)
            known = {}
        info = known.get(token) if token else None
        body = json.dumps(info if info else {"active": False}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def token_from(self, query):
        values = query.get("token")
        if values:
            return values[0]
        auth = self.headers.get("Authorization", "")
        if auth.lower().startswith("bearer "):
            return auth[7:].strip()
        return None

    def do_GET(self):
        self.answer(self.token_from(parse_qs(urlsplit(self.path).query)))

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode("utf-8", "replace"))
        self.answer(self.token_from(form))

    def log_message(self, fmt, *args):
        # To the log file start redirects stderr to (throwaway test tokens only).
        sys.stderr.write("%s %s\n" % (self.log_date_time_string(), fmt % args))
        sys.stderr.flush()


def main():
    port, tokens_file, pid_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    try:
        os.setsid()  # detach from the caller's session, as Dovecot and Postfix do
    except OSError:
        pass  # already a process group leader: stay put, stop kills by pid anyway
    Handler.tokens_file = tokens_file
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    # The pid file appears only once the port is bound: start waits for it.
    with open(pid_file + ".tmp", "w") as f:
        f.write("%d\n" % os.getpid())
    os.rename(pid_file + ".tmp", pid_file)
    sys.stderr.write("listening on 127.0.0.1:%d\n" % port)
    sys.stderr.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
