#!/usr/bin/env python3
"""The timed part of bench/lifecycle (run by bench/lifecycle/run, which prepares the domains,
the network and the libvirt daemon): start + destroy of the same minimal guest in several
graphics variants, each through virtkit and by hand (bare qemu running the command line the
driver produced for that variant), and through virsh, alternated round by round, then medians
and ratios."""
import argparse
import math
import os
import select
import shlex
import signal
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
parser.add_argument("--variant", action="append", required=True, metavar="LABEL=DOMAIN",
                    help="a graphics variant and its defined domain; the first has none")
parser.add_argument("--vnc-address", required=True, help="label of the <listen type='address'>")
parser.add_argument("--vnc-network", required=True, help="label of the <listen type='network'>")
parser.add_argument("--network", required=True)
parser.add_argument("--lookup", required=True, help="the bench_lookup program")
parser.add_argument("--accel", required=True, help="what to print: KVM or TCG (...)")
parser.add_argument("--libvirt", help="virsh URI; unset when libvirt is not available")
parser.add_argument("--libvirt-domain")
parser.add_argument("--libvirt-version", default="?")
parser.add_argument("--libvirt-missing", default="", help="why libvirt is not measured")
args = parser.parse_args()
VARIANTS = [tuple(v.split("=", 1)) for v in args.variant]


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
    """qemu by hand, with the command line the driver produced (ARGV from its log), changed
    only as a user starting it by hand would: no -S (nobody has to let the vCPUs go), the
    monitor sockets on paths instead of descriptors passed in, and -daemonize with a pid file,
    so that qemu returns once it is set up and listening. Destroy is SIGTERM, then a wait on
    a pidfd until the whole process has exited, which is what the driver waits for too."""

    def __init__(self, argv, tag):
        self.pid_path = os.path.join(args.work, "bare-%s.pid" % tag)
        self.log_path = os.path.join(args.work, "bare-%s.log" % tag)
        self.sock_paths = []
        self.argv = []
        for a in argv:
            if a == "-S":
                continue
            # Every monitor socket the driver passes in (the QMP monitor, the events monitor)
            # listens on a path of its own instead.
            opts = a.split(",")
            if opts[0] == "socket" and any(o.startswith("fd=") for o in opts):
                chardev = next(o[3:] for o in opts if o.startswith("id="))
                path = os.path.join(args.work, "bare-%s.%s" % (tag, chardev))
                self.sock_paths.append(path)
                a = ",".join(("path=" + path) if o.startswith("fd=") else o for o in opts)
            self.argv.append(a)
        self.argv += ["-daemonize", "-pidfile", self.pid_path]
        self.pid = None

    def start(self):
        for path in self.sock_paths + [self.pid_path]:
            if os.path.exists(path):
                os.unlink(path)
        log = os.open(self.log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        actions = [(os.POSIX_SPAWN_DUP2, DEVNULL, 0), (os.POSIX_SPAWN_DUP2, log, 1),
                   (os.POSIX_SPAWN_DUP2, log, 2)]
        t0 = time.perf_counter()
        try:
            parent = os.posix_spawn(self.argv[0], self.argv, os.environ, file_actions=actions)
        finally:
            os.close(log)
        # The parent of -daemonize exits once the daemon has finished its setup.
        _, status = os.waitpid(parent, 0)
        t1 = time.perf_counter()
        if os.waitstatus_to_exitcode(status) != 0:
            raise Failed("bare qemu failed to start; see %s" % self.log_path)
        with open(self.pid_path) as f:
            self.pid = int(f.read())
        return t1 - t0

    def destroy(self):
        t0 = time.perf_counter()
        fd = os.pidfd_open(self.pid)
        try:
            os.kill(self.pid, signal.SIGTERM)
            select.select([fd], [], [])
        finally:
            os.close(fd)
        t1 = time.perf_counter()
        self.pid = None
        return t1 - t0

    def kill(self):
        if self.pid:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
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


def virtkit_label(variant):
    return "virtkit, " + variant


def bare_label(variant):
    return "bare qemu, " + variant


def main():
    # Bare qemu runs the command line the driver used, so virtkit starts each guest once
    # first; that is also the warm-up of the caches.
    cases = []
    bares = []
    for i, (variant, domain) in enumerate(VARIANTS):
        run = virtkit(domain)
        run()
        bare = BareQemu(qemu_argv_from_log(domain), str(i))
        bares.append(bare)
        cases.append((virtkit_label(variant), run))
        cases.append((bare_label(variant), lambda bare=bare: (bare.start(), bare.destroy())))
    libvirt_label = "libvirt %s (virsh)" % args.libvirt_version
    if args.libvirt:
        cases.append((libvirt_label, libvirt))
    times = {label: [] for label, _ in cases}
    paired = []  # start time network - address, per round
    load_before = open("/proc/loadavg").read().split()[:3]

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
            paired.append(this[virtkit_label(args.vnc_network)][0] -
                          this[virtkit_label(args.vnc_address)][0])
            if sys.stderr.isatty():
                print("   round %d/%d done" % (r + 1, args.rounds), end="\r", file=sys.stderr,
                      flush=True)
        if sys.stderr.isatty():
            print(" " * 40, end="\r", file=sys.stderr)
    finally:
        for bare in bares:
            bare.kill()
    load_after = open("/proc/loadavg").read().split()[:3]

    out = subprocess.run([args.lookup, args.uri, args.network, "1000"], capture_output=True,
                         text=True)
    if out.returncode != 0:
        raise Failed("bench_lookup failed: %s" % out.stderr.strip())
    lookup = dict(line.split(": ", 1) for line in out.stdout.splitlines())

    print("== start + destroy of a minimal guest (64 MiB, 1 vcpu, no disk, no guest OS), %s,"
          % args.accel)
    print("   %d rounds alternated; milliseconds, median (p90); load average %s before, %s after"
          % (args.rounds, " ".join(load_before), " ".join(load_after)))
    print("   %-34s %16s %16s %16s" % ("", "start", "destroy", "start+destroy"))
    med = {}
    for label, _ in cases:
        cols = []
        for i in (0, 1, None):
            vals = [(s + d if i is None else (s, d)[i]) * 1e3 for s, d in times[label]]
            cols.append("%7.1f (%6.1f)" % (statistics.median(vals), percentile(vals, 0.9)))
            med[label, i] = statistics.median(vals)
        print("   %-34s %s %s %s" % (label, *cols))
    if not args.libvirt:
        print("   %-34s %s" % ("libvirt", "not available (%s)" % args.libvirt_missing))

    print("== virtkit / bare qemu with the same command line, ratios of medians (goal: 1.1x)")
    print("   %-20s %8s %8s %14s %18s" % ("", "start", "destroy", "start+destroy",
                                           "paired (95% band)"))
    for variant, _ in VARIANTS:
        vk, bq = virtkit_label(variant), bare_label(variant)
        # Within one round the two ran close in time: the median of the per-round ratios is
        # less moved by load that comes and goes during the run.
        ratios = [(a[0] + a[1]) / (b[0] + b[1]) for a, b in zip(times[vk], times[bq])]
        band = "too few rounds"
        if len(ratios) >= 4:
            q = statistics.quantiles(ratios, n=4)
            band = "+-%.2f" % (1.96 * 1.25 * (q[2] - q[0]) / 1.35 / len(ratios) ** 0.5)
        print("   %-20s %7.2fx %7.2fx %13.2fx %8.2fx (%s)"
              % (variant, med[vk, 0] / med[bq, 0], med[vk, 1] / med[bq, 1],
                 med[vk, None] / med[bq, None], statistics.median(ratios), band))
    plain = VARIANTS[0][0]
    if args.libvirt:
        lv, vk = med[libvirt_label, None], med[virtkit_label(plain), None]
        print("== libvirt, %s" % plain)
        print("   libvirt / bare qemu: %5.1fx" % (lv / med[bare_label(plain), None]))
        print("   libvirt / virtkit:   %5.1fx" % (lv / vk))
    else:
        print("   libvirt: not available (%s)" % args.libvirt_missing)

    net_start = med[virtkit_label(args.vnc_network), 0]
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
