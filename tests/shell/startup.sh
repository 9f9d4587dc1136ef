#!/usr/bin/env bash
# What the shell loads: a one-shot command maps no line editor (readline and libtinfo come as a
# module only once the shell goes interactive, issue 16), and the interactive shell still gets
# them. TAP.
#
# usage: startup.sh VIRTKIT
set -u

vk=${1:?usage: startup.sh VIRTKIT}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp/home XDG_CACHE_HOME=$tmp/cache XDG_CONFIG_HOME=$tmp/config
unset VIRTKIT_DEFAULT_URI VIRTKIT_HISTSIZE
echo "1..3"
failed=0

# The dynamic loader names every object it loads (LD_DEBUG=files) in a file of its own.
loaded() { # NAME INPUT ARGS...
    local name=$1 input=$2
    shift 2
    printf '%b' "$input" | LD_DEBUG=files LD_DEBUG_OUTPUT="$tmp/$name" "$vk" "$@" \
        >"$tmp/$name.out" 2>&1
    echo $? >"$tmp/$name.rc"
    cat "$tmp/$name".[0-9]* 2>/dev/null | sed -n 's/.*file=\([^ ]*\).*/\1/p' | sort -u
}

libs=$(loaded oneshot "" -c test:///default "uri; list")
if [ "$(cat "$tmp/oneshot.rc")" = 0 ] && [ -n "$libs" ] &&
    ! grep -Eq 'libreadline|libtinfo' <<<"$libs"; then
    echo "ok 1 - a one-shot command loads neither libreadline nor libtinfo"
else
    failed=1
    echo "not ok 1 - a one-shot command loads neither libreadline nor libtinfo"
    sed 's/^/#   /' <<<"$libs"
    sed 's/^/#   /' "$tmp/oneshot.out"
fi

libs=$(loaded interactive 'uri\nquit\n' -q -c test:///default)
if [ "$(cat "$tmp/interactive.rc")" = 0 ] && grep -q libreadline <<<"$libs" &&
    grep -qx 'test:///default' "$tmp/interactive.out"; then
    echo "ok 2 - the interactive shell loads readline and runs commands"
else
    failed=1
    echo "not ok 2 - the interactive shell loads readline and runs commands"
    sed 's/^/#   /' "$tmp/interactive.out"
fi

# Without its line editor the interactive shell says so and fails; one-shot commands still run.
out=$(echo quit | VIRTKIT_READLINE_MODULE=$tmp/missing.so "$vk" -q -c test:///default 2>&1)
rc=$?
if [ $rc = 1 ] && grep -q "^error: Failed to load module '$tmp/missing.so'" <<<"$out" &&
    VIRTKIT_READLINE_MODULE=$tmp/missing.so "$vk" -q -c test:///default uri >/dev/null; then
    echo "ok 3 - a missing line editor fails the interactive shell only"
else
    failed=1
    echo "not ok 3 - a missing line editor fails the interactive shell only"
    sed 's/^/#   /' <<<"$out"
fi
[ "$failed" = 0 ]
