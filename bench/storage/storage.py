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
    """Debian's libvirtd fully private (tests/lib/libvirtd-private.sh) in the namespaces
    bench/storage/run made; returns the URI that reaches it. It ends with the namespaces."""
    script = 'set -e; . "$1"; lv_private_setup "$2"; lv_start; echo "$LV_SOCK"'
    out = subprocess.run(["bash", "-c", script, "lv", os.environ["BENCH_LV_LIB"],
                          os.path.join(WORK, "lv")],
                         check=True, stdout=subprocess.PIPE, text=True).stdout
    return "qemu:///system?socket=" + out.strip()


def bench_list():
    os.makedirs(MANY, exist_ok=True)
    for i in range(NVOLS):
        run_path = os.path.join(MANY, f"v{i:05d}.img")
        with open(run_path, "wb") as f:
            f.truncate(1 << 20)
    run(vk("pool-define-as", "many", "dir", "--target", MANY))
    run(vk("pool-start", "many"))
    res = {"virtkit vol-list --details": []}
    if LIBVIRT:
        lv_uri = private_libvirtd()
        lv = ["virsh", "-q", "-c", lv_uri]
        run(lv + ["pool-define-as", "many", "dir", "--target", MANY])
        run(lv + ["pool-start", "many"])
        res["virsh vol-list --details (libvirtd)"] = []
    for i in range(ROUNDS):
        order = list(res)
        if i % 2:
            order.reverse()
        for name in order:
            if name.startswith("virtkit"):
                argv = vk("vol-list", "many", "--details")
            else:
                argv = lv + ["vol-list", "many", "--details"]
            res[name].append(timed(argv))
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
