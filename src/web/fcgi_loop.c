/* fcgi_loop: the FastCGI accept loop (see fcgi_loop.h). */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sys/uio.h>

#include <pthread.h>
#include <stdatomic.h>

#include <fcgiapp.h>

#include "base/log.h"
#include "base/numfmt.h"
#include "web/fcgi_loop.h"
#include "web/fcgi_records.h"
#include "web/metrics.h"
#include "web/page.h"

/* The request, reset every time round: static because it is large and
 * there is exactly one in flight per thread (one per process, but in a
 * program that asks for threads: fcgi_app.threads). */
static _Thread_local struct http_req req;

/* A response is gathered here whole when it fits (pages are 13-60 kB, a
 * full-history region page with its charts ~130 kB, the county map
 * 789 kB), for two reasons.
 * Pages write many small pieces (a cell, a tag): a memcpy each is cheaper
 * than a library call each. And a whole response can say how long it is:
 * with a Content-Length nginx passes the body on as it is, where without
 * one it re-frames it in chunks and sends the closing chunk in a write of
 * its own when the request ends (an extra write and TCP segment per page;
 * ~10 % of the CPU a dashboard request costs nginx and the client, see
 * bench/README.md). A larger response goes out in pieces of this size as
 * it is written, and nginx chunks it; exports never do (nginx sends them
 * from the cache with their length, or the worker sends a finished
 * temporary file with its Content-Length). Only the part of the buffer a
 * response touches becomes resident. */
enum { OUT_BUF = 1024 * 1024 };

/* What is larger than one of libfcgi's 8 kB records goes out through
 * fcgi_records: 64 kB records, one writev for a whole page. */
enum { DIRECT_MIN = 8 * 1024 };

struct out_ctx {
	FCGX_Stream     *stream;     /* NULL: stdout (CGI mode) */
	FCGX_Request    *fr;         /* the connection, for fcgi_records */
	struct http_req *r;
	size_t           len;        /* bytes waiting in buf */
	int              streaming;  /* some of the response has gone out */
	char             buf[OUT_BUF];
};

/* Sends the n pieces in order: small ones through libfcgi's stream,
 * large ones (after what the stream holds) straight to the connection. */
static int
out_send(struct out_ctx *c, const struct iovec *piece, int n)
{
	size_t total = 0;

	for (int i = 0; i < n; i++)
		total += piece[i].iov_len;
	if (c->stream == NULL) {
		for (int i = 0; i < n; i++)
			if (fwrite(piece[i].iov_base, 1, piece[i].iov_len, stdout) !=
			    piece[i].iov_len)
				return -1;
		return 0;
	}
	if (total >= DIRECT_MIN) {
		/* The connection and request id are FCGX_Request's fields
		 * (libfcgi's header asks callers to leave ipcFd alone; the
		 * stream has just been flushed, so nothing of its is pending and
		 * libfcgi's closing records still follow ours in order). */
		if (FCGX_FFlush(c->stream) != 0)
			return -1;
		return fcgi_records_write(c->fr->ipcFd, c->fr->requestId,
		    FCGI_RECORD_STDOUT, piece, n);
	}
	for (int i = 0; i < n; i++)
		if (FCGX_PutStr(piece[i].iov_base, (int)piece[i].iov_len,
		    c->stream) != (int)piece[i].iov_len)
			return -1;
	return 0;
}

static int
out_put(struct out_ctx *c, const char *buf, size_t len)
{
	struct iovec piece = { (void *)buf, len };

	return out_send(c, &piece, 1);
}

static int
out_flush(struct out_ctx *c)
{
	int rc = c->len > 0 ? out_put(c, c->buf, c->len) : 0;

	c->len = 0;
	return rc;
}

static int
out_write(void *ctx, const char *buf, size_t len)
{
	struct out_ctx *c = ctx;

	/* HEAD and 304: whatever a page writes after the headers goes nowhere. */
	if (c->r->discard_body)
		return 0;
	if (c->len + len > sizeof c->buf) {
		c->streaming = 1;
		if (out_flush(c) != 0)
			return -1;
	}
	if (len >= sizeof c->buf)
		return out_put(c, buf, len);
	memcpy(c->buf + c->len, buf, len);
	c->len += len;
	return 0;
}

