#!/usr/bin/env bash
# The domain index (ROOT/run/qemu/.index) is a cache, the config files stay the truth: after
# concurrent definers in several processes, changes behind virtkit's back, a stale, deleted or
# corrupt index, and a kill -9 at every step of a define, undefine or rebuild, listings, lookups
# by uuid and the uuid clash check all agree with the files, and a clash is still refused with
# libvirt's message.
#
# usage: index.sh VIRTKIT
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
vkq_init index "${1:-}"

etc=$root/etc/qemu
index=$root/run/qemu/.index

uuid_of() { # FILE
    sed -n 's:.*<uuid>\(.*\)</uuid>.*:\1:p' "$1" | head -n 1
}

# What the files say: "UUID NAME" for every config, sorted.
from_files() {
    local f
    for f in "$etc"/*.xml; do
        [ -f "$f" ] || continue
        printf '%s %s\n' "$(uuid_of "$f")" "$(basename "$f" .xml)"
    done | sort
}

# consistent DESC: list --all (from the index) shows exactly the configs on disk, every one is
# found by its uuid, and the listing is the same once the index is rebuilt from scratch.
consistent() {
    local desc=$1 listed files bad=() u name again
    listed=$(vkr -q list --all --uuid --name 2>&1 | sed '/^$/d' | sort)
    files=$(from_files)
    [ "$listed" = "$files" ] || bad+=("list --all:" "$listed" "files:" "$files")
    while read -r u name; do
        [ -n "$u" ] || continue
        got=$(vkr -q domname "$u" 2>&1)
        [ "$got" = "$name" ] || bad+=("domname $u: '$got', want '$name'")
    done <<<"$files"
    rm -f "$index"
    again=$(vkr -q list --all --uuid --name 2>&1 | sed '/^$/d' | sort)
    [ "$again" = "$files" ] || bad+=("after a rebuild:" "$again")
    if [ ${#bad[@]} -eq 0 ]; then
        pass "$desc"
    else
        fail "$desc" "${bad[@]}"
    fi
}

# newxml NAME [UUID]: a guest's XML with UUID (a fresh one by default); prints its path.
newxml() {
    local f
    f=$(domxml "$1")
    if [ -n "${2:-}" ]; then
        sed -i "s:<uuid>.*</uuid>:<uuid>$2</uuid>:" "$f"
    fi
    echo "$f"
}

a=${prefix}a
b=${prefix}b
c=${prefix}c
axml=$(newxml "$a")
ua=$(uuid_of "$axml")

# ---- a clash is refused with libvirt's message, whatever state the index is in ----
vkr define "$axml" >/dev/null 2>&1
clash_refused() { # DESC
    check "$1" 1 define "$(newxml "$b" "$ua")" <<EOF

error: Failed to define domain from ROOT/$b.xml
error: operation failed: domain '$a' is already defined with uuid $ua
EOF
}
clash_refused "a second name for a known uuid is refused"
rm -f "$index"
clash_refused "refused with the index deleted"
printf 'garbage\0\n\tC\t%s\n' "$a" >"$index"
clash_refused "refused with a corrupt index"
printf 'virtkit-index\t1\t10\n' >"$index"
clash_refused "refused with an index that names no domain"
vkr -q list --all >/dev/null
head -c 20 "$index" >"$index.half" && mv "$index.half" "$index"
clash_refused "refused with a truncated index"
consistent "consistent after the corrupt indexes"

# ---- a stale index: one from before later changes, put back ----
vkr -q list --all >/dev/null
cp "$index" "$root/index.old"
vkr define "$(newxml "$b")" >/dev/null 2>&1
vkr undefine "$a" >/dev/null 2>&1
cp "$root/index.old" "$index"
lacks_re "an old index put back: the undefined domain is not listed" " $a\$" list --all --name
has_re "an old index put back: the new domain is listed" "^$b\$" list --all --name
check "an old index put back: the undefined domain's uuid is free" 0 define \
    "$(newxml "$c" "$ua")" <<EOF
Domain '$c' defined from ROOT/$c.xml

EOF
consistent "consistent after an old index was put back"

# ---- changes behind virtkit's back ----
cp "$(newxml "${prefix}d")" "$etc/${prefix}d.xml"
consistent "a config copied in by hand is listed and found by uuid"
ud=$(uuid_of "$etc/${prefix}d.xml")
check "a config copied in by hand keeps its uuid" 1 define "$(newxml "${prefix}e" "$ud")" <<EOF

error: Failed to define domain from ROOT/${prefix}e.xml
error: operation failed: domain '${prefix}d' is already defined with uuid $ud
EOF
rm "$etc/${prefix}d.xml"
consistent "a config removed by hand is gone from the listing"
vkr define "$(newxml "${prefix}e" "$ud")" >/dev/null 2>&1
has_re "its uuid is free again" "^${prefix}e\$" list --all --name
# An index rebuilt while the directory could not be read must not be kept as the truth.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
    nr=$(mktemp -d /tmp/vkq-index-nobody-XXXXXX)
    vkq_cleanup_extra() { rm -rf "$nr"; }
    chmod 0755 "$nr"
    chown nobody "$nr"
    nxml=$(newxml "${prefix}n")
    cp "$nxml" "$nr/n.xml"
    chmod 644 "$nr/n.xml"
    as_nobody() {
        setpriv --reuid=nobody --regid=nogroup --clear-groups "$vk" -q -c "qemu:///embed?root=$nr" \
            "$@"
    }
    as_nobody define "$nr/n.xml" >/dev/null 2>&1
    chmod 000 "$nr/etc/qemu"
    rm -f "$nr/run/qemu/.index"
    as_nobody list --all >/dev/null 2>&1
    chmod 700 "$nr/etc/qemu"
    out=$(as_nobody list --all --name 2>&1)
    expect "an index built while the configs could not be read is not kept" "$out" "${prefix}n"
else
    skip "an index built while the configs could not be read is not kept" "needs root and setpriv"
fi

# ---- concurrent definers and undefiners in several processes ----
K=4
for ((i = 1; i <= K; i++)); do
    for ((j = 1; j <= 15; j++)); do
        newxml "${prefix}p$i-$j" >/dev/null
    done
done
script_for() { # I: define all of I's, undefine the odd ones, define those again
    local i=$1 j cmds=""
    for ((j = 1; j <= 15; j++)); do cmds+="define $root/${prefix}p$i-$j.xml;"; done
    for ((j = 1; j <= 15; j += 2)); do cmds+="undefine ${prefix}p$i-$j;"; done
    for ((j = 1; j <= 15; j += 4)); do cmds+="define $root/${prefix}p$i-$j.xml;"; done
    echo "$cmds"
}
for ((i = 1; i <= K; i++)); do
    script_for "$i" >"$root/script.$i"
done
parallel_scripts() {
    local i
    for ((i = 1; i <= K; i++)); do
        (vkr -q "$(cat "$root/script.$i")" >"$root/ps.$i.out" 2>&1; echo $? >"$root/ps.$i.rc") &
    done
    wait
}
parallel_scripts
bad=()
for ((i = 1; i <= K; i++)); do
    [ "$(cat "$root/ps.$i.rc")" = 0 ] || bad+=("process $i:" "$(cat "$root/ps.$i.out")")
done
if [ ${#bad[@]} -eq 0 ]; then pass "four processes define and undefine at once"; else
    fail "four processes define and undefine at once" "${bad[@]}"; fi
consistent "consistent after concurrent defines and undefines"

# One uuid, K names, K processes at once: exactly one is defined.
uk=$(cat /proc/sys/kernel/random/uuid)
for ((i = 1; i <= K; i++)); do
    newxml "${prefix}u$i" "$uk" >/dev/null
done
parallel $K define "$root/${prefix}u@I@.xml"
wins=0
for ((i = 1; i <= K; i++)); do
    [ "$(cat "$root/par.$i.rc")" = 0 ] && wins=$((wins + 1))
done
expect "one uuid defined under four names at once: one wins" "$wins" 1
lost=$(grep -l "is already defined with uuid $uk" "$root"/par.*.err | wc -l)
expect "the others are refused with libvirt's message" "$lost" $((K - 1))
consistent "consistent after the uuid race"

# ---- kill -9 at every step that changes the state ----
# strace stops the process with SIGKILL on entry to the Nth call of SYSCALL, before it runs.
if command -v strace >/dev/null 2>&1 && strace -o /dev/null true 2>/dev/null; then
    killed_at() { # SYSCALL N COMMAND...
        local sc=$1 nth=$2
        shift 2
        strace -f -o /dev/null -e trace=none -e "inject=$sc:signal=KILL:when=$nth" \
            "${vk_wrap[@]}" "$vk" -q -c "$uri" "$@" >/dev/null 2>&1
    }
    steps=(write:1 write:2 write:3 fsync:1 fsync:2 rename:1 linkat:1 utimensat:1 unlink:1
        unlink:2)
    k=0
    bad=()
    for step in "${steps[@]}"; do
        k=$((k + 1))
        x=${prefix}k$k
        killed_at "${step%:*}" "${step#*:}" define "$(newxml "$x")"
        [ "$(from_files)" = "$(vkr -q list --all --uuid --name 2>&1 | sed '/^$/d' | sort)" ] ||
            bad+=("define killed at $step: list --all differs from the files")
        vkr define "$root/$x.xml" >/dev/null 2>&1 || bad+=("define again after a kill at $step")
        killed_at "${step%:*}" "${step#*:}" undefine "$x"
        [ "$(from_files)" = "$(vkr -q list --all --uuid --name 2>&1 | sed '/^$/d' | sort)" ] ||
            bad+=("undefine killed at $step: list --all differs from the files")
        # A rebuild killed on its way: after a change by hand, the first look is killed.
        cp "$(newxml "${x}h")" "$etc/${x}h.xml"
        killed_at "${step%:*}" "${step#*:}" list --all
        [ "$(from_files)" = "$(vkr -q list --all --uuid --name 2>&1 | sed '/^$/d' | sort)" ] ||
            bad+=("rebuild killed at $step: list --all differs from the files")
    done
    if [ ${#bad[@]} -eq 0 ]; then
        pass "a define, undefine or rebuild killed at any step leaves listings true"
    else
        fail "a define, undefine or rebuild killed at any step leaves listings true" "${bad[@]}"
    fi
    consistent "consistent after the kills"
    # A clash with a domain whose define was killed after its file was written.
    x=${prefix}kk
    xxml=$(newxml "$x")
    killed_at utimensat 1 define "$xxml"
    if [ -f "$etc/$x.xml" ]; then
        check "the uuid of a define killed before the index was stamped is taken" 1 define \
            "$(newxml "${x}2" "$(uuid_of "$xxml")")" <<EOF

error: Failed to define domain from ROOT/${x}2.xml
error: operation failed: domain '$x' is already defined with uuid $(uuid_of "$xxml")
EOF
    else
        fail "the define killed at its stamp had written its config"
    fi
else
    skip "kill -9 at every step of define, undefine and rebuild" "needs strace"
fi

# ---- a large index: probed, not read whole; its appended records compacted ----
# 250 guests defined in one session append more records than a log keeps after its snapshot:
# it is compacted on the way, and every guest is still found by its uuid from a fresh process.
L=250
cmds=""
for ((j = 1; j <= L; j++)); do
    newxml "${prefix}l$j" >/dev/null
    cmds+="define $root/${prefix}l$j.xml;"
done
out=$(vkr -q "$cmds" 2>&1 | sed '/^$/d' | grep -v "^Domain '${prefix}l[0-9]*' defined from")
expect "$L guests defined in one session" "$out" ""
consistent "consistent after $L defines in one session"

# bytes_read COMMAND...: how many bytes of the index a fresh virtkit running COMMAND reads.
bytes_read() {
    strace -f -y -e trace=read,pread64 -o "$root/strace.out" "${vk_wrap[@]}" "$vk" -q -c "$uri" \
        "$@" >/dev/null 2>&1
    grep -F "$index>" "$root/strace.out" | sed -n 's/.*= \([0-9][0-9]*\)$/\1/p' |
        awk '{ s += $1 } END { print s + 0 }'
}
ul=$(uuid_of "$root/${prefix}l200.xml")
if command -v strace >/dev/null 2>&1 && strace -o /dev/null true 2>/dev/null; then
    vkr -q list --all >/dev/null
    size=$(stat -c %s "$index")
    got=$(bytes_read domname "$ul")
    if [ "$got" -gt 0 ] && [ "$got" -lt $((size / 4)) ]; then
        pass "a lookup by uuid reads a little of the index ($got of $size bytes)"
    else
        fail "a lookup by uuid reads a little of the index" "read $got of $size bytes"
    fi
    got=$(bytes_read define "$(newxml "${prefix}m")")
    if [ "$got" -gt 0 ] && [ "$got" -lt $((size / 4)) ]; then
        pass "a define reads a little of the index ($got of $size bytes)"
    else
        fail "a define reads a little of the index" "read $got of $size bytes"
    fi
else
    skip "a lookup by uuid reads a little of the index" "needs strace"
    skip "a define reads a little of the index" "needs strace"
fi

# spoil: the snapshot's record of guest l200 made garbage in place, at the same size.
spoil() {
    local zs
    zs=$(printf 'z%.0s' {1..36})
    vkr -q list --all >/dev/null
    sed "s/^C\t${prefix}l200\t[^\t]*/C\t${prefix}l200\t$zs/" "$index" >"$root/index.bad"
    cat "$root/index.bad" >"$index"
}
# Whoever probes a spoilt record rebuilds the index.
spoil
expect "a spoilt record: the guest is found by its uuid" "$(vkr -q domname "$ul" 2>&1)" \
    "${prefix}l200"
