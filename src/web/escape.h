/* escape: one escaper per output context (as in cgit's html.c). Everything
 * that reaches HTML, a URL or a header from data or from a request goes
 * through one of these; raw output is the exception you have to name. */
#ifndef COVID_ESCAPE_H
#define COVID_ESCAPE_H

#include "base/sink.h"

/* HTML text and quoted attribute values (also SVG/XML): & < > " ' escaped. */
void esc_html(struct sink *s, const char *str);
void esc_html_n(struct sink *s, const char *str, size_t len);

/* A URL query value or path segment: everything but unreserved characters
 * (RFC 3986: A-Z a-z 0-9 - . _ ~) percent-encoded. */
void esc_url(struct sink *s, const char *str);

/* A filename inside a quoted header parameter (Content-Disposition):
 * only [A-Za-z0-9._-] kept, anything else becomes '_', so no quote, CR, LF
 * or non-ASCII byte can reach a header. */
void esc_header_filename(struct sink *s, const char *str);

/* Decodes %XX and '+' (form encoding) from src[0..len) into dst, which must
 * hold len + 1 bytes. Returns the decoded length, or -1 for a malformed escape
 * or a decoded NUL byte. */
long url_decode(char *dst, const char *src, size_t len);

#endif
