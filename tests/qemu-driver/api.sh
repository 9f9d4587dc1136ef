#!/usr/bin/env bash
# Runs a public API test (qemudriverapitest, qemudrivernamestest) on a root of its own (as root, in a network
# namespace of its own too) and removes whatever it leaves, qemu processes included, even when
# an assertion aborts it. The TAP output is the test's own.
#
# usage: api.sh QEMUDRIVERAPITEST
set -u
test_exe=$(realpath "${1:?usage: api.sh QEMUDRIVERAPITEST}")
prefix="vkq-api-$$-"
root=$(mktemp -d /tmp/vkq-api-XXXXXX)
# A directory outside the root, for tests that check nothing outside it is touched.
scratch=$(mktemp -d /tmp/vkq-api-scratch-XXXXXX)
ns=
wrap=()
cleanup() {
    local pids
    pkill -9 -f "guest=$prefix" 2>/dev/null
    if [ -n "$ns" ]; then
        pids=$(ip netns pids "$ns" 2>/dev/null)
        # shellcheck disable=SC2086 # one pid a word
        [ -n "$pids" ] && kill -9 $pids 2>/dev/null
        ip netns delete "$ns" 2>/dev/null
    fi
    rm -rf "$root" "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
if [ "$(id -u)" -eq 0 ] && ip netns add "vkq-api-$$" 2>/dev/null; then
    ns=vkq-api-$$
    ip -n "$ns" link set lo up
    wrap=(ip netns exec "$ns")
fi
if [ -n "${VKQ_VIRT_TYPE:-}" ]; then
    virt_type=$VKQ_VIRT_TYPE
elif [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
    virt_type=kvm
else
    virt_type=qemu
fi
export LC_ALL=C HOME=$root VKQ_ROOT=$root VKQ_SCRATCH=$scratch VKQ_PREFIX=$prefix
export VKQ_VIRT_TYPE=$virt_type
"${wrap[@]}" "$test_exe" --tap "${@:2}"
