#!/usr/bin/env bash
# Runs the same command lines through Debian's virsh and through virtkit on test:///default and
# compares stdout, stderr and exit status (TAP). Only time-dependent text is normalised.
#
# usage: virsh-compare.sh VIRTKIT DATADIR [CASES]
set -u

vk=${1:?usage: virsh-compare.sh VIRTKIT DATADIR [CASES]}
data=${2:?usage: virsh-compare.sh VIRTKIT DATADIR [CASES]}
cases_file=${3:-$(dirname "$0")/cases.txt}
uri=test:///default

if ! command -v virsh >/dev/null 2>&1; then
    echo "1..0 # SKIP virsh is not installed (Debian package libvirt-clients)"
    exit 0
fi

vk=$(realpath "$vk")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Neither shell may touch the user's history or pick up a default URI from the caller.
export LC_ALL=C HOME=$tmp/home XDG_CACHE_HOME=$tmp/cache XDG_CONFIG_HOME=$tmp/config
unset VIRSH_DEFAULT_CONNECT_URI LIBVIRT_DEFAULT_URI VIRTKIT_DEFAULT_URI VIRSH_HISTSIZE \
    VIRTKIT_HISTSIZE
mkdir -p "$HOME"

# The test driver reports the wall clock as CPU time. libvirt lets libxml2 print its own
# "I/O warning" lines besides the error; they are not virsh's wording, so they are dropped.
normalize() {
    sed -E -e 's/^(CPU time: +)[0-9]+\.[0-9]s$/\1N.Ns/' \
        -e '/^I\/O warning : failed to load external entity /d'
}

n=0
failed=0

# report DESC DIR: compares DIR/virsh.* with DIR/virtkit.* and prints the TAP line.
report() {
    local desc=$1 dir=$2 diffs=""
    local s
    for s in out err rc; do
        normalize <"$dir/virsh.$s" >"$dir/virsh.$s.n"
        normalize <"$dir/virtkit.$s" >"$dir/virtkit.$s.n"
        if ! cmp -s "$dir/virsh.$s.n" "$dir/virtkit.$s.n"; then
            diffs+="$(diff -u --label "virsh $s" --label "virtkit $s" \
                "$dir/virsh.$s.n" "$dir/virtkit.$s.n")"$'\n'
        fi
    done
    n=$((n + 1))
    if [ -z "$diffs" ]; then
        echo "ok $n - $desc"
    else
        failed=$((failed + 1))
        echo "not ok $n - $desc"
        printf '%s' "$diffs" | sed 's/^/#   /'
    fi
}

# run_pair DIR STDIN ENV_VIRSH ENV_VIRTKIT ARGS...: runs both shells from the data directory,
# so that file names in messages are the same relative paths.
run_pair() {
    local dir=$1 input=$2 env_virsh=$3 env_vk=$4
    shift 4
    mkdir -p "$dir"
    (cd "$data" && env $env_virsh virsh "$@" <"$input" >"$dir/virsh.out" 2>"$dir/virsh.err")
    echo $? >"$dir/virsh.rc"
    (cd "$data" && env $env_vk "$vk" "$@" <"$input" >"$dir/virtkit.out" 2>"$dir/virtkit.err")
    echo $? >"$dir/virtkit.rc"
}

mapfile -t cases < <(grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$cases_file")
specials=8
echo "1..$((${#cases[@]} + specials))"

for line in "${cases[@]}"; do
    eval "args=($line)"
    dir=$tmp/case$n
    run_pair "$dir" /dev/null "" "" -c "$uri" "${args[@]}"
    report "$line" "$dir"
done

# Interactive mode: the prompt and greeting name the program, everything else must match.
interactive() {
    local desc=$1 input=$2
    shift 2
    local dir=$tmp/case$n
    printf '%b' "$input" >"$tmp/stdin$n"
    run_pair "$dir" "$tmp/stdin$n" "" "" "$@"
    sed -i 's/virsh/virtkit/g' "$dir/virsh.out"
    report "$desc" "$dir"
}

interactive "interactive: commands, errors and quit" \
    'list --all\ndominfo test; domstate test\nfoo\ncd /\npwd\nnet-list\nquit\nlist\n' -c "$uri"
interactive "interactive: read-only prompt, end of input without quit" \
    'uri\ndestroy test\n' -r -c "$uri"
interactive "interactive: quiet, help and a syntax error" \
    'help domstate\nlist --bogus\necho "unterminated\nlist --name\n' -q -c "$uri"

# Readline keeps the history where virsh keeps its own, under the program's name.
n=$((n + 1))
if grep -qx 'dominfo test; domstate test' "$XDG_CACHE_HOME/virtkit/history" 2>/dev/null; then
    echo "ok $n - interactive history saved in \$XDG_CACHE_HOME/virtkit/history"
else
    failed=$((failed + 1))
    echo "not ok $n - interactive history saved in \$XDG_CACHE_HOME/virtkit/history"
fi

# Default URI from the environment: virsh's variable for virsh, ours for virtkit.
dir=$tmp/case$n
run_pair "$dir" /dev/null "VIRSH_DEFAULT_CONNECT_URI=$uri" "VIRTKIT_DEFAULT_URI=$uri" \
    'uri; list --all; net-list'
report "default URI from the environment" "$dir"

dir=$tmp/case$n
run_pair "$dir" /dev/null "VIRSH_DEFAULT_CONNECT_URI=test:///nonexistent.xml" \
    "VIRTKIT_DEFAULT_URI=test:///nonexistent.xml" -c "$uri" 'uri'
report "-c overrides the default URI" "$dir"

dir=$tmp/case$n
run_pair "$dir" /dev/null "VIRSH_DEFAULT_CONNECT_URI=$uri" "VIRTKIT_DEFAULT_URI=$uri" \
    'help uri; connect test:///default; uri'
report "default URI with help and connect" "$dir"

dir=$tmp/case$n
run_pair "$dir" /dev/null "VIRSH_DEFAULT_CONNECT_URI=test:///nonexistent.xml" \
    "VIRTKIT_DEFAULT_URI=test:///nonexistent.xml" 'help uri; uri; list'
report "unusable default URI: each command reports the failed connection" "$dir"

[ "$failed" -eq 0 ]
