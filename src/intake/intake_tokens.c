/* intake_tokens: token files and the constant-time check (see intake_tokens.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#include "base/log.h"
#include "base/sha256.h"
#include "intake/intake_tokens.h"

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

/* One line "NAME HEX" (s[0..len), no newline) into t: NULL, or why not. */
static const char *
parse_line(const char *s, size_t len, struct intake_token *t)
{
	size_t i = 0, n;

	while (i < len && name_char(s[i]))
		i++;
	if (i == 0)
		return "a line must start with a name of letters, digits, '.', '_' or '-'";
	if (i >= TOKEN_NAME_MAX)
		return "the name is too long";
	memcpy(t->name, s, i);
	t->name[i] = '\0';
	if (i == len || (s[i] != ' ' && s[i] != '\t'))
		return "the name must be followed by a space and the token's SHA-256";
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	n = len - i;
	while (n > 0 && (s[i + n - 1] == ' ' || s[i + n - 1] == '\t' ||
	    s[i + n - 1] == '\r'))
		n--;
	if (n != 64)
		return "the SHA-256 must be 64 hex digits";
	for (size_t k = 0; k < 32; k++) {
		int hi = hex_value(s[i + 2 * k]), lo = hex_value(s[i + 2 * k + 1]);
		if (hi < 0 || lo < 0)
			return "the SHA-256 must be 64 hex digits";
		t->digest[k] = (unsigned char)(hi << 4 | lo);
	}
	return NULL;
}

int
intake_tokens_parse(const char *text, struct intake_tokens *ts, char *err,
    size_t errlen)
{
	const char *p = text, *why;
	size_t line = 0;

	ts->t = NULL;
	ts->n = 0;
	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		struct intake_token t;

		line++;
		if (len == 0 || p[0] == '#' || (len == 1 && p[0] == '\r'))
			goto next;
		if (ts->n == TOKENS_MAX) {
			snprintf(err, errlen, "line %zu: more than %d tokens", line,
			    TOKENS_MAX);
			goto fail;
		}
		if ((why = parse_line(p, len, &t)) != NULL) {
			snprintf(err, errlen, "line %zu: %s", line, why);
			goto fail;
		}
		for (size_t i = 0; i < ts->n; i++)
			if (strcmp(ts->t[i].name, t.name) == 0) {
				snprintf(err, errlen, "line %zu: the name %s is given twice",
				    line, t.name);
				goto fail;
			}
		if (ts->n % 16 == 0) {
			struct intake_token *m = realloc(ts->t, (ts->n + 16) * sizeof *m);
			if (m == NULL) {
				snprintf(err, errlen, "out of memory");
				goto fail;
			}
			ts->t = m;
		}
		ts->t[ts->n++] = t;
next:
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return 0;
fail:
	intake_tokens_free(ts);
	return -1;
}

int
intake_tokens_load(const char *path, struct intake_tokens *ts)
{
	FILE *fp = fopen(path, "r");
	char *text = NULL, err[160];
	long size;
	int rc = -1;

	ts->t = NULL;
	ts->n = 0;
	if (fp == NULL) {
		log_err("tokens: cannot open %s", path);
		return -1;
	}
	if (fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 0 ||
	    size > TOKENS_MAX * 160L || fseek(fp, 0, SEEK_SET) != 0 ||
	    (text = malloc((size_t)size + 1)) == NULL ||
	    fread(text, 1, (size_t)size, fp) != (size_t)size)
		log_err("tokens: cannot read %s (or it is too large)", path);
	else {
		text[size] = '\0';
		if (strlen(text) != (size_t)size)
			log_err("tokens: %s holds a NUL byte", path);
		else if (intake_tokens_parse(text, ts, err, sizeof err) != 0)
			log_err("tokens: %s: %s", path, err);
		else
			rc = 0;
	}
	if (text != NULL)
		OPENSSL_cleanse(text, (size_t)size);
	free(text);
	fclose(fp);
	return rc;
}

void
intake_tokens_free(struct intake_tokens *ts)
{
	free(ts->t);
	ts->t = NULL;
	ts->n = 0;
}

const char *
intake_tokens_find(const struct intake_tokens *ts, const char *token, size_t len)
{
	unsigned char d[32];
	const char *found = NULL;

	if (len == 0 || len > TOKEN_MAX_LEN || sha256(token, len, d) != 0)
		return NULL;
	/* Every entry, match or not: the time does not say which one. */
	for (size_t i = 0; i < ts->n; i++)
		if (CRYPTO_memcmp(d, ts->t[i].digest, sizeof d) == 0)
			found = ts->t[i].name;
	return found;
}

/* RFC 6750's token68: ALPHA DIGIT "-" "." "_" "~" "+" "/" then "="s. */
static int
token68(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && (name_char(s[i]) || s[i] == '~' || s[i] == '+' ||
	    s[i] == '/'))
		i++;
	if (i == 0)
		return 0;
	while (i < len && s[i] == '=')
		i++;
	return i == len;
}

int
intake_bearer(const char *authorization, const char **tok, size_t *len)
{
	const char *p = authorization;
	size_t n;

	if (p == NULL || strncasecmp(p, "Bearer ", 7) != 0)
		return -1;
	p += 7;
	while (*p == ' ')
		p++;
	n = strlen(p);
	while (n > 0 && p[n - 1] == ' ')
		n--;
	if (n == 0 || n > TOKEN_MAX_LEN || !token68(p, n))
		return -1;
	*tok = p;
	*len = n;
	return 0;
}
