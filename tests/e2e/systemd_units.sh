#!/bin/bash
# The systemd units in etc/systemd/, as `make install` renders them into a
# DESTDIR, checked without a running systemd (this machine's PID 1 is not
# systemd, and a test must not touch the real /etc or /var):
#   - systemd-analyze verify accepts each unit with no message at all, the
#     ExecStart= programs resolved inside the DESTDIR (--root);
#   - systemd-analyze security --offline=yes rates each service 2.0 or lower
#     (the scores are printed), and the settings issue 5 names are there;
#   - the sockets are the ones the nginx site connects to, and nginx's user
#     may connect;
#   - the FastCGI design works: a listening socket handed over as fd 0, the
#     way systemd's StandardInput=socket does it (systemd-socket-activate
#     --inetd, the same code), is accepted on by libfcgi; several workers
#     given the same socket (covid-portal@1..N with Sockets=) all serve, the
#     socket's owner and mode keep others out, and a worker that stops does
#     not cost a request;
#   - the ingest's ExecStart= line, run as written with the unit's
#     environment (its EnvironmentFile pointing at a local source), as an
#     unprivileged user with the unit's UMask, loads data; a second run over
#     a range goes on while a read-only reader as the same user (the
#     FastCGI services' arrangement) reads the database the whole time.
source "$(dirname "$0")/../lib.sh"
BUILD=${BUILD:-build/asan}
root=$T/root
units=$root/etc/systemd/system
set -f   # unit values are split into words below; no globbing of them

# --- install into a DESTDIR ------------------------------------------------
# The programs under test ($OUT); SAN=1 for the sanitizer build's flags, so
# make never rebuilds it without them.
san=
case "$BUILD" in *asan*) san=SAN=1 ;; esac
if make -s -C "$ROOT" install $san BUILD="$BUILD" OUT="$OUT" DESTDIR="$root" \
	>"$T/install.log" 2>&1; then
	ok "make install DESTDIR=... (the programs under test)"
else
	not_ok "make install DESTDIR=..."; sed 's/^/#   /' "$T/install.log"; exit 1
fi
# The stock units the ours refer to (sysinit.target, network-online.target,
# ...), for verify --root to find them inside the root.
mkdir -p "$root/usr/lib/systemd"
cp -a /usr/lib/systemd/system "$root/usr/lib/systemd/"

all_units="covid-ingest.service covid-ingest.timer covid-portal.socket
	covid-portal@.service covid-export.socket covid-export@.service
	covid-api.socket covid-api@.service covid-intake.socket covid-intake@.service
	covid-live.socket covid-live@.service"
services="covid-ingest.service covid-portal@.service covid-export@.service covid-api@.service"
fcgi_services="covid-portal@.service covid-export@.service covid-api@.service"
for u in $all_units; do
	check "installed: $u" test -s "$units/$u"
done

# unit_get FILE KEY: the values of KEY= in FILE, one per line, in order.
unit_get() {
	sed -n "s/^$2=//p" "$1"
}

# --- systemd-analyze verify ------------------------------------------------
for u in $all_units; do
	out=$(systemd-analyze verify --root="$root" "$units/$u" 2>&1)
	rc=$?
	if [ "$rc" -eq 0 ] && [ -z "$out" ]; then
		ok "systemd-analyze verify $u: accepted, no warnings"
	else
		not_ok "systemd-analyze verify $u (exit $rc)"
		printf '%s\n' "$out" | sed 's/^/#   /'
	fi
done
# The same check fails when an ExecStart= program is missing from the root,
# so the passes above mean the installed paths are right.
# (verify --root finds units by name in the root's unit directories.)
sed 's|^ExecStart=/|ExecStart=/nonexistent/|' "$units/covid-ingest.service" \
	>"$units/broken-ingest.service"
out=$(systemd-analyze verify --root="$root" "$units/broken-ingest.service" 2>&1)
rm "$units/broken-ingest.service"
check "verify fails for an ExecStart= program not in the root" \
	grep -q 'nonexistent.*not executable' <<<"$out"

