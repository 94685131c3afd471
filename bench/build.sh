#!/bin/sh
# bench/build.sh: the release build the benchmarks measure (the Makefile's
# default flags, -O2, no sanitizers) of the committed code, HEAD (BENCH_REV),
# in directories of its own: the sources extracted by `git archive` into
# build/bench-rel/src-tree, the programs built into build/bench-rel
# (BENCH_REL). So a benchmark neither uses nor overwrites the bin/ and
# cgi-bin/ programs other builds leave in the tree, and measures no
# half-edited file. Prints the directory (programs in DIR/bin and
# DIR/cgi-bin; DIR/rev names the commit). bench/run.sh builds once and sets
# BENCH_BUILT=1, so the three benchmarks of one run measure the same programs.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
REL=${BENCH_REL:-$ROOT/build/bench-rel}
REV=${BENCH_REV:-HEAD}
if [ -z "${BENCH_BUILT:-}" ]; then
	rev=$(git -C "$ROOT" rev-parse --short "$REV") || exit 1
	mkdir -p "$REL"
	rm -rf "$REL/src-tree" && mkdir -p "$REL/src-tree"
	# The files keep the commit's time: objects of the same commit are kept.
	git -C "$ROOT" archive "$REV" Makefile src cgi-bin migrations tests/fuzz/fuzz.mk | tar -x -C "$REL/src-tree"
	make -s -j2 -C "$REL/src-tree" BUILD="$REL" OUT="$REL" all >&2 ||
		{ echo "bench: the release build of $rev failed" >&2; exit 1; }
	echo "$rev" >"$REL/rev"
fi
echo "$REL"
