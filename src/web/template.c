/* template: parse @@key@@ templates once, render them into sinks
 * (see template.h). */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/hash.h"
#include "base/log.h"
#include "web/escape.h"
#include "web/template.h"

enum node_type { N_TEXT, N_VAR, N_SECTION, N_INVERTED };

struct node {
	enum node_type type;
	size_t         key;    /* N_VAR, N_SECTION, N_INVERTED */
	const char    *text;   /* N_TEXT: points into tmpl->src */
	size_t         len;
	size_t         end;    /* sections: index of the node after the body */
};

struct tmpl {
	char        *name;
	char        *src;
	struct node *nodes;
	size_t       n, cap;
	uint32_t     hash;
};

struct tmpl_out {
	struct sink *sink;
	int          depth;    /* nested renders, to stop a layout loop */
};

enum { NAME_MAX_LEN = 32 };

/*
 * The HTML context check. It follows the template text (with tokens standing
 * in for values) through a small state machine, just enough to know whether
 * a value lands in text or in a quoted attribute, and which attribute.
 */
enum hstate {
	H_TEXT,      /* between tags */
	H_TAG,       /* inside <...>, outside quotes */
	H_DQ, H_SQ,  /* inside a quoted attribute value */
	H_COMMENT,   /* <!-- ... --> */
	H_BOGUS,     /* <!x ...>, <?x ...>, </1 ...>: a comment up to '>' */
	H_RAWTEXT,   /* inside <script> or <style> */
};

struct hctx {
	enum hstate st;
	char        tag[16];   /* current tag name, lower case */
	size_t      taglen;
	int         in_tagname;
	int         end_tag;   /* "</...>": it opens no <script> */
	char        attr[16];  /* current attribute name, lower case */
	size_t      attrlen;
	/* Where in an attribute the tag is, as browsers read it: spaces may
	 * stand around '=', and a quote opens a value only after one. */
	int         after_name;   /* spaces after a name: '=' may follow */
	int         want_value;   /* after '=': the value comes next */
	int         unquoted;     /* inside an unquoted value */
	int         value_start;  /* nothing yet inside the quoted value */
	char        rawtag[16];   /* "script" or "style" while H_RAWTEXT */
	char        prev, prev2;  /* the last two characters fed */
};

/* HTML's whitespace: isspace() also takes '\v', which HTML does not. */
static int
html_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static void
hctx_feed(struct hctx *h, const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = p[i];
		h->prev2 = h->prev;
		h->prev = c;
		switch (h->st) {
		case H_TEXT:
			if (c == '<' && i + 3 < len && strncmp(p + i, "<!--", 4) == 0) {
				h->st = H_COMMENT;
				i += 3;
			} else if (c == '<' && i + 1 < len && (p[i + 1] == '!' ||
			    p[i + 1] == '?' || (p[i + 1] == '/' && i + 2 < len &&
			    !isalpha((unsigned char)p[i + 2]) && p[i + 2] != '>'))) {
				/* "<!x", "<?x" and "</" before anything but a letter
				 * open a bogus comment up to '>' for browsers: no
				 * tag starts inside it. */
				h->st = H_BOGUS;
			} else if (c == '<' && i + 1 < len &&
			    (isalpha((unsigned char)p[i + 1]) || (p[i + 1] == '/' &&
			    i + 2 < len && isalpha((unsigned char)p[i + 2])))) {
				h->st = H_TAG;
				h->taglen = 0;
				h->in_tagname = 1;
				h->attrlen = 0;
				h->after_name = h->want_value = h->unquoted = 0;
				h->end_tag = p[i + 1] == '/';
				if (h->end_tag)
					i++;
			}
			break;
		case H_TAG:
			if (c == '>') {
				h->tag[h->taglen] = '\0';
				if (!h->end_tag && (strcmp(h->tag, "script") == 0 ||
				    strcmp(h->tag, "style") == 0)) {
					memcpy(h->rawtag, h->tag, h->taglen + 1);
					h->st = H_RAWTEXT;
				} else
					h->st = H_TEXT;
			} else if (h->in_tagname) {
				if (html_space(c) || c == '/') {
					h->in_tagname = 0;
					h->attrlen = 0;
				} else if (h->taglen + 1 < sizeof h->tag)
					h->tag[h->taglen++] = (char)tolower((unsigned char)c);
			} else if (h->unquoted) {
				/* Tokens in an unquoted value are refused. */
				if (html_space(c)) {
					h->unquoted = 0;
					h->attrlen = 0;
				}
			} else if (h->want_value) {
				if (c == '"' || c == '\'') {
					h->st = c == '"' ? H_DQ : H_SQ;
					h->value_start = 1;
					h->want_value = 0;
				} else if (!html_space(c)) {
					h->want_value = 0;
					h->unquoted = 1;
				}
			} else if (html_space(c)) {
				h->after_name = h->attrlen > 0;
			} else if (c == '/') {
				h->attrlen = 0;
				h->after_name = 0;
			} else if (c == '=' && h->attrlen > 0) {
				h->want_value = 1;
				h->after_name = 0;
			} else {
				/* A name character (a stray quote too): after
				 * spaces, the name of the next attribute. */
				if (h->after_name) {
					h->attrlen = 0;
					h->after_name = 0;
				}
				if (h->attrlen + 1 < sizeof h->attr)
					h->attr[h->attrlen++] = (char)tolower((unsigned char)c);
			}
			h->attr[h->attrlen] = '\0';
			break;
		case H_DQ:
		case H_SQ:
			if (c == (h->st == H_DQ ? '"' : '\'')) {
				h->st = H_TAG;
				h->attrlen = 0;
				h->after_name = 0;
				h->attr[0] = '\0';
			} else
				h->value_start = 0;
			break;
		case H_COMMENT:
			if (c == '>' && i >= 2 && p[i - 1] == '-' && p[i - 2] == '-')
				h->st = H_TEXT;
			break;
		case H_BOGUS:
			if (c == '>')
				h->st = H_TEXT;
			break;
		case H_RAWTEXT: {
			/* Only "</script" before a space, '/' or '>' ends it
			 * ("</script=" is still script), as browsers read it. */
			size_t n = strlen(h->rawtag);
			if (c == '<' && i + 2 + n < len && p[i + 1] == '/' &&
			    strncasecmp(p + i + 2, h->rawtag, n) == 0 &&
			    (html_space(p[i + 2 + n]) || p[i + 2 + n] == '/' ||
			    p[i + 2 + n] == '>')) {
				h->st = H_TAG;
				h->taglen = 0;
				h->in_tagname = 0;
				h->attrlen = 0;
				h->after_name = h->want_value = h->unquoted = 0;
				h->end_tag = 1;
				i += 1 + n;   /* past the name: it is no attribute */
			}
			break;
		}
		}
	}
}

