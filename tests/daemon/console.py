#!/usr/bin/python3
# Drives Debian's `virsh console` (or CLIENT's: virtkit's) on a pseudo-terminal (what `expect`
# would do) against a guest (defined, shut off) whose boot sector echoes its serial input
# upper-cased: bytes typed reach the guest through the stream and its answer comes back. No
# console while it is off, a second session is refused, --force takes the console over, ^] ends
# a session, destroying the guest ends one. TAP output.
# usage: console.py URI DOMAIN [CLIENT [MODE]]
# MODE local-force: embedded clients, where --force cannot take another process's session;
# MODE libvirtd: the server is libvirtd, which fails the session it takes away.
import os
import pty
import select
import sys
import time

uri, name = sys.argv[1], sys.argv[2]
client = sys.argv[3] if len(sys.argv) > 3 else "virsh"
mode = sys.argv[4] if len(sys.argv) > 4 else ""
n = 0
failed = 0


def ok(cond, desc, diag=""):
    global n, failed
    n += 1
    print(("ok %d - %s" if cond else "not ok %d - %s") % (n, desc), flush=True)
    if not cond:
        failed += 1
        for line in str(diag).splitlines():
            print("# " + line, flush=True)


class Session:
    """CLIENT console on a pty of its own."""

    def __init__(self, *extra):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execvp(client, [client, "-c", uri, "console", *extra, name])
        self.buf = b""

    def read_until(self, needle, timeout=30):
        end = time.time() + timeout
        while needle not in self.buf and time.time() < end:
            r, _, _ = select.select([self.fd], [], [], 0.2)
            if r:
                try:
                    data = os.read(self.fd, 4096)
                except OSError:
                    break
                if not data:
                    break
                self.buf += data
        return needle in self.buf

    def send(self, data):
        os.write(self.fd, data)

    def wait(self, timeout=30):
        end = time.time() + timeout
        while time.time() < end:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                # drain what it printed last
                self.read_until(b"\0", 0.2)
                return os.waitstatus_to_exitcode(status)
            self.read_until(b"\0", 0.2)
        os.kill(self.pid, 9)
        os.waitpid(self.pid, 0)
        return None


def probe(s):
    """Types until the guest answers: qemu ignores what arrives before it notices that the pty
    has a reader (it checks once a second)."""
    for _ in range(100):
        s.send(b"p")
        if s.read_until(b"P", 0.3):
            return True
    return False


off = Session()
rc = off.wait()
ok(rc != 0 and b"The domain is not running" in off.buf, "no console while the guest is off",
   off.buf)
os.system("%s -c '%s' start %s >/dev/null" % (client, uri, name))

first = Session()
ok(first.read_until(b"Escape character is ^]"), "console connects", first.buf)
ok(probe(first), "the guest answers through the stream", first.buf)
first.send(b"hello, console")
ok(first.read_until(b"HELLO, CONSOLE"), "bytes go to the guest and its answer comes back",
   first.buf)

second = Session()
rc = second.wait()
ok(rc != 0 and b"Active console session exists for this domain" in second.buf,
   "a second session is refused", second.buf)

if mode == "local-force":
    # Embedded clients are processes of their own, and --force takes over only a session of
    # the same process (as libvirt's console locks): the first session goes on.
    forced = Session("--force")
    rc = forced.wait()
    ok(rc != 0 and b"Active console session exists for this domain" in forced.buf,
       "--force does not take another process's session", forced.buf)
    forced = first
else:
    forced = Session("--force")
    ok(forced.read_until(b"Escape character is ^]"), "--force takes the console over",
       forced.buf)
    rc = first.wait()
    if mode == "libvirtd":
        # libvirtd aborts the stream of the session it takes away: virsh says so and fails
        ok(rc == 1 and b"error: stream had I/O failure" in first.buf,
           "the first session ends when its console is taken", "exit %r %r" % (rc, first.buf))
    else:
        ok(rc == 0, "the first session ends when its console is taken",
           "exit %r %r" % (rc, first.buf))
ok(probe(forced), "the new session reaches the guest", forced.buf)
forced.send(b"again")
ok(forced.read_until(b"AGAIN"), "and its answers", forced.buf)
forced.send(b"\x1d")
rc = forced.wait()
ok(rc == 0, "^] ends the session", "exit %r %r" % (rc, forced.buf))

unknown = Session("--devname", "serial7")
rc = unknown.wait()
ok(rc != 0 and b"cannot find character device serial7" in unknown.buf, "an unknown device name",
   unknown.buf)
again = Session("--devname", "serial0")
ok(again.read_until(b"Escape character is ^]") and probe(again),
   "the serial port by its name serial0", again.buf)
# the guest goes away under an open session: the client hears the end of the stream
os.system("%s -c '%s' destroy %s >/dev/null" % (client, uri, name))
rc = again.wait()
ok(rc is not None, "a session ends when its guest is destroyed", again.buf)

print("1..%d" % n)
sys.exit(1 if failed else 0)
