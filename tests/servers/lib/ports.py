"""Port helpers for start (stdlib only).

  ports.py free HOST:PORT...          exit 1 and print the first busy one
  ports.py wait SECONDS HOST:PORT...  poll until each accepts a TCP connection;
                                      exit 1 and print those that never did
"""

import socket
import sys
import time


def split(spec):
    host, port = spec.rsplit(":", 1)
    return host, int(port)


def busy(spec):
    s = socket.socket()
    # Same option as the servers: a TIME_WAIT left by an earlier run is no conflict.
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(split(spec))
        return False
    except OSError:
        return True
    finally:
        s.close()


def accepts(spec):
    try:
        socket.create_connection(split(spec), timeout=1).close()
        return True
    except OSError:
        return False


def main(argv):
    if argv[0] == "free":
        for spec in argv[1:]:
            if busy(spec):
                print(spec)
                return 1
        return 0
    if argv[0] == "wait":
        deadline = time.monotonic() + float(argv[1])
        pending = argv[2:]
        while pending:
            pending = [spec for spec in pending if not accepts(spec)]
            if pending and time.monotonic() > deadline:
                print(" ".join(pending))
                return 1
            if pending:
                time.sleep(0.05)
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