spoil
check "a spoilt record: its uuid is still taken" 1 define "$(newxml "${prefix}x2" "$ul")" <<EOF

error: Failed to define domain from ROOT/${prefix}x2.xml
error: operation failed: domain '${prefix}l200' is already defined with uuid $ul
EOF
# Records out of order (reversed): a probe may land anywhere, and must notice.
vkr -q list --all >/dev/null
{
    head -n 1 "$index"
    grep '^[CSK]' "$index" | sort -r
    grep -v '^[CSK]' "$index" | tail -n +2
} >"$root/index.bad"
cat "$root/index.bad" >"$index"
check "records out of order: a uuid is still taken" 1 define "$(newxml "${prefix}x3" "$ul")" <<EOF

error: Failed to define domain from ROOT/${prefix}x3.xml
error: operation failed: domain '${prefix}l200' is already defined with uuid $ul
EOF
consistent "consistent after the spoilt snapshots"

# ---- listings read no more than they print ----
# A shut off guest's state comes from the index and one listing of the run directory: no
# probe of its files, so no open that fails, however many guests there are.
if command -v strace >/dev/null 2>&1 && strace -o /dev/null true 2>/dev/null; then
    vkr -q list --all >/dev/null
    strace -f -e trace=open,openat -o "$root/strace.out" "${vk_wrap[@]}" "$vk" -q -c "$uri" \
        list --all >/dev/null 2>&1
    failed_opens=$(grep -F "\"$root/" "$root/strace.out" | grep -c ' = -1 ENOENT')
    if [ "$failed_opens" -lt 10 ]; then
        pass "list --all of $L guests probes no file per guest ($failed_opens failed opens)"
    else
        fail "list --all of $L guests probes no file per guest" "$failed_opens failed opens:" \
            "$(grep -F "\"$root/" "$root/strace.out" | grep ' = -1 ENOENT' | head -n 5)"
    fi
