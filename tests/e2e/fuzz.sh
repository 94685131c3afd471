#!/bin/bash
# fuzz: every libFuzzer harness (tests/fuzz/) built with clang and run for
# FUZZ_SECONDS (20) seconds on a scratch copy of its seeds: one line per
# harness, failing on a crash (a sanitizer report or a broken invariant,
# with the saved input named) or when it ran fewer than 1000 inputs.
# The harnesses are built in $OUT/fuzz, apart from `make fuzz`'s build/fuzz.
. "$(dirname "$0")/../lib.sh"
cd "$ROOT" || exit 1

FUZZ_SECONDS=${FUZZ_SECONDS:-20}
MIN_RUNS=1000
dir=$OUT/fuzz
case "$dir" in "$ROOT"/*) dir=${dir#"$ROOT"/} ;; esac

# A make of its own: the one running the suite (make test) passes nothing
# down this path but SAN=1 and jobserver flags it cannot honour here.
if ! env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -j2 fuzz-build \
    FUZZ_BUILD="$dir" >"$T/build.log" 2>&1; then
	not_ok "fuzz harnesses build (make fuzz-build FUZZ_BUILD=$dir)"
	sed 's/^/#   /' "$T/build.log" | tail -n 20
	exit 1
fi
# Every harness file is one name (fuzz.mk's FUZZ_NAMES lists the same).
names=$(ls tests/fuzz/fuzz_*.c | sed 's|.*/fuzz_||; s|\.c$||')
for n in $names; do
	line=$(sh tests/fuzz/run.sh "$n" "$FUZZ_SECONDS" "$dir")
	rc=$?
	runs=$(printf '%s\n' "$line" | sed -n '1s/.* \([0-9][0-9]*\) runs.*/\1/p')
	if [ "$rc" -ne 0 ]; then
		not_ok "$(printf '%s\n' "$line" | sed -n 1p)"
		printf '%s\n' "$line" | sed -n '2,$p'
	elif [ "${runs:-0}" -lt "$MIN_RUNS" ]; then
		not_ok "fuzz_$n ran ${runs:-0} inputs in $FUZZ_SECONDS s, fewer than $MIN_RUNS (log: $dir/fuzz_$n.log)"
	else
		ok "$line"
	fi
done
