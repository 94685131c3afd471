/* test_csv: the in-place RFC 4180 reader. Quoted commas, doubled quotes,
 * CRLF, bare CR, newlines inside quotes (line numbers), BOM, no final
 * newline (ending in a bare comma or a closing quote), unterminated quotes,
 * blank lines, more fields than the caller stores, and the byte spans. */
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "check.h"

#define CAP 16

struct reader {
	char          *buf;
	struct csv     c;
	char          *f[CAP];
	struct csv_rec rec;
};

/* Our own copy with the writable byte after the text that csv.h asks for. */
static void
open_text(struct reader *r, const char *text, size_t len)
{
	r->buf = malloc(len + 1);
	memcpy(r->buf, text, len);
	r->buf[len] = 'X';   /* must be overwritten, never read as text */
	csv_init(&r->c, r->buf, len);
}

static void
open_str(struct reader *r, const char *text)
{
	open_text(r, text, strlen(text));
}

static int
next(struct reader *r)
{
	return csv_next(&r->c, r->f, CAP, &r->rec);
}

int
main(void)
{
	struct reader r;

	/* Plain LF records. */
	open_str(&r, "a,b,c\n1,,3\n");
	CHECK_INT(next(&r), 1);
	CHECK_INT(r.rec.nfields, 3);
	CHECK_STR(r.f[0], "a");
	CHECK_STR(r.f[2], "c");
	CHECK_INT(r.rec.line, 1);
	CHECK_INT(r.rec.start, 0);
	CHECK_INT(r.rec.end, 5);
	CHECK_INT(r.rec.terminated, 1);
	CHECK_INT(next(&r), 1);
	CHECK_STR(r.f[1], "");
	CHECK_STR(r.f[2], "3");
	CHECK_INT(r.rec.line, 2);
	CHECK_INT(next(&r), 0);
	CHECK_INT(next(&r), 0);
	free(r.buf);

	/* Quoted commas and doubled quotes; 03-22-2020.csv line 3241. */
	open_str(&r, ",,,\"Korea, South\",3/22/20 23:45,35.907757,127.766922,"
	    "8897,104,2909,5884,\"Korea, South\"\n\"say \"\"hi\"\"\",\"\"\n");
	CHECK_INT(next(&r), 1);
	CHECK_INT(r.rec.nfields, 12);
	CHECK_STR(r.f[3], "Korea, South");
	CHECK_STR(r.f[4], "3/22/20 23:45");
	CHECK_STR(r.f[11], "Korea, South");
	CHECK_INT(next(&r), 1);
	CHECK_INT(r.rec.nfields, 2);
	CHECK_STR(r.f[0], "say \"hi\"");
	CHECK_STR(r.f[1], "");
	CHECK_INT(r.rec.blank, 0);   /* "" is a field, not an empty line */
	free(r.buf);

	/* BOM, CRLF, and a last line without a newline that ends in a bare
	 * comma: the shape of historical 01-23-2020.csv. */
	open_str(&r, "\xEF\xBB\xBFProvince/State,Country/Region\r\n"
	    "Hubei,Mainland China\r\n,Colombia,");
	CHECK_INT(next(&r), 1);
	CHECK_STR(r.f[0], "Province/State");
	CHECK_STR(r.f[1], "Country/Region");
	CHECK_INT(r.rec.start, 3);
	CHECK_INT(r.rec.terminated, 1);
	CHECK_INT(next(&r), 1);
	CHECK_STR(r.f[1], "Mainland China");   /* no \r left on it */
	CHECK_INT(r.rec.line, 2);
	CHECK_INT(next(&r), 1);
	CHECK_INT(r.rec.nfields, 3);
	CHECK_STR(r.f[1], "Colombia");
	CHECK_STR(r.f[2], "");
	CHECK_INT(r.rec.terminated, 0);
	CHECK_INT(r.rec.line, 3);
	CHECK_INT(next(&r), 0);
	free(r.buf);

	/* Ends right after a closing quote (historical 03-22-2020.csv). */
	open_str(&r, "a,b\r\n1,\"Garfield County,Washington,US\"");
	CHECK_INT(next(&r), 1);
	CHECK_INT(next(&r), 1);
	CHECK_STR(r.f[1], "Garfield County,Washington,US");
	CHECK_INT(r.rec.terminated, 0);
	CHECK_INT(r.rec.end, strlen("a,b\r\n1,\"Garfield County,Washington,US\""));
	CHECK_INT(next(&r), 0);
	free(r.buf);

	/* A newline inside quotes belongs to the field; lines keep counting. */
	open_str(&r, "x,\"two\nlines\",y\r\nnext,\"a\r\nb\",z\nlast\n");
	CHECK_INT(next(&r), 1);
	CHECK_STR(r.f[1], "two\nlines");
	CHECK_STR(r.f[2], "y");
	CHECK_INT(r.rec.line, 1);
	CHECK_INT(next(&r), 1);
	CHECK_STR(r.f[1], "a\r\nb");
	CHECK_INT(r.rec.line, 3);
	CHECK_INT(next(&r), 1);
	CHECK_STR(r.f[0], "last");
	CHECK_INT(r.rec.line, 5);
	free(r.buf);

	/* The text ends inside a quoted field: a truncated body. */
	open_str(&r, "a,b\n1,\"Alameda, Califor");
	CHECK_INT(next(&r), 1);
	CHECK_INT(next(&r), -1);
	CHECK_INT(r.rec.line, 2);
	CHECK_INT(next(&r), 0);
	free(r.buf);
	open_str(&r, "a,\"b\"\"");   /* an escaped quote, then nothing */
	CHECK_INT(next(&r), -1);
	free(r.buf);

	/* Blank lines are flagged; a bare CR ends a line. */
	open_str(&r, "a\n\n\r\nb\rc");
	CHECK_INT(next(&r), 1);
	CHECK_INT(r.rec.blank, 0);
	CHECK_INT(next(&r), 1);
	CHECK_INT(r.rec.blank, 1);
	CHECK_INT(next(&r), 1);
	CHECK_INT(r.rec.blank, 1);
	CHECK_INT(next(&r), 1);
	CHECK_STR(r.f[0], "b");
	CHECK_INT(r.rec.line, 4);
	CHECK_INT(next(&r), 1);
	CHECK_STR(r.f[0], "c");
	CHECK_INT(r.rec.line, 5);
	CHECK_INT(next(&r), 0);
	free(r.buf);

	/* Python csv leniency: a quote inside an unquoted field is text, and
	 * text after a closing quote is appended. */
	open_str(&r, "ab\"c,\"de\"f,g\n");
	CHECK_INT(next(&r), 1);
	CHECK_STR(r.f[0], "ab\"c");
	CHECK_STR(r.f[1], "def");
	CHECK_STR(r.f[2], "g");
	free(r.buf);

	/* More fields than the caller stores are still counted. */
	{
		char line[64] = "";
		int i;

		for (i = 0; i < CAP + 4; i++)
			strcat(line, i ? ",x" : "x");
		open_str(&r, line);
		CHECK_INT(next(&r), 1);
		CHECK_INT(r.rec.nfields, CAP + 4);
		CHECK_STR(r.f[CAP - 1], "x");
		free(r.buf);
	}

	/* Empty text and a lone BOM hold no records. */
	open_str(&r, "");
	CHECK_INT(next(&r), 0);
	free(r.buf);
	open_str(&r, "\xEF\xBB\xBF");
	CHECK_INT(next(&r), 0);
	free(r.buf);

	/* UTF-8 passes through untouched (03-22-2020.csv line 2323). */
	open_str(&r, "35013,Doña Ana,New Mexico,US\n");
	CHECK_INT(next(&r), 1);
	CHECK_STR(r.f[1], "Doña Ana");
	free(r.buf);

	return check_exit();
}