/* Where the header block of the n bytes at p ends (the offset of its blank
 * line), or 0 when there is none or it already has a Content-Length. */
static size_t
header_end(const char *p, size_t n)
{
	static const char cl[] = "content-length:";

	for (size_t i = 0; i + 1 < n; ) {
		const char *nl = memchr(p + i, '\n', n - i);
		if (nl == NULL)
			return 0;
		if (n - i >= sizeof cl - 1 && strncasecmp(p + i, cl, sizeof cl - 1) == 0)
			return 0;
		if (nl == p + i + 1 && p[i] == '\r')
			return i;       /* "\r\n" alone: the blank line */
		i = (size_t)(nl - p) + 1;
	}
	return 0;
}

/* Sends what is gathered; a whole response with a body gets its length. */
static int
out_finish(struct out_ctx *c)
{
	static const char name[] = "Content-Length: ";
	char cl[sizeof name - 1 + FMT_INT_MAX + 2];
	size_t head, n;

	if (c->streaming || c->r->discard_body || c->len == 0 ||
	    (head = header_end(c->buf, c->len)) == 0)
		return out_flush(c);
	/* "Content-Length: N\r\n" before the blank line, put together by hand. */
	memcpy(cl, name, sizeof name - 1);
	n = sizeof name - 1;
	n += fmt_uint(cl + n, c->len - head - 2);
	memcpy(cl + n, "\r\n", 2);
	n += 2;
	struct iovec piece[3] = {
		{ c->buf, head }, { cl, n }, { c->buf + head, c->len - head },
	};
	c->len = 0;
	return out_send(c, piece, 3);
}

/* The request in hand, for fcgi_request_param and fcgi_request_body:
 * NULL in CGI mode (the environment and stdin) and between requests. */
static _Thread_local FCGX_Request *current;

const char *
fcgi_request_param(const char *name)
{
	return current != NULL ? FCGX_GetParam(name, current->envp) : getenv(name);
}

long
fcgi_request_body(char *buf, size_t cap)
{
	size_t got = 0;

	while (got < cap) {
		int want = cap - got > (size_t)INT_MAX ? INT_MAX : (int)(cap - got);
		int n;

		if (current != NULL)
			n = FCGX_GetStr(buf + got, want, current->in);
		else
			n = (int)fread(buf + got, 1, (size_t)want, stdin);
		if (n < 0 || (current == NULL && n == 0 && ferror(stdin)))
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (long)got;
}

static const char *
fcgx_param(const char *name, void *ctx)
{
	return FCGX_GetParam(name, ctx);
}

static const char *
env_param(const char *name, void *ctx)
{
	(void)ctx;
	return getenv(name);
}

/* The only thing a signal may do here: ask libfcgi to stop accepting. */
static void
on_term(int sig)
{
	(void)sig;
	FCGX_ShutdownPending();
}

static int
install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;   /* no SA_RESTART: accept() must return EINTR */
	if (sigaction(SIGTERM, &sa, NULL) != 0 || sigaction(SIGINT, &sa, NULL) != 0)
		return -1;
	sa.sa_handler = SIG_IGN;
	if (sigaction(SIGPIPE, &sa, NULL) != 0)
		return -1;
	return 0;
}

static void
serve(const struct fcgi_app *app, void *arg, struct out_ctx *c,
    const char *(*param)(const char *, void *), void *pctx, FCGX_Request *fr)
{
	struct sink out = { out_write, c, 0, 0 };
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	c->fr = fr;
	c->stream = fr != NULL ? fr->out : NULL;
	c->r = &req;
	c->len = 0;
	c->streaming = 0;

	http_req_reset(&req);
	http_parse(&req, app->keys, app->nkeys, param, pctx);
	app->handle(&req, &out, arg);
	if (req.status == 0) {
		log_err("%s: %s answered nothing", app->name, req.path);
		error_page(&req, &out, 500, NULL, 0);
	}
	if (out_finish(c) != 0)
		out.failed = 1;
	if (out.failed)
		log_info("%s: %s: the client went away", app->name, req.path);
	/* Counted for /metrics, in a file every worker shares (metrics.h). */
	metrics_request(app->name, req.path, req.status, &t0,
	    req.discard_body ? 0 : out.bytes);
}

