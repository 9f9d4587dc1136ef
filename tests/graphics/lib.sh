# Shared by the graphics tests (sourced, not run): TAP output, network namespaces standing in for
# hosts, virtkit and network probes run inside them, and cleanup however a test ends.
# shellcheck shell=bash

# ---- TAP ----

gfx_n=0
gfx_failed=0

# pass DESC / fail DESC [DIAGNOSTIC...]
pass() {
    gfx_n=$((gfx_n + 1))
    echo "ok $gfx_n - $1"
}

fail() {
    local desc=$1
    shift
    gfx_n=$((gfx_n + 1))
    gfx_failed=$((gfx_failed + 1))
    echo "not ok $gfx_n - $desc"
    local line
    for line in "$@"; do
        printf '%s\n' "$line" | sed 's/^/#   /'
    done
}

skip() {
    gfx_n=$((gfx_n + 1))
    echo "ok $gfx_n - $1 # SKIP $2"
}

# is DESC EXPECTED ACTUAL
is() {
    if [ "$2" = "$3" ]; then
        pass "$1"
    else
        fail "$1" "expected: $2" "actual:   $3"
    fi
}

# like DESC ERE TEXT / unlike DESC ERE TEXT
like() {
    if printf '%s\n' "$3" | grep -qE -- "$2"; then
        pass "$1"
    else
        fail "$1" "expected to match: $2" "actual: $3"
    fi
}

unlike() {
    if printf '%s\n' "$3" | grep -qE -- "$2"; then
        fail "$1" "expected not to match: $2" "actual: $3"
    else
        pass "$1"
    fi
}

# contains DESC FIXED TEXT: TEXT has the fixed string FIXED somewhere.
contains() {
    if printf '%s\n' "$3" | grep -qF -- "$2"; then
        pass "$1"
    else
        fail "$1" "expected to contain: $2" "actual: $3"
    fi
}

lacks() {
    if printf '%s\n' "$3" | grep -qF -- "$2"; then
        fail "$1" "expected not to contain: $2" "actual: $3"
    else
        pass "$1"
    fi
}

gfx_done() {
    echo "1..$gfx_n"
    [ "$gfx_failed" -eq 0 ]
    exit $?
}

# ---- setup and cleanup ----

declare -A gfx_ns=()
declare -A gfx_root=()
gfx_tmp=

gfx_cleanup() {
    local h
    local -a pids=()
    # Background probes and virtkit runs of this script first, then whatever runs in the hosts
    # (qemu above all), then the hosts themselves.
    mapfile -t pids < <(jobs -p)
    [ "${#pids[@]}" -gt 0 ] && kill -9 "${pids[@]}" 2>/dev/null
    for h in "${!gfx_ns[@]}"; do
        mapfile -t pids < <(ip netns pids "${gfx_ns[$h]}" 2>/dev/null)
        [ "${#pids[@]}" -gt 0 ] && kill -9 "${pids[@]}" 2>/dev/null
    done
    for h in "${!gfx_ns[@]}"; do
        ip netns delete "${gfx_ns[$h]}" 2>/dev/null
    done
    [ -n "$gfx_tmp" ] && rm -rf "$gfx_tmp"
}

# gfx_init VIRTKIT TESTNAME: skips the whole test without root (or without what it needs),
# otherwise sets vk, py, domtype and the scratch directory gfx_tmp, and arms the cleanup.
gfx_init() {
    local tool
    if [ -z "${1:-}" ] || [ ! -x "$1" ]; then
        echo "usage: $2.sh VIRTKIT" >&2
        exit 2
    fi
    vk=$(realpath "$1")
    if [ "$(id -u)" -ne 0 ]; then
        echo "1..0 # SKIP needs root to create network namespaces"
        exit 0
    fi
    for tool in ip qemu-system-x86_64; do
        if ! command -v "$tool" >/dev/null; then
            echo "1..0 # SKIP $tool is not installed"
            exit 0
        fi
    done
    # The system python starts several times faster than a version manager's shim.
    py=/usr/bin/python3
    [ -x "$py" ] || py=$(command -v python3) || {
        echo "1..0 # SKIP python3 is not installed"
        exit 0
    }
    domtype=qemu
    if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
        domtype=kvm
    fi
    export LC_ALL=C
    unset VIRTKIT_DEFAULT_URI
    gfx_tmp=$(mktemp -d "/tmp/vkgfx-$2-XXXXXX")
    export HOME=$gfx_tmp/home
    mkdir -p "$HOME"
    trap gfx_cleanup EXIT
    trap 'exit 130' INT TERM HUP
}

# host_add H: a namespace standing in for host H (loopback up) with a driver root of its own.
host_add() {
    local ns="vkgfx-$$-$1"
    if ! ip netns add "$ns"; then
        echo "1..0 # SKIP cannot create a network namespace here"
        exit 0
    fi
    gfx_ns[$1]=$ns
    gfx_root[$1]=$gfx_tmp/root-$1
    mkdir -p "${gfx_root[$1]}"
    on "$1" ip link set lo up
}

