/* test_notify: JSON escaping (RFC 8259 strings, always valid UTF-8), what
 * to say after which run, which webhook URLs are taken, and a webhook that
 * is not there failing softly. */
#include <stdlib.h>

#include "check.h"
#include "ingest/fetch.h"
#include "ingest/ingest.h"
#include "ingest/notify.h"

static const char *
esc(const char *in)
{
	static struct membuf b;
	struct sink s;

	membuf_free(&b);
	memset(&b, 0, sizeof b);
	s = membuf_sink(&b);
	json_escape(&s, in);
	return b.data ? b.data : "";
}

static void
test_escape(void)
{
	CHECK_STR(esc(""), "");
	CHECK_STR(esc("run 12 failed"), "run 12 failed");
	CHECK_STR(esc("say \"hi\""), "say \\\"hi\\\"");
	CHECK_STR(esc("C:\\path"), "C:\\\\path");
	CHECK_STR(esc("a\nb\rc\td"), "a\\nb\\rc\\td");
	CHECK_STR(esc("\x01\x1f"), "\\u0001\\u001f");
	CHECK_STR(esc("\x7f"), "\x7f");             /* DEL needs no escape */
	CHECK_STR(esc("</script>"), "</script>");   /* JSON, not HTML */
	/* Valid UTF-8 stays: 2, 3 and 4 byte sequences. */
	CHECK_STR(esc("Cura\xc3\xa7" "ao \xe2\x80\x94 \xf0\x9f\xa6\xa0"),
	    "Cura\xc3\xa7" "ao \xe2\x80\x94 \xf0\x9f\xa6\xa0");
	/* Not UTF-8: one U+FFFD per byte. */
	CHECK_STR(esc("a\xff" "b"), "a\\ufffdb");
	CHECK_STR(esc("end\xc3"), "end\\ufffd");                 /* cut short */
	CHECK_STR(esc("\xc0\xaf"), "\\ufffd\\ufffd");            /* overlong '/' */
	CHECK_STR(esc("\xe0\x80\xaf"), "\\ufffd\\ufffd\\ufffd"); /* overlong */
	CHECK_STR(esc("\xed\xa0\x80"), "\\ufffd\\ufffd\\ufffd"); /* surrogate */
	CHECK_STR(esc("\xf4\x90\x80\x80"), "\\ufffd\\ufffd\\ufffd\\ufffd");
	CHECK_STR(esc("\xc3\"x"), "\\ufffd\\\"x");   /* a quote ends the sequence */
}

static void
test_decide(void)
{
	struct run_record ok1 = { 7, "ok", "2023-03-10T04:00:00Z",
	    "1 dates tried: 1 loaded", 0, NULL, NULL };
	struct run_record ok2 = { 9, "ok", "2023-03-12T04:00:00Z",
	    "1 dates tried: 0 loaded, 1 unchanged", 0, NULL, NULL };
	struct run_record bad = { 8, "failed", "2023-03-11T04:00:00Z",
	    "1 dates tried: 0 loaded, 1 failed", 3, "2023-03-10", "HTTP 500" };
	struct run_record intr = { 8, "interrupted", "2023-03-11T04:00:00Z",
	    "stopped", 0, NULL, NULL };
	char buf[1024];

	/* The first run ever, a success: nothing to say. */
	CHECK_INT(notify_decide(&ok1, NULL, 0, "h", buf, sizeof buf), NOTIFY_NONE);
	CHECK_INT(notify_decide(&ok2, &ok1, 0, "h", buf, sizeof buf), NOTIFY_NONE);
	/* A failure, whatever came before. */
	CHECK_INT(notify_decide(&bad, &ok1, 1, "web1", buf, sizeof buf), NOTIFY_FAILED);
	CHECK_STR(buf, "covid-ingest on web1: run 8 failed at 2023-03-11T04:00:00Z: "
	    "1 dates tried: 0 loaded, 1 failed. First failed file: 2023-03-10: "
	    "HTTP 500 (and others).");
	CHECK_INT(notify_decide(&bad, &bad, 1, "h", buf, sizeof buf), NOTIFY_FAILED);
	CHECK_INT(notify_decide(&bad, NULL, 1, "h", buf, sizeof buf), NOTIFY_FAILED);
	CHECK_INT(notify_decide(&intr, &ok1, 1, "h", buf, sizeof buf), NOTIFY_FAILED);
	CHECK(strstr(buf, "run 8 interrupted") != NULL);
	CHECK(strstr(buf, "First failed file") == NULL);
	/* The next success after a failure, or after an interrupted run. */
	CHECK_INT(notify_decide(&ok2, &bad, 0, "web1", buf, sizeof buf), NOTIFY_RECOVERED);
	CHECK_STR(buf, "covid-ingest on web1: recovered: run 9 succeeded at "
	    "2023-03-12T04:00:00Z after run 8 failed: 1 dates tried: 0 loaded, "
	    "1 unchanged.");
	CHECK_INT(notify_decide(&ok2, &intr, 0, "h", buf, sizeof buf), NOTIFY_RECOVERED);
	/* No run in the job log. */
	CHECK_INT(notify_decide(NULL, NULL, INGEST_EXIT_FAILED, "h", buf, sizeof buf),
	    NOTIFY_FAILED);
	CHECK(strstr(buf, "before it could record a run") != NULL);
	CHECK_INT(notify_decide(NULL, NULL, INGEST_EXIT_OK, "h", buf, sizeof buf),
	    NOTIFY_NONE);
	CHECK_INT(notify_decide(NULL, &bad, INGEST_EXIT_LOCKED, "h", buf, sizeof buf),
	    NOTIFY_NONE);
	/* A long error is cut, and the text always fits. */
	{
		char err[2000], small[64];
		memset(err, 'e', sizeof err - 1);
		err[sizeof err - 1] = '\0';
		bad.first_error = err;
		CHECK_INT(notify_decide(&bad, NULL, 1, "h", buf, sizeof buf), NOTIFY_FAILED);
		CHECK(strlen(buf) < 700);
		CHECK_INT(notify_decide(&bad, NULL, 1, "h", small, sizeof small),
		    NOTIFY_FAILED);
		CHECK(strlen(small) == sizeof small - 1);
	}
}

static void
test_urls(void)
{
	CHECK(notify_url_ok("https://hooks.slack.com/services/T0/B0/x"));
	CHECK(notify_url_ok("http://127.0.0.1:8080/hook"));
	CHECK(notify_url_ok("HTTPS://example.org/"));
	CHECK(!notify_url_ok("file:///etc/passwd"));
	CHECK(!notify_url_ok("ftp://example.org/"));
	CHECK(!notify_url_ok("example.org/hook"));
	CHECK(!notify_url_ok("http://example.org/a b"));
	CHECK(!notify_url_ok("http://example.org/\r\nX: y"));
	CHECK(!notify_url_ok(""));
}

/* Nothing listens on port 1 of the loopback: a warning and -1, at once. */
static void
test_post_fails_softly(void)
{
	setenv("COVID_NOTIFY_TIMEOUT", "2", 1);
	CHECK(fetch_global_init() == 0);
	CHECK_INT(notify_post("http://127.0.0.1:1/hook", "run 1 failed"), -1);
	/* Not a protocol it takes, even if asked. */
	CHECK_INT(notify_post("file:///dev/null", "x"), -1);
	fetch_global_cleanup();
}

int
main(void)
{
	test_escape();
	test_decide();
	test_urls();
	test_post_fails_softly();
	esc("");   /* frees the last result */
	return check_exit();
}
