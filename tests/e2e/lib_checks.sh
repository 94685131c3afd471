# lib_checks: the helpers of tests/lib.sh that other tests lean on fail when
# what they check is false: check_not_contains on a file that is not there
# (it proves nothing), wait_until when the time is up (measured by the
# clock, however long each try takes).
source "$(dirname "$0")/../lib.sh"

# verdict COMMAND...: the first word ("ok" or "not") of what the helper
# printed, run in a subshell so that its result is not counted here.
verdict() { ("$@") | head -n 1 | cut -d' ' -f1; }

echo '<p>text</p>' >"$T/page"
check_eq "check_not_contains: a missing file fails" \
	"$(verdict check_not_contains x "$T/missing" "<script>")" not
check_eq "check_not_contains: a directory fails" \
	"$(verdict check_not_contains x "$T" "<script>")" not
check_eq "check_not_contains: the text there fails" \
	"$(verdict check_not_contains x "$T/page" "<p>")" not
check_eq "check_not_contains: a file without it passes" \
	"$(verdict check_not_contains x "$T/page" "<script>")" ok

check "wait_until: a condition that holds" wait_until 5 test -f "$T/page"
slow_false() { sleep 1.5; return 1; }
start=$SECONDS
if wait_until 2 slow_false; then not_ok "wait_until: a condition that never holds fails"
else ok "wait_until: a condition that never holds fails"; fi
check "wait_until: ... within its limit, though each try is slow ($((SECONDS - start)) s)" \
	test $((SECONDS - start)) -le 4

# A failing check_contains quotes the file; quoting one that does not end
# in a newline must still end its last line, or the next result line is
# glued to it and tests/run.sh does not count it.
printf '<p>no newline at the end' >"$T/unended"
check_eq "check_contains: its failure report ends its last line" \
	"$( (check_contains x "$T/unended" "absent"; not_ok "next") | grep -c '^not ok ')" 2
