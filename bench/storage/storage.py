"""bench/storage: timed rounds of vol-create-as against qemu-img create, and of vol-list --details
against libvirt's storage driver, alternated. Run by bench/storage/run (see bench/README.md)."""
import os
import shutil
import statistics
import subprocess
import sys
import time

VK = os.environ["BENCH_VIRTKIT"]
WORK = os.environ["BENCH_WORK"]
ROUNDS = int(os.environ["BENCH_ROUNDS"])
NVOLS = int(os.environ["BENCH_NVOLS"])
LIBVIRT = os.environ.get("BENCH_LIBVIRT") == "1"
ROOT = os.path.join(WORK, "root")
URI = "qemu:///embed?root=" + ROOT
IMAGES = os.path.join(ROOT, "images")
SCRATCH = os.path.join(WORK, "scratch")
MANY = os.path.join(WORK, "many")


def run(argv, **kw):
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)


def timed(argv):
    start = time.perf_counter()
    run(argv)
    return time.perf_counter() - start


def vk(*args):
    return [VK, "-q", "-c", URI, *args]


def report(title, results, ref, goal):
    """results: name -> list of seconds; the ratio is each one's median over REF's."""
    print(f"\n{title}")
    base = statistics.median(results[ref])
    for name, times in results.items():
        med = statistics.median(times)
        line = f"  {name:34s} median {med * 1000:9.2f} ms"
        if name != ref:
            line += f"   ratio {med / base:6.2f} x {ref}"
        print(line)
    print(f"  goal: {goal}")


def bench_create():
    os.makedirs(SCRATCH, exist_ok=True)
    run(vk("pool-list"))  # the first open creates the default pool
    res = {"virtkit vol-create-as qcow2 10G": [], "qemu-img create qcow2 10G": [],
           "virtkit vol-create-as raw 10G": [], "qemu-img create raw 10G": []}
    for i in range(ROUNDS):
        # Alternate which goes first, so neither always meets a warm cache.
        pairs = [
            ("virtkit vol-create-as qcow2 10G",
             vk("vol-create-as", "default", f"q{i}.qcow2", "10G", "--format", "qcow2")),
            ("qemu-img create qcow2 10G",
             ["qemu-img", "create", "-q", "-f", "qcow2", "-o", "compat=0.10",
              os.path.join(SCRATCH, f"q{i}.qcow2"), "10G"]),
            ("virtkit vol-create-as raw 10G",
             vk("vol-create-as", "default", f"r{i}.img", "10G", "--allocation", "0")),
            ("qemu-img create raw 10G",
             ["qemu-img", "create", "-q", "-f", "raw", os.path.join(SCRATCH, f"r{i}.img"), "10G"]),
        ]
        if i % 2:
            pairs.reverse()
        for name, argv in pairs:
            res[name].append(timed(argv))
    print(f"vol-create-as against qemu-img create ({ROUNDS} rounds, alternated)")
    report("qcow2", {k: v for k, v in res.items() if "qcow2" in k},
           "qemu-img create qcow2 10G", "virtkit <= 1.2 x qemu-img")
    report("raw (sparse)", {k: v for k, v in res.items() if "raw" in k},
           "qemu-img create raw 10G", "virtkit <= 1.2 x qemu-img")


def private_libvirtd():
    """A libvirtd of our own in this mount namespace, on empty state; returns its process."""
    subprocess.run(["mount", "--make-rprivate", "/"], check=True)
    for d in ["/etc/libvirt", "/run/libvirt", "/var/lib/libvirt", "/var/cache/libvirt",
              "/var/log/libvirt"]:
        os.makedirs(d, exist_ok=True)
        subprocess.run(["mount", "-t", "tmpfs", "tmpfs", d], check=True)
    # Debian's libvirtd wants the accounts its packages create: a private copy provides them.
    for name in ("passwd", "group"):
        shutil.copy(f"/etc/{name}", os.path.join(WORK, name))
    with open(os.path.join(WORK, "passwd"), "a") as pw, open(os.path.join(WORK, "group"), "a") as gr:
        for user, uid in (("libvirt-qemu", 64055), ("libvirt-dnsmasq", 64056)):
            if f"\n{user}:" not in open("/etc/passwd").read():
                pw.write(f"{user}:x:{uid}:{uid}::/var/lib/libvirt:/usr/sbin/nologin\n")
                gr.write(f"{user}:x:{uid}:\n")
        for group, gid in (("kvm", 64057), ("libvirt", 64058)):
            if f"\n{group}:" not in open("/etc/group").read():
                gr.write(f"{group}:x:{gid}:\n")
    for name in ("passwd", "group"):
        subprocess.run(["mount", "--bind", os.path.join(WORK, name), f"/etc/{name}"], check=True)
    conf = os.path.join(WORK, "libvirtd.conf")
    open(conf, "w").close()
    log = open(os.path.join(WORK, "libvirtd.log"), "w")
    proc = subprocess.Popen(["libvirtd", "-f", conf, "-p", os.path.join(WORK, "libvirtd.pid")],
                            stdout=log, stderr=log)
    for _ in range(200):
        if os.path.exists("/run/libvirt/libvirt-sock"):
            return proc
        time.sleep(0.05)
    raise SystemExit("bench/storage: the private libvirtd did not start")


def bench_list():
    os.makedirs(MANY, exist_ok=True)
    for i in range(NVOLS):
        run_path = os.path.join(MANY, f"v{i:05d}.img")
        with open(run_path, "wb") as f:
            f.truncate(1 << 20)
    run(vk("pool-define-as", "many", "dir", "--target", MANY))
    run(vk("pool-start", "many"))
    res = {"virtkit vol-list --details": []}
    daemon = None
    if LIBVIRT:
        daemon = private_libvirtd()
        lv = ["virsh", "-q", "-c", "qemu:///system"]
        run(lv + ["pool-define-as", "many", "dir", "--target", MANY])
        run(lv + ["pool-start", "many"])
        res["virsh vol-list --details (libvirtd)"] = []
    try:
        for i in range(ROUNDS):
            order = list(res)
            if i % 2:
                order.reverse()
            for name in order:
                if name.startswith("virtkit"):
                    argv = vk("vol-list", "many", "--details")
                else:
                    argv = ["virsh", "-q", "-c", "qemu:///system", "vol-list", "many", "--details"]
                res[name].append(timed(argv))
    finally:
        if daemon:
            daemon.terminate()
            daemon.wait()
    print(f"\nvol-list --details of a pool of {NVOLS} volumes ({ROUNDS} rounds, alternated)")
    if LIBVIRT:
        base = statistics.median(res["virtkit vol-list --details"])
        for name, times in res.items():
            med = statistics.median(times)
            line = f"  {name:38s} median {med * 1000:9.2f} ms"
            if not name.startswith("virtkit"):
                line += f"   libvirt/virtkit {med / base:6.2f}"
            print(line)
        print("  goal: libvirt/virtkit >= 5")
    else:
        print(f"  virtkit median {statistics.median(res['virtkit vol-list --details']) * 1000:.2f} ms"
              " (libvirt part skipped)")


def main():
    bench_create()
    shutil.rmtree(SCRATCH, ignore_errors=True)
    bench_list()


if __name__ == "__main__":
    sys.exit(main())
