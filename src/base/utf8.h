/* utf8: the one UTF-8 decoder, strict as RFC 3629 says: the shortest form
 * only (no overlongs such as C0 AF for '/'), no surrogates (U+D800..DFFF),
 * nothing above U+10FFFF, no sequence cut short. What to do with bytes that
 * are not UTF-8 (refuse them, replace them, fold them away) is the caller's
 * business. */
#ifndef COVID_UTF8_H
#define COVID_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* The length (1..4) of the valid UTF-8 sequence at the start of s[0..n),
 * its code point in *cp (cp may be NULL); 0 when s does not start one or
 * n == 0. Bytes are read one at a time and never past the first one that
 * cannot continue the sequence, so a NUL stops it. */
int utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

#endif
