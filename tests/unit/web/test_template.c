/* test_template: parsing, rendering, escaping by default, the context
 * checks, and a fuzz-ish run of hostile templates and values. */
#include <stdlib.h>

#include "check.h"
#include "web/template.h"

enum { K_TITLE, K_ROWS, K_NAME, K_EMPTY, K_FLAG, K_LINK, K__MAX };
static const char *const keys[K__MAX] = {
	"title", "rows", "name", "empty", "flag", "link"
};

static const char *const names[] = { "Korea, South", "<b>Cote d'Ivoire</b>", "A&B" };

struct arg {
	const char *title;
	size_t      row, nrows;
	int         flag;
	const char *value;   /* when set: every var writes this */
	size_t      reps;    /* fuzz: sections repeat this often */
};

static int
var(struct tmpl_out *o, size_t key, void *p)
{
	struct arg *a = p;

	if (a->value != NULL) {
		tmpl_text(o, a->value);
		return 0;
	}
	switch (key) {
	case K_TITLE: tmpl_text(o, a->title); break;
	case K_NAME:  tmpl_text(o, names[a->row]); break;
	case K_LINK:  tmpl_path(o, "us/new york/<kings>"); break;
	default:      tmpl_int(o, (long long)key); break;
	}
	return 0;
}

static int
section(size_t key, size_t i, void *p)
{
	struct arg *a = p;

	if (a->value != NULL)
		return i < a->reps;
	switch (key) {
	case K_ROWS:  a->row = i; return i < a->nrows;
	case K_EMPTY: return 0;
	case K_FLAG:  return i == 0 && a->flag;
	default:      return 0;
	}
}

static struct membuf buf;

/* Parses and renders src; returns the output or "(error: reason)". */
static const char *
render(const char *src, struct arg *a)
{
	static char err[300];
	struct tmpl_cbs cbs = { var, section, a };
	struct tmpl *t;
	struct sink s;

	buf.len = 0;
	if (buf.data)
		buf.data[0] = '\0';
	if ((t = tmpl_parse("t", src, strlen(src), keys, K__MAX, err + 8,
	    sizeof err - 9)) == NULL) {
		memcpy(err, "(error: ", 8);
		strcat(err, ")");
		return err;
	}
	s = membuf_sink(&buf);
	if (tmpl_render(t, &s, &cbs) != 0) {
		tmpl_free(t);
		return "(render failed)";
	}
	tmpl_free(t);
	return buf.data ? buf.data : "";
}

static int
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* A tiny deterministic PRNG so a failure can be replayed. */
static unsigned long long rng = 88172645463325252ULL;
static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static void
fuzz(void)
{
	static const char *const frags[] = {
		"<p>", "</p>", "text ", "<a href=\"/r/", "\">", "<a title=\"",
		"'", "\"", "<", ">", "@@", "@", "@@title@@", "@@name@@",
		"@@#rows@@", "@@/rows@@", "@@^empty@@", "@@/empty@@", "@@#flag@@",
		"@@/flag@@", "@@nope@@", "@@#", "<!-- ", " -->", "<script>",
		"</script>", "<b onclick=\"", "<i style=\"", "\n", "&amp;",
		"@@TITLE@@", "@@/@@", "<a href=\"", "<img src=\"?x=", "@@link@@",
	};
	const char *hostile = "<script>alert(1)</script>\"'&@@title@@";
	const char *escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;@@title@@";
	int parsed = 0, consistent = 0, raw = 0, rounds = 3000;
	char src[512], *safe_out;

	for (int round = 0; round < rounds; round++) {
		size_t len = 0;
		int n = 1 + (int)rnd(24);
		struct arg a = { 0 };
		const char *out;

		src[0] = '\0';
		for (int i = 0; i < n; i++) {
			const char *f = frags[rnd(sizeof frags / sizeof frags[0])];
			if (len + strlen(f) + 1 >= sizeof src)
				break;
			strcpy(src + len, f);
			len += strlen(f);
		}
		/* Sometimes random bytes instead. */
		if (rnd(4) == 0) {
			len = rnd(64);
			for (size_t i = 0; i < len; i++)
				src[i] = (char)(1 + rnd(255));
			src[len] = '\0';
		}
		a.reps = 2;
		a.value = "V";
		out = render(src, &a);
		if (starts(out, "(error"))
			continue;
		parsed++;
		safe_out = strdup(out);
		a.value = hostile;
		out = render(src, &a);
		/* The hostile render, with every escaped value put back to "V",
		 * must equal the safe render: values only ever appear escaped. */
		{
			char *fixed = malloc(strlen(out) + 1), *w = fixed;
			const char *p = out;
			while (*p) {
				if (strncmp(p, escaped, strlen(escaped)) == 0) {
					*w++ = 'V';
					p += strlen(escaped);
				} else
					*w++ = *p++;
			}
			*w = '\0';
			if (strcmp(fixed, safe_out) == 0)
				consistent++;
			else
				printf("# inconsistent render of: %s\n", src);
			free(fixed);
		}
		if (strstr(out, "<script>alert(1)") != NULL)
			raw++;
		free(safe_out);
	}
	printf("# fuzz: %d of %d templates parsed\n", parsed, rounds);
	CHECK(parsed > 100);
	CHECK_INT(consistent, parsed);
	CHECK_INT(raw, 0);
}

