#!/usr/bin/env python3
"""The timed part of bench/lifecycle (run by bench/lifecycle/run, which prepares the domains,
the network and the libvirt daemon): start + destroy of the same minimal guest by hand (bare
qemu), through virtkit and through virsh, alternated round by round, then medians and ratios."""
import argparse
import json
import math
import os
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

parser = argparse.ArgumentParser()
parser.add_argument("--rounds", type=int, required=True)
parser.add_argument("--virtkit", required=True)
parser.add_argument("--uri", required=True)
parser.add_argument("--root", required=True, help="the virtkit root of --uri")
parser.add_argument("--work", required=True, help="scratch directory for bare qemu")
parser.add_argument("--domain", required=True, help="the minimal guest")
parser.add_argument("--vnc-address", required=True, help="guest with <listen type='address'>")
parser.add_argument("--vnc-network", required=True, help="guest with <listen type='network'>")
parser.add_argument("--network", required=True)
parser.add_argument("--lookup", required=True, help="the bench_lookup program")
parser.add_argument("--accel", required=True, help="what to print: KVM or TCG (...)")
parser.add_argument("--libvirt", help="virsh URI; unset when libvirt is not available")
parser.add_argument("--libvirt-domain")
parser.add_argument("--libvirt-version", default="?")
parser.add_argument("--libvirt-missing", default="", help="why libvirt is not measured")
args = parser.parse_args()


class Failed(Exception):
    pass


def terminate(signum, frame):
    raise KeyboardInterrupt


signal.signal(signal.SIGTERM, terminate)
DEVNULL = os.open(os.devnull, os.O_RDWR)


def spawn_wait(argv):
    """Runs ARGV as a user would from a shell and returns its wall time in seconds.
    posix_spawn (vfork) keeps our own cost far below a millisecond."""
    with tempfile.TemporaryFile(dir=args.work) as err:
        actions = [(os.POSIX_SPAWN_DUP2, DEVNULL, 0), (os.POSIX_SPAWN_DUP2, DEVNULL, 1),
                   (os.POSIX_SPAWN_DUP2, err.fileno(), 2)]
        start = time.perf_counter()
        pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=actions)
        _, status = os.waitpid(pid, 0)
        elapsed = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            raise Failed("%s failed: %s" % (shlex.join(argv), err.read().decode().strip()))
    return elapsed


# ---- bare qemu: the driver's own command line, launched and killed by hand ----

def qemu_argv_from_log(name):
    """The command line the driver used last for NAME: the quoted line after a log header."""
    path = os.path.join(args.root, "log", "qemu", name + ".log")
    with open(path) as log:
        lines = [line for line in log if line.startswith("'")]
    if not lines:
        raise Failed("no qemu command line in %s" % path)
    return shlex.split(lines[-1])


