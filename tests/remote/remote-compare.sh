#!/usr/bin/env bash
# The shell's virsh-compare cases through the remote driver: each case runs as Debian's virsh
# against a private Debian libvirtd and as virtkit against the same kind of libvirtd (and, given
# VIRTKITD, as virsh and as virtkit against virtkitd on a fresh root); stdout, stderr and exit
# status of virtkit must match virsh's against the same kind of server. Every run gets fresh
# namespaces and a fresh libvirtd (tests/lib/libvirtd-private.sh), so the two clients see the
# same world; nothing of the host is used or touched. Against libvirtd, the procedures each
# client sent (libvirtd's log of its calls) must be the same too. TAP; needs root.
#
# MODE shell:   tests/shell/cases.txt on libvirtd's test driver (test+unix:///default), from
#               DATA (tests/data/shell), one libvirtd for all lines of a client; a line
#               starting with @RO@ goes to the read-only socket (readonly-cases.txt).
# MODE network: tests/network/virsh-cases.txt on libvirtd's network driver, DATA replaced,
#               the lines in order on one libvirtd per client.
# MODE qemu:    tests/qemu-driver/virsh-cases.txt on libvirtd's qemu driver (real qemu guests),
#               DATA the guests' directory (tests/data/remote), one fresh libvirtd per case
#               and client, so that domain ids start at 1.
#
# usage: remote-compare.sh MODE VIRTKIT CASES DATA [VIRTKITD]
# KEEP=1 keeps the outputs.
set -u
here=$(dirname "$(realpath "$0")")