int
main(void)
{
	struct arg a = { .title = "<script>alert(1)</script>", .nrows = 3, .flag = 1 };
	char err[200];

	/* Values are escaped by default, text is copied as is. */
	CHECK_STR(render("<h1>@@title@@</h1>", &a),
	    "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>");
	a.title = "\"><img src=x onerror=alert(1)>";
	CHECK_STR(render("<a title=\"@@title@@\">x</a>", &a),
	    "<a title=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\">x</a>");
	/* A value holding a token is text, not re-expanded. */
	a.title = "@@title@@";
	CHECK_STR(render("@@title@@", &a), "@@title@@");

	/* Sections: a list, a conditional, an inverted section. */
	CHECK_STR(render("<ul>@@#rows@@<li>@@name@@</li>@@/rows@@</ul>", &a),
	    "<ul><li>Korea, South</li><li>&lt;b&gt;Cote d&#39;Ivoire&lt;/b&gt;</li>"
	    "<li>A&amp;B</li></ul>");
	CHECK_STR(render("@@#flag@@yes@@/flag@@@@^flag@@no@@/flag@@", &a), "yes");
	a.flag = 0;
	CHECK_STR(render("@@#flag@@yes@@/flag@@@@^flag@@no@@/flag@@", &a), "no");
	CHECK_STR(render("@@#empty@@x@@/empty@@@@^empty@@none@@/empty@@", &a), "none");
	a.nrows = 2;
	CHECK_STR(render("@@#rows@@[@@#rows@@@@name@@;@@/rows@@]@@/rows@@", &a),
	    "[Korea, South;&lt;b&gt;Cote d&#39;Ivoire&lt;/b&gt;;]"
	    "[Korea, South;&lt;b&gt;Cote d&#39;Ivoire&lt;/b&gt;;]");
	/* Paths keep '/', encode the rest. */
	CHECK_STR(render("<a href=\"/region/@@link@@\">", &a),
	    "<a href=\"/region/us/new%20york/%3Ckings%3E\">");
	/* A lone @ and e-mail-like text are fine. */
	CHECK_STR(render("mail me @ example", &a), "mail me @ example");
	CHECK_STR(render("", &a), "");

	/* Load errors: say what and where. */
	CHECK_STR(render("a\n@@titel@@", &a), "(error: line 2: unknown key 'titel')");
	CHECK(starts(render("@@title", &a), "(error: line 1: malformed token"));
	CHECK(starts(render("@@Title@@", &a), "(error: line 1: malformed token"));
	CHECK(starts(render("@@ title@@", &a), "(error: line 1: malformed token"));
	CHECK(starts(render("a@@@title@@", &a), "(error: line 1: malformed token"));
	CHECK_STR(render("@@#rows@@x", &a), "(error: section 'rows' is never closed)");
	CHECK(starts(render("@@/rows@@", &a), "(error: line 1: @@/rows@@ closes no open section"));
	CHECK(starts(render("@@#rows@@@@#flag@@@@/rows@@@@/flag@@", &a),
	    "(error: line 1: @@/rows@@ closes no"));
	CHECK(strstr(render("@@#rows@@@@#rows@@@@#rows@@@@#rows@@@@#rows@@@@#rows@@"
	    "@@#rows@@@@#rows@@@@#rows@@", &a), "nested deeper") != NULL);
	/* Contexts where HTML escaping is not enough. */
	CHECK(strstr(render("<a href=@@title@@>", &a), "outside a quoted") != NULL);
	CHECK(strstr(render("<a @@title@@>", &a), "outside a quoted") != NULL);
	CHECK(strstr(render("<@@title@@>", &a), "after '<'") != NULL);
	CHECK(strstr(render("</@@title@@>", &a), "outside a quoted") != NULL ||
	    strstr(render("</@@title@@>", &a), "after '<'") != NULL);
	CHECK(strstr(render("<script>var x = \"@@title@@\";</script>", &a),
	    "<script>") != NULL);
	CHECK(strstr(render("<style>p{}@@title@@</style>", &a), "<script> or <style>") != NULL);
	CHECK(strstr(render("<!-- @@title@@ -->", &a), "comment") != NULL);
	CHECK(strstr(render("<b onclick=\"f('@@title@@')\">", &a), "event handler") != NULL);
	CHECK(strstr(render("<b style=\"color:@@title@@\">", &a), "style attribute") != NULL);
	CHECK(strstr(render("<a href=\"@@title@@\">", &a), "start of a URL") != NULL);
	CHECK(strstr(render("<img src='@@title@@'>", &a), "start of a URL") != NULL);
	/* Spaces around '=' and a quote that opens no value, as browsers read
	 * them (fuzz_template found both let a token through). */
	CHECK(strstr(render("<a href = \"@@title@@\">", &a), "start of a URL") != NULL);
	CHECK(strstr(render("<a href =\"@@title@@\">", &a), "start of a URL") != NULL);
	CHECK(strstr(render("<b onclick\n=\n'@@title@@'>", &a), "event handler") != NULL);
	CHECK(strstr(render("<b style= \"@@title@@\">", &a), "style attribute") != NULL);
	CHECK(strstr(render("<a\"@@title@@\">", &a), "outside a quoted") != NULL);
	CHECK(strstr(render("<a title x\"@@title@@\">", &a), "outside a quoted") != NULL);
	/* A vertical tab is no space in HTML: the value after it is unquoted. */
	CHECK(strstr(render("<a href=\v\"@@title@@\">", &a), "outside a quoted") != NULL);
	/* "</" before no letter and "<!" open a bogus comment up to '>', not
	 * a tag: a quote there opens nothing and no tag starts inside, so a
	 * '<' after it is text. */
	CHECK(strstr(render("</ x=\"><@@title@@", &a), "after '<'") != NULL);
	CHECK(strstr(render("<!x a=\"><@@title@@", &a), "after '<'") != NULL);
	CHECK(!starts(render("<!doctype html><p title=\"@@title@@\">@@title@@</p>", &a), "(error"));
	CHECK(strstr(render("</<m r='><@@title@@", &a), "after '<'") != NULL);
	CHECK(strstr(render("<!doctype @@title@@>", &a), "comment") != NULL);
	/* A script ends at "</script" before a space, '/' or '>' only. */
	CHECK(strstr(render("<script></script=\"@@title@@\">", &a), "<script> or <style>") != NULL);
	CHECK(strstr(render("<style></stylex>@@title@@", &a), "<script> or <style>") != NULL);
	CHECK(!starts(render("<style>p{}</STYLE >@@title@@<script></script\n>@@title@@", &a), "(error"));
	/* An end tag "</script>" starts no script. */
	CHECK(strstr(render("</script><a f=\"</script>\"@@title@@>", &a), "outside a quoted") != NULL);
	/* ... and where it is. */
	CHECK(!starts(render("<a href=\"/r/@@title@@\" title='@@title@@'>@@title@@</a>", &a), "(error"));
	CHECK(!starts(render("<a href = \"/r/@@title@@\" title\t=\t'@@title@@' x=1 title=\"@@title@@\">", &a), "(error"));
	CHECK(!starts(render("<script src=\"/s.js\"></script><p>@@title@@</p>", &a), "(error"));
	CHECK(!starts(render("<!-- c --><p>@@title@@</p><style>p{}</style>@@title@@", &a), "(error"));

	/* A stopped render and a NUL byte. */
	CHECK(tmpl_parse("t", "a\0b", 3, keys, K__MAX, err, sizeof err) == NULL);
	CHECK(strstr(err, "NUL") != NULL);
	/* Loading from disk: a missing file fails cleanly. */
	CHECK(tmpl_load("/nonexistent", "x.html", keys, K__MAX) == NULL);

	fuzz();
	membuf_free(&buf);
	return check_exit();
}