class BareQemu:
    """Starts qemu with ARGV the way the driver does (detached, output to a log file, the QMP
    monitor socket already listening and passed as fd 3, or at path= if the driver ever names
    one), waits for the greeting, negotiates, sends cont; then SIGTERM and waits until the
    process is gone."""

    def __init__(self, argv):
        self.argv = list(argv)
        self.sock_path = os.path.join(args.work, "bare.monitor")
        self.log_path = os.path.join(args.work, "bare-qemu.log")
        self.pid_path = os.path.join(args.work, "bare-qemu.pid")
        self.pass_fd = any("fd=3" in a and a.startswith("socket,") for a in self.argv)
        if not self.pass_fd:
            for i, a in enumerate(self.argv):
                if a.startswith("socket,") and "path=" in a:
                    opts = [("path=" + self.sock_path) if o.startswith("path=") else o
                            for o in a.split(",")]
                    self.argv[i] = ",".join(opts)
        self.pid = None

    def _reply(self, stream):
        while True:
            line = stream.readline()
            if not line:
                raise Failed("bare qemu closed its monitor; see %s" % self.log_path)
            msg = json.loads(line)
            if "QMP" in msg or "return" in msg:
                return msg
            if "error" in msg:
                raise Failed("bare qemu: %s" % msg["error"])

    def _connect(self):
        deadline = time.perf_counter() + 10
        while True:
            conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                conn.connect(self.sock_path)
                return conn
            except (FileNotFoundError, ConnectionRefusedError):
                conn.close()
                if time.perf_counter() > deadline:
                    raise Failed("bare qemu: no monitor socket at %s" % self.sock_path)
                time.sleep(0.0005)

    def start(self):
        if os.path.exists(self.sock_path):
            os.unlink(self.sock_path)
        t0 = time.perf_counter()
        listener = None
        log = os.open(self.log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        actions = [(os.POSIX_SPAWN_DUP2, DEVNULL, 0), (os.POSIX_SPAWN_DUP2, log, 1),
                   (os.POSIX_SPAWN_DUP2, log, 2)]
        if self.pass_fd:
            listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            listener.bind(self.sock_path)
            listener.listen(1)
            actions.append((os.POSIX_SPAWN_DUP2, listener.fileno(), 3))
        try:
            self.pid = os.posix_spawn(self.argv[0], self.argv, os.environ,
                                      file_actions=actions, setsid=True)
        finally:
            os.close(log)
        with open(self.pid_path, "w") as f:
            f.write("%d\n" % self.pid)
        conn = self._connect()
        if listener:
            listener.close()
        with conn, conn.makefile("rwb", buffering=0) as stream:
            self._reply(stream)
            conn.sendall(b'{"execute":"qmp_capabilities"}\n')
            self._reply(stream)
            conn.sendall(b'{"execute":"cont"}\n')
            self._reply(stream)
            t1 = time.perf_counter()
        return t1 - t0

    def destroy(self):
        t0 = time.perf_counter()
        os.kill(self.pid, signal.SIGTERM)
        # The exit of a process is reported to its parent only once all its threads are gone.
        os.waitpid(self.pid, 0)
        t1 = time.perf_counter()
        self.pid = None
        os.unlink(self.pid_path)
        return t1 - t0

    def kill(self):
        if self.pid:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.pid = None


# ---- the contestants: each returns (start seconds, destroy seconds) ----

def virtkit(name):
    def run():
        vk = [args.virtkit, "-c", args.uri]
        return spawn_wait(vk + ["start", name]), spawn_wait(vk + ["destroy", name])
    return run


def libvirt():
    virsh = ["virsh", "-c", args.libvirt]
    return (spawn_wait(virsh + ["start", args.libvirt_domain]),
            spawn_wait(virsh + ["destroy", args.libvirt_domain]))


def percentile(values, p):
    """Nearest rank: the smallest value with at least P of all values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p * len(ordered)) - 1)]


BARE, VIRTKIT = "bare qemu", "virtkit"
VNC_ADDRESS, VNC_NETWORK = "virtkit, vnc listen address", "virtkit, vnc listen network"


def main():
    # Bare qemu runs the command line the driver used, so virtkit starts the guest once first.
    plain = virtkit(args.domain)
    plain()
    bare = BareQemu(qemu_argv_from_log(args.domain))
    cases = [(BARE, lambda: (bare.start(), bare.destroy())), (VIRTKIT, plain),
             (VNC_ADDRESS, virtkit(args.vnc_address)), (VNC_NETWORK, virtkit(args.vnc_network))]
    libvirt_label = "libvirt %s (virsh)" % args.libvirt_version
    if args.libvirt:
        cases.append((libvirt_label, libvirt))
    times = {label: [] for label, _ in cases}
    paired = []  # start time network - address, per round

    try:
        for label, run in cases:  # warm up: caches, capabilities, first allocations
            run()
        for r in range(args.rounds):
            # Rotated each round, so that no contestant always follows the same one.
            k = r % len(cases)
            this = {}
            for label, run in cases[k:] + cases[:k]:
                this[label] = run()
                times[label].append(this[label])
            paired.append(this[VNC_NETWORK][0] - this[VNC_ADDRESS][0])
            if sys.stderr.isatty():
                print("   round %d/%d done" % (r + 1, args.rounds), end="\r", file=sys.stderr,
                      flush=True)
        if sys.stderr.isatty():
            print(" " * 40, end="\r", file=sys.stderr)
    finally:
        bare.kill()

    out = subprocess.run([args.lookup, args.uri, args.network, "1000"], capture_output=True,
                         text=True)
    if out.returncode != 0:
        raise Failed("bench_lookup failed: %s" % out.stderr.strip())
    lookup = dict(line.split(": ", 1) for line in out.stdout.splitlines())

    print("== start + destroy of a minimal guest (64 MiB, 1 vcpu, no disk, no guest OS), %s,"
          % args.accel)
    print("   %d rounds alternated; milliseconds, median (p90)" % args.rounds)
    print("   %-30s %16s %16s %16s" % ("", "start", "destroy", "start+destroy"))
    med = {}
    for label, _ in cases:
        cols = []
        for i in (0, 1, None):
            vals = [(s + d if i is None else (s, d)[i]) * 1e3 for s, d in times[label]]
            cols.append("%7.1f (%6.1f)" % (statistics.median(vals), percentile(vals, 0.9)))
            med[label, i] = statistics.median(vals)
        print("   %-30s %s %s %s" % (label, *cols))
    if not args.libvirt:
        print("   %-30s %s" % ("libvirt", "not available (%s)" % args.libvirt_missing))

    vk, bq = med[VIRTKIT, None], med[BARE, None]
    print("== ratios of start+destroy medians (goal: virtkit within 1.3x of bare qemu)")
    print("   virtkit / bare qemu: %5.2fx   (start %.2fx, destroy %.2fx)"
          % (vk / bq, med[VIRTKIT, 0] / med[BARE, 0], med[VIRTKIT, 1] / med[BARE, 1]))
    if args.libvirt:
        lv = med[libvirt_label, None]
        print("   libvirt / bare qemu: %5.1fx" % (lv / bq))
        print("   libvirt / virtkit:   %5.1fx" % (lv / vk))
    else:
        print("   libvirt: not available (%s)" % args.libvirt_missing)

    net_start = med[VNC_NETWORK, 0]
    lookup_ms = float(lookup["median"].split()[0]) / 1e3
    diff = statistics.median(paired) * 1e3
    # The noise of that median, as a 95% band: 1.96 standard errors of a median (1.25 times
    # those of a mean), the standard deviation estimated robustly (interquartile range / 1.35).
    noise = "too few rounds to tell the noise"
    if len(paired) >= 4:
        q = statistics.quantiles(paired, n=4)
        se = 1.25 * (q[2] - q[0]) / 1.35 / len(paired) ** 0.5
        noise = "noise, 95%%: +-%.2f ms" % (1.96 * se * 1e3)
    print("== the network listen lookup (vnc listen network '%s' resolves to %s)"
          % (args.network, lookup["address"]))
    print("   measured directly (bench_lookup, %s calls): median %s, p90 %s"
          % (lookup["lookups"], lookup["median"], lookup["p90"]))
    print("   share of the start with network listen: %.3f%% (%.3f ms of %.1f ms)"
          % (100 * lookup_ms / net_start, lookup_ms, net_start))
    print("   start network - start address, median of paired rounds: %+.2f ms (%s)"
          % (diff, noise))
    print("   = %+.1f%% of the start with network listen" % (100 * diff / net_start))


try:
    main()
except Failed as e:
    print("bench/lifecycle: %s" % e, file=sys.stderr)
    sys.exit(1)
except KeyboardInterrupt:
    sys.exit(130)
