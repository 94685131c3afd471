/* store_tx: transactions, batches, and their steps (savepoints). */
#include <time.h>

#include "base/log.h"
#include "store/store_impl.h"

/* ---- transactions ----
 *
 * Every change is a step: the lookup table, a date, a file's log row. Out
 * of a batch a step is a transaction of its own (BEGIN IMMEDIATE ...
 * COMMIT). In a batch (store_batch_begin) the first step opens the
 * transaction and each step is a SAVEPOINT in it, released when the step
 * succeeds and rolled back alone when it fails; store_batch_commit commits
 * them all at once. Every commit also writes the run's counters from its
 * file log (ST_RUN_PROGRESS), so ingest_run commits with the rows it counts.
 *
 * A rollback may remove locations the cache holds and rows whose counts the
 * places remember: the cache is reloaded (loc_stale), which forgets them.
 * SQLite itself may roll the whole transaction back on some errors (I/O, a
 * full disk, no memory): then the steps a batch had committed to it are
 * lost, and tx_lost makes store_batch_due and store_batch_commit say so. */

/* After a rollback, whoever made it: the batch's committed steps are lost
 * and the location cache may name rows that are gone. */
static void
tx_forget(struct store *s)
{
	if (s->batching && s->tx_steps > 0)
		s->tx_lost = 1;
	s->tx_open = 0;
	s->tx_steps = 0;
	s->tx_rows = 0;
	s->in_step = 0;
	s->loc_stale = 1;
}

/* Notices a transaction SQLite rolled back by itself. */
static void
tx_check(struct store *s)
{
	if (s->tx_open && sqlite3_get_autocommit(s->db))
		tx_forget(s);
}

void
store_tx_rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		store_exec(s, ST_ROLLBACK, "rolling back");
	tx_forget(s);
}

static int
tx_commit(struct store *s)
{
	if (s->run_id > 0) {
		sqlite3_bind_int64(s->st[ST_RUN_PROGRESS], 1, s->run_id);
		if (store_exec(s, ST_RUN_PROGRESS,
		    "recording the run's counters") != 0)
			goto err;
	}
	if (store_exec(s, ST_COMMIT, "committing") != 0)
		goto err;
	s->tx_open = 0;
	s->tx_steps = 0;
	s->tx_rows = 0;
	return 0;
err:
	store_tx_rollback(s);
	return -1;
}

/* Undoes the step in progress (and, out of a batch, its transaction). */
void
store_step_undo(struct store *s)
{
	tx_check(s);
	if (s->tx_open && s->batching && s->in_step) {
		s->in_step = 0;
		if (store_exec(s, ST_ROLLBACK_TO, "rolling back a step") == 0 &&
		    store_exec(s, ST_RELEASE, "closing a step") == 0) {
			s->loc_stale = 1;
			return;
		}
	}
	store_tx_rollback(s);
}

int
store_step_begin(struct store *s)
{
	tx_check(s);
	if (s->in_step) {
		log_err("store: a step is already open");
		return -1;
	}
	if (!s->tx_open) {
		if (store_exec(s, ST_BEGIN, "beginning a transaction") != 0)
			return -1;
		s->tx_open = 1;
		clock_gettime(CLOCK_MONOTONIC, &s->tx_t0);
	}
	if (s->batching) {
		if (store_exec(s, ST_SAVEPOINT, "opening a step") != 0) {
			store_step_undo(s);
			return -1;
		}
		s->in_step = 1;
	}
	if (store_loc_fresh(s) != 0) {
		store_step_undo(s);
		return -1;
	}
	return 0;
}

/* The step succeeded: released into the batch, or committed. */
int
store_step_end(struct store *s)
{
	if (!s->batching)
		return tx_commit(s);
	s->in_step = 0;
	if (store_exec(s, ST_RELEASE, "closing a step") != 0) {
		store_tx_rollback(s);
		return -1;
	}
	s->tx_steps++;
	return 0;
}

static double
seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (t1.tv_nsec - t0->tv_nsec) / 1e9;
}

int
store_batch_begin(struct store *s, long long max_rows, double max_seconds)
{
	if (s->in_step || s->tx_open) {
		log_err("store: a batch begins inside a transaction");
		return -1;
	}
	s->batching = 1;
	s->batch_max_rows = max_rows;
	s->batch_max_s = max_seconds;
	s->tx_lost = 0;
	return 0;
}

int
store_batch_due(struct store *s)
{
	if (!s->batching || s->in_step)
		return 0;
	tx_check(s);
	if (s->tx_lost)
		return 1;
	if (!s->tx_open || s->tx_steps == 0)
		return 0;
	return s->tx_rows >= s->batch_max_rows ||
	    seconds_since(&s->tx_t0) >= s->batch_max_s;
}

int
store_batch_commit(struct store *s)
{
	if (s->in_step) {
		log_err("store: batch commit inside a step");
		return -1;
	}
	tx_check(s);
	if (s->tx_lost) {
		s->tx_lost = 0;
		log_err("store: the batch was rolled back after an error");
		return -1;
	}
	if (!s->tx_open)
		return 0;
	return tx_commit(s);
}

int
store_batch_end(struct store *s)
{
	int rc = store_batch_commit(s);

	s->batching = 0;
	return rc;
}