# on H CMD...: runs CMD on host H.
on() {
    local h=$1
    shift
    ip netns exec "${gfx_ns[$h]}" "$@"
}

# vkon H ARGS...: virtkit on host H's embedded driver.
vkon() {
    local h=$1
    shift
    ip netns exec "${gfx_ns[$h]}" "$vk" -c "qemu:///embed?root=${gfx_root[$h]}" "$@"
}

# vkrun H ARGS...: sets out, err and rc from a virtkit run on host H.
vkrun() {
    local h=$1
    shift
    vkon "$h" "$@" >"$gfx_tmp/out" 2>"$gfx_tmp/err"
    rc=$?
    out=$(cat "$gfx_tmp/out")
    err=$(cat "$gfx_tmp/err")
    # Under -Db_sanitize a report may not change the exit status; it is a failure all the same.
    if printf '%s\n' "$err" | grep -qE 'runtime error:|Sanitizer'; then
        fail "no sanitizer report from virtkit $*" "$err"
    fi
}

# vkok H DESC ARGS...: one test point: virtkit succeeds (output kept in out/err).
vkok() {
    local h=$1 desc=$2
    shift 2
    vkrun "$h" "$@"
    if [ "$rc" -eq 0 ]; then
        pass "$desc"
    else
        fail "$desc" "virtkit $* exited $rc" "$out" "$err"
    fi
}

# ---- guests ----

# domxml FILE NAME UUID GRAPHICS...: writes a minimal guest (64 MiB, no disk) with the given
# <graphics> elements.
domxml() {
    local file=$1 name=$2 uuid=$3
    shift 3
    {
        echo "<domain type='$domtype'>"
        echo "  <name>$name</name>"
        [ -n "$uuid" ] && echo "  <uuid>$uuid</uuid>"
        echo "  <memory unit='MiB'>64</memory>"
        echo "  <vcpu>1</vcpu>"
        echo "  <os>"
        echo "    <type arch='x86_64'>hvm</type>"
        echo "  </os>"
        echo "  <devices>"
        printf '    %s\n' "$@"
        echo "  </devices>"
        echo "</domain>"
    } >"$file"
}

# qemu_pid H NAME: the pid virtkit recorded for the guest (empty when there is none).
qemu_pid() {
    cat "${gfx_root[$1]}/run/qemu/$2.pid" 2>/dev/null
}

