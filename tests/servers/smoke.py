"""Smoke test of a running instance: python3 smoke.py STATE_DIR/env

Checks what the Rust tests rely on, with stdlib clients only; prints one line
per check and exits 1 at the first failure.
"""

import base64
import imaplib
import poplib
import smtplib
import socket
import ssl
import sys
import time
import uuid


def load_env(path):
    with open(path) as f:
        return dict(line.rstrip("\n").split("=", 1) for line in f if "=" in line)


E = load_env(sys.argv[1])
HOST, ALT = E["HOST"], E["ALT_HOST"]
TLS = ssl.create_default_context(cafile=E["CA_FILE"])  # verifies the IP SAN


def ok(what):
    print("ok   " + what)


def check(cond, what):
    if not cond:
        print("FAIL " + what)
        sys.exit(1)
    ok(what)


def imaps():
    return imaplib.IMAP4_SSL(HOST, int(E["IMAPS_PORT"]), ssl_context=TLS)


def xoauth2(user, token):
    return "user=%s\x01auth=Bearer %s\x01\x01" % (user, token)


def oauthbearer(user, token):
    return "n,a=%s,\x01auth=Bearer %s\x01\x01" % (user, token)


def imap_auth(mech, first, error_reply):
    """AUTHENTICATE mech; answer an error challenge with error_reply."""
    m = imaps()
    steps = []

    def respond(challenge):
        steps.append(challenge)
        return first if len(steps) == 1 else error_reply

    t0 = time.monotonic()
    try:
        typ, _ = m.authenticate(mech, respond)
    except imaplib.IMAP4.error as e:
        typ = "NO: %s" % e
    dt = time.monotonic() - t0
    m.shutdown()
    return typ, dt, steps


# 1. IMAPS LOGIN and special-use folders
m = imaps()
m.login(E["BOB"], E["BOB_PASSWORD"])
typ, lines = m.list()
listing = b"\n".join(lines).decode()
for name, flag in [("Sent", "\\Sent"), ("Drafts", "\\Drafts"), ("Trash", "\\Trash"),
                   ("Junk", "\\Junk"), ("Archive", "\\Archive")]:
    check(any(flag in l and l.endswith(" " + name) for l in listing.splitlines()),
          "IMAPS LIST %s %s" % (name, flag))
m.logout()
print("     " + listing.replace("\n", "\n     "))

# 2. STARTTLS port from another loopback address: no login in clear
m = imaplib.IMAP4(ALT, int(E["IMAP_PORT"]))
src = m.sock.getsockname()[0]
check("LOGINDISABLED" in m.capabilities, "IMAP %s:%s (client %s) advertises LOGINDISABLED"
      % (ALT, E["IMAP_PORT"], src))
try:
    m.login(E["BOB"], E["BOB_PASSWORD"])
    check(False, "IMAP LOGIN before STARTTLS refused")
except imaplib.IMAP4.error as e:
    ok("IMAP LOGIN before STARTTLS refused: %s" % e)
m.starttls(ssl_context=TLS)
m.login(E["BOB"], E["BOB_PASSWORD"])
ok("IMAP STARTTLS then LOGIN")
m.logout()

