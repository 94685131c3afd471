# bench/cpu.sh: sourced by the benchmarks that report CPU time per request.
# ticks PID...: the CPU time (user + system, clock ticks of HZ a second)
# the processes have used so far (all their threads).
ticks() {
	for p in "$@"; do cat "/proc/$p/stat" 2>/dev/null; done |
		awk '{ n += $14 + $15 } END { print n + 0 }'
}
HZ=$(getconf CLK_TCK)