# --- systemd-analyze security ----------------------------------------------
for u in $services; do
	out=$(systemd-analyze security --offline=yes --root="$root" --threshold=20 \
		"$units/$u" 2>&1)
	rc=$?
	score=$(sed -n 's/^→ Overall exposure level for [^:]*: \([0-9.]*\) .*/\1/p' <<<"$out")
	echo "# security: $u exposure $score"
	grep '✗' <<<"$out" | sed 's/  */ /g; s/^/#     /'
	if [ -n "$score" ] && awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }' &&
	    [ "$rc" -eq 0 ]; then
		ok "systemd-analyze security: $u exposure $score <= 2.0"
	else
		not_ok "systemd-analyze security: $u exposure '$score' <= 2.0 (exit $rc)"
		tail -n 3 <<<"$out" | sed 's/^/#   /'
	fi
done

# The settings issue 5 asks for by name, whatever the score makes of them.
for u in $services; do
	f=$units/$u
	for kv in User=covid-portal StateDirectory=covid-portal \
	    ProtectSystem=strict ProtectHome=yes PrivateTmp=yes NoNewPrivileges=yes \
	    CapabilityBoundingSet= SystemCallFilter=@system-service PrivateDevices=yes \
	    ProtectKernelTunables=yes ProtectKernelModules=yes ProtectKernelLogs=yes \
	    ProtectControlGroups=yes RestrictNamespaces=yes LockPersonality=yes \
	    MemoryDenyWriteExecute=yes RestrictRealtime=yes RestrictSUIDSGID=yes \
	    ProtectClock=yes ProtectHostname=yes ProtectProc=invisible ProcSubset=pid \
	    SystemCallArchitectures=native; do
		if ! grep -qx -- "$kv" "$f"; then
			not_ok "$u sets $kv"; continue 2
		fi
	done
	ok "$u sets every sandbox option issue 5 names"
	check "$u sets a UMask" grep -q '^UMask=0[0-7][0-7][0-7]$' "$f"
done
check_eq "the ingest may use IPv4, IPv6 and unix sockets only" \
	"$(unit_get "$units/covid-ingest.service" RestrictAddressFamilies)" \
	"AF_INET AF_INET6 AF_UNIX"
check_eq "the ingest reads the optional environment file" \
	"$(unit_get "$units/covid-ingest.service" EnvironmentFile)" \
	"-/etc/covid-portal/env"
check_contains "the ingest's unit has the webhook placeholder" \
	"$units/covid-ingest.service" "Environment=COVID_NOTIFY_URL="
for u in $fcgi_services; do
	f=$units/$u
	check_eq "$u: unix sockets only" "$(unit_get "$f" RestrictAddressFamilies)" AF_UNIX
	check_eq "$u: no IP traffic" "$(unit_get "$f" IPAddressDeny)" any
	check_eq "$u: no network at all" "$(unit_get "$f" PrivateNetwork)" yes
	check_eq "$u: restarted on failure" "$(unit_get "$f" Restart)" on-failure
	check_eq "$u: the socket is fd 0" "$(unit_get "$f" StandardInput)" socket
	# StandardOutput= defaults to "inherit" (fd 0): a log line would go to nginx.
	check_eq "$u: stdout and stderr go to the journal, not the socket" \
		"$(unit_get "$f" StandardOutput) $(unit_get "$f" StandardError)" "journal journal"
	check_eq "$u: reads the production database" \
		"$(unit_get "$f" Environment | sed -n 's/^COVID_DB=//p')" \
		/var/lib/covid-portal/covid.db
	tdir=$(unit_get "$f" Environment | sed -n 's/^COVID_TEMPLATES=//p')
	check_eq "$u: templates where make install puts them" "$tdir" \
		/usr/local/share/covid-portal/templates
done
check_eq "the export keeps its files where nginx's /_export_cache/ looks" \
	"$(unit_get "$units/covid-export@.service" Environment | sed -n 's/^COVID_CACHE_DIR=//p')/" \
	"$(sed -n 's/^ *alias \(\/var\/cache[^;]*\);/\1/p' "$root/etc/nginx/sites-available/covid-portal")"

timer=$units/covid-ingest.timer
check_eq "the timer is persistent" "$(unit_get "$timer" Persistent)" true
check "the timer has a randomised delay" grep -q '^RandomizedDelaySec=[1-9]' "$timer"
# Two consecutive elapses, as systemd computes them, are a day apart.
cal=$(unit_get "$timer" OnCalendar)
elapses=$(TZ=UTC systemd-analyze calendar --iterations=2 "$cal" |
	sed -n 's/^ *\(Next elapse\|Iter\. #2\): [A-Za-z]* \([0-9-]* [0-9:]*\) UTC$/\2/p')
