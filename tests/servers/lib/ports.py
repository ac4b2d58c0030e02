"""Port helpers for start (stdlib only).

  ports.py free HOST:PORT...
      Exit 1 and print the first address that cannot be bound.
  ports.py wait SECONDS CA_FILE KIND=HOST:PORT...
      Poll until each server answers: KIND is imap, pop3, lmtp, smtp (greeting
      in clear), imaps, pop3s, smtps (TLS verified against CA_FILE, then the
      greeting) or tcp (connect only). A greeting proves more than a listening
      socket: Dovecot's login process and Postfix's smtpd (spawned on demand)
      actually start. Exit 1 and print what never answered, with the last error.
  ports.py owned PID HOST:PORT...
      Exit 1 and print the first address PID does not listen on. Cyrus's
      master, unlike Dovecot and Postfix, carries on without a port it could
      not bind, and whoever won it may well answer the greeting probe.
"""

import os
import socket
import ssl
import sys
import time

GREETING = {"imap": b"* OK", "pop3": b"+OK", "lmtp": b"220", "smtp": b"220"}
GOODBYE = {"imap": b"a LOGOUT\r\n", "pop3": b"QUIT\r\n", "lmtp": b"QUIT\r\n", "smtp": b"QUIT\r\n"}


def split(addr):
    host, port = addr.rsplit(":", 1)
    return host, int(port)


def busy(addr):
    s = socket.socket()
    # Same option as the servers: a TIME_WAIT left by an earlier run is no conflict.
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(split(addr))
        return False
    except OSError:
        return True
    finally:
        s.close()


def probe(kind, addr, tls):
    """None when the server answers as expected, else the reason it did not."""
    try:
        sock = socket.create_connection(split(addr), timeout=2)
    except OSError as e:
        return str(e)
    try:
        if kind in ("imaps", "pop3s", "smtps"):
            sock = tls.wrap_socket(sock, server_hostname=split(addr)[0])
            kind = kind[:-1]
        if kind == "tcp":
            return None
        line = sock.makefile("rb").readline()
        if not line.startswith(GREETING[kind]):
            return "unexpected greeting %r" % line[:80]
        sock.sendall(GOODBYE[kind])
        return None
    except (OSError, ssl.SSLError) as e:
        return str(e)
    finally:
        sock.close()


def listeners(pid):
    """The (host, port) pairs of the IPv4 listening sockets that pid holds."""
    inodes = set()
    for fd in os.listdir("/proc/%d/fd" % pid):
        try:
            link = os.readlink("/proc/%d/fd/%s" % (pid, fd))
        except OSError:
            continue
        if link.startswith("socket:["):
            inodes.add(link[8:-1])
    found = set()
    with open("/proc/net/tcp") as f:
        for line in list(f)[1:]:
            fields = line.split()
            if fields[3] != "0A" or fields[9] not in inodes:  # 0A: LISTEN
                continue
            addr, port = fields[1].split(":")
            packed = int(addr, 16).to_bytes(4, sys.byteorder)  # printed in host order
            found.add((socket.inet_ntoa(packed), int(port, 16)))
    return found


def main(argv):
    if argv[0] == "free":
        for addr in argv[1:]:
            if busy(addr):
                print(addr)
                return 1
        return 0
    if argv[0] == "wait":
        deadline = time.monotonic() + float(argv[1])
        tls = ssl.create_default_context(cafile=argv[2])
        pending = {spec: None for spec in argv[3:]}
        while pending:
            for spec in list(pending):
                kind, addr = spec.split("=", 1)
                pending[spec] = probe(kind, addr, tls)
                if pending[spec] is None:
                    del pending[spec]
            if pending and time.monotonic() > deadline:
                print("; ".join("%s (%s)" % item for item in pending.items()))
                return 1
            if pending:
                time.sleep(0.05)
        return 0
    if argv[0] == "owned":
        held = listeners(int(argv[1]))
        for addr in argv[2:]:
            if split(addr) not in held:
                print(addr)
                return 1
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
