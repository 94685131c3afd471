# nginx_site: the local site (etc/nginx/local.conf.in) through real nginx and
# spawn-fcgi, with bench/hello.c standing in for both programs (a copy named
# "export" for the export pool, so the routing shows), plus the production
# site (etc/nginx/covid-portal.conf) checked by nginx -t and against the
# local one.
source "$(dirname "$0")/../lib.sh"

# render.sh refuses to leave a placeholder unfilled.
printf 'listen @PORT@; root @NOPE@;\n' >"$T/t.in"
if PORT=1 sh "$ROOT/etc/nginx/render.sh" "$T/t.in" PORT >"$T/t.out" 2>"$T/t.err"; then
	not_ok "render.sh fails on an unfilled placeholder"
else
	check_contains "render.sh names the unfilled placeholder" "$T/t.err" "@NOPE@"
fi
# ... and copes with &, | and \ in values.
printf 'a @X@ b\n' >"$T/t2.in"
X='p&q|r\s' sh "$ROOT/etc/nginx/render.sh" "$T/t2.in" X >"$T/t2.out"
check_eq "render.sh substitutes values literally" "$(cat "$T/t2.out")" 'a p&q|r\s b'

sh "$ROOT/bench/build-hello.sh" "$T/hello" 2>"$T/cc.err" &&
	sh "$ROOT/bench/build-hello.sh" "$T/export" -DHELLO_NAME='"export"' 2>>"$T/cc.err"
check_eq "bench/hello.c builds without warnings" "$(cat "$T/cc.err")" ""

# Static files of our own: a stylesheet over gzip_min_length, and an SVG.
mkdir -p "$T/static"
for i in $(seq 80); do echo ".c$i { color: #123456; margin: 0 auto; }"; done >"$T/static/style.css"
echo '<svg xmlns="http://www.w3.org/2000/svg"/>' >"$T/static/logo.svg"

PORTAL_PROGRAM=$T/hello EXPORT_PROGRAM=$T/export PORTAL_STATIC=$T/static \
PORTAL_WORKERS=3 start_portal "$T/none.db" || { not_ok "start_portal"; exit 1; }
ok "start_portal: nginx and spawn-fcgi up on port $PORTAL_PORT"
check_eq "three portal workers in the pid file" "$(wc -w <"$PORTAL_DIR/portal.pid")" 3
check "portal socket is in the run dir" test -S "$PORTAL_DIR/portal.sock"

get() { # get PATH [curl args]: status in $T/status, headers in $T/h, body in $T/b
	local path=$1; shift
	curl -s -o "$T/b" -D "$T/h" -w '%{http_code}' "$@" "$PORTAL_URL$path" >"$T/status"
}
header() { grep -i "^$1:" "$T/h" | head -n 1 | cut -d: -f2- | tr -d '\r' | sed 's/^ //'; }

get /
check_eq "/ answers 200 from the portal pool" "$(cat "$T/status")" 200
check_contains "/ is the portal program's page" "$T/b" "<title>hello</title>"
check_eq "/ Content-Type comes from the program" "$(header Content-Type)" "text/html; charset=utf-8"
get /region/us/new-york/kings
check_contains "a region path goes to the portal" "$T/b" "<title>hello</title>"
get '/regions?q=korea'
check_contains "a query string path goes to the portal" "$T/b" "<title>hello</title>"
get /export.csv
check_contains "/export.csv goes to the export pool" "$T/b" "<title>export</title>"
get '/export.xlsx?level=country'
check_contains "/export.xlsx goes to the export pool" "$T/b" "<title>export</title>"
get /export.csv.bak
check_contains "only the exact export paths go to the export pool" "$T/b" "<title>hello</title>"