gap=$(( $(date -ud "$(sed -n 2p <<<"$elapses")" +%s) - $(date -ud "$(sed -n 1p <<<"$elapses")" +%s) ))
check_eq "the timer runs daily ($cal)" "$gap" 86400

# --- sockets: where nginx connects, who may connect ---------------------------
site=$root/etc/nginx/sites-available/covid-portal
check_eq "the socket units listen where the nginx site connects" \
	"$(unit_get "$units/covid-api.socket" ListenStream; unit_get "$units/covid-export.socket" ListenStream; unit_get "$units/covid-portal.socket" ListenStream)" \
	"$(sed -n 's/.*fastcgi_pass unix:\([^;]*\);.*/\1/p' "$site" | sort -u)"
nginx_user=$(sed -n 's/^user  *\([^ ;]*\).*/\1/p' /etc/nginx/nginx.conf)
for s in covid-portal.socket covid-export.socket covid-api.socket; do
	g=$(unit_get "$units/$s" SocketGroup)
	check_eq "$s: mode 0660, group $g" "$(unit_get "$units/$s" SocketMode)" 0660
	check "$s: nginx's user ($nginx_user) is in group $g" \
		grep -qw -- "$g" <<<"$(id -Gn "$nginx_user")"
	svc=$(unit_get "$units/$s" Service)
	tmpl=${svc%%@*}@.service
	check_eq "$s: activates an instance of the template that takes its socket" \
		"$(unit_get "$units/$tmpl" Sockets)" "$s"
done

# --- the FastCGI design, for real -------------------------------------------
# A worker that answers with its pid, built like the programs.
if cc -std=c11 -Wall -Wextra -Wmissing-prototypes -Wstrict-prototypes \
	-Wwrite-strings -Wshadow -Wformat=2 -Werror -D_DEFAULT_SOURCE \
	$(pkg-config --cflags fcgi) -o "$T/fcgi_pid" \
	"$ROOT/tests/fixtures/ops/fcgi_pid.c" $(pkg-config --libs fcgi) 2>"$T/cc.log"; then
	ok "fcgi_pid builds without warnings"
else
	not_ok "fcgi_pid builds"; sed 's/^/#   /' "$T/cc.log"; exit 1
fi

# fcgi_get SOCKET: one FastCGI GET /, printing the body.
fcgi_get() {
	env -i REQUEST_METHOD=GET SCRIPT_NAME=/ REQUEST_URI=/ \
		cgi-fcgi -bind -connect "$1" 2>/dev/null | sed -n 's/^pid /&/p'
}

# systemd's own fd passing: systemd-socket-activate without --accept hands
# the listening socket over on the first connection; --inetd puts it on fd 0,
# as StandardInput=socket does.
sock1=$T/one.sock
systemd-socket-activate --inetd -l "$sock1" "$T/fcgi_pid" 2>"$T/activate.log" &
_pids="$_pids $!"
wait_for_socket "$sock1"
# (The socket's name appears at bind(), a moment before listen().)
for i in $(seq 20); do r1=$(fcgi_get "$sock1"); [ -n "$r1" ] && break; sleep 0.1; done
r2=$(fcgi_get "$sock1")
check "socket activation: libfcgi accepts on the socket passed as fd 0 ($r1)" \
	grep -q '^pid [0-9][0-9]*$' <<<"$r1"
check_eq "socket activation: one process serves request after request" "$r2" "${r1:-(none)}"
kill "${r1#pid }" 2>/dev/null

# Several services sharing one socket unit: the listening socket stays with
# the manager (here a small Python stand-in for PID 1) and each worker gets
# it as fd 0, stdout and stderr going elsewhere (the journal there, a log
# here). Owner and mode as the socket unit says.
sockn=$T/portal.sock
sgroup=$(unit_get "$units/covid-portal.socket" SocketGroup)
smode=$(unit_get "$units/covid-portal.socket" SocketMode)
/usr/bin/python3 - "$sockn" "$sgroup" "$smode" "$T/fcgi_pid" 3 "$T/workers.log" \
	"$T/workers.pids" <<'PY' &
