/* intake_db: cases.db, the intake's own SQLite database (issue 16): storing
 * a batch of case reports in one transaction with its Idempotency-Key,
 * reading them back in pages for readers, and the figures /live shows.
 *
 * Durability (docs/intake.md): WAL, and synchronous as the caller chose
 * (COVID_CASES_SYNC). With NORMAL, a 201 survives a crash of the program,
 * nginx or the machine's processes, but a power loss or kernel crash can
 * undo the transactions committed since the WAL was last synced (at most
 * the last checkpoint's worth: seconds of intake); with FULL nothing that
 * got a 201 is lost, at one fsync per request. */
#ifndef COVID_INTAKE_DB_H
#define COVID_INTAKE_DB_H

#include <stddef.h>

#include "base/arena.h"
#include "intake/intake_case.h"

struct intake_db;

/* Opens (creating and migrating) path read-write; sync is "NORMAL" or
 * "FULL". NULL after logging why. */
struct intake_db *intake_db_open(const char *path, const char *sync);
void intake_db_close(struct intake_db *d);

enum intake_store_result {
	INTAKE_STORE_FAILED = -1,   /* nothing stored (logged) */
	INTAKE_STORED       = 0,    /* committed; ids are the new rows' */
	INTAKE_REPLAYED     = 1,    /* the key was used for this body: its ids */
	INTAKE_KEY_CONFLICT = 2,    /* the key was used for another body */
};

/* One request's cases to store: a job of a group commit. */
struct intake_job {
	const char                 *writer;       /* the token's name */
	const char                 *key;          /* Idempotency-Key, or NULL */
	const char                 *body_sha256;  /* with a key: the body's digest */
	const struct intake_batch  *batch;
	struct arena               *arena;        /* where ids go */
	const char                 *ids;          /* out: "[1,2,3]" */
	enum intake_store_result    result;       /* out */
};

/* Stores the n jobs in one transaction, each all or none (a savepoint
 * each: one that fails, or whose key was used, leaves the others alone),
 * and sets each one's result and ids. A failed commit fails them all.
 * Returns how many were stored, when the transaction has ended. */
size_t intake_db_store_jobs(struct intake_db *d, struct intake_job *jobs, size_t n);

/* Stores b's cases from writer in one transaction (all or none), with the
 * idempotency key when key is not NULL (body_sha256: the body's digest).
 * *ids is the JSON array of the ids ("[1,2,3]", arena memory). Returns
 * when the transaction has committed or rolled back. */
enum intake_store_result intake_db_store(struct intake_db *d, const char *writer,
    const char *key, const char *body_sha256, const struct intake_batch *b,
    struct arena *a, const char **ids);

/* One stored case, for readers. */
struct intake_row {
	long long   id;
	const char *name, *location, *infectedtype, *state, *reported_at,
	            *received_at, *writer;
	int         age;
};

/* The cases with id > after, oldest first, at most limit of them, each
 * handed to fn (its strings valid during the call). Returns how many, or
 * -1 after logging. */
long intake_db_page(struct intake_db *d, long long after, int limit,
    void (*fn)(const struct intake_row *row, void *arg), void *arg);

/* What /live shows. Names never enter it. */
enum { LIVE_TOP_AREAS = 8, LIVE_LAST = 5 };
struct live_count {
	const char *key;
	long long   n;
};
struct live_case {
	long long   id;
	const char *location;
	int         age_band;
	const char *infectedtype, *state, *received_at;
};
struct live_figures {
	long long         total;
	long long         last_id;            /* the newest case's id, 0: none */
	struct live_count areas[LIVE_TOP_AREAS + 1];   /* top 8, then "other" */
	size_t            nareas;
	long long         other;              /* the cases beyond the top 8 */
	long long         age[INTAKE_AGE_BANDS];
	long long        *by_type;            /* per intake_infectedtypes */
	long long        *by_state;           /* per intake_states */
	struct live_case  last[LIVE_LAST];    /* newest first */
	size_t            nlast;
};

/* Reads the figures in one read transaction (arena memory). 0, or -1. */
int intake_db_figures(struct intake_db *d, struct arena *a, struct live_figures *f);

#endif
