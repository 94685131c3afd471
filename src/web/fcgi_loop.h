/* fcgi_loop: the accept loop every FastCGI program here shares (libfcgi,
 * pre-forked single-threaded workers started by spawn-fcgi or systemd).
 * Each time round it resets one struct http_req, parses the request into it
 * and hands the program a sink that writes with FCGX_PutStr (a response
 * over 8 kB: as 64 kB records straight to the connection, fcgi_records.h).
 * SIGTERM (and SIGINT) finish the request in hand and make the loop
 * return; SIGPIPE is ignored, so a client that went away is a failed
 * write, not a dead worker.
 * Started outside FastCGI (from a shell, as CGI) it answers one request from
 * the environment on stdout, which helps debugging.
 *
 * A program may ask for threads (the intake's writers do, so that their
 * commits can be grouped): each thread accepts and serves requests on its
 * own, with its own request, response buffer and handler argument. */
#ifndef COVID_FCGI_LOOP_H
#define COVID_FCGI_LOOP_H

#include "web/http.h"

struct fcgi_app {
	const char            *name;    /* for log lines */
	const struct http_key *keys;    /* the program's query keys */
	size_t                 nkeys;
	/* Answers one request. It must send headers (http_headers or
	 * error_page); the loop sends a 500 when it did not. */
	void (*handle)(struct http_req *r, struct sink *out, void *arg);
	void                  *arg;
	/* Threads (0 or 1: none but the caller's). With more, thread_arg
	 * gives each thread i (0 the caller's) the arg its handler gets, and
	 * the handler must be safe to run in several threads at once. */
	int                    threads;
	void                *(*thread_arg)(void *arg, int i);
};

/* During a request (the calling thread's): one of its CGI parameters (a header is HTTP_NAME:
 * "HTTP_AUTHORIZATION"), or NULL. Programs that take more than the query
 * string (the intake: its body's type and length, the token) read it here. */
const char *fcgi_request_param(const char *name);
/* During a request: reads its body into buf, at most cap bytes. Returns the
 * bytes read (fewer than cap only at the body's end), or -1 when the
 * stream failed. A body longer than cap is left unread: the caller asks
 * for cap + 1 bytes to tell "too large" from "exactly cap". */
long fcgi_request_body(char *buf, size_t cap);

/* Serves requests until told to stop. Returns the process exit status. */
int fcgi_loop(const struct fcgi_app *app);

#endif
