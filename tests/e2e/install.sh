#!/bin/bash
# make install into a DESTDIR: the tree it lays out (FHS places, units and
# nginx site naming the installed paths, for PREFIX=/usr/local and another
# PREFIX), uninstall, and the portal run from the installed files: a
# database made by the installed covid-ingest, the installed FastCGI
# programs under spawn-fcgi with the environment their units give them, and
# real nginx serving the installed production site (its paths moved under
# the DESTDIR and onto a free port) with the installed static files.
source "$(dirname "$0")/../lib.sh"
BUILD=${BUILD:-build/asan}
root=$T/root
p=$root/usr/local

# The programs under test ($OUT); SAN=1 keeps make from rebuilding them
# without the sanitizers.
san=
case "$BUILD" in *asan*) san=SAN=1 ;; esac
install_into() { # install_into DESTDIR [make args...]
	local d=$1; shift
	make -s -C "$ROOT" install $san BUILD="$BUILD" OUT="$OUT" DESTDIR="$d" "$@"
}
user_before=$(getent passwd covid-portal)
if install_into "$root" PREFIX=/usr/local >"$T/install.log" 2>&1; then
	ok "make install DESTDIR=\$T/root PREFIX=/usr/local"
else
	not_ok "make install"; sed 's/^/#   /' "$T/install.log"; exit 1
fi
check_eq "a DESTDIR install leaves the system's users alone" \
	"$(getent passwd covid-portal)" "$user_before"

# --- the tree ----------------------------------------------------------------
check "covid-ingest in bin, executable" test -x "$p/bin/covid-ingest"
check "the installed covid-ingest is the one built" cmp -s "$p/bin/covid-ingest" "$OUT/bin/covid-ingest"
for prog in portal export; do
	check "$prog.fcgi in lib/covid-portal, executable" test -x "$p/lib/covid-portal/$prog.fcgi"
done
for d in templates static; do
	if [ -d "$ROOT/$d" ] && [ -n "$(ls -A "$ROOT/$d")" ]; then
		check "share/covid-portal/$d is the repository's $d/" diff -r "$ROOT/$d" "$p/share/covid-portal/$d"
	else
		not_ok "share/covid-portal/$d: the repository has no $d/ to install yet"
	fi
done
check "share/covid-portal/data/geo holds the maps' geometry (world, US states, US counties)" \
	diff -r "$ROOT/data/geo" "$p/share/covid-portal/data/geo"
check "share/covid-portal/migrations holds every migration" \
	diff -r "$ROOT/migrations" "$p/share/covid-portal/migrations"
check "the README as documentation" test -s "$p/share/doc/covid-portal/README.md"
for u in covid-ingest.service covid-ingest.timer covid-portal.socket \
    covid-portal@.service covid-export.socket covid-export@.service; do
	check "unit $u in /etc/systemd/system" test -s "$root/etc/systemd/system/$u"
done
check "nginx site in /etc/nginx/sites-available/covid-portal" \
	test -s "$root/etc/nginx/sites-available/covid-portal"
check "sysusers entry for the covid-portal user" \
	grep -q '^u covid-portal ' "$root/etc/sysusers.d/covid-portal.conf"
check_eq "state directory /var/lib/covid-portal, private" \
	"$(stat -c %a "$root/var/lib/covid-portal" 2>&1)" 700
check_eq "cache directory /var/cache/covid-portal, readable by nginx" \
	"$(stat -c %a "$root/var/cache/covid-portal" 2>&1)" 755
check "nothing installed is writable by group or others" \
	test -z "$(find "$root" -perm /022 ! -type l)"