/* Why a value may not go here, or NULL when it may. */
static const char *
hctx_refuse(const struct hctx *h)
{
	static const char *const url_attrs[] = {
		"href", "src", "action", "formaction", "xlink:href", "poster",
		"srcset", "data", NULL
	};

	switch (h->st) {
	case H_TEXT:
		/* "<@@x@@" would let a value name a tag: "img src=x onerror=..." */
		if (h->prev == '<' || (h->prev == '/' && h->prev2 == '<'))
			return "token right after '<'";
		return NULL;
	case H_TAG:
		return "token inside a tag outside a quoted attribute value";
	case H_COMMENT:
	case H_BOGUS:
		return "token inside an HTML comment";
	case H_RAWTEXT:
		return "token inside <script> or <style>";
	case H_DQ:
	case H_SQ:
		if (h->attrlen >= 2 && h->attr[0] == 'o' && h->attr[1] == 'n')
			return "token inside an event handler attribute";
		if (h->attrlen == 5 && memcmp(h->attr, "style", 5) == 0)
			return "token inside a style attribute";
		if (h->value_start)
			for (size_t i = 0; url_attrs[i] != NULL; i++)
				if (strlen(url_attrs[i]) == h->attrlen &&
				    memcmp(url_attrs[i], h->attr, h->attrlen) == 0)
					return "token at the start of a URL attribute "
					    "(begin it with a literal path or '?')";
		return NULL;
	}
	return "token in an unknown context";
}

static int
push(struct tmpl *t, const struct node *nd)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 32;
		struct node *p = realloc(t->nodes, cap * sizeof *p);
		if (p == NULL)
			return -1;
		t->nodes = p;
		t->cap = cap;
	}
	t->nodes[t->n++] = *nd;
	return 0;
}

/* The next "@@" in [p, end), or NULL. */
static const char *
find_at_at(const char *p, const char *end)
{
	while (p < end && (p = memchr(p, '@', (size_t)(end - p))) != NULL) {
		if (p + 1 < end && p[1] == '@')
			return p;
		p++;
	}
	return NULL;
}

static int
line_of(const char *start, const char *at)
{
	int line = 1;

	for (const char *p = start; p < at; p++)
		if (*p == '\n')
			line++;
	return line;
}