import grp, os, signal, socket, subprocess, sys
path, group, mode, prog, n, log, pids = sys.argv[1:]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path + ".new")
os.chown(path + ".new", 0 if os.getuid() == 0 else -1,
         grp.getgrnam(group).gr_gid if os.getuid() == 0 else -1)
os.chmod(path + ".new", int(mode, 8))
s.listen(1024)
os.rename(path + ".new", path)   # the name appears only once it listens
out = open(log, "a")
ws = [subprocess.Popen([prog], stdin=s.fileno(), stdout=out, stderr=out)
      for _ in range(int(n))]
with open(pids, "w") as f:
    f.write(" ".join(str(w.pid) for w in ws) + "\n")
signal.signal(signal.SIGTERM, lambda *a: [w.terminate() for w in ws] and sys.exit(0))
for w in ws:
    w.wait()
PY
_pids="$_pids $!"
wait_for_socket "$sockn"
for i in $(seq 50); do [ -s "$T/workers.pids" ] && break; sleep 0.1; done
# all_accepting: each of the three says it is at its accept().
all_accepting() { [ "$(grep -c '^<6>fcgi_pid: worker [0-9]* accepting' "$T/workers.log")" -ge 3 ]; }
wait_until 10 all_accepting
seen=$(for i in $(seq 12); do fcgi_get "$sockn"; done | sort | uniq -c)
check_eq "three workers on one socket: 12 requests, 12 answers" \
	"$(awk '{ n += $1 } END { print n }' <<<"$seen")" 12
check_eq "three workers on one socket: all three serve" "$(wc -l <<<"$seen")" 3
echo "$seen" | sed 's/^/#   /'
check "the workers' log lines went to their log, not to nginx" \
	grep -q '^<6>fcgi_pid: worker [0-9]* accepting' "$T/workers.log"
w1=$(cut -d' ' -f1 "$T/workers.pids")
kill -TERM "$w1"
for i in $(seq 50); do alive "$w1" || break; sleep 0.1; done
seen=$(for i in $(seq 8); do fcgi_get "$sockn"; done | sort | uniq -c)
check_eq "one worker stopped: 8 requests, 8 answers from the other two" \
	"$(awk '{ n += $1 } END { print n " from " NR }' <<<"$seen")" "8 from 2"
if [ "$(id -u)" -eq 0 ]; then
	r=$(setpriv --reuid="$nginx_user" --regid="$nginx_user" --init-groups \
		env -i REQUEST_METHOD=GET cgi-fcgi -bind -connect "$sockn" 2>&1)
	check "$nginx_user (nginx) may connect to the 0660 socket" grep -q '^pid ' <<<"$r"
	r=$(setpriv --reuid=nobody --regid=nogroup --clear-groups \
		env -i REQUEST_METHOD=GET cgi-fcgi -bind -connect "$sockn" 2>&1)
	check "another user may not" eval '! grep -q "^pid " <<<"$r"'
else
	echo "# not root: the socket permission checks need setpriv (not counted)"
fi

