/* test_fcgi_records: a response written as FastCGI records with writev
 * reads back, record by record, as the protocol frames it: version 1, the
 * type and request id asked for, no record over 65,535 bytes, and the
 * contents, joined, the pieces' bytes in order. Written to a file, which
 * takes any amount in one writev; a socket that fills is the e2e tests'. */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "web/fcgi_records.h"

struct parsed {
	int    records, bad_header, max_len;
	size_t len;
	char  *content;
};

/* Reads the file's records back into one buffer of their contents. */
static struct parsed
parse(FILE *f, int type, int id)
{
	struct parsed p = { 0 };
	unsigned char h[8];

	rewind(f);
	p.content = malloc(1);
	while (fread(h, 1, 8, f) == 8) {
		int len = h[4] << 8 | h[5];

		p.records++;
		if (h[0] != 1 || h[1] != type || (h[2] << 8 | h[3]) != id)
			p.bad_header++;
		if (len > p.max_len)
			p.max_len = len;
		p.content = realloc(p.content, p.len + (size_t)len + h[6] + 1);
		if (fread(p.content + p.len, 1, (size_t)len + h[6], f) !=
		    (size_t)len + h[6])
			p.bad_header++;
		p.len += (size_t)len;
	}
	return p;
}

/* Writes the pieces of the given sizes (bytes of a pattern that shows
 * order) and checks what reads back. */
static void
round_trip(const size_t *size, int n, int id, int want_records)
{
	struct iovec piece[8];
	size_t total = 0;
	FILE *f = tmpfile();
	char *all;

	for (int i = 0; i < n; i++)
		total += size[i];
	all = malloc(total + 1);
	for (size_t i = 0; i < total; i++)
		all[i] = (char)('a' + (i * 7 + i / 251) % 26);
	for (int i = 0, at = 0; i < n; at += (int)size[i], i++)
		piece[i] = (struct iovec){ all + at, size[i] };
	CHECK(f != NULL);
	CHECK(fcgi_records_write(fileno(f), id, FCGI_RECORD_STDOUT, piece, n) == 0);
	struct parsed p = parse(f, FCGI_RECORD_STDOUT, id);
	CHECK(p.records == want_records);
	CHECK(p.bad_header == 0);
	CHECK(p.max_len <= 65535);
	CHECK(p.len == total);
	CHECK(total == 0 || memcmp(p.content, all, total) == 0);
	free(p.content);
	free(all);
	fclose(f);
}

int
main(void)
{
	/* A page: its headers, the Content-Length line, an 820 kB body. */
	size_t page[] = { 180, 22, 820000 };
	/* One byte either side of a record's most. */
	size_t edge[] = { 65528 };
	size_t edge_over[] = { 65529 };
	size_t small[] = { 9000 };
	/* Pieces, some empty, crossing record boundaries. */
	size_t ragged[] = { 0, 65000, 0, 1000, 70000, 3 };
	size_t none[] = { 0 };

	round_trip(page, 3, 1, 13);
	round_trip(edge, 1, 258, 1);
	round_trip(edge_over, 1, 65535, 2);
	round_trip(small, 1, 7, 1);
	round_trip(ragged, 6, 2, 3);
	round_trip(none, 1, 1, 0);

	/* A connection gone away is an error, not a crash. */
	int fds[2];
	char byte = 'x';
	struct iovec one = { &byte, 1 };
	CHECK(pipe(fds) == 0);
	close(fds[0]);
	signal(SIGPIPE, SIG_IGN);
	CHECK(fcgi_records_write(fds[1], 1, FCGI_RECORD_STDOUT, &one, 1) == -1);
	close(fds[1]);
	return check_exit();
}