/* One thread's requests until libfcgi stops accepting (SIGTERM). */
static void
accept_loop(const struct fcgi_app *app, void *arg, struct out_ctx *c)
{
	FCGX_Request fr;

	if (FCGX_InitRequest(&fr, 0, 0) != 0) {
		log_err("%s: cannot initialise a libfcgi request", app->name);
		return;
	}
	while (FCGX_Accept_r(&fr) >= 0) {
		current = &fr;
		serve(app, arg, c, fcgx_param, fr.envp, &fr);
		current = NULL;
		FCGX_Finish_r(&fr);
	}
	FCGX_Free(&fr, 1);
}

struct worker {
	const struct fcgi_app *app;
	int                    index;
	pthread_t              thread;
	atomic_int             done;
	struct out_ctx        *c;
};

static void *
worker_main(void *arg)
{
	struct worker *w = arg;

	accept_loop(w->app, w->app->thread_arg(w->app->arg, w->index), w->c);
	atomic_store(&w->done, 1);
	return NULL;
}

/* SIGTERM reaches one thread; the others sit in accept(), which only a
 * signal of their own interrupts (libfcgi then sees the shutdown pending
 * and returns). One that was not yet in accept() when its signal came is
 * signalled again until it has finished. */
static void
stop_workers(struct worker *w, int n)
{
	struct timespec tick = { 0, 50 * 1000000L };

	for (;;) {
		int running = 0;
		for (int i = 0; i < n; i++)
			if (!atomic_load(&w[i].done)) {
				pthread_kill(w[i].thread, SIGTERM);
				running = 1;
			}
		if (!running)
			break;
		nanosleep(&tick, NULL);
	}
	for (int i = 0; i < n; i++)
		pthread_join(w[i].thread, NULL);
}

/* app->threads threads, the calling one the first of them. */
static int
serve_threads(const struct fcgi_app *app, struct out_ctx *first)
{
	int n = app->threads - 1, started = 0;
	struct worker *w = calloc((size_t)n, sizeof *w);

	if (w == NULL)
		return 1;
	for (; started < n; started++) {
		w[started].app = app;
		w[started].index = started + 1;
		if ((w[started].c = malloc(sizeof *w[started].c)) == NULL ||
		    pthread_create(&w[started].thread, NULL, worker_main, &w[started]) != 0) {
			free(w[started].c);
			log_err("%s: cannot start thread %d", app->name, started + 1);
			break;
		}
	}
	if (started == n)
		accept_loop(app, app->thread_arg(app->arg, 0), first);
	FCGX_ShutdownPending();
	stop_workers(w, started);
	for (int i = 0; i < started; i++)
		free(w[i].c);
	free(w);
	return started == n ? 0 : 1;
}

int
fcgi_loop(const struct fcgi_app *app)
{
	static struct out_ctx c;
	int rc = 0;

	if (install_signals() != 0) {
		log_err("%s: sigaction: %s", app->name, strerror(errno));
		return 1;
	}
	if (FCGX_IsCGI()) {
		/* Run by hand: one request from the environment. */
		serve(app, app->thread_arg ? app->thread_arg(app->arg, 0) : app->arg,
		    &c, env_param, NULL, NULL);
		return fflush(stdout) == 0 ? 0 : 1;
	}
	if (FCGX_Init() != 0) {
		log_err("%s: cannot initialise libfcgi", app->name);
		return 1;
	}
	/* Opened now, before any thread can race to open it. */
	metrics_process();
	log_info("%s: ready", app->name);
	if (app->threads > 1 && app->thread_arg != NULL)
		rc = serve_threads(app, &c);
	else
		accept_loop(app, app->arg, &c);
	log_info("%s: shutting down", app->name);
	return rc;
}