# 3. SASL mechanisms on IMAPS
m = imaps()
m.login_cram_md5(E["BOB"], E["BOB_PASSWORD"])
ok("IMAPS AUTHENTICATE CRAM-MD5")
m.logout()
typ, dt, _ = imap_auth("PLAIN", "\0%s\0%s" % (E["BOB"], E["BOB_PASSWORD"]), "")
check(typ == "OK", "IMAPS AUTHENTICATE PLAIN")
m = imaps()
answers = iter([E["BOB"], E["BOB_PASSWORD"]])
typ, _ = m.authenticate("LOGIN", lambda challenge: next(answers))
m.logout()
check(typ == "OK", "IMAPS AUTHENTICATE LOGIN")
typ, dt, _ = imap_auth("XOAUTH2", xoauth2(E["BOB"], E["BOB_TOKEN"]), "")
check(typ == "OK", "IMAPS AUTHENTICATE XOAUTH2 (%.2f s)" % dt)
typ, dt, _ = imap_auth("OAUTHBEARER", oauthbearer(E["BOB"], E["BOB_TOKEN"]), b"\x01")
check(typ == "OK", "IMAPS AUTHENTICATE OAUTHBEARER (%.2f s)" % dt)
typ, dt, steps = imap_auth("XOAUTH2", xoauth2(E["BOB"], "bad-token"), "")
check(typ != "OK" and dt < 3, "IMAPS XOAUTH2 bad token fails in %.2f s: %s; error challenge %r"
      % (dt, typ, steps[1:]))
typ, dt, steps = imap_auth("OAUTHBEARER", oauthbearer(E["BOB"], "bad-token"), b"\x01")
check(typ != "OK" and dt < 3, "IMAPS OAUTHBEARER bad token fails in %.2f s: %s; error challenge %r"
      % (dt, typ, steps[1:]))
typ, dt, _ = imap_auth("XOAUTH2", xoauth2(E["ALICE"], E["BOB_TOKEN"]), "")
check(typ != "OK", "IMAPS XOAUTH2 with bob's token as alice fails: %s" % typ)

# 4. POP3S and POP3 + STLS (from ALT: USER refused before STLS)
p = poplib.POP3_SSL(HOST, int(E["POP3S_PORT"]), context=TLS)
p.user(E["ALICE"])
p.pass_(E["ALICE_PASSWORD"])
ok("POP3S USER/PASS: %s" % (p.stat(),))
p.quit()
p = poplib.POP3_SSL(HOST, int(E["POP3S_PORT"]), context=TLS)
resp = p._shortcmd("AUTH XOAUTH2 " + base64.b64encode(xoauth2(E["ALICE"], E["ALICE_TOKEN"]).encode()).decode())
check(resp.startswith(b"+OK"), "POP3S AUTH XOAUTH2: %s" % resp.decode())
p.quit()
p = poplib.POP3(ALT, int(E["POP3_PORT"]))
try:
    p.user(E["ALICE"])
    p.pass_(E["ALICE_PASSWORD"])
    check(False, "POP3 USER/PASS before STLS refused")
except poplib.error_proto as e:
    ok("POP3 USER/PASS before STLS refused: %s" % e)
p.stls(context=TLS)
p.user(E["ALICE"])
p.pass_(E["ALICE_PASSWORD"])
ok("POP3 STLS then USER/PASS")
p.quit()


# 5. Submission
def submit(smtp, label):
    subject = "smoke %s %s" % (label, uuid.uuid4().hex)
    smtp.ehlo("client.example.test")
    check("auth" in smtp.esmtp_features, "%s: AUTH offered (%s)" % (label, smtp.esmtp_features.get("auth")))
    smtp.user, smtp.password = E["ALICE"], E["ALICE_PASSWORD"]
    code, msg = smtp.auth("PLAIN", smtp.auth_plain)
    check(code == 235, "%s: AUTH PLAIN as alice -> %d" % (label, code))
    code, msg = smtp.mail(E["ALICE"])
    check(code == 250, "%s: MAIL FROM -> %d" % (label, code))
    code, msg = smtp.rcpt(E["REJECT_RCPT"])
    check(code == 550 and msg.startswith(b"5.1.1"), "%s: RCPT %s -> %d %s" % (label, E["REJECT_RCPT"], code, msg.decode()))
    code, msg = smtp.rcpt(E["TEMPFAIL_RCPT"])
    check(code == 451 and msg.startswith(b"4."), "%s: RCPT %s -> %d %s" % (label, E["TEMPFAIL_RCPT"], code, msg.decode()))
    code, msg = smtp.rcpt(E["BOB"])
    check(code == 250, "%s: RCPT bob -> %d" % (label, code))
    body = "From: %s\r\nTo: %s\r\nSubject: %s\r\nMessage-ID: <%s@example.test>\r\n\r\nhello\r\n" % (
        E["ALICE"], E["BOB"], subject, uuid.uuid4().hex)
    code, msg = smtp.data(body)
    check(code == 250, "%s: DATA -> %d %s" % (label, code, msg.decode()))
    smtp.quit()
    t0 = time.monotonic()
    while time.monotonic() - t0 < 10:
        m = imaps()
        m.login(E["BOB"], E["BOB_PASSWORD"])
        m.select("INBOX", readonly=True)
        typ, found = m.search(None, "SUBJECT", '"%s"' % subject)
        m.logout()
        if found[0]:
            ok("%s: message in bob's INBOX over IMAPS after %.2f s" % (label, time.monotonic() - t0))
            return
        time.sleep(0.1)
    check(False, "%s: message delivered to bob" % label)


