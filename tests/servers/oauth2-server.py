"""A tiny OAuth2 authorization server for the tests, and the token-introspection
endpoint (RFC 7662) Dovecot's oauth2 passdb asks.

Usage: python3 oauth2-server.py PORT TOKENS_JSON PID_FILE

Authorization code flow with PKCE (RFC 6749, RFC 7636), for the public client
"courriel-test":
  GET  /authorize?response_type=code&client_id=..&redirect_uri=..&state=..
       &code_challenge=..&code_challenge_method=S256[&login_hint=user]
       The user "consents" at once: 302 to redirect_uri?code=..&state=..
       (login_hint names the user; without it, or with deny=1, the answer is
       error=access_denied).
  POST /token  grant_type=authorization_code (code, redirect_uri, client_id,
       code_verifier) or grant_type=refresh_token (refresh_token, client_id):
       a new access token (added to TOKENS_JSON, so Dovecot accepts it), and a
       refresh token; an unknown or revoked one is 400 {"error": "invalid_grant"}.
  POST /revoke token=.. (RFC 7009): forgets an access or refresh token.

TOKENS_JSON maps access tokens to introspection answers, e.g.
  {"tok-alice": {"active": true, "username": "alice@example.test"}}
It is re-read on every request, so a test can revoke or add tokens by
rewriting the file. While TOKENS_JSON.down exists, /token is in an outage: 503
with {"error": "temporarily_unavailable"} when the file says "json", else a
503 HTML page as a proxy in front of a dead server would send. Unknown tokens get 200 {"active": false}, as RFC 7662 says.
The token is accepted the three ways Dovecot can send it: POST form body
(introspection_mode = post), ?token= (get) or Authorization: Bearer (auth).
"""

import base64
import hashlib
import json
import os
import secrets
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


CLIENT_ID = "courriel-test"
LOCK = threading.Lock()
CODES = {}     # code -> {user, challenge, redirect_uri}
REFRESH = {}   # refresh token -> user


class Handler(BaseHTTPRequestHandler):
    tokens_file = ""

    def reply(self, status, payload, headers=()):
        body = json.dumps(payload).encode()
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def tokens(self, change):
        """Read-modify-write TOKENS_JSON under the lock, atomically."""
        with LOCK:
            try:
                with open(self.tokens_file, encoding="utf-8") as f:
                    known = json.load(f)
            except (OSError, ValueError):
                known = {}
            change(known)
            tmp = self.tokens_file + ".tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(known, f)
            os.rename(tmp, self.tokens_file)

    def authorize(self, query):
        one = lambda k: (query.get(k) or [""])[0]
        redirect, state = one("redirect_uri"), one("state")
        if one("client_id") != CLIENT_ID or not redirect.startswith("http://127.0.0.1:"):
            return self.reply(400, {"error": "invalid_request"})
        sep = "&" if "?" in redirect else "?"
        user = one("login_hint")
        if not user or one("deny") == "1":
            location = "%s%serror=access_denied&state=%s" % (redirect, sep, state)
        elif one("code_challenge_method") != "S256" or not one("code_challenge"):
            location = "%s%serror=invalid_request&state=%s" % (redirect, sep, state)
        else:
            code = secrets.token_urlsafe(16)
            with LOCK:
                CODES[code] = {"user": user, "challenge": one("code_challenge"), "redirect_uri": redirect}
            location = "%s%scode=%s&state=%s" % (redirect, sep, code, state)
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def issue(self, user):
        access, refresh = "at-" + secrets.token_hex(16), "rt-" + secrets.token_hex(16)
        self.tokens(lambda known: known.update({access: {"active": True, "username": user}}))
        with LOCK:
            REFRESH[refresh] = user
        return self.reply(200, {"access_token": access, "token_type": "Bearer",
                                "expires_in": 3600, "refresh_token": refresh})

    def outage(self):
        """The /token outage a test asked for (TOKENS_JSON.down), if any."""
        try:
            with open(self.tokens_file + ".down", encoding="utf-8") as f:
                mode = f.read().strip()
        except OSError:
            return False
        if mode == "json":
            self.reply(503, {"error": "temporarily_unavailable", "error_description": "try later"})
        else:
            body = b"<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>"
            self.send_response(503)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        return True

    def token(self, form):
        if self.outage():
            return
        one = lambda k: (form.get(k) or [""])[0]
        if one("client_id") != CLIENT_ID:
            return self.reply(401, {"error": "invalid_client"})
        grant = one("grant_type")
        if grant == "authorization_code":
            with LOCK:
                pending = CODES.pop(one("code"), None)
            verifier = one("code_verifier").encode()
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=").decode()
            if not pending or pending["redirect_uri"] != one("redirect_uri") or pending["challenge"] != digest:
                return self.reply(400, {"error": "invalid_grant", "error_description": "bad code or verifier"})
            return self.issue(pending["user"])
        if grant == "refresh_token":
            with LOCK:
                user = REFRESH.get(one("refresh_token"))
            if not user:
                return self.reply(400, {"error": "invalid_grant", "error_description": "token revoked"})
            return self.issue(user)
        return self.reply(400, {"error": "unsupported_grant_type"})

    def revoke(self, form):
        token = (form.get("token") or [""])[0]
        with LOCK:
            REFRESH.pop(token, None)
        self.tokens(lambda known: known.pop(token, None))
        self.reply(200, {})

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
        url = urlsplit(self.path)
        if url.path == "/authorize":
            return self.authorize(parse_qs(url.query))
        self.answer(self.token_from(parse_qs(url.query)))

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode("utf-8", "replace"))
        path = urlsplit(self.path).path
        if path == "/token":
            return self.token(form)
        if path == "/revoke":
            return self.revoke(form)
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