struct tmpl *
tmpl_parse(const char *name, const char *text, size_t len,
    const char *const *keys, size_t nkeys, char *err, size_t errlen)
{
	struct tmpl *t;
	size_t stack[TMPL_MAX_DEPTH], depth = 0;
	struct hctx h = { .st = H_TEXT };
	const char *p, *end, *why = NULL;

	if (len > TMPL_MAX_SIZE) {
		snprintf(err, errlen, "larger than %d bytes", TMPL_MAX_SIZE);
		return NULL;
	}
	if (memchr(text, '\0', len) != NULL) {
		snprintf(err, errlen, "contains a NUL byte");
		return NULL;
	}
	if ((t = calloc(1, sizeof *t)) == NULL ||
	    (t->name = strdup(name)) == NULL ||
	    (t->src = malloc(len + 1)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto err;
	}
	memcpy(t->src, text, len);
	t->src[len] = '\0';
	t->hash = fnv1a32(text, len);

	p = t->src;
	end = t->src + len;
	while (p < end) {
		const char *tok = find_at_at(p, end);
		const char *nm, *close;
		struct node nd = { 0 };
		size_t nlen, k;
		char sigil = 0;

		if (tok == NULL)
			tok = end;
		if (tok > p) {
			nd.type = N_TEXT;
			nd.text = p;
			nd.len = (size_t)(tok - p);
			hctx_feed(&h, p, nd.len);
			if (push(t, &nd) != 0)
				goto oom;
		}
		if (tok == end)
			break;

		/* A token: @@ [#^/]? name @@ */
		nm = tok + 2;
		if (nm < end && (*nm == '#' || *nm == '^' || *nm == '/'))
			sigil = *nm++;
		for (close = nm; close < end && close - nm <= NAME_MAX_LEN &&
		    (islower((unsigned char)*close) || isdigit((unsigned char)*close) ||
		    *close == '_'); close++)
			;
		nlen = (size_t)(close - nm);
		if (nlen == 0 || nlen > NAME_MAX_LEN || !islower((unsigned char)*nm) ||
		    end - close < 2 || close[0] != '@' || close[1] != '@') {
			snprintf(err, errlen, "line %d: malformed token (want @@name@@, "
			    "@@#name@@, @@^name@@ or @@/name@@)",
			    line_of(t->src, tok));
			goto err;
		}
		for (k = 0; k < nkeys; k++)
			if (keys[k] != NULL && strlen(keys[k]) == nlen &&
			    memcmp(keys[k], nm, nlen) == 0)
				break;
		if (k == nkeys) {
			snprintf(err, errlen, "line %d: unknown key '%.*s'",
			    line_of(t->src, tok), (int)nlen, nm);
			goto err;
		}
		p = close + 2;

		if (sigil == '/') {
			if (depth == 0 || t->nodes[stack[depth - 1]].key != k) {
				snprintf(err, errlen, "line %d: @@/%.*s@@ closes no "
				    "open section", line_of(t->src, tok), (int)nlen, nm);
				goto err;
			}
			t->nodes[stack[--depth]].end = t->n;
			continue;
		}
		if (sigil == 0 && (why = hctx_refuse(&h)) != NULL) {
			snprintf(err, errlen, "line %d: %s", line_of(t->src, tok), why);
			goto err;
		}
		/* The value stands in for text: a URL attribute is no longer at
		 * its start after it. */
		if (sigil == 0)
			hctx_feed(&h, "x", 1);
		nd.type = sigil == '#' ? N_SECTION : sigil == '^' ? N_INVERTED : N_VAR;
		nd.key = k;
		if (push(t, &nd) != 0)
			goto oom;
		if (sigil == '#' || sigil == '^') {
			if (depth == TMPL_MAX_DEPTH) {
				snprintf(err, errlen, "line %d: sections nested deeper "
				    "than %d", line_of(t->src, tok), TMPL_MAX_DEPTH);
				goto err;
			}
			stack[depth++] = t->n - 1;
		}
	}
	if (depth > 0) {
		const struct node *open = &t->nodes[stack[depth - 1]];
		snprintf(err, errlen, "section '%s' is never closed", keys[open->key]);
		goto err;
	}
	return t;
oom:
	snprintf(err, errlen, "out of memory");
err:
	tmpl_free(t);
	return NULL;
}

struct tmpl *
tmpl_load(const char *dir, const char *file, const char *const *keys, size_t nkeys)
{
	char path[4096], err[256], *buf = NULL;
	struct tmpl *t = NULL;
	FILE *fp;
	size_t len;

	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, file) >= sizeof path) {
		log_err("template %s/%s: path too long", dir, file);
		return NULL;
	}
	if ((fp = fopen(path, "rb")) == NULL) {
		log_err("template %s: %s", path, strerror(errno));
		return NULL;
	}
	if ((buf = malloc(TMPL_MAX_SIZE + 1)) == NULL) {
		log_err("template %s: out of memory", path);
		goto out;
	}
	len = fread(buf, 1, TMPL_MAX_SIZE + 1, fp);
	if (ferror(fp)) {
		log_err("template %s: read error", path);
		goto out;
	}
	if ((t = tmpl_parse(file, buf, len, keys, nkeys, err, sizeof err)) == NULL)
		log_err("template %s: %s", path, err);
