#!/usr/bin/python3
"""The timed part of bench/rpc (run by bench/rpc/run, which starts both daemons): Debian's
python3-libvirt against libvirtd and against virtkitd, the same calls alternated round by
round, then rates, ratios and the daemons' resident memory."""
import argparse
import multiprocessing
import os
import statistics
import sys
import time
import uuid

import libvirt

parser = argparse.ArgumentParser()
parser.add_argument("--rounds", type=int, required=True)
parser.add_argument("--virt-type", required=True)
parser.add_argument("--libvirtd", help="URI of the private libvirtd; unset: not measured")
parser.add_argument("--libvirtd-pid", type=int)
parser.add_argument("--libvirtd-missing", default="")
parser.add_argument("--virtkitd", required=True, help="URI of virtkitd")
parser.add_argument("--virtkitd-pid", type=int, required=True)
parser.add_argument("--guests", type=int, default=1000, help="defined for the list test")
parser.add_argument("--clients", type=int, default=32)
args = parser.parse_args()

libvirt.registerErrorHandler(lambda ctx, err: None, None)

DEFINES = 100  # per round
LOOKUPS = 400  # lookup+dumpxml pairs per round
LISTS = 10  # listAllDomains calls per round
LIFECYCLES = 3  # start+destroy pairs per round
PER_CLIENT = 100  # lookup+dumpxml pairs of each parallel client


def domxml(name):
    return ("<domain type='%s'><name>%s</name><uuid>%s</uuid>"
            "<memory unit='MiB'>64</memory><vcpu>1</vcpu>"
            "<os><type arch='x86_64'>hvm</type></os></domain>"
            % (args.virt_type, name, uuid.uuid4()))


def status_kib(pid, field):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def rss_kib(pid):
    """(resident, of which anonymous: the daemon's own memory, not shared library pages)"""
    return status_kib(pid, "VmRSS"), status_kib(pid, "RssAnon")


class Contestant:
    def __init__(self, name, uri, pid):
        self.name, self.uri, self.pid = name, uri, pid
        self.conn = libvirt.open(uri)
        self.rates = {}

    def record(self, test, ops, seconds):
        self.rates.setdefault(test, []).append(ops / seconds)


# ---- the tests: each returns (operations, seconds) ----

def t_define(c, rnd):
    names = ["bench-def-%d-%d" % (rnd, i) for i in range(DEFINES)]
    xmls = [domxml(n) for n in names]
    start = time.perf_counter()
    doms = [c.conn.defineXML(x) for x in xmls]
    elapsed = time.perf_counter() - start
    for d in doms:
        d.undefine()
    return DEFINES, elapsed


def t_floor(c, rnd):
    """The cheapest call there is: what the client and the socket cost, the daemon's work aside"""
    start = time.perf_counter()
    for _ in range(LOOKUPS):
        c.conn.getLibVersion()
    return LOOKUPS, time.perf_counter() - start


def t_lookup(c, rnd):
    start = time.perf_counter()
    for i in range(LOOKUPS):
        c.conn.lookupByName("bench-%04d" % (i % args.guests)).XMLDesc(0)
    return LOOKUPS, time.perf_counter() - start


def t_list(c, rnd):
    start = time.perf_counter()
    for _ in range(LISTS):
        n = len(c.conn.listAllDomains())
        if n < args.guests:
            raise SystemExit("%s lists %d guests, not %d" % (c.name, n, args.guests))
    return LISTS, time.perf_counter() - start


def t_lifecycle(c, rnd):
    dom = c.conn.lookupByName("bench-life")
    start = time.perf_counter()
    for _ in range(LIFECYCLES):
        dom.create()
        dom.destroy()
    return LIFECYCLES, time.perf_counter() - start


def client_worker(uri, barrier, count):
    conn = libvirt.open(uri)
    barrier.wait()
    for i in range(count):
        conn.lookupByName("bench-%04d" % (i % args.guests)).XMLDesc(0)
    conn.close()