# ---- inside the namespaces: one client's run ----
if [ "${1:-}" = --inner ]; then
    shift
    mode=$1 way=$2 dir=$3 out=$4 lines=$5 data=$6 first=$7 last=$8 vk=$9 vkd=${10}
    . "$here/../lib/libvirtd-private.sh"
    lv_private_setup "$dir/ns" || exit 1
    case $way in
    *-virtkitd)
        # The hook for virtkitd (issue 10, section 1): the daemon on a root of its own, its
        # sockets in ROOT/run/.
        lv_virtkitd_start "$vkd" "$dir/ns"
        sock=$LV_SOCK
        client=virsh
        [ "$way" = virtkit-virtkitd ] && client=$vk
        ;;
    *)
        # libvirtd logs every call it dispatches: the procedures each client sent
        LV_WIRE_LOG=$out/wire.log
        printf 'log_filters = "1:rpc.netserverprogram 4:*"\nlog_outputs = "1:file:%s"\n' \
            "$LV_WIRE_LOG" >>"$LV_DIR/libvirtd.conf"
        lv_start || exit 1
        sock=$LV_SOCK
        client=virsh
        [ "$way" = virtkit-libvirtd ] && client=$vk
        ;;
    esac
    scheme=qemu+unix path=/system
    [ "$mode" = shell ] && scheme=test+unix path=/default
    uri="$scheme://$path?socket=$sock"
    [ "$mode" = shell ] && cd "$data"
    i=0
    while IFS= read -r line; do
        i=$((i + 1))
        [ "$i" -lt "$first" ] || [ "$i" -gt "$last" ] && continue
        target=$uri
        if [ "${line#@RO@ }" != "$line" ]; then
            line=${line#@RO@ }
            target=${uri/%-sock/-sock-ro}
        fi
        eval "args=($line)"
        "$client" -c "$target" "${args[@]}" >"$out/$i.out" 2>"$out/$i.err" </dev/null
        echo $? >"$out/$i.rc"
        # libvirtd logged each call before answering it: all of them are in by now
        [ -n "${LV_WIRE_LOG:-}" ] && echo "MARK $i" >>"$LV_WIRE_LOG"
    done <"$lines"
    # What the daemon and qemu said, for the diagnosis of a mismatch.
    cat "$dir/ns/"*.log /var/log/libvirt/qemu/*.log >"$out/log.$first" 2>/dev/null
    exit 0
fi

mode=${1:?usage: remote-compare.sh MODE VIRTKIT CASES DATA [VIRTKITD]}
vk=${2:?usage: remote-compare.sh MODE VIRTKIT CASES DATA [VIRTKITD]}
cases=${3:?usage: remote-compare.sh MODE VIRTKIT CASES DATA [VIRTKITD]}
data=${4:?usage: remote-compare.sh MODE VIRTKIT CASES DATA [VIRTKITD]}
vkd=${5:-}

if [ "$(id -u)" -ne 0 ]; then
    echo "1..0 # SKIP needs root for mount, network and pid namespaces"
    exit 0
fi
for prog in libvirtd virsh unshare ip; do
    if ! command -v $prog >/dev/null 2>&1; then
        echo "1..0 # SKIP $prog is not installed (Debian packages libvirt-daemon," \
            "libvirt-daemon-driver-qemu, libvirt-clients, util-linux, iproute2)"
        exit 0
    fi
done

vk=$(realpath "$vk")
data=$(realpath "$data")
dir=$(mktemp -d "/tmp/vkremote-$mode-XXXXXX")
chmod 755 "$dir"
trap '[ -n "${KEEP:-}" ] && echo "# kept $dir" || rm -rf "$dir"' EXIT
export LC_ALL=C HOME=$dir/home XDG_CACHE_HOME=$dir/cache-home XDG_CONFIG_HOME=$dir/config
unset VIRSH_DEFAULT_CONNECT_URI LIBVIRT_DEFAULT_URI VIRTKIT_DEFAULT_URI
mkdir -p "$HOME"

# The command lines, one per line, written so that the inner run can eval them into words.
case $mode in
shell)
    grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$cases" >"$dir/lines"
    ;;
network)
    grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$cases" | sed "s|DATA|$data|g" >"$dir/lines"
    ;;
qemu)
    # Each line is one argument; DOM and DOM2 are the guests of tests/data/remote (those of
    # tests/qemu-driver/virsh-compare.sh), renamed for this run, so that no other test on the
    # machine has guests of these names.
    guest="s/\bcmp\([12]\)\b/cmp\1-vkr$$/g"
    sed "$guest" "$data/cmp1.xml" >"$dir/dom1.xml" || exit 1
    sed "$guest" "$data/cmp2.xml" >"$dir/dom2.xml" || exit 1
    grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$cases" |
        sed -e "$guest" -e "s|DOM2|$dir/dom2.xml|g" -e "s|DOM|$dir/dom1.xml|g" |
        while IFS= read -r line; do printf '%q\n' "$line"; done >"$dir/lines"
    ;;
*)
    echo "Bail out! unknown mode $mode"
    exit 1
    ;;
esac
# What the report calls each line: the case as written.
grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$cases" >"$dir/desc"
total=$(wc -l <"$dir/lines")

# Each pair isolates the client: virsh and virtkit against the same kind of server.
ways=(virsh-libvirtd virtkit-libvirtd)
if [ -n "$vkd" ] && [ -x "$vkd" ]; then
    vkd=$(realpath "$vkd")
    ways+=(virsh-virtkitd virtkit-virtkitd)
fi

# run WAY FIRST LAST: the lines FIRST..LAST in fresh namespaces.
run() {
    mkdir -p "$dir/out/$1"
    rm -rf "$dir/ns" && mkdir -p "$dir/ns"
    [ -d "$dir/cache" ] || mkdir -p "$dir/cache"
    ln -sfn "$dir/cache" "$dir/ns/cache"
    unshare --mount --net --pid --fork --kill-child --mount-proc \
        bash "$here/remote-compare.sh" --inner "$mode" "$1" "$dir" "$dir/out/$1" "$dir/lines" \
        "$data" "$2" "$3" "$vk" "$vkd" >>"$dir/inner.log" 2>&1 ||
        echo "# $1 lines $2-$3: the run failed: $(tail -n 5 "$dir/inner.log")"
}

for way in "${ways[@]}"; do
    if [ "$mode" = qemu ]; then
        for i in $(seq "$total"); do
            run "$way" "$i" "$i"
        done
    else
        run "$way" 1 "$total"
    fi
done

# The calls of each line, "type status proc" each, from libvirtd's log of a way (DIR/N.wire).
splitWire() {
    [ -f "$1/wire.log" ] || return 0
    awk -v dir="$1" '
        /virNetServerProgramDispatch:.* proc=/ {
            match($0, /type=[0-9]+ status=[0-9]+ serial=[0-9]+ proc=[0-9]+/)
            call = substr($0, RSTART, RLENGTH)
            sub(/serial=[0-9]+ /, "", call)
            calls = calls call "\n"
        }
        /^MARK / { f = dir "/" $2 ".wire"; printf "%s", calls >f; close(f); calls = "" }
    ' "$1/wire.log"
}

# virsh's calls as the shell makes them where the library lacks what virsh uses: no snapshot
# count (virDomainSnapshotNum).
shellCalls() {
    sed -e '/ proc=187$/d' "$1"
}

normalize() {
    [ -f "$1" ] || {
        echo "(missing)"
        return
    }
    sed -E -e 's/^(CPU time: +)[0-9]+\.[0-9]s$/\1N.Ns/' \
        -e '/^I\/O warning : failed to load external entity /d' \
        -e '/ (info|warning) : /d' \
        -e 's/52:54:00(:[0-9a-f]{2}){3}/52:54:00:XX:XX:XX/g' "$1"
}

for way in "${ways[@]}"; do
    splitWire "$dir/out/$way"
done

n=0
failed=0
for way in virtkit-libvirtd virtkit-virtkitd; do
    ref=virsh-${way#virtkit-}
    [ -d "$dir/out/$way" ] || continue
    i=0
    while IFS= read -r desc; do
        i=$((i + 1))
        n=$((n + 1))
        diffs=""
        for s in out err rc; do
            if ! diff <(normalize "$dir/out/$ref/$i.$s") \
                <(normalize "$dir/out/$way/$i.$s") >"$dir/diff.$s"; then
                diffs="$diffs $s"
            fi
        done
        # the same calls on the wire, in the same order
        if [ -f "$dir/out/$ref/$i.wire" ] &&
            ! diff <(shellCalls "$dir/out/$ref/$i.wire") "$dir/out/$way/$i.wire" \
                >"$dir/diff.wire"; then
            diffs="$diffs wire"
        fi
        if [ -z "$diffs" ]; then
            echo "ok $n - $way: $desc"
        else
            failed=$((failed + 1))
            echo "not ok $n - $way: $desc (differs in:$diffs; < virsh, > virtkit)"
            for s in $diffs; do
                sed 's/^/# /' "$dir/diff.$s"
            done
            for w in "$ref" "$way"; do
                log=$dir/out/$w/log.$i
                [ -s "$log" ] || log=$dir/out/$w/log.1
                [ -s "$log" ] && echo "# $w's daemon and qemu logs, last lines:" &&
                    tail -n 8 "$log" | sed 's/^/#   /'
            done
        fi
    done <"$dir/desc"
done
if [ "${#ways[@]}" -lt 3 ]; then
    echo "# virsh and virtkit against virtkitd: not run (no virtkitd given: the *-virtkitd ways)"
fi
echo "1..$n"
[ "$failed" -eq 0 ]