else
    skip "list --all of $L guests probes no file per guest" "needs strace"
fi

# ---- states changed by another process, seen by a session that listed before ----
# The session keeps what it learnt of the run directory while the index stays the same: a
# start, pause or destroy by another process must show all the same.
s=${prefix}s
vkr define "$(newxml "$s")" >/dev/null 2>&1
mkfifo "$root/session.in"
vkr -q <"$root/session.in" >"$root/session.out" 2>&1 &
session_pid=$!
vkq_pids+=("$session_pid")
exec {session}>"$root/session.in"
echo "echo MARK0." >&"$session"
marks=0
# ask COMMANDS...: the session runs them; once it has, ROOT/asked holds what it printed (between
# the marks echoed after the last question and after these). Not in a subshell: it counts.
ask() {
    local c
    marks=$((marks + 1))
    for c in "$@"; do echo "$c" >&"$session"; done
    echo "echo MARK$marks." >&"$session"
    wait_until 60 grep -q "MARK$marks\." "$root/session.out"
    sed 's/MARK\([0-9]*\)\./\nMARK\1.\n/g' "$root/session.out" |
        sed -n "/^MARK$((marks - 1))\.\$/,/^MARK$marks\.\$/p" >"$root/asked"
}
# state_in_session NAME: the session's domstate --reason of NAME and NAME's line in list --all.
state_in_session() {
    ask "domstate --reason $1" "list --all"
    grep -E "^(shut off|running|paused)|$1" "$root/asked"
}
state_in_session "$s" >"$root/state"; out=$(<"$root/state")
expect "a session: a guest never started is shut off" "$(grep -c 'shut off' <<<"$out")" 2
if vkr start "$s" >/dev/null 2>&1; then
    state_in_session "$s" >"$root/state"; out=$(<"$root/state")
    expect "a session: started by another process, it is running" \
        "$(grep -cE '^running \(booted\)$|^ [0-9]+ +'"$s"' +running$' <<<"$out")" 2
    vkr suspend "$s" >/dev/null 2>&1
    state_in_session "$s" >"$root/state"; out=$(<"$root/state")
    expect "a session: paused by another process, it is paused" \
        "$(grep -cE '^paused \(user\)$|'"$s"' +paused$' <<<"$out")" 2
    vkr destroy "$s" >/dev/null 2>&1
    state_in_session "$s" >"$root/state"; out=$(<"$root/state")
    expect "a session: destroyed by another process, it is shut off (destroyed)" \
        "$(grep -cE '^shut off \(destroyed\)$|^ - +'"$s"' +shut off$' <<<"$out")" 2
    # A fresh process, and one whose index was deleted, say the same.
    expect "a fresh process: shut off (destroyed)" "$(state_of "$s")" "shut off (destroyed)"
    rm -f "$index"
    expect "the index deleted: shut off (destroyed)" "$(state_of "$s")" "shut off (destroyed)"
    # Undefined and defined again by another process: the old reason is gone with the old guest.
    vkr undefine "$s" >/dev/null 2>&1
    vkr define "$root/$s.xml" >/dev/null 2>&1
    state_in_session "$s" >"$root/state"; out=$(<"$root/state")
    expect "a session: undefined and defined again, it is shut off (unknown)" \
        "$(grep -cE '^shut off \(unknown\)$|^ - +'"$s"' +shut off$' <<<"$out")" 2
else
    for d in running paused "shut off (destroyed)" "fresh process" "index deleted" "redefined"; do
        skip "a session: $d" "the guest does not start here"
    done
fi
exec {session}>&-
wait "$session_pid"

vkq_done
