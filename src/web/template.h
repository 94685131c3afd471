/* template: plain HTML files with @@key@@ tokens, rendered straight into a
 * sink (kcgi's khttp_template, grown sections).
 *
 *   @@name@@            a value: the var callback writes it
 *   @@#name@@ ... @@/name@@   a section: the body is rendered once for each
 *                       i = 0, 1, ... while section(name, i) returns 1
 *                       (a list, or a conditional when it says 1 once)
 *   @@^name@@ ... @@/name@@   inverted: rendered once when section(name, 0)
 *                       returns 0 (the "no results" text)
 *
 * Names are [a-z][a-z0-9_]*, declared by the code in a key table; a template
 * naming an unknown key, leaving a section open or writing a malformed token
 * fails to load, so mistakes show at start-up, not on a page.
 *
 * Escaping is the default: a var callback gets a struct tmpl_out, not a sink,
 * and its writers escape for HTML (text and quoted attributes alike). Raw
 * markup goes through tmpl_raw(), which names what it does.
 *
 * The loader also refuses tokens where HTML escaping is not enough: inside a
 * tag but outside quotes, in comments, <script> or <style>, in on* event
 * handler or style attributes, and at the start of a URL attribute (href,
 * src, action), where a value could be "javascript:...". */
#ifndef COVID_TEMPLATE_H
#define COVID_TEMPLATE_H

#include <stddef.h>
#include <stdint.h>

#include "base/sink.h"

struct tmpl;       /* a parsed template, immutable once loaded */
struct tmpl_out;   /* the escaping writer a var callback gets */

struct tmpl_cbs {
	/* Writes the value of key; 0, or -1 to stop rendering. */
	int  (*var)(struct tmpl_out *o, size_t key, void *arg);
	/* Whether to render section key's body for item i (1), not (0), or
	 * stop rendering (-1). May be NULL when the template has no sections. */
	int  (*section)(size_t key, size_t i, void *arg);
	void  *arg;
};

enum { TMPL_MAX_SIZE = 1 << 20, TMPL_MAX_DEPTH = 8 };

/* Parses text[0..len) (it is copied). On failure returns NULL and writes a
 * one-line reason ("line 3: unknown key 'titel'") into err. */
struct tmpl *tmpl_parse(const char *name, const char *text, size_t len,
    const char *const *keys, size_t nkeys, char *err, size_t errlen);
/* Reads dir/file and parses it; logs the reason and returns NULL on failure. */
struct tmpl *tmpl_load(const char *dir, const char *file,
    const char *const *keys, size_t nkeys);
void tmpl_free(struct tmpl *t);

/* A hash of the template's source, so ETags change when templates do. */
uint32_t tmpl_hash(const struct tmpl *t);

/* Renders into out. Returns 0, or -1 when a callback stopped it or the sink
 * failed (out->failed tells which). */
int tmpl_render(const struct tmpl *t, struct sink *out, const struct tmpl_cbs *cbs);
/* Renders another template at this point (a layout's content slot). */
int tmpl_render_in(struct tmpl_out *o, const struct tmpl *t,
    const struct tmpl_cbs *cbs);

/* The writers. All output is safe in HTML text and in quoted attributes. */
void tmpl_text(struct tmpl_out *o, const char *s);          /* NULL: nothing */
void tmpl_textn(struct tmpl_out *o, const char *s, size_t len);
void tmpl_printf(struct tmpl_out *o, const char *fmt, ...)  /* then escaped */
	__attribute__((format(printf, 2, 3)));
void tmpl_int(struct tmpl_out *o, long long v);
void tmpl_url(struct tmpl_out *o, const char *s);   /* one URL component */
void tmpl_path(struct tmpl_out *o, const char *s);  /* URL path: '/' kept */

/* The one door for markup the program made itself (an SVG chart drawn by
 * chart.c, which escapes its own text). Never pass data or input through it. */
struct sink *tmpl_raw(struct tmpl_out *o);

#endif
