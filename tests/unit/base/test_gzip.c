/* test_gzip: gzip_mem and gzip_file give gzip files (RFC 1952: the magic
 * bytes 1f 8b, deflate, and a trailer with the CRC-32 and the length)
 * that zlib's own reader gives back byte for byte, for an empty input, a
 * page of text and 200 kB of incompressible bytes (more than one 64 kB
 * read); levels change the size; a missing source is an error with errno,
 * a reused membuf holds only the new result. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "base/gzip.h"
#include "check.h"

/* gz[0..n) gunzipped with zlib's inflate (window 15 + 16: gzip only) into
 * out[0..cap); the length, or -1 when it is not one whole gzip stream. */
static long
gunzip(const unsigned char *gz, size_t n, unsigned char *out, size_t cap)
{
	z_stream z;
	int rc;

	memset(&z, 0, sizeof z);
	if (inflateInit2(&z, 15 + 16) != Z_OK)
		return -1;
	z.next_in = (Bytef *)(uintptr_t)gz;   /* inflate only reads it */
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	rc = inflate(&z, Z_FINISH);
	inflateEnd(&z);
	return rc == Z_STREAM_END && z.avail_in == 0 ? (long)(cap - z.avail_out) : -1;
}

static unsigned char *
read_whole(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *buf = malloc(1 << 20);
	*n = fp && buf ? fread(buf, 1, 1 << 20, fp) : 0;
	if (fp)
		fclose(fp);
	return buf;
}

int
main(void)
{
	static unsigned char noise[200000], back[400000];
	const char *text = "Confirmed,Deaths\n1,0\n2,0\n3,1\n4,1\n5,1\n6,2\n"
	    "Confirmed,Deaths\n1,0\n2,0\n3,1\n4,1\n5,1\n6,2\n";
	struct membuf m = { 0 };
	char dir[] = "/tmp/test_gzip.XXXXXX", src[64], dst[64];
	unsigned char *gz;
	unsigned int seed = 12345;
	size_t n;
	struct stat st;
	FILE *fp;
	long len;

	for (size_t i = 0; i < sizeof noise; i++) {
		seed = seed * 1103515245u + 12345u;
		noise[i] = (unsigned char)(seed >> 16);
	}

	/* In memory. */
	CHECK(gzip_mem(text, strlen(text), 6, &m) == 0);
	CHECK(m.len > 18 && (unsigned char)m.data[0] == 0x1f &&
	    (unsigned char)m.data[1] == 0x8b && m.data[2] == 8);
	CHECK(m.len < strlen(text));    /* the repeated half compresses */
	len = gunzip((unsigned char *)m.data, m.len, back, sizeof back);
	CHECK(len == (long)strlen(text) && memcmp(back, text, strlen(text)) == 0);
	/* The trailer: the length mod 2^32, little-endian. */
	CHECK((unsigned char)m.data[m.len - 4] == strlen(text));
	CHECK(gzip_mem("", 0, 6, &m) == 0);
	CHECK(gunzip((unsigned char *)m.data, m.len, back, sizeof back) == 0);
	CHECK(gzip_mem((char *)noise, sizeof noise, 1, &m) == 0);
	len = gunzip((unsigned char *)m.data, m.len, back, sizeof back);
	CHECK(len == (long)sizeof noise && memcmp(back, noise, sizeof noise) == 0);
	{
		size_t l1, l9;
		char *big = malloc(100000);
		for (size_t i = 0; i < 100000; i++)
			big[i] = "0123456789,\n"[(i * i + i / 7) % 12];
		CHECK(gzip_mem(big, 100000, 1, &m) == 0);
		l1 = m.len;
		CHECK(gzip_mem(big, 100000, 9, &m) == 0);
		l9 = m.len;
		CHECK(l9 < l1);         /* the level is the caller's */
		free(big);
	}
	membuf_free(&m);

	/* File to file. */
	CHECK(mkdtemp(dir) != NULL);
	snprintf(src, sizeof src, "%s/in.csv", dir);
	snprintf(dst, sizeof dst, "%s/in.csv.gz", dir);
	fp = fopen(src, "wb");
	CHECK(fp != NULL && fwrite(noise, 1, sizeof noise, fp) == sizeof noise);
	if (fp)
		fclose(fp);
	CHECK(gzip_file(src, dst, 1) == 0);
	gz = read_whole(dst, &n);
	len = gunzip(gz, n, back, sizeof back);
	CHECK(len == (long)sizeof noise && memcmp(back, noise, sizeof noise) == 0);
	free(gz);
	CHECK(stat(dst, &st) == 0 && (st.st_mode & 0777) == 0644);
	/* Replaced, not appended to, when it exists. */
	fp = fopen(src, "wb");
	CHECK(fp != NULL && fputs(text, fp) >= 0);
	if (fp)
		fclose(fp);
	CHECK(gzip_file(src, dst, 6) == 0);
	gz = read_whole(dst, &n);
	len = gunzip(gz, n, back, sizeof back);
	CHECK(len == (long)strlen(text) && memcmp(back, text, strlen(text)) == 0);
	free(gz);
	/* An empty file. */
	fp = fopen(src, "wb");
	if (fp)
		fclose(fp);
	CHECK(gzip_file(src, dst, 6) == 0);
	gz = read_whole(dst, &n);
	CHECK(gunzip(gz, n, back, sizeof back) == 0);
	free(gz);
	/* No source: -1 with errno. */
	errno = 0;
	CHECK(gzip_file("/nonexistent/x.csv", dst, 6) == -1 && errno == ENOENT);
	unlink(src);
	unlink(dst);
	rmdir(dir);
	return check_exit();
}
