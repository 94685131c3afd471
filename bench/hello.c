/* hello: the reference FastCGI program for the benchmark. It does the least a
 * libfcgi program can do per request (accept, write a fixed small page,
 * finish), so its throughput behind nginx is the protocol's ceiling that the
 * portal's figures are measured against.
 *
 * Started like the portal: spawn-fcgi hands it the listening socket as fd 0.
 * SIGTERM finishes the request in hand and exits: the handler only tells
 * libfcgi to stop, and without SA_RESTART the blocked accept() returns.
 * The tests build a second copy with -DHELLO_NAME='"export"' to see which
 * pool nginx routed a request to. */
#include <signal.h>
#include <string.h>

#include <fcgiapp.h>

#ifndef HELLO_NAME
#define HELLO_NAME "hello"
#endif

static const char page[] =
	"Status: 200 OK\r\n"
	"Content-Type: text/html; charset=utf-8\r\n"
	"\r\n"
	"<!doctype html>\n"
	"<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" HELLO_NAME "</title></head>\n"
	"<body><h1>Hello, world</h1><p>The FastCGI ceiling.</p></body></html>\n";

static void
on_term(int sig)
{
	(void)sig;
	FCGX_ShutdownPending();
}

int
main(void)
{
	struct sigaction sa;
	FCGX_Request req;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) == -1 || sigaction(SIGINT, &sa, NULL) == -1)
		return 1;
	signal(SIGPIPE, SIG_IGN);   /* a client gone mid-write is not fatal */

	if (FCGX_Init() != 0 || FCGX_InitRequest(&req, 0, 0) != 0)
		return 1;
	while (FCGX_Accept_r(&req) >= 0) {
		/* A failed write means nginx went away; nothing to do but finish. */
		(void)FCGX_PutStr(page, (int)(sizeof page - 1), req.out);
		FCGX_Finish_r(&req);
	}
	FCGX_Free(&req, 1);
	return 0;
}
