# Shared helpers of the qemu driver integration tests (sourced, not run): a private root, guest
# XML, TAP assertions, looks at qemu from outside, and a cleanup that runs however a test ends.
# shellcheck shell=bash

# vkq_init TEST VIRTKIT: sets vk, root, uri, prefix (every domain name of the test starts with
# it, so that cleanup can find exactly this test's qemu processes) and virt_type.
vkq_init() {
    vkq_test=$1
    vk=$(realpath "${2:?usage: $vkq_test.sh VIRTKIT}")
    prefix="vkq-$vkq_test-$$-"
    root=$(mktemp -d "/tmp/vkq-$vkq_test-XXXXXX")
    uri="qemu:///embed?root=$root"
    n=0
    failed=0
    # Extra processes a test starts (sleepers, shells); killed by pid at the end.
    vkq_pids=()
    # A command prefix for every virtkit call, e.g. (ip netns exec NS); see vkq_private_net.
    vk_wrap=()
    vkq_ns=
    export LC_ALL=C HOME=$root/home
    unset VIRTKIT_DEFAULT_URI VIRSH_DEFAULT_CONNECT_URI
    mkdir -p "$HOME"
    # VKQ_VIRT_TYPE=qemu forces TCG guests on a host with KVM too.
    if [ -n "${VKQ_VIRT_TYPE:-}" ]; then
        virt_type=$VKQ_VIRT_TYPE
    elif [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
        virt_type=kvm
    else
        virt_type=qemu
    fi
    trap vkq_cleanup EXIT
    trap 'exit 130' INT TERM
}

# vkq_private_net: as root, every virtkit of the test (and so every qemu) runs in a network
# namespace of its own, where VNC ports and taps cannot meet those of other programs on the
# host. Without root, or where namespaces are unavailable, the host's network is used.
vkq_private_net() {
    [ "$(id -u)" -eq 0 ] || return 0
    vkq_ns=vkq-$vkq_test-$$
    if ! ip netns add "$vkq_ns" 2>/dev/null; then
        vkq_ns=
        return 0
    fi
    ip -n "$vkq_ns" link set lo up
    vk_wrap=(ip netns exec "$vkq_ns")
}

# innet COMMAND...: runs COMMAND in the test's network (its namespace, if it has one).
innet() {
    "${vk_wrap[@]}" "$@"
}

# Kills this test's qemu processes (their names carry the prefix) and helpers, removes the root.
# A test may define vkq_cleanup_extra for more (namespaces).
vkq_cleanup() {
    local p pids
    for p in "${vkq_pids[@]}"; do
        kill -9 "$p" 2>/dev/null
    done
    pkill -9 -f "guest=$prefix" 2>/dev/null
    if [ -n "$vkq_ns" ]; then
        pids=$(ip netns pids "$vkq_ns" 2>/dev/null)
        # shellcheck disable=SC2086 # one pid a word
        [ -n "$pids" ] && kill -9 $pids 2>/dev/null
        ip netns delete "$vkq_ns" 2>/dev/null
    fi
    if declare -F vkq_cleanup_extra >/dev/null; then
        vkq_cleanup_extra
    fi
    rm -rf "$root"
}

# ---- TAP ----

pass() {
    n=$((n + 1))
    echo "ok $n - $1"
}

# fail DESC [DIAGNOSTIC...]
fail() {
    local line
    n=$((n + 1))
    failed=$((failed + 1))
    echo "not ok $n - $1"
    shift
    for line in "$@"; do
        printf '%s\n' "$line" | sed 's/^/# /'
    done
}

skip() {
    n=$((n + 1))
    echo "ok $n - $1 # SKIP $2"
}

# expect DESC GOT WANT
expect() {
    if [ "$2" = "$3" ]; then
        pass "$1"
    else
        fail "$1" "got:  '$2'" "want: '$3'"
    fi
}

# assert DESC COMMAND...: COMMAND must succeed.
assert() {
    local desc=$1
    shift
    if "$@" >/dev/null 2>&1; then
        pass "$desc"
    else
        fail "$desc" "failed: $*"
    fi
}

# refute DESC COMMAND...: COMMAND must fail.
refute() {
    local desc=$1
    shift
    if "$@" >/dev/null 2>&1; then
        fail "$desc" "succeeded: $*"
    else
        pass "$desc"
    fi
}

vkq_done() {
    echo "1..$n"
    [ "$failed" -eq 0 ]
    exit
}

# ---- virtkit ----

vkr() {
    "${vk_wrap[@]}" "$vk" -c "$uri" "$@"
}

# check DESC STATUS COMMAND... <<EOF: virtkit's stdout, then its stderr, then "rc=STATUS" must
# be the text on stdin (the root directory shows as ROOT), as virsh prints them for libvirt.
check() {
    local desc=$1 status=$2 rc
    shift 2
    { cat; printf 'rc=%s\n' "$status"; } | sed "s|$root|ROOT|g" >"$root/expected"
    vkr "$@" >"$root/out" 2>"$root/err"
    rc=$?
    { cat "$root/out" "$root/err"; printf 'rc=%s\n' "$rc"; } | sed "s|$root|ROOT|g" >"$root/actual"
    if cmp -s "$root/expected" "$root/actual"; then
        pass "$desc"
    else
        fail "$desc" "$(diff "$root/expected" "$root/actual")"
    fi
}

# has_line DESC LINE COMMAND...: COMMAND succeeds and prints exactly LINE among its lines.
has_line() {
    local desc=$1 line=$2 out
    shift 2
    if out=$(vkr "$@" 2>&1) && grep -qxF -- "$line" <<<"$out"; then
        pass "$desc"
    else
        fail "$desc" "no line '$line' in:" "$out"
    fi
}

# has_re DESC REGEX COMMAND...: COMMAND succeeds and a line of its output matches REGEX (ERE).
has_re() {
    local desc=$1 re=$2 out
    shift 2
    if out=$(vkr "$@" 2>&1) && grep -qE -- "$re" <<<"$out"; then
        pass "$desc"
    else
        fail "$desc" "no line matching '$re' in:" "$out"
    fi
}

# cmd_re DESC REGEX COMMAND...: as has_re for any COMMAND, not only virtkit.
cmd_re() {
    local desc=$1 re=$2 out
    shift 2
    if out=$("$@" 2>&1) && grep -qE -- "$re" <<<"$out"; then
        pass "$desc"
    else
        fail "$desc" "no line matching '$re' in:" "$out"
    fi
}

# lacks_re DESC REGEX COMMAND...: COMMAND succeeds and no line of its output matches REGEX.
lacks_re() {
    local desc=$1 re=$2 out
    shift 2
    if out=$(vkr "$@" 2>&1) && ! grep -qE -- "$re" <<<"$out"; then
        pass "$desc"
    else
        fail "$desc" "unexpected '$re' (or failure) in:" "$out"
    fi
}

# The first line of `domstate --reason NAME`.
state_of() {
    vkr domstate --reason "$1" 2>&1 | head -n 1
}

# ---- guests ----

# domxml NAME [TYPE [DEVICES]]: writes ROOT/NAME.xml, a minimal guest (64 MiB, 1 vCPU, no disk)
# with a fixed uuid, and prints its path.
domxml() {
    local name=$1 type=${2:-$virt_type} devices=${3:-} uuid
    uuid=$(cat /proc/sys/kernel/random/uuid)
    cat >"$root/$name.xml" <<EOF
<domain type='$type'>
  <name>$name</name>
  <uuid>$uuid</uuid>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64'>hvm</type>
  </os>
  <devices>$devices</devices>
</domain>
EOF
    echo "$root/$name.xml"
}

# shellcheck disable=SC2034 # for the tests that source this file
VNC_AUTOPORT="<graphics type='vnc' autoport='yes'/>"

status_file() {
    echo "$root/run/qemu/$1.xml"
}

# The pid the live status file of NAME records; empty without one.
status_pid() {
    sed -nE "1s/.*<domstatus [^>]*pid='([0-9]+)'.*/\1/p" "$(status_file "$1")" 2>/dev/null
}

# TRUE if PID is a live process (not a zombie: nothing reaps qemu in some containers).
proc_alive() {
    local st
    st=$(sed -E 's/^[0-9]+ \(.*\) (.).*/\1/' "/proc/$1/stat" 2>/dev/null) || return 1
    [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

proc_dead() {
    ! proc_alive "$1"
}

# The pids of live qemu processes of guest NAME, by `-name guest=NAME,...`, one a line.
qemu_pids() {
    pgrep -f -- "-name guest=$1,"
}

qemu_count() {
    qemu_pids "$1" | wc -l
}

# The argument of qemu PID that follows OPTION (e.g. -machine).
qemu_arg() {
    tr '\0' '\n' 2>/dev/null <"/proc/$1/cmdline" | sed -n "/^$2\$/{n;p;q}"
}

# no_run_files NAME: none of the live run files of NAME is left.
no_run_files() {
    local f
    for f in xml monitor pid; do
        [ -e "$root/run/qemu/$1.$f" ] && return 1
    done
    return 0
}

# The files of NAME in the run directory that only a running (or starting) guest may have:
# everything but its lock, its shutoff reason and the event watchers' shutdown record,
# temporaries of atomic writes included.
stale_run_files() {
    local f
    for f in "$root/run/qemu/$1".*; do
        [ -e "$f" ] || [ -L "$f" ] || continue
        case "${f##*/}" in
        "$1.lock" | "$1.reason" | "$1.shutdown") ;;
        *) echo "${f##*/}" ;;
        esac
    done
}

# wait_until SECONDS COMMAND...: polls COMMAND every 50 ms until it succeeds.
wait_until() {
    local deadline=$(($(date +%s%N) / 1000000 + $1 * 1000))
    shift
    until "$@" >/dev/null 2>&1; do
        [ $(($(date +%s%N) / 1000000)) -ge "$deadline" ] && return 1
        sleep 0.05
    done
}

# ---- event listeners ----

# watching PID: the event command PID watches: its inotify instance watches a driver's two
# directories, and it has looked at what they held and gone to wait in its event loop (poll), so
# any change from now on is one it reports.
watching() {
    local fd count=0
    for fd in /proc/"$1"/fdinfo/*; do
        count=$((count + $(grep -c '^inotify wd:' "$fd" 2>/dev/null)))
    done
    [ "$count" -ge 2 ] && grep -q poll "/proc/$1/wchan"
}

# listen NAME ARGS...: runs `virtkit ARGS` in the background, output to ROOT/NAME.out, and
# waits until it watches. Sets listener.
listen() {
    local name=$1
    shift
    # exec: the pid is the listener's own, for signals and for its descriptors.
    (exec "${vk_wrap[@]}" "$vk" -c "$uri" "$@" >"$root/$name.out" 2>&1) &
    listener=$!
    vkq_pids+=("$listener")
    wait_until 30 watching "$listener" || fail "$name: the listener never watched"
}

# finish: waits for the listener; its exit status in rc.
finish() {
    wait "$listener"
    rc=$?
}

# parallel K ARGS...: K virtkit processes run ARGS at the same moment (released together
# through a fifo); @I@ in an argument becomes the process's number I (1..K). Their stdout,
# stderr and exit code go to ROOT/par.I.{out,err,rc}.
parallel() {
    local k=$1 i
    shift
    rm -f "$root"/par.* "$root/go"
    mkfifo "$root/go"
    # Held open for reading and writing, so that no open() blocks and a late reader still
    # finds its line.
    exec 4<>"$root/go"
    for ((i = 1; i <= k; i++)); do
        (
            exec 3>&- 4>&-
            read -r _ <"$root/go"
            vkr "${@//@I@/$i}" >"$root/par.$i.out" 2>"$root/par.$i.err"
            echo $? >"$root/par.$i.rc"
        ) &
    done
    # Let every process reach its read, then release them all at once.
    sleep 0.2
    for ((i = 1; i <= k; i++)); do
        echo go
    done >&4
    for ((i = 1; i <= k; i++)); do
        wait_until 120 test -s "$root/par.$i.rc"
    done
    exec 4>&-
}

# par_all DESC K WANT: every one of the K processes exited 0, printed nothing on stderr and a
# first line matching WANT (ERE).
par_all() {
    local desc=$1 k=$2 want=$3 i bad=()
    for ((i = 1; i <= k; i++)); do
        if [ "$(cat "$root/par.$i.rc" 2>/dev/null)" != 0 ] || [ -s "$root/par.$i.err" ] ||
            ! head -n 1 "$root/par.$i.out" | grep -qE -- "$want"; then
            bad+=("process $i: rc=$(cat "$root/par.$i.rc" 2>/dev/null)"
                "$(cat "$root/par.$i.out" "$root/par.$i.err")")
        fi
    done
    if [ ${#bad[@]} -eq 0 ]; then
        pass "$desc"
    else
        fail "$desc" "${bad[@]}"
    fi
}

# qmp_status SOCKET: qemu's own idea of the run state (running, paused, prelaunch, ...), asked
# over its QMP socket from outside the driver.
qmp_status() {
    python3 - "$1" <<'EOF'
import json, socket, sys

s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(10)
s.connect(sys.argv[1])
f = s.makefile("rw")
json.loads(f.readline())


def call(cmd):
    f.write(json.dumps({"execute": cmd}) + "\n")
    f.flush()
    while True:
        msg = json.loads(f.readline())
        if "return" in msg or "error" in msg:
            return msg


call("qmp_capabilities")
print(call("query-status")["return"]["status"])
EOF
}

have_python() {
    command -v python3 >/dev/null 2>&1
}

# qmp_call SOCKET COMMAND [ARGUMENTS-JSON]: qemu's answer (the "return" value, as JSON) to one
# QMP command, asked over its monitor socket from outside the driver; an error answer is
# printed as {"error": ...} and fails.
qmp_call() {
    python3 - "$@" <<'PY'
import json, socket, sys

s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(10)
s.connect(sys.argv[1])
f = s.makefile("rw")
json.loads(f.readline())


def call(cmd, args=None):
    msg = {"execute": cmd}
    if args is not None:
        msg["arguments"] = args
    f.write(json.dumps(msg) + "\n")
    f.flush()
    while True:
        reply = json.loads(f.readline())
        if "return" in reply or "error" in reply:
            return reply


call("qmp_capabilities")
reply = call(sys.argv[2], json.loads(sys.argv[3]) if len(sys.argv) > 3 else None)
print(json.dumps(reply.get("return", reply), sort_keys=True))
sys.exit(0 if "return" in reply else 1)
PY
}

# ---- libvirt's own embedded qemu driver, beside virtkit ----

# lv_embed_init: a root for libvirt's embedded qemu driver (lroot) and the ids it wants. As
# root, that driver wants its 'libvirt-qemu' user: lv_run gives it one in a private mount
# namespace without touching the host's /etc.
lv_embed_init() {
    lroot=$root/libvirt
    mkdir -p "$lroot/etc/qemu" "$root/ids"
    printf 'user = "root"\ngroup = "root"\nsecurity_driver = "none"\nnamespaces = [ ]\n' \
        >"$lroot/etc/qemu/qemu.conf"
    cp /etc/passwd /etc/group "$root/ids/"
    grep -q '^libvirt-qemu:' "$root/ids/passwd" ||
        echo 'libvirt-qemu:x:64055:64055::/var/lib/libvirt:/usr/sbin/nologin' >>"$root/ids/passwd"
    grep -q '^libvirt-qemu:' "$root/ids/group" || echo 'libvirt-qemu:x:64055:' >>"$root/ids/group"
    grep -q '^kvm:' "$root/ids/group" || echo 'kvm:x:64057:' >>"$root/ids/group"
    cat >"$root/vi.py" <<'PY'
import sys
import libvirt
# virt-install's connection to an embedded driver needs an event loop.
libvirt.virEventRegisterDefaultImpl()
sys.path.insert(0, "/usr/share/virt-manager")
from virtinst import virtinstall
sys.exit(virtinstall.runcli())
PY
}

# lv_run COMMAND...: COMMAND with the ids of lv_embed_init.
lv_run() {
    unshare --mount sh -c 'mount --make-rprivate / &&
        mount --bind "$0/ids/passwd" /etc/passwd && mount --bind "$0/ids/group" /etc/group &&
        exec "$@"' "$root" "$@"
}

# lvsh ARGS...: Debian's virsh on libvirt's embedded driver in lroot.
lvsh() {
    lv_run virsh -q -c "qemu:///embed?root=$lroot" "$@"
}

# vinst_print OS NAME [VIRT-INSTALL-ARGS...]: what virt-install prints for OS on stdout (its
# errors in $root/vi.err), generated against libvirt's embedded driver.
vinst_print() {
    local os=$1 name=$2
    shift 2
    lv_run /usr/bin/python3 "$root/vi.py" --connect "qemu:///embed?root=$lroot" --print-xml \
        --import --osinfo "$os" --name "$name" --memory 512 --disk none --network user "$@" \
        2>"$root/vi.err"
}