# Every absolute program or data path the units and site name exists in
# the tree (the /run sockets and the state made at run time aside).
missing=
for path in $(grep -ho '/usr/local/[^ ;"]*' "$root"/etc/systemd/system/* \
    "$root/etc/nginx/sites-available/covid-portal" | sed 's|/$||' | sort -u); do
	[ -e "$root$path" ] || missing="$missing $path"
done
check_eq "every /usr/local path in the units and the site is installed" "$missing" ""

# Again: an install over an install is fine.
check "make install twice" eval 'install_into "$root" PREFIX=/usr/local >/dev/null 2>&1'

# --- another PREFIX ----------------------------------------------------------
alt=$T/alt
install_into "$alt" PREFIX=/opt/covid >"$T/alt.log" 2>&1
check "make install PREFIX=/opt/covid" test -x "$alt/opt/covid/bin/covid-ingest"
check_eq "with PREFIX=/opt/covid nothing installed names /usr/local" \
	"$(grep -rl '/usr/local/' "$alt/etc" | sed "s|^$alt||")" ""
check_eq "the ingest unit runs /opt/covid/bin/covid-ingest" \
	"$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$alt/etc/systemd/system/covid-ingest.service")" \
	/opt/covid/bin/covid-ingest
check_contains "the nginx site serves /opt/covid's static files" \
	"$alt/etc/nginx/sites-available/covid-portal" "alias /opt/covid/share/covid-portal/static/;"
make -s -C "$ROOT" uninstall DESTDIR="$alt" PREFIX=/opt/covid >/dev/null 2>&1
check_eq "make uninstall leaves only directories, the database's and the cache's" \
	"$(find "$alt" ! -type d | sed "s|^$alt||")" ""
check "make uninstall keeps /var/lib/covid-portal" test -d "$alt/var/lib/covid-portal"

# --- running what was installed ------------------------------------------------
db=$T/covid.db
"$p/bin/covid-ingest" --db "$db" --source "file://$SAMPLE/csse_covid_19_daily_reports" \
	2>"$T/ingest.err"
check_eq "the installed covid-ingest loads the sample" "$?" 0
check "the database has data" test "$(sqlite3 "$db" 'SELECT count(*) FROM daily_report')" -gt 0

# unit_env UNIT NAME: the value the installed unit gives the variable,
# moved under the DESTDIR when it is a path.
unit_env() {
	local v
	v=$(sed -n "s/^Environment=$2=//p" "$root/etc/systemd/system/$1")
	case "$v" in /*) v=$root$v ;; esac
	echo "$v"
}
mkdir -p "$T/run" "$T/log"
cache=$(unit_env covid-export@.service COVID_CACHE_DIR)
for prog in portal export; do
	exe=$p/lib/covid-portal/$prog.fcgi
	[ -x "$exe" ] || { not_ok "start $prog.fcgi: not installed"; continue; }
	if COVID_DB=$db COVID_TEMPLATES=$(unit_env "covid-$prog@.service" COVID_TEMPLATES) \
	    COVID_CACHE_DIR=$cache \
	    sh "$ROOT/etc/spawn-fcgi/pool.sh" start "$exe" "$T/run/$prog.sock" 2 \
	    "$T/log/$prog.log"; then
		ok "the installed $prog.fcgi starts under spawn-fcgi"
		_pids="$_pids $(cat "$T/run/$prog.pid")"
	else
		not_ok "the installed $prog.fcgi starts under spawn-fcgi"
	fi
done

# The installed site, moved: the port, the sockets and every alias.
port=$(free_port)
pubport=$(free_port)
sed -e "s|listen 80;|listen 127.0.0.1:$port;|" -e '/listen \[::\]:80;/d' \
	-e "s|listen 127.0.0.1:8089;|listen 127.0.0.1:$pubport;|" \
	-e "s|unix:/run/covid-portal/|unix:$T/run/|" -e "s|alias /|alias $root/|" \
	"$root/etc/nginx/sites-available/covid-portal" >"$T/site.conf"
check_eq "the moved site points at nothing outside the test" \
	"$(grep -E '(alias |unix:)/(usr|var|run)/' "$T/site.conf")" ""
mkdir -p "$T/nginx/run"
ln -s /etc/nginx/fastcgi_params "$T/nginx/fastcgi_params"
user_line=
[ "$(id -u)" -eq 0 ] && user_line="user root;"
cat >"$T/nginx/nginx.conf" <<EOF
$user_line
load_module /usr/lib/nginx/modules/ngx_nchan_module.so;
pid $T/nginx/run/nginx.pid;
error_log $T/log/nginx-error.log;
daemon off;
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    access_log $T/log/nginx-access.log;
    client_body_temp_path $T/nginx/body;
    fastcgi_temp_path $T/nginx/fastcgi;
    proxy_temp_path $T/nginx/proxy;
    scgi_temp_path $T/nginx/scgi;
    uwsgi_temp_path $T/nginx/uwsgi;
    include $T/site.conf;
}
EOF
nginx -e "$T/log/nginx-error.log" -p "$T/nginx" -c "$T/nginx/nginx.conf" &
_pids="$_pids $!"
wait_for_port "$port"
url=http://127.0.0.1:$port

get() { curl -s -o "$T/body" -w '%{http_code}' "$url$1"; }
check_eq "GET / through the installed site answers 200" "$(get /)" 200
# Issue 3: every page carries the JHU CSSE attribution in its footer.
check_contains "/ is the portal's page (the attribution)" "$T/body" "CSSE"
css=$(cd "$p/share/covid-portal/static" 2>/dev/null && find . -type f | head -n 1)
if [ -n "$css" ]; then
	check_eq "GET /static/${css#./} answers 200" "$(get "/static/${css#./}")" 200
	check "and sends the installed file" cmp -s "$T/body" "$p/share/covid-portal/static/${css#./}"
else
	not_ok "GET /static/...: no static files installed"
fi
s=$(get '/export.csv?level=country')
check "/export.csv reaches the installed export program (got $s)" \
	eval '[ "$s" != 502 ] && [ "$s" != 404 ]'
check "no sanitizer reports from the installed programs" \
	eval '! grep -qsE "Sanitizer|runtime error:" "$T"/log/*.log "$T/ingest.err"'
for prog in portal export; do
	[ -f "$T/run/$prog.pid" ] && sh "$ROOT/etc/spawn-fcgi/pool.sh" stop "$T/run/$prog.sock"
done
