# Sourced by the storage pool event tests (embedded, through virtkitd, and Debian's virsh on a
# private libvirtd): one story of pool operations, each run only once the listeners heard the
# one before, so that every side tells it in the same order, and the lines virsh prints for it.
# shellcheck shell=bash

# pe_count FILE TEXT: how many lines of FILE hold TEXT.
pe_count() {
    grep -cF -- "$2" "$1" 2>/dev/null
}

# pe_wait_more SECONDS FILE TEXT N: waits until FILE holds TEXT on more than N lines.
pe_wait_more() {
    local deadline=$(($(date +%s) + $1))
    until [ "$(pe_count "$2" "$3")" -gt "$4" ]; do
        [ "$(date +%s)" -ge "$deadline" ] && return 1
        sleep 0.05
    done
}

# pe_step FILE TEXT COMMAND...: runs COMMAND (its output dropped), then waits until FILE holds
# TEXT on one more line than before. Fails, naming TEXT, when it does not within 60 seconds.
pe_step() {
    local file=$1 text=$2 before
    shift 2
    before=$(pe_count "$file" "$text")
    "$@" >/dev/null 2>&1
    pe_wait_more 60 "$file" "$text" "$before" || {
        echo "not heard in $file: $text" >&2
        return 1
    }
}

# pe_story RUN LIFECYCLE REFRESH POOL TRANSIENT DIR: the story. RUN is a command (a function
# taking a shell command line's words); LIFECYCLE and REFRESH are the outputs of listeners for
# each event id. POOL is defined on DIR/POOL (not there yet: pool-build makes it), TRANSIENT
# created on DIR/TRANSIENT (made here), where a volume is created and uploaded to (the upload's
# end refreshes the pool, as libvirt's does).
pe_story() {
    local run=$1 lc=$2 rf=$3 p=$4 t=$5 dir=$6
    mkdir -p "$dir/$t"
    head -c 4096 /dev/urandom >"$dir/up.src"
    pe_step "$lc" "pool $p: Defined" "$run" pool-define-as "$p" dir --target "$dir/$p" &&
        pe_step "$lc" "pool $p: Created" "$run" pool-build "$p" &&
        pe_step "$lc" "pool $p: Started" "$run" pool-start "$p" &&
        pe_step "$rf" "pool $p" "$run" pool-refresh "$p" &&
        pe_step "$lc" "pool $p: Stopped" "$run" pool-destroy "$p" &&
        pe_step "$lc" "pool $p: Deleted" "$run" pool-delete "$p" &&
        pe_step "$lc" "pool $p: Undefined" "$run" pool-undefine "$p" &&
        pe_step "$lc" "pool $t: Started" "$run" pool-create-as "$t" dir --target "$dir/$t" &&
        pe_step "$rf" "pool $t" "$run" pool-refresh "$t" &&
        "$run" vol-create-as "$t" up.img 64K --format raw >/dev/null 2>&1 &&
        pe_step "$rf" "pool $t" "$run" vol-upload --pool "$t" up.img "$dir/up.src" &&
        pe_step "$lc" "pool $t: Stopped" "$run" pool-destroy "$t"
}

# pe_story_lifecycle POOL TRANSIENT / pe_story_refresh POOL TRANSIENT: what virsh pool-event
# prints for the story (libvirt's storage driver: a build is Created, a start that builds or
# a transient pool's stop tells no more than Started or Stopped).
pe_story_lifecycle() {
    printf "event 'lifecycle' for storage pool %s: %s\n" "$1" Defined "$1" Created "$1" Started \
        "$1" Stopped "$1" Deleted "$1" Undefined "$2" Started "$2" Stopped
}
pe_story_refresh() {
    printf "event 'refresh' for storage pool %s\n" "$1" "$2" "$2"
}

# pe_lines FILE POOL...: the event lines of FILE about the POOLs, in order.
pe_lines() {
    local file=$1 re=
    shift
    for p in "$@"; do
        re="$re${re:+|}storage pool $p(: |\$)"
    done
    grep -E "^event '[a-z]+' for ($re)" "$file"
}

# pe_heard_all TEXT FILE...: every FILE holds TEXT.
pe_heard_all() {
    local text=$1 f
    shift
    for f in "$@"; do
        grep -qF -- "$text" "$f" 2>/dev/null || return 1
    done
}

# pe_sync RUN SYNC DIR FILE...: defines and undefines pool SYNC (a dir pool on DIR) with RUN
# until every FILE, the outputs of lifecycle listeners, tells of it: they all listen then.
pe_sync() {
    local run=$1 s=$2 dir=$3 i
    shift 3
    for i in $(seq 60); do
        "$run" pool-define-as "$s" dir --target "$dir" >/dev/null 2>&1
        "$run" pool-undefine "$s" >/dev/null 2>&1
        for _ in $(seq 20); do
            pe_heard_all "pool $s: Undefined" "$@" && return 0
            sleep 0.05
        done
    done
    return 1
}