def t_parallel(c, rnd):
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(args.clients + 1)
    procs = [ctx.Process(target=client_worker, args=(c.uri, barrier, PER_CLIENT))
             for _ in range(args.clients)]
    for p in procs:
        p.start()
    barrier.wait()
    start = time.perf_counter()
    for p in procs:
        p.join()
    elapsed = time.perf_counter() - start
    if any(p.exitcode != 0 for p in procs):
        raise SystemExit("%s: a parallel client failed" % c.name)
    return args.clients * PER_CLIENT, elapsed


TESTS = [
    ("round trip (getLibVersion)", t_floor, "calls/s"),
    ("define", t_define, "defineXML/s"),
    ("lookup+dumpxml", t_lookup, "pairs/s"),
    ("listAllDomains (%d guests)" % args.guests, t_list, "calls/s"),
    ("start+destroy", t_lifecycle, "pairs/s"),
    ("%d clients lookup+dumpxml" % args.clients, t_parallel, "pairs/s"),
]


def main():
    contestants = [Contestant("virtkitd", args.virtkitd, args.virtkitd_pid)]
    if args.libvirtd:
        contestants.append(Contestant("libvirtd", args.libvirtd, args.libvirtd_pid))
    idle = {c.name: rss_kib(c.pid) for c in contestants}

    for c in contestants:
        for i in range(args.guests):
            c.conn.defineXML(domxml("bench-%04d" % i))
        c.conn.defineXML(domxml("bench-life"))
    loaded = {c.name: rss_kib(c.pid) for c in contestants}

    # one untimed round, then alternate, rotating who goes first
    for rnd in range(args.rounds + 1):
        order = contestants[rnd % len(contestants):] + contestants[:rnd % len(contestants)]
        for _, test, _ in TESTS:
            for c in order:
                ops, seconds = test(c, rnd)
                if rnd > 0:
                    c.record(test.__name__, ops, seconds)
    peak = {c.name: rss_kib(c.pid) for c in contestants}

    print("%-30s %14s %14s %8s" % ("median rate", "virtkitd", "libvirtd", "ratio"))
    for label, test, unit in TESTS:
        vk = statistics.median(contestants[0].rates[test.__name__])
        if len(contestants) > 1:
            lv = statistics.median(contestants[1].rates[test.__name__])
            print("%-30s %14s %14s %7.1fx" % (label, "%.0f %s" % (vk, unit), "%.0f" % lv,
                                              vk / lv))
        else:
            print("%-30s %14s %14s" % (label, "%.0f %s" % (vk, unit), "-"))
    # lookup+dumpxml is two round trips: however little a daemon does, it cannot go faster
    floor = statistics.median(contestants[0].rates["t_floor"])
    print("(two round trips of this client: at most %.0f lookup+dumpxml pairs/s for any daemon)"
          % (floor / 2))
    print()
    print("%-30s %14s %14s %8s" % ("resident memory (RSS)", "virtkitd", "libvirtd", "ratio"))
    for label, table in (("idle, just started", idle),
                         ("%d guests defined" % args.guests, loaded),
                         ("after the run", peak)):
        for kind, index in (("", 0), ("  of which anonymous", 1)):
            vk = table["virtkitd"][index]
            row = label if not kind else kind
            if "libvirtd" in table:
                lv = table["libvirtd"][index]
                print("%-30s %14s %14s %8s" % (row, "%.1f MiB" % (vk / 1024),
                                               "%.1f MiB" % (lv / 1024), "1/%.1f" % (lv / vk)))
            else:
                print("%-30s %14s %14s" % (row, "%.1f MiB" % (vk / 1024), "-"))
    if not args.libvirtd:
        print("\nlibvirtd not measured: %s" % args.libvirtd_missing)

    for c in contestants:
        for i in range(args.guests):
            c.conn.lookupByName("bench-%04d" % i).undefine()
        c.conn.lookupByName("bench-life").undefine()
        c.conn.close()


if __name__ == "__main__":
    sys.exit(main())
