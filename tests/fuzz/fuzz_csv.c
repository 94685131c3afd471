/* fuzz_csv: the RFC 4180 record reader (src/base/csv.c) over any bytes.
 *
 * Invariants:
 *   - every record lies inside the text and the reader always moves on, so
 *     it ends; after -1 (text ends inside quotes) nothing more is read;
 *   - fields are NUL-terminated inside the buffer, never longer together
 *     than the record's bytes (unquoting only shrinks);
 *   - a record without any '"' is its bytes split at the commas;
 *   - writing a record's fields back with csv_writer and reading them again
 *     gives the same fields (plain), or the same fields with the formula
 *     guard's leading ' where the writer says it adds one (text). */
#include "fuzz.h"

#include "base/csv.h"
#include "base/csv_writer.h"
#include "base/sink.h"

enum { CAP = 64 };

/* A record of no quotes: field i is the i-th comma-separated run. */
static void
check_unquoted(const char *raw, size_t start, size_t end, char **fields,
    const struct csv_rec *rec)
{
	size_t commas = 0, f = 0, from = start;

	for (size_t i = start; i < end; i++)
		if (raw[i] == '"')
			return;
	for (size_t i = start; i < end; i++)
		commas += raw[i] == ',';
	FUZZ_CHECK((size_t)rec->nfields == commas + 1);
	for (size_t i = start; i <= end && f < CAP; i++) {
		if (i < end && raw[i] != ',')
			continue;
		/* An embedded NUL ends the C string early; compare up to it. */
		size_t n = strnlen(raw + from, i - from);
		FUZZ_CHECK(strlen(fields[f]) == n);
		FUZZ_CHECK(memcmp(fields[f], raw + from, n) == 0);
		f++;
		from = i + 1;
	}
}

/* Writes fields[0..n) as one record after a blank line (so a field that
 * starts with a BOM is not taken for the text's BOM) and reads it back. */
static void
check_round_trip(char **fields, int n, int text)
{
	struct membuf mb = { 0 };
	struct sink out = membuf_sink(&mb);
	struct csv_writer w;
	struct csv c;
	struct csv_rec rec;
	char *back[CAP];

	csvw_init(&w, &out, n % 2);
	sink_write(&out, "\n", 1);
	for (int i = 0; i < n; i++) {
		if (text)
			csvw_text(&w, fields[i], strlen(fields[i]));
		else
			csvw_plain(&w, fields[i], strlen(fields[i]));
	}
	csvw_end(&w);
	FUZZ_CHECK(!out.failed);

	csv_init(&c, mb.data, mb.len);
	FUZZ_CHECK(csv_next(&c, back, CAP, &rec) == 1 && rec.blank);
	FUZZ_CHECK(csv_next(&c, back, CAP, &rec) == 1);
	FUZZ_CHECK(rec.nfields == n);
	FUZZ_CHECK(rec.terminated);
	for (int i = 0; i < n; i++) {
		const char *f = fields[i], *b = back[i];
		if (text && csvw_needs_guard(f, strlen(f))) {
			FUZZ_CHECK(b[0] == '\'');
			b++;
		}
		FUZZ_CHECK(strcmp(f, b) == 0);
	}
	FUZZ_CHECK(csv_next(&c, back, CAP, &rec) == 0);
	membuf_free(&mb);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_strndup(data, size), *fields[CAP];
	const char *raw = (const char *)data;
	struct csv c;
	struct csv_rec rec;
	long line = 1;
	int rc;

	csv_init(&c, buf, size);
	for (;;) {
		size_t before = c.pos, sum = 0;

		rc = csv_next(&c, fields, CAP, &rec);
		FUZZ_CHECK(rc >= -1 && rc <= 1);
		if (rc == 0) {
			FUZZ_CHECK(before >= size);
			break;
		}
		FUZZ_CHECK(c.pos > before && c.pos <= size);
		FUZZ_CHECK(rec.start == before);
		FUZZ_CHECK(rec.start <= rec.end && rec.end <= size);
		FUZZ_CHECK(rec.line >= line);
		FUZZ_CHECK(rec.nfields >= 1);
		line = rec.line;
		if (rc < 0) {
			FUZZ_CHECK(c.pos == size);
			FUZZ_CHECK(csv_next(&c, fields, CAP, &rec) == 0);
			break;
		}
		for (int i = 0; i < rec.nfields && i < CAP; i++) {
			FUZZ_CHECK(fields[i] >= buf + rec.start &&
			    fields[i] <= buf + rec.end);
			sum += strlen(fields[i]);
		}
		FUZZ_CHECK(sum <= rec.end - rec.start);
		if (rec.blank)
			FUZZ_CHECK(rec.nfields == 1 && fields[0][0] == '\0');
		check_unquoted(raw, rec.start, rec.end, fields, &rec);
		if (rec.nfields <= CAP) {
			check_round_trip(fields, rec.nfields, 0);
			check_round_trip(fields, rec.nfields, 1);
		}
	}
	free(buf);
	return 0;
}