s = smtplib.SMTP(HOST, int(E["SUBMISSION_PORT"]))
s.ehlo("client.example.test")
check("auth" not in s.esmtp_features and "starttls" in s.esmtp_features,
      "submission: no AUTH before STARTTLS, STARTTLS offered")
code, msg = s.docmd("AUTH", "PLAIN " + base64.b64encode(b"\0alice@example.test\0x").decode())
check(code >= 500, "submission: AUTH before STARTTLS -> %d %s" % (code, msg.decode()))
code, msg = s.docmd("MAIL", "FROM:<%s>" % E["ALICE"])
check(code >= 500, "submission: MAIL before STARTTLS -> %d %s" % (code, msg.decode()))
s.starttls(context=TLS)
submit(s, "submission")

submit(smtplib.SMTP_SSL(HOST, int(E["SUBMISSIONS_PORT"]), context=TLS), "submissions")

for mech in ("LOGIN", "CRAM-MD5"):
    s = smtplib.SMTP_SSL(HOST, int(E["SUBMISSIONS_PORT"]), context=TLS)
    s.ehlo("client.example.test")
    s.user, s.password = E["ALICE"], E["ALICE_PASSWORD"]
    code, msg = s.auth(mech, getattr(s, "auth_" + mech.lower().replace("-", "_")))
    check(code == 235, "submissions: AUTH %s as alice -> %d" % (mech, code))
    s.quit()
s = smtplib.SMTP_SSL(HOST, int(E["SUBMISSIONS_PORT"]), context=TLS)
s.ehlo("client.example.test")
code, msg = s.docmd("AUTH", "XOAUTH2 " + base64.b64encode(xoauth2(E["ALICE"], E["ALICE_TOKEN"]).encode()).decode())
check(code == 235, "submissions: AUTH XOAUTH2 as alice -> %d %s" % (code, msg.decode()))
s.quit()
s = smtplib.SMTP_SSL(HOST, int(E["SUBMISSIONS_PORT"]), context=TLS)
s.ehlo("client.example.test")
code, msg = s.docmd("AUTH", "OAUTHBEARER " + base64.b64encode(oauthbearer(E["ALICE"], "bad").encode()).decode())
if code == 334:
    code, msg = s.docmd(base64.b64encode(b"\x01").decode())
check(code == 535, "submissions: AUTH OAUTHBEARER bad token -> %d %s" % (code, msg.decode()))
s.quit()

# The listeners accept only on the addresses they should.
for port in ("IMAPS_PORT", "POP3S_PORT", "SUBMISSION_PORT", "LMTP_PORT"):
    try:
        socket.create_connection((ALT, int(E[port])), timeout=1).close()
        check(False, "%s not open on %s" % (port, ALT))
    except OSError:
        pass
ok("implicit-TLS, submission and LMTP ports closed on %s" % ALT)
print("all ok")
