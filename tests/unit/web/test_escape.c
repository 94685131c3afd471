/* test_escape: the escapers and the sinks they write to. */
#include "check.h"
#include "web/escape.h"

static struct membuf out;

static const char *
run(void (*fn)(struct sink *, const char *), const char *in)
{
	struct sink s;

	out.len = 0;
	if (out.data)
		out.data[0] = '\0';
	s = membuf_sink(&out);
	fn(&s, in);
	return out.data ? out.data : "";
}

static const char *
decode(const char *in)
{
	static char buf[256];
	return url_decode(buf, in, strlen(in)) < 0 ? "(error)" : buf;
}

int
main(void)
{
	CHECK_STR(run(esc_html, "<script>alert(1)</script>"),
	    "&lt;script&gt;alert(1)&lt;/script&gt;");
	CHECK_STR(run(esc_html, "\"><img src=x onerror=alert(1)>"),
	    "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
	CHECK_STR(run(esc_html, "Cote d'Ivoire & Korea, South"),
	    "Cote d&#39;Ivoire &amp; Korea, South");
	CHECK_STR(run(esc_html, "Do\xc3\xb1" "a Ana"), "Do\xc3\xb1" "a Ana");
	CHECK_STR(run(esc_html, ""), "");

	CHECK_STR(run(esc_url, "Korea, South"), "Korea%2C%20South");
	CHECK_STR(run(esc_url, "a-b_c.d~e"), "a-b_c.d~e");
	CHECK_STR(run(esc_url, "x&y=z\n"), "x%26y%3Dz%0A");

	CHECK_STR(run(esc_header_filename, "covid_country_2020-01-22.csv"),
	    "covid_country_2020-01-22.csv");
	CHECK_STR(run(esc_header_filename, "a\"b\r\nc\xc3\xb1"), "a_b__c__");

	CHECK_STR(decode("Korea%2C+South"), "Korea, South");
	CHECK_STR(decode("%3cb%3E"), "<b>");
	CHECK_STR(decode("100%"), "(error)");
	CHECK_STR(decode("%4"), "(error)");
	CHECK_STR(decode("%zz"), "(error)");
	CHECK_STR(decode("a%00b"), "(error)");
	CHECK_STR(decode(""), "");

	/* printf into a sink larger than its stack buffer */
	{
		struct membuf b = { 0 };
		struct sink s = membuf_sink(&b);
		char big[1500];
		memset(big, 'x', sizeof big - 1);
		big[sizeof big - 1] = '\0';
		sink_printf(&s, "[%s]", big);
		CHECK_INT(b.len, sizeof big + 1);
		CHECK_INT(s.bytes, sizeof big + 1);
		CHECK(!s.failed);
		membuf_free(&b);
	}
	membuf_free(&out);
	return check_exit();
}
