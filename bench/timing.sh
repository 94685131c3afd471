# bench/timing.sh: timing a command the way bench/ingest.sh and
# bench/series.sh report it, sourced after they set W (their scratch dir)
# and REPEAT. Needs /usr/bin/time (Debian package: time).

# timed OUT CMD...: runs CMD under /usr/bin/time -v; leaves "wall-seconds kB
# cpu-seconds" in OUT (CPU = user + system: steadier than wall time on a
# shared machine).
timed() {
	out=$1; shift
	/usr/bin/time -v "$@" 2>"$W/time.txt" >/dev/null || {
		echo "failed: $*" >&2; tail -20 "$W/time.txt" >&2; exit 1; }
	awk '/Elapsed \(wall clock\)/ { n = split($NF, t, ":"); s = 0;
	         for (i = 1; i <= n; i++) s = s * 60 + t[i] }
	     /Maximum resident set size/ { kb = $NF }
	     /User time \(seconds\)|System time \(seconds\)/ { cpu += $NF }
	     END { printf "%.3f %d %.3f\n", s, kb, cpu }' "$W/time.txt" >"$out"
}

# best OUT SETUP CMD...: the fastest of REPEAT runs (the RSS reported is that
# run's). SETUP (a shell command) runs before each.
best() {
	bout=$1; setup=$2; shift 2
	: >"$W/all"
	i=0
	while [ $i -lt "$REPEAT" ]; do
		eval "$setup"
		timed "$W/one" "$@"
		cat "$W/one" >>"$W/all"
		i=$((i + 1))
	done
	sort -n "$W/all" | head -1 >"$bout"
}