# qemu_cmdline H NAME: the command line of the guest's qemu, arguments separated by blanks.
qemu_cmdline() {
    local pid
    pid=$(qemu_pid "$1" "$2")
    [ -n "$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null
}

# qemu_opt H NAME OPTION: the argument that follows OPTION on the guest's qemu command line
# (its first occurrence); fails when there is none.
qemu_opt() {
    local pid i
    local -a args=()
    pid=$(qemu_pid "$1" "$2")
    [ -n "$pid" ] || return 1
    mapfile -d '' args <"/proc/$pid/cmdline" 2>/dev/null || return 1
    for ((i = 0; i + 1 < ${#args[@]}; i++)); do
        if [ "${args[i]}" = "$3" ]; then
            printf '%s\n' "${args[i + 1]}"
            return 0
        fi
    done
    return 1
}

# qemu_alive H NAME: whether any process of host H is a qemu for guest NAME (whatever virtkit
# recorded).
qemu_alive() {
    local pid
    for pid in $(ip netns pids "${gfx_ns[$1]}" 2>/dev/null); do
        if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "-name guest=$2,"; then
            return 0
        fi
    done
    return 1
}

# reservations H: the port reservations of host H, "PORT RANGE OWNER" per line.
reservations() {
    grep -v '^#' "${gfx_root[$1]}/run/qemu/ports/reservations" 2>/dev/null
}

# xml_attr XPATH: the value selected in the XML on stdin ('' when none).
xml_attr() {
    "$py" -c '
import sys, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.read())
path, attr = sys.argv[1].rsplit("@", 1)
el = root.find(path.rstrip("/"))
print("" if el is None else el.get(attr, ""))
' "$1"
}

# ---- probes ----

# probe H MODE ADDRESS PORT: connects from host H to ADDRESS:PORT (a unix socket when ADDRESS
# starts with /) and prints what it found:
#   banner   the first 12 bytes the server sends (an RFB version line, trailing newline cut)
#   auth     after the RFB version exchange, the security types the server offers
#   spice    the first 4 bytes of the reply to a SPICE link message
#   tcp      "open"
#   vncauth:PASSWORD  RFB 3.8 VNC authentication (security type 2) with PASSWORD: "ok",
#            "failed", "no-vnc-auth" when the server does not offer it, or "no-des" when
#            neither python's cryptography nor openssl's legacy DES is at hand
# or, when connecting fails: "refused", "timeout" or "error ERRNO-NAME".
probe() {
    on "$1" "$py" - "$2" "$3" "${4:-0}" <<'PY'
import errno, socket, struct, sys
mode, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])

def recvn(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            break
        data += chunk
    return data

try:
    if addr.startswith("/"):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(2)
        s.connect(addr)
    else:
        s = socket.create_connection((addr, port), timeout=2)
except ConnectionRefusedError:
    print("refused")
    sys.exit(0)
except socket.timeout:
    print("timeout")
    sys.exit(0)
except OSError as e:
    print("error", errno.errorcode.get(e.errno, e.errno))
    sys.exit(0)

def talk(mode, s):
    if mode == "tcp":
        print("open")
    elif mode == "banner":
        print(recvn(s, 12).decode("ascii", "replace").rstrip("\n"))
    elif mode == "auth":
        version = recvn(s, 12)
        s.sendall(version)
        n = recvn(s, 1)
        types = recvn(s, n[0]) if n else b""
        print(" ".join(str(t) for t in types))
    elif mode.startswith("vncauth:"):
        password = mode.split(":", 1)[1].encode()
        version = recvn(s, 12)
        s.sendall(b"RFB 003.008\n")
        n = recvn(s, 1)
        types = recvn(s, n[0]) if n else b""
        if 2 not in types:
            print("no-vnc-auth")
            return
        s.sendall(bytes([2]))
        challenge = recvn(s, 16)
        # VNC's DES key: the password padded to 8 bytes, each byte's bits reversed.
        key = bytes(int(format(b, "08b")[::-1], 2) for b in password[:8].ljust(8, b"\0"))
        try:
            from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
            import warnings
            warnings.simplefilter("ignore")
            enc = Cipher(algorithms.TripleDES(key * 3), modes.ECB()).encryptor()
            response = enc.update(challenge) + enc.finalize()
        except Exception:
            import subprocess
            r = subprocess.run(["openssl", "enc", "-des-ecb", "-nopad", "-K", key.hex(),
                                "-provider", "legacy", "-provider", "default"],
                               input=challenge, capture_output=True)
            if r.returncode != 0 or len(r.stdout) != 16:
                print("no-des")
                return
            response = r.stdout
        s.sendall(response)
        result = recvn(s, 4)
        print("ok" if result == b"\0\0\0\0" else "failed")
    elif mode == "spice":
        # SpiceLinkMess for the main channel: connection id, channel type, channel id, no caps.
        body = struct.pack("<IBBIII", 0, 1, 0, 0, 0, 18)
        s.sendall(b"REDQ" + struct.pack("<III", 2, 2, len(body)) + body)
        print(recvn(s, 4).decode("ascii", "replace"))

s.settimeout(5)
try:
    talk(mode, s)
except socket.timeout:
    print("timeout")
except OSError as e:
    print("error", errno.errorcode.get(e.errno, e.errno))
PY
}

# answers_rfb DESC H ADDRESS PORT: the VNC server answers there with an RFB banner.
answers_rfb() {
    local got
    got=$(probe "$2" banner "$3" "$4")
    like "$1" '^RFB 003\.00[0-9]$' "$got"
}

# refuses DESC H ADDRESS PORT: nothing listens there (the connection is refused).
refuses() {
    is "$1" refused "$(probe "$2" tcp "$3" "$4")"
}

# unreachable DESC H ADDRESS PORT: no connection can be made there, for whatever reason.
unreachable() {
    local got
    got=$(probe "$2" tcp "$3" "$4")
    if [ "$got" = open ]; then
        fail "$1" "a server answers at $3 port $4"
    else
        pass "$1"
    fi
}

# ---- libvirt's schema ----

gfx_schema=/usr/share/libvirt/schemas/domain.rng

# schema_ok DESC XMLTEXT: the XML validates against libvirt's domain schema.
schema_ok() {
    local msg
    if ! command -v xmllint >/dev/null || [ ! -r "$gfx_schema" ]; then
        skip "$1" "xmllint or $gfx_schema missing"
        return
    fi
    printf '%s\n' "$2" >"$gfx_tmp/schema.xml"
    if msg=$(xmllint --noout --relaxng "$gfx_schema" "$gfx_tmp/schema.xml" 2>&1); then
        pass "$1"
    else
        fail "$1" "$msg"
    fi
}

# schema_dumps H NAME: the live, inactive and migratable dumps of a running guest validate.
schema_dumps() {
    local flag
    for flag in "" --inactive --migratable; do
        vkrun "$1" dumpxml $flag "$2"
        schema_ok "$2 on $1: dumpxml ${flag:-(live)} validates against domain.rng" "$out"
    done
}

# ---- foreign servers ----

# hold_port H ADDRESS PORT: a server that is not a guest listens there, in the background, until
# `kill "$held_pid"`.
hold_port() {
    local ready=$gfx_tmp/held.ready i
    rm -f "$ready"
    # ip netns exec execs python, so that $! is the server itself.
    ip netns exec "${gfx_ns[$1]}" "$py" -c '
import socket, sys, time
addr, port, ready = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET)
s.bind((addr, port))
s.listen(1)
open(ready, "w").close()
time.sleep(600)
' "$2" "$3" "$ready" &
    # shellcheck disable=SC2034 # for the caller to stop the server
    held_pid=$!
    for ((i = 0; i < 50; i++)); do
        [ -e "$ready" ] && return 0
        sleep 0.1
    done
    echo "Bail out! cannot hold port $3 on $2"
    exit 1
}
