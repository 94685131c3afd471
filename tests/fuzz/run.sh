#!/bin/sh
# Runs one libFuzzer harness for SECONDS on a scratch copy of its seeds
# (tests/fuzz/seeds/NAME, never written to) with its dictionary, if any.
# Prints one line:
#   fuzz_NAME: RUNS runs in SECONDS s
#   fuzz_NAME: CRASH after RUNS runs: FILE (replay: BIN FILE)
# and exits non-zero when the harness crashed or did not run.
# Usage (from the repository root): sh tests/fuzz/run.sh NAME SECONDS FUZZ_BUILD
set -u
name=$1 secs=$2 dir=$3
bin=$dir/fuzz_$name
corpus=$dir/corpus/$name
art=$dir/artifacts/$name
log=$dir/fuzz_$name.log

rm -rf "$corpus" "$art"
mkdir -p "$corpus" "$art" || exit 1
if [ -d "tests/fuzz/seeds/$name" ]; then
	cp tests/fuzz/seeds/"$name"/* "$corpus"/ || exit 1
fi
set -- -max_total_time="$secs" -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$art/"
[ -f "tests/fuzz/$name.dict" ] && set -- "$@" -dict="tests/fuzz/$name.dict"
"$bin" "$@" "$corpus" >"$log" 2>&1
rc=$?
# libFuzzer's closing statistics; a crash prints them too.
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
crash=$(find "$art" -type f | head -n 1)
if [ -n "$crash" ] || [ "$rc" -ne 0 ]; then
	echo "fuzz_$name: CRASH after ${runs:-0} runs: ${crash:-no input saved, see $log} (replay: $bin ${crash:-})"
	grep -m 3 -E '^(==[0-9]+==ERROR|SUMMARY|fuzz invariant broken|.*runtime error)' "$log" | sed 's/^/#   /'
	exit 1
fi
echo "fuzz_$name: ${runs:-0} runs in $secs s"
