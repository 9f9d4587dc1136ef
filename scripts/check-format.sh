#!/usr/bin/env bash
# Fails if any C source or header in the tree differs from what clang-format makes of it.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find include src tools daemon tests fuzz bench examples \
    -name '*.[ch]' -not -path '*/data/*' 2>/dev/null | sort)
if [ ${#files[@]} -eq 0 ]; then
    echo "check-format: no C files found" >&2
    exit 1
fi
clang-format --dry-run --Werror "${files[@]}"
echo "check-format: ${#files[@]} files clean"
