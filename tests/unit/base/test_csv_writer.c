/* test_csv_writer: RFC 4180 quoting and the formula-injection guard. */
#include "base/csv_writer.h"
#include "check.h"

static struct membuf out;
static struct sink s;
static struct csv_writer w;

static void
reset(int crlf)
{
	membuf_free(&out);
	s = membuf_sink(&out);
	csvw_init(&w, &s, crlf);
}

static const char *
text(const char *v)
{
	reset(1);
	csvw_text(&w, v, strlen(v));
	return out.data ? out.data : "";
}

static const char *
plain(const char *v)
{
	reset(1);
	csvw_plain(&w, v, strlen(v));
	return out.data ? out.data : "";
}

int
main(void)
{
	/* Plain values pass as they are. */
	CHECK_STR(text("Kings"), "Kings");
	CHECK_STR(text("Doña Ana"), "Doña Ana");
	CHECK_STR(plain("-73.9"), "-73.9");
	CHECK_STR(plain("2020-03-01"), "2020-03-01");

	/* Quoting: comma, quote, CR, LF; quotes doubled. */
	CHECK_STR(text("Korea, South"), "\"Korea, South\"");
	CHECK_STR(text("say \"hi\""), "\"say \"\"hi\"\"\"");
	CHECK_STR(text("\"\""), "\"\"\"\"\"\"");
	CHECK_STR(text("a\nb"), "\"a\nb\"");
	CHECK_STR(text("a\rb"), "\"a\rb\"");
	CHECK_STR(plain("1,5"), "\"1,5\"");

	/* The guard: text starting with = + - @ TAB CR LF gets a '. */
	CHECK_STR(text("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
	CHECK_STR(text("=1+2"), "'=1+2");
	CHECK_STR(text("+1"), "'+1");
	CHECK_STR(text("-1"), "'-1");
	CHECK_STR(text("@SUM(A1)"), "'@SUM(A1)");
	CHECK_STR(text("\tx"), "'\tx");
	CHECK_STR(text("\rx"), "\"'\rx\"");
	CHECK_STR(text("\nx"), "\"'\nx\"");
	CHECK_STR(text("a=b"), "a=b");           /* only the first character */
	CHECK_STR(text("'already"), "'already");
	/* Not for numbers: a negative number stays a number. */
	CHECK_STR(plain("-8880"), "-8880");
	CHECK_INT(csvw_needs_guard("", 0), 0);
	CHECK_INT(csvw_needs_guard("-", 1), 1);

	/* Records: separators, empty fields, the chosen line end throughout. */
	reset(1);
	csvw_plain(&w, "2020-03-01", 10);
	csvw_empty(&w);
	csvw_text(&w, "US", 2);
	csvw_empty(&w);
	csvw_end(&w);
	csvw_empty(&w);
	csvw_plain(&w, "1", 1);
	csvw_end(&w);
	CHECK_STR(out.data, "2020-03-01,,US,\r\n,1\r\n");
	reset(0);
	csvw_text(&w, "a", 1);
	csvw_text(&w, "b,c", 3);
	csvw_end(&w);
	csvw_text(&w, "d", 1);
	csvw_end(&w);
	CHECK_STR(out.data, "a,\"b,c\"\nd\n");
	CHECK_INT(s.bytes, strlen("a,\"b,c\"\nd\n"));

	/* A failing sink is remembered, not crashed on. */
	reset(1);
	s.failed = 1;
	csvw_text(&w, "x", 1);
	csvw_end(&w);
	CHECK(out.data == NULL);
	membuf_free(&out);
	return check_exit();
}
