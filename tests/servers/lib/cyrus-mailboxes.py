"""Mailboxes for cyrus-start (stdlib only).

  cyrus-mailboxes.py HOST IMAPS_PORT CA_FILE ADMIN USER...
      Passwords come in the environment: ADMIN_PASSWORD, and PASSWORD_<n>
      for the n-th USER (argv would show them in ps). The admin creates each
      user's INBOX (only an admin may: Cyrus's autocreate is left off) and
      its special-use folders; the user then logs in and subscribes to them,
      as Dovecot's `auto = subscribe` does for its users. Folders that exist
      already (a restart on the same state) are fine.
"""

import imaplib
import os
import ssl
import sys

# INBOX.<name> and its RFC 6154 attribute.
FOLDERS = [("Archive", r"\Archive"), ("Sent", r"\Sent"), ("Trash", r"\Trash"),
           ("Drafts", r"\Drafts"), ("Junk", r"\Junk")]


def check(what, reply):
    typ, data = reply
    if typ != "OK" and not (data and b"already exists" in (data[0] or b"")):
        raise SystemExit("%s: %s %r" % (what, typ, data))


def main(host, port, cafile, admin, *users):
    tls = ssl.create_default_context(cafile=cafile)
    imap = imaplib.IMAP4_SSL(host, int(port), ssl_context=tls, timeout=10)
    imap.login(admin, os.environ["ADMIN_PASSWORD"])
    for user in users:
        # The admin's name for user's INBOX.Sent is user.alice.Sent@example.test.
        local, domain = user.split("@")
        check("create %s" % user, imap._simple_command("CREATE", "user.%s@%s" % (local, domain)))
        for name, use in FOLDERS:
            box = "user.%s.%s@%s" % (local, name, domain)
            check("create " + box, imap._simple_command("CREATE", box, "(USE (%s))" % use))
    imap.logout()
    for n, user in enumerate(users):
        imap = imaplib.IMAP4_SSL(host, int(port), ssl_context=tls, timeout=10)
        imap.login(user, os.environ["PASSWORD_%d" % n])
        for name, _ in FOLDERS:
            check("subscribe " + name, imap.subscribe("INBOX." + name))
        imap.logout()


if __name__ == "__main__":
    main(*sys.argv[1:])
