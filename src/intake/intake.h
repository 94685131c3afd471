/* intake: the case-report program's state and its handlers (issue 16):
 * POST /api/v1/cases (writers), GET /api/v1/cases (readers: full records),
 * /live (the public page). The program runs in two pools: the writers'
 * (intake.sock) and the readers' (live.sock), so that a flood of writes
 * never queues a page behind it; cgi-bin/intake.c routes. */
#ifndef COVID_INTAKE_H
#define COVID_INTAKE_H

#include "base/arena.h"
#include "intake/intake_case.h"
#include "intake/intake_commit.h"
#include "intake/intake_db.h"
#include "intake/intake_live.h"
#include "intake/intake_tokens.h"
#include "web/http.h"
#include "web/template.h"

enum intake_key { K_CURSOR, K_LIMIT, K__MAX };
extern const struct http_key intake_keys[K__MAX];

/* One per thread (cgi-bin/intake.c copies it for each): the pointers above
 * the blank line are the process's, shared and read-only; the rest is the
 * thread's own. */
struct intake_app {
	const char              *db_path;    /* COVID_CASES_DB */
	const char              *sync;       /* "NORMAL" or "FULL" */
	const char              *pool_name;  /* COVID_INTAKE_POOL, or NULL */
	struct intake_tokens     writers, readers;
	struct live_publisher   *pub;        /* NULL: publishing off */
	struct tmpl             *live_tmpl;
	struct intake_committer *committer;  /* with threads; else NULL */

	struct intake_db      *db;           /* opened on first use */
	struct arena           arena;        /* reset every request */
	char                  *body;         /* INTAKE_MAX_BODY + 1 bytes */
	struct intake_batch    batch;
	/* The request's headers and body (web/fcgi_loop.h's, or a test's). */
	const char *(*param)(const char *name);
	long        (*read_body)(char *buf, size_t cap);
};

/* The database, opened when it is not (a worker may start before the
 * disk is ready); NULL after logging. */
struct intake_db *intake_open_db(struct intake_app *a);

/* The handlers; each answers (headers and body). */
void intake_post_cases(struct intake_app *a, struct http_req *r, struct sink *out);
void intake_get_cases(struct intake_app *a, struct http_req *r, struct sink *out);
void intake_live_page(struct intake_app *a, struct http_req *r, struct sink *out);
int  intake_live_init(struct intake_app *a);

/* RFC 9457 problem+json with status and detail (a fixed text from the
 * program); b's faults as "errors" when b is not NULL. */
void intake_problem(struct http_req *r, struct sink *out, int status,
    const char *detail, const struct intake_batch *b);

/* Who the request's bearer token names in ts: its name, or NULL after
 * answering 401 (no token, or not a known one) or 403 (a known token of
 * the other kind, in other). */
const char *intake_auth(struct intake_app *a, struct http_req *r,
    struct sink *out, const struct intake_tokens *ts,
    const struct intake_tokens *other);

#endif
