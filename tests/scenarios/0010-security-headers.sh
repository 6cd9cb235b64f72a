#!/bin/sh
# Security headers on every answer (CSP without 'unsafe-inline', nosniff,
# frame denial, no-store for pages), pages that the CSP does not break (no
# inline script, style or handler), static files without path traversal,
# and bodies over 2 MiB refused with 413.
. "$(dirname "$0")/lib.sh"
init_db
start_server

check_headers() {
	what=$1
	csp=$(header Content-Security-Policy)
	[ -n "$csp" ] || fail "$what: no Content-Security-Policy"
	case "$csp" in *unsafe-inline* | *unsafe-eval*) fail "$what: the CSP allows inline code: $csp" ;; esac
	case "$csp" in *"default-src 'self'"* | *"default-src 'none'"*) ;; *) fail "$what: CSP without a default-src: $csp" ;; esac
	case "$csp" in *"frame-ancestors 'none'"*) ;; *) fail "$what: CSP without frame-ancestors 'none': $csp" ;; esac
	case "$csp" in *"object-src 'none'"*) ;; *) fail "$what: CSP without object-src 'none': $csp" ;; esac
	[ "$(header X-Content-Type-Options)" = nosniff ] || fail "$what: X-Content-Type-Options is '$(header X-Content-Type-Options)'"
	case "$(header X-Frame-Options)" in DENY | SAMEORIGIN) ;; *) fail "$what: X-Frame-Options is '$(header X-Frame-Options)'" ;; esac
	[ -n "$(header Referrer-Policy)" ] || fail "$what: no Referrer-Policy"
}
check_page() {
	check_headers "$1"
	case "$(header Cache-Control)" in *no-store*) ;; *) fail "$1: Cache-Control is '$(header Cache-Control)', expected no-store" ;; esac
}
# No inline code that the CSP would block (and that an attacker could use).
check_markup() {
	py - "$WORK/body" "$1" <<'PY' || fail "$1: inline code in the page"
import sys
from html.parser import HTMLParser
class Check(HTMLParser):
    bad = []
    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and "src" not in names:
            self.bad.append("<script> without src")
        if tag == "style":
            self.bad.append("<style>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.bad.append("%s=%r on <%s>" % (name, value, tag))
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.bad.append("%s=%r" % (name, value))
c = Check()
c.feed(open(sys.argv[1], encoding="utf-8").read())
if c.bad:
    print(sys.argv[2], c.bad[:5])
    sys.exit(1)
PY
}

# Pages signed out: the sign-in form, a redirect, a 404, a 403 (CSRF).
req GET /login
expect_status 200 "/login"
check_page "GET /login"
check_markup "GET /login"
expect_header Content-Type "text/html"
req GET /people
expect_status 303 "/people signed out"
check_page "a redirect"
req GET /no-such-page
expect_status 404 "an unknown page"
check_page "a 404 page"
req POST /login --data "email=x"
expect_status 403 "POST /login without prelogin"
check_page "a 403 page"

# Pages signed in, and JSON answers.
login admin@test.fr
for p in / /account/password; do
	req GET "$p"
	expect_status 200 "$p"
	check_page "GET $p"
	check_markup "GET $p"
	expect_body '<html lang="fr"'
done
jreq GET /organisations
expect_status 200 "/organisations (JSON)"
check_page "JSON"
expect_header Content-Type "application/json"
TOKEN=$(token_for admin@test.fr)
api GET /people?format=csv
expect_status 200 "CSV"
check_page "a CSV download"

# What users type comes back escaped: the e-mail of a failed sign-in, the
# sign-in's next, a search, and names read from the database.
XSS='"><script>alert(1)</script><img src=x onerror=alert(2)>'
rm -f "$WORK/jar-x"
JAR_SAVED=$JAR
JAR="$WORK/jar-x"
req GET "/login?next=/$(printf %s "$XSS" | sed 's/%/%25/g; s/"/%22/g; s/</%3C/g; s/>/%3E/g; s/ /%20/g; s/=/%3D/g; s/(/%28/g; s/)/%29/g')"
expect_status 200 "/login with a hostile next"
expect_no_body "<script>alert"
expect_no_body "<img src=x"
pre=$(sed -n 's/.*name="prelogin" value="\([0-9a-f]*\)".*/\1/p' "$WORK/body" | head -1)
req POST /login --data-urlencode "email=$XSS" --data-urlencode "password=x" \
	--data-urlencode "prelogin=$pre" --data-urlencode "next=/$XSS"
expect_status 422 "a sign-in with a hostile e-mail"
expect_no_body "<script>alert"
expect_no_body "<img src=x"
expect_body "&lt;script&gt;\|&#60;script&#62;\|&#x3C;script"
JAR=$JAR_SAVED
printf '%s\n' '{"type":"household","id":"h-x"}' \
	'{"type":"person","id":"p-x","household":"h-x","role":"DEM","first_name":"<script>alert(3)</script>","last_name":"\"><img src=x onerror=alert(4)>","birth_date":"1980-01-01","sex":"F"}' |
	import_jsonl >/dev/null
for p in "/people?q=$(printf %s "$XSS" | sed 's/%/%25/g; s/"/%22/g; s/</%3C/g; s/>/%3E/g; s/ /%20/g; s/=/%3D/g; s/(/%28/g; s/)/%29/g')" \
	/people /people/p-x /people/p-x/edit /households/h-x /audit; do
	req GET "$p"
	if [ "$STATUS" = 500 ] && grep -q "template" "$WORK/server.err"; then
		echo "note: $p has no template yet; its escaping is not checked" >&2
		continue
	fi
	expect_status 200 "GET $p (page)"
	expect_no_body "<script>alert"
	expect_no_body "<img src=x"
	check_markup "GET $p"
done

# Static files: served with the same headers; no way out of static/.
req GET /static/app.css
expect_status 200 "/static/app.css"
expect_header Content-Type "text/css"
check_headers "a static file"
for p in /static/../Makefile /static/%2e%2e/Makefile /static/%2E%2E/Makefile /static/..%2fMakefile \
	/static/dsfr/../../Makefile /static/dsfr/..%2f..%2fMakefile /static/%2e%2e%2f%2e%2e%2fetc%2fpasswd \
	/static/....//Makefile /static//etc/passwd /static/.hidden /static/dsfr/ /static/ \
	/static/app.css/ "/static/..\\Makefile"; do
	anon GET "$p" --path-as-is
	expect_status 404 "GET $p"
	expect_no_body "CFLAGS"
	expect_no_body "root:"
done
anon GET /Makefile --path-as-is
expect_status 404 "GET /Makefile"
anon GET /../Makefile --path-as-is
[ "$STATUS" = 404 ] || [ "$STATUS" = 400 ] || fail "GET /../Makefile: HTTP $STATUS"
expect_no_body "CFLAGS"

# Bodies over 2 MiB: 413, nothing done; just under is read.
head -c $((2 * 1024 * 1024 + 10)) /dev/zero | tr '\0' 'a' >"$WORK/big"
req POST /account/password --data-binary "@$WORK/big"
expect_status 413 "a body over 2 MiB (signed in)"
anon POST /login --data-binary "@$WORK/big"
expect_status 413 "a body over 2 MiB (signed out)"
anon POST /login -H "Accept: application/json" -H "Content-Type: application/json" --data-binary "@$WORK/big"
expect_status 413 "a JSON body over 2 MiB"
{ printf 'csrf=%s&current=x&new=y&confirm=z&pad=' "$CSRF"; head -c $((1024 * 1024)) /dev/zero | tr '\0' 'a'; } >"$WORK/fine"
req POST /account/password --data-binary "@$WORK/fine"
expect_status 422 "a 1 MiB form"
# The server is still up and serving.
req GET /
expect_status 200 "the server after large bodies"
echo "0010 ok"
