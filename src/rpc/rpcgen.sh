#!/bin/sh
# Runs rpcgen on a copy of the .x file in a private directory: rpcgen writes the input's path
# into the generated C file's #include line, and the build needs it to be the bare header name.
# Usage: rpcgen.sh RPCGEN -h|-c INPUT.x OUTPUT
set -eu
rpcgen=$1 mode=$2 input=$3 output=$4
base=$(basename "$input")
work=$(mktemp -d "${TMPDIR:-/tmp}/vkrpcgen.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp "$input" "$work/$base"
(cd "$work" && "$rpcgen" "$mode" -o out "$base")
cp "$work/out" "$output"
