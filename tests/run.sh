#!/bin/sh
# Runs every unit test binary and every end-to-end script, counts the
# "ok"/"not ok" lines they print, and ends with "N passed, N failed".
# A program that exits non-zero without reporting a failure (a crash, a
# sanitizer abort, a missing tool) counts as one failure of its own.
# Env: BUILD (unit test binaries under $BUILD/tests), OUT (programs under test).
# Usage: tests/run.sh [pattern]   runs only tests whose path contains pattern.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build/asan}
OUT=${OUT:-$BUILD}
export BUILD OUT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
pattern=${1:-}
passed=0 failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

run_one() {
	name=$1; shift
	case "$name" in *"$pattern"*) ;; *) return ;; esac
	echo "# $name"
	"$@" >"$log" 2>&1
	rc=$?
	cat "$log"
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name exited with status $rc without reporting a failure"
		f=1
	fi
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name reported no results"
		f=1
	fi
	passed=$((passed + p)); failed=$((failed + f))
}

for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] && run_one "$t" "$t"
done
for t in tests/e2e/*.sh; do
	[ -f "$t" ] && run_one "$t" bash "$t"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
