/* test_intake_tokens: token files (their format and faults), finding a
 * token by its SHA-256, and the Authorization header. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "base/sha256.h"
#include "intake/intake_tokens.h"

static char err[160];

static void
test_parse(void)
{
	struct intake_tokens ts;
	char hex[65], text[512];

	sha256_hex("s3cret", 6, hex);
	snprintf(text, sizeof text, "# writers\n\nalice %s\nbob\t%s  \r\n", hex,
	    "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08");
	CHECK_INT(intake_tokens_parse(text, &ts, err, sizeof err), 0);
	CHECK_INT(ts.n, 2);
	CHECK_STR(intake_tokens_find(&ts, "s3cret", 6), "alice");
	/* "test": upper-case hex is read too. */
	CHECK_STR(intake_tokens_find(&ts, "test", 4), "bob");
	CHECK(intake_tokens_find(&ts, "s3cre", 5) == NULL);
	CHECK(intake_tokens_find(&ts, "s3cret!", 7) == NULL);
	CHECK(intake_tokens_find(&ts, "", 0) == NULL);
	CHECK(intake_tokens_find(&ts, hex, 64) == NULL);   /* the hash is no token */
	intake_tokens_free(&ts);

	CHECK_INT(intake_tokens_parse("", &ts, err, sizeof err), 0);
	CHECK_INT(ts.n, 0);
	CHECK(intake_tokens_find(&ts, "x", 1) == NULL);
}

static void
bad(const char *text, const char *why)
{
	struct intake_tokens ts;

	CHECK_INT(intake_tokens_parse(text, &ts, err, sizeof err), -1);
	CHECK_STR(err, why);
	CHECK(ts.t == NULL && ts.n == 0);
}

static void
test_faults(void)
{
	const char *h = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
	char text[512];

	bad("alice\n", "line 1: the name must be followed by a space and the token's SHA-256");
	bad("alice 1234\n", "line 1: the SHA-256 must be 64 hex digits");
	snprintf(text, sizeof text, "al!ce %s\n", h);
	bad(text, "line 1: the name must be followed by a space and the token's SHA-256");
	snprintf(text, sizeof text, " alice %s\n", h);
	bad(text, "line 1: a line must start with a name of letters, digits, '.', '_' or '-'");
	snprintf(text, sizeof text, "a %s\n#\na %s\n", h, h);
	bad(text, "line 3: the name a is given twice");
	snprintf(text, sizeof text, "a %.63sg\n", h);
	bad(text, "line 1: the SHA-256 must be 64 hex digits");
}

static void
test_bearer(void)
{
	const char *tok;
	size_t len;

	CHECK_INT(intake_bearer("Bearer abc.DEF-_~+/=", &tok, &len), 0);
	CHECK_INT(len, 13);
	CHECK(strncmp(tok, "abc.DEF-_~+/=", len) == 0);
	CHECK_INT(intake_bearer("bearer   xyz  ", &tok, &len), 0);
	CHECK_INT(len, 3);
	CHECK_INT(intake_bearer(NULL, &tok, &len), -1);
	CHECK_INT(intake_bearer("Basic abc", &tok, &len), -1);
	CHECK_INT(intake_bearer("Bearer ", &tok, &len), -1);
	CHECK_INT(intake_bearer("Bearer a b", &tok, &len), -1);
	CHECK_INT(intake_bearer("Bearer a\"b", &tok, &len), -1);
	CHECK_INT(intake_bearer("Bearer =abc", &tok, &len), -1);
}

static void
test_load(void)
{
	struct intake_tokens ts;
	char path[] = "/tmp/test_tokens.XXXXXX";
	int fd = mkstemp(path);
	FILE *fp = fdopen(fd, "w");
	char hex[65];

	sha256_hex("tok", 3, hex);
	fprintf(fp, "w1 %s\n", hex);
	fclose(fp);
	CHECK_INT(intake_tokens_load(path, &ts), 0);
	CHECK_STR(intake_tokens_find(&ts, "tok", 3), "w1");
	intake_tokens_free(&ts);
	unlink(path);
	CHECK_INT(intake_tokens_load(path, &ts), -1);
	CHECK(ts.n == 0);
}

int
main(void)
{
	test_parse();
	test_faults();
	test_bearer();
	test_load();
	return check_exit();
}
