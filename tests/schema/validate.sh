#!/usr/bin/env bash
# Validates every expected output of the XML corpora against libvirt's own RelaxNG schemas.
# Usage: validate.sh DATADIR [SCHEMADIR [DOMAINDIR...]]; prints TAP, one line per file. Missing
# tools fail. Each DOMAINDIR adds the *.out.xml files of another domain corpus.
set -uo pipefail

datadir="${1:?usage: validate.sh DATADIR [SCHEMADIR]}"
schemadir="${2:-/usr/share/libvirt/schemas}"
shift 2 2>/dev/null || shift $#
extra=("$@")

bail() {
    echo "1..1"
    echo "not ok 1 - $1"
    exit 1
}

command -v xmllint >/dev/null 2>&1 || bail "xmllint not found (Debian package libxml2-utils)"
for kind in domain network storagepool storagevol; do
    [ -r "$schemadir/$kind.rng" ] || bail "$schemadir/$kind.rng not found (Debian package libvirt0)"
    [ -d "$datadir/$kind" ] || bail "corpus directory $datadir/$kind not found"
done

# The expected outputs: what our formatter promises to produce.
files=()
counts=()
for kind in domain network storagepool storagevol; do
    n=0
    while IFS= read -r -d '' f; do
        files+=("$kind:$f")
        n=$((n + 1))
    done < <(find -L "$datadir/$kind" -type f \
        \( -name '*.out.xml' -o -name '*.inactive.xml' -o -name '*.secure.xml' \) -print0 | sort -z)
    if [ "$kind" = domain ]; then
        for dir in "${extra[@]}"; do
            while IFS= read -r -d '' f; do
                files+=("$kind:$f")
                n=$((n + 1))
            done < <(find -L "$dir" -type f -name '*.out.xml' -print0 | sort -z)
        done
    fi
    counts+=("$kind=$n")
    [ "$n" -gt 0 ] ||
        bail "no expected outputs (*.out.xml, *.inactive.xml, *.secure.xml) in $datadir/$kind"
done

echo "1..${#files[@]}"
echo "# ${counts[*]}; schemas from $schemadir"
status=0
i=0
for entry in "${files[@]}"; do
    i=$((i + 1))
    kind="${entry%%:*}"
    f="${entry#*:}"
    name="${f#"$datadir"/}"
    name="${name#"$(dirname "$datadir")"/}"
    if out=$(xmllint --noout --relaxng "$schemadir/$kind.rng" "$f" 2>&1); then
        echo "ok $i - $name"
    else
        echo "not ok $i - $name does not validate against $kind.rng"
        sed 's/^/# /' <<<"$out"
        status=1
    fi
done
exit $status