# --- the ingest's ExecStart=, as written --------------------------------------
# expand_exec LINE: systemd's rules for what the unit uses, into ARGV: words
# split at blanks; "${NAME}" replaced inside a word; a word that is just
# "$NAME" becomes the value split at blanks (zero or more words). Quotes,
# backslashes and %-specifiers are refused rather than half-handled.
declare -A UENV
expand_exec() {
	local line=$1 w x name
	case "$line" in *[\"\'\\%]*) echo "# expand_exec: unsupported: $line"; return 1 ;; esac
	while [[ $line == [-@:+!]* ]]; do line=${line:1}; done
	ARGV=()
	for w in $line; do
		if [[ $w =~ ^\$([A-Za-z_][A-Za-z0-9_]*)$ ]]; then
			for x in ${UENV[${BASH_REMATCH[1]}]-}; do ARGV+=("$x"); done
			continue
		fi
		while [[ $w =~ \$\{([A-Za-z_][A-Za-z0-9_]*)\} ]]; do
			name=${BASH_REMATCH[1]}
			w=${w//"\${$name}"/${UENV[$name]-}}
		done
		ARGV+=("$w")
	done
}
# load_env FILE: KEY=VALUE lines (comments and blank lines skipped).
load_env() {
	local k v
	while IFS='=' read -r k v; do
		case "$k" in ''|'#'*|';'*) continue ;; esac
		UENV[$k]=$v
	done <"$1"
}

f=$units/covid-ingest.service
state=$root/var/lib/covid-portal     # StateDirectory=covid-portal, re-rooted
# The operator's settings, as the unit's comments suggest: a local mirror.
envfile=$(unit_get "$f" EnvironmentFile)
envfile=$root${envfile#-}
mkdir -p "$(dirname "$envfile")"
echo "COVID_INGEST_ARGS=--source file://$SAMPLE/csse_covid_19_daily_reports" >"$envfile"
# Environment= first, then EnvironmentFile= over it (systemd's order), and
# what systemd adds for StateDirectory=.
while IFS= read -r kv; do
	case "$kv" in *[\"\'\ ]*) not_ok "Environment=$kv: one plain KEY=value per line"; continue ;; esac
	UENV[${kv%%=*}]=${kv#*=}
done < <(unit_get "$f" Environment)
load_env "$envfile"
UENV[STATE_DIRECTORY]=$state
expand_exec "$(unit_get "$f" ExecStart)" || not_ok "ExecStart= uses only what expand_exec knows"
echo "# ExecStart as run: ${ARGV[*]}"
check_eq "ExecStart= names the installed covid-ingest" "${ARGV[0]}" /usr/local/bin/covid-ingest
check_eq "ExecStart= puts the database in the state directory" "${ARGV[2]}" "$state/covid.db"

# As the unit's user would: an unprivileged one owning the state directory
# (systemd chowns it), with the unit's umask, nothing else in the
# environment but what the unit sets.
umask_unit=$(unit_get "$f" UMask)
as_user=()
if [ "$(id -u)" -eq 0 ]; then
	chown nobody:nogroup "$state"
	as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi
envv=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin
	ASAN_OPTIONS=${ASAN_OPTIONS:-} UBSAN_OPTIONS=${UBSAN_OPTIONS:-})
for k in "${!UENV[@]}"; do envv+=("$k=${UENV[$k]}"); done
run_unit() {
	(umask "$umask_unit" && exec env -i "${envv[@]}" "${as_user[@]}" \
		"$root${ARGV[0]}" "${ARGV[@]:1}" "$@")
}
run_unit 2>"$T/ingest.err"
check_eq "the ingest's ExecStart exits 0" "$?" 0

# The dates the default run should load, found from the files alone: from
# the first JHU date while the sample has the next day's file.
want=0 d=2020-01-22
while [ -f "$SAMPLE/csse_covid_19_daily_reports/$(date -ud "$d" +%m-%d-%Y).csv" ]; do
	want=$((want + 1)); d=$(date -ud "$d + 1 day" +%F)
done
db=$state/covid.db
q() { sqlite3 "$db" "$1"; }
check_eq "it loaded the sample's first $want consecutive dates" \
	"$(q "SELECT count(DISTINCT date) FROM daily_report")" "$want"
check_eq "the job log says ok" \
	"$(q "SELECT status, dates_loaded FROM ingest_run")" "ok|$want"
check "every stderr line carries a syslog priority for the journal" \
	eval '! grep -qv "^<[0-7]>" "$T/ingest.err"'
sed 's/^/#   /' "$T/ingest.err" | tail -n 2
check_eq "the database is private to the service user (UMask=$umask_unit)" \
	"$(stat -c %a "$db")" 600

# --- reading while it writes -------------------------------------------------
# The FastCGI services read the same database as the same user, read-only
# with a busy timeout, as db_open_ro opens it (sqlite3 -readonly with
# .timeout does the same; a reader waits only while the last connection to
# close cleans up the WAL, which the workers' open connections prevent).
# A WAL reader needs the -shm file next to the database (and to create it
# when no writer is running), hence one user and a writable state
# directory rather than a read-only view of it.
reader() {
	local i n
	for i in $(seq 2000); do
		n=$("${as_user[@]}" sqlite3 -readonly -cmd '.timeout 5000' "$db" \
			"SELECT count(DISTINCT date) FROM daily_report" 2>&1) || { echo "ERR $n"; return; }
		echo "$n"
		[ -e "$T/ingest.done" ] && return
	done
}
last=$(ls "$SAMPLE/csse_covid_19_daily_reports" | sed -n 's/^\(..\)-\(..\)-\(....\)\.csv$/\3-\1-\2/p' | sort | tail -n 1)
total=$(ls "$SAMPLE/csse_covid_19_daily_reports" | grep -c '\.csv$')
# Backups as the README says (VACUUM INTO, as the service user, with a busy
# timeout: a fresh-root run once saw "database is locked" without one)
# taken meanwhile. (As root they are not safe: when root's sqlite3 is the one to
# create -wal or -shm, the file is root's until SQLite hands it to the
# database's owner a moment later, and a service opening the database just
# then fails; this test caught it.)
mkdir -p "$T/bk"
[ "$(id -u)" -eq 0 ] && chown nobody:nogroup "$T/bk"
backups() {
	local i=0
	while [ ! -e "$T/ingest.done" ] && [ $i -lt 20 ]; do
		i=$((i + 1))
		"${as_user[@]}" sqlite3 -cmd '.timeout 10000' "$db" \
			"VACUUM INTO '$T/bk/backup-$i.db'" 2>>"$T/backup.err"
	done
}
reader >"$T/reads" &
rpid=$!
backups &
bpid=$!
run_unit --from 2020-01-22 --to "$last" --skip-missing 2>"$T/ingest2.err"
rc=$?
touch "$T/ingest.done"
wait "$rpid" "$bpid"
check_eq "a backfill to $last through the same ExecStart exits 0" "$rc" 0
[ "$rc" -eq 0 ] || grep -v '^<6>' "$T/ingest2.err" | head -n 8 | sed 's/^/#   /'
check_eq "the backfill loaded every date in the sample ($total)" \
	"$(q "SELECT count(DISTINCT date) FROM daily_report")" "$total"
check "the reader never failed meanwhile" eval '! grep -q ERR "$T/reads"'
grep -m1 ERR "$T/reads" | sed 's/^/#   /'
check "the reader saw the data grow while the ingest ran ($(sort -un "$T/reads" | wc -l) states)" \
	test "$(sort -un "$T/reads" | wc -l)" -ge 3
check "and never saw it shrink" eval 'sort -nc "$T/reads"'
set +f   # globbing again, for the backups' names
nb=$(ls "$T"/bk/backup-*.db 2>/dev/null | wc -l)
check "backups were taken while the ingest ran ($nb)" test "$nb" -ge 1
bad=
for b in "$T"/bk/backup-*.db; do
	[ -e "$b" ] || continue
	r=$(sqlite3 "$b" "PRAGMA integrity_check; SELECT count(DISTINCT date) FROM daily_report")
	case "$r" in ok$'\n'[0-9]*) [ "${r#ok?}" -le "$total" ] || bad="$bad ${b##*/}" ;;
	*) bad="$bad ${b##*/}" ;; esac
done
check_eq "every backup passes integrity_check and holds at most $total dates" "$bad" ""
check_eq "no errors from the backups" "$(cat "$T/backup.err")" ""
check_eq "every file next to the database is the service user's" \
	"$(find "$state" ! -user "$(stat -c %U "$db")" | sed "s|^$state/*||" | grep .)" ""
if [ "$(id -u)" -eq 0 ]; then
	r=$(setpriv --reuid="$nginx_user" --regid="$nginx_user" --init-groups \
		sqlite3 -readonly "$db" "SELECT 1" 2>&1)
	check "nginx's user cannot read the database" eval '[ "$r" != 1 ]'
fi
# Why the state directory is writable for the read-only services too: with
# no writer about, the last connection has removed -wal and -shm, and a
# reader that may not create them cannot open the database at all.
"${as_user[@]}" sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
check "after the last connection closes, no -wal or -shm is left" \
	test ! -e "$db-wal" -a ! -e "$db-shm"
chmod 0500 "$state"
r=$("${as_user[@]}" sqlite3 -readonly -cmd '.timeout 5000' "$db" \
	"SELECT count(DISTINCT date) FROM daily_report" 2>&1)
chmod 0700 "$state"
if [ "$(id -u)" -eq 0 ]; then
	check "a reader without write access to the directory cannot open it" \
		eval '[ "$r" != "$total" ]'
fi
r=$("${as_user[@]}" sqlite3 -readonly -cmd '.timeout 5000' "$db" \
	"SELECT count(DISTINCT date) FROM daily_report" 2>&1)
check_eq "with it, the same reader can" "$r" "$total"
