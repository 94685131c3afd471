/* intake_tokens: who may write and read case reports. A token file (named
 * by COVID_INTAKE_TOKENS for writers, COVID_READER_TOKENS for readers)
 * holds one "NAME SHA256-HEX" per line: a name for logs and the rate limit,
 * and the SHA-256 of the token in 64 hex digits. Blank lines and lines
 * starting with '#' are skipped. The tokens themselves are never stored,
 * logged or compared: a presented token is hashed (base/sha256) and the
 * digest compared with every entry's by CRYPTO_memcmp, all of them each
 * time, so neither the bytes nor the position of a match shows in the
 * time it takes. */
#ifndef COVID_INTAKE_TOKENS_H
#define COVID_INTAKE_TOKENS_H

#include <stddef.h>

enum {
	TOKEN_NAME_MAX = 64,     /* bytes of a name, NUL included */
	TOKEN_MAX_LEN  = 512,    /* bytes of a presented token */
	TOKENS_MAX     = 4096,   /* entries in one file */
};

struct intake_token {
	char          name[TOKEN_NAME_MAX];   /* [A-Za-z0-9._-]+ */
	unsigned char digest[32];
};

struct intake_tokens {
	struct intake_token *t;
	size_t               n;
};

/* Reads text (NUL-terminated) into ts. 0, or -1 with "line N: why" in err
 * (a name with other characters, a digest that is not 64 hex digits, a
 * name given twice, too many entries). */
int intake_tokens_parse(const char *text, struct intake_tokens *ts, char *err,
    size_t errlen);
/* Reads the file; 0, or -1 after logging why (its path, never its text). */
int intake_tokens_load(const char *path, struct intake_tokens *ts);
void intake_tokens_free(struct intake_tokens *ts);

/* The name of the entry whose digest is the SHA-256 of token[0..len), or
 * NULL (none, or len 0 or over TOKEN_MAX_LEN). */
const char *intake_tokens_find(const struct intake_tokens *ts,
    const char *token, size_t len);

/* The token of an "Authorization: Bearer TOKEN" header value (the scheme
 * is case-insensitive, the token RFC 6750's token68 characters) into *tok
 * and *len; 0, or -1 when there is no such header or it is not one. */
int intake_bearer(const char *authorization, const char **tok, size_t *len);

#endif