out:
	free(buf);
	fclose(fp);
	return t;
}

void
tmpl_free(struct tmpl *t)
{
	if (t == NULL)
		return;
	free(t->nodes);
	free(t->src);
	free(t->name);
	free(t);
}

uint32_t
tmpl_hash(const struct tmpl *t)
{
	return t->hash;
}

/* Renders nodes [b, e). Recursion depth is bounded by TMPL_MAX_DEPTH. */
static int
render_range(struct tmpl_out *o, const struct tmpl *t, size_t b, size_t e,
    const struct tmpl_cbs *cbs)
{
	size_t i = b;

	while (i < e) {
		const struct node *nd = &t->nodes[i];
		int r;

		if (o->sink->failed)
			return -1;
		switch (nd->type) {
		case N_TEXT:
			sink_write(o->sink, nd->text, nd->len);
			i++;
			break;
		case N_VAR:
			if (cbs->var == NULL || cbs->var(o, nd->key, cbs->arg) != 0)
				return -1;
			i++;
			break;
		case N_SECTION:
			for (size_t item = 0; ; item++) {
				r = cbs->section ? cbs->section(nd->key, item, cbs->arg) : 0;
				if (r < 0)
					return -1;
				if (r == 0)
					break;
				if (render_range(o, t, i + 1, nd->end, cbs) != 0)
					return -1;
			}
			i = nd->end;
			break;
		case N_INVERTED:
			r = cbs->section ? cbs->section(nd->key, 0, cbs->arg) : 0;
			if (r < 0)
				return -1;
			if (r == 0 && render_range(o, t, i + 1, nd->end, cbs) != 0)
				return -1;
			i = nd->end;
			break;
		}
	}
	return o->sink->failed ? -1 : 0;
}

int
tmpl_render(const struct tmpl *t, struct sink *out, const struct tmpl_cbs *cbs)
{
	struct tmpl_out o = { out, 0 };

	return render_range(&o, t, 0, t->n, cbs);
}

int
tmpl_render_in(struct tmpl_out *o, const struct tmpl *t, const struct tmpl_cbs *cbs)
{
	struct tmpl_out inner = { o->sink, o->depth + 1 };

	if (inner.depth > TMPL_MAX_DEPTH) {
		log_err("template %s: nested renders deeper than %d", t->name,
		    TMPL_MAX_DEPTH);
		return -1;
	}
	return render_range(&inner, t, 0, t->n, cbs);
}

void
tmpl_text(struct tmpl_out *o, const char *s)
{
	esc_html(o->sink, s);
}

void
tmpl_textn(struct tmpl_out *o, const char *s, size_t len)
{
	esc_html_n(o->sink, s, len);
}

void
tmpl_printf(struct tmpl_out *o, const char *fmt, ...)
{
	char small[256], *big = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		o->sink->failed = 1;
		return;
	}
	if ((size_t)n < sizeof small) {
		esc_html_n(o->sink, small, (size_t)n);
		return;
	}
	if ((big = malloc((size_t)n + 1)) == NULL) {
		o->sink->failed = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	esc_html_n(o->sink, big, (size_t)n);
	free(big);
}

void
tmpl_int(struct tmpl_out *o, long long v)
{
	sink_int(o->sink, v);
}

void
tmpl_url(struct tmpl_out *o, const char *s)
{
	/* esc_url leaves only [A-Za-z0-9._~-] and %XX: safe in HTML as is. */
	esc_url(o->sink, s);
}

void
tmpl_path(struct tmpl_out *o, const char *s)
{
	const char *seg = s;

	if (s == NULL)
		return;
	for (const char *p = s; ; p++) {
		if (*p == '/' || *p == '\0') {
			char buf[256];
			size_t len = (size_t)(p - seg);
			/* esc_url wants a C string: copy the segment (slugs are short;
			 * a longer one goes through the heap). */
			if (len < sizeof buf) {
				memcpy(buf, seg, len);
				buf[len] = '\0';
				esc_url(o->sink, buf);
			} else {
				char *tmp = strndup(seg, len);
				if (tmp == NULL) {
					o->sink->failed = 1;
					return;
				}
				esc_url(o->sink, tmp);
				free(tmp);
			}
			if (*p == '\0')
				break;
			sink_write(o->sink, "/", 1);
			seg = p + 1;
		}
	}
}

struct sink *
tmpl_raw(struct tmpl_out *o)
{
	return o->sink;
}