get /static/style.css
check_eq "/static/style.css answers 200" "$(cat "$T/status")" 200
check_eq "stylesheet served with text/css" "$(header Content-Type)" "text/css"
check "stylesheet bytes are the file's" cmp -s "$T/b" "$T/static/style.css"
check_eq "static files cached for an hour" "$(header Cache-Control)" "max-age=3600"
check_eq "static files say nosniff" "$(header X-Content-Type-Options)" "nosniff"
etag=$(header ETag)
check "static files carry an ETag" test -n "$etag"
get /static/style.css -H "If-None-Match: $etag"
check_eq "If-None-Match on a static file gets 304" "$(cat "$T/status")" 304
get /static/style.css -H 'Accept-Encoding: gzip'
check_eq "stylesheet gzipped on request" "$(header Content-Encoding)" "gzip"
check_eq "gzipped stylesheet says Vary" "$(header Vary)" "Accept-Encoding"
check "gzipped stylesheet unpacks to the file" cmp -s <(gunzip -c "$T/b") "$T/static/style.css"
get /static/logo.svg
check_eq "SVG served with image/svg+xml" "$(header Content-Type)" "image/svg+xml"
get /static/missing.css
check_eq "a missing static file is nginx's 404, not the portal's" "$(cat "$T/status")" 404
check_not_contains "a missing static file never reaches the portal" "$T/b" "<title>hello</title>"

get /metrics
check_eq "/metrics answers this machine" "$(cat "$T/status")" 200
check_contains "/metrics goes to the portal pool" "$T/b" "<title>hello</title>"
get /metrics --interface 127.0.0.2
check_eq "/metrics from another address: 403" "$(cat "$T/status")" 403
check_not_contains "/metrics from another address never reaches the portal" "$T/b" "<title>hello</title>"
get / --interface 127.0.0.2
check_eq "the pages answer another address" "$(cat "$T/status")" 200

echo 'secret' >"$PORTAL_DIR/cache/x.csv"
get /_export_cache/x.csv
check_eq "the export cache is internal only" "$(cat "$T/status")" 404

stop_portal
check "nginx gone after stop_portal" bash -c "! kill -0 $_portal_nginx 2>/dev/null"
check "sockets removed after stop_portal" bash -c "! ls $PORTAL_DIR/*.sock 2>/dev/null"

# The production site: nginx -t accepts it inside Debian's http block
# (reduced to what the site relies on), and it has the local site's locations.
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
mkdir -p "$T/prod"
# Relative includes resolve next to the main file, as in /etc/nginx.
ln -s /etc/nginx/fastcgi_params "$T/prod/fastcgi_params"
cat >"$T/prod/nginx.conf" <<EOF
load_module /usr/lib/nginx/modules/ngx_nchan_module.so;
pid $T/prod/nginx.pid;
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    client_body_temp_path $T/prod/body;
    fastcgi_temp_path $T/prod/fastcgi;
    proxy_temp_path $T/prod/proxy;
    scgi_temp_path $T/prod/scgi;
    uwsgi_temp_path $T/prod/uwsgi;
    access_log off;
    gzip on;
    include $ROOT/etc/nginx/covid-portal.conf;
}
EOF
if "$nginx_bin" -t -q -e "$T/prod/error.log" -p "$T/prod" -c "$T/prod/nginx.conf" 2>"$T/prod/t.err"; then
	ok "nginx -t accepts etc/nginx/covid-portal.conf"
else
	not_ok "nginx -t accepts etc/nginx/covid-portal.conf"; sed 's/^/#   /' "$T/prod/t.err"
fi
check_eq "nginx -t has no warnings for the production site" "$(cat "$T/prod/t.err")" ""
locations() { grep -o '^ *location [^{]*' "$1" | sed 's/ *$//; s/^ *//'; }
check_eq "production and local sites have the same locations" \
	"$(locations "$ROOT/etc/nginx/covid-portal.conf")" "$(locations "$ROOT/etc/nginx/local.conf.in")"
buffers() { grep -o '^ *fastcgi_buffer[^;]*;' "$1" | sed 's/^ *//'; }
check_eq "production and local sites read pages into the same FastCGI buffers" \
	"$(buffers "$ROOT/etc/nginx/covid-portal.conf")" "$(buffers "$ROOT/etc/nginx/local.conf.in")"
check "the sites raise nginx's FastCGI buffers for the portal's pages" \
	test -n "$(buffers "$ROOT/etc/nginx/local.conf.in")"
check_eq "production site uses the stock fastcgi_params (in every FastCGI location)" \
	"$(grep -c 'include fastcgi_params;' "$ROOT/etc/nginx/covid-portal.conf")" \
	"$(grep -c 'fastcgi_pass ' "$ROOT/etc/nginx/covid-portal.conf")"
