/* intake_commit: group commit for a writer process with threads.
 *
 * A transaction costs far more than the rows in it (SQLite's locks, the
 * WAL frames of every page it touched, the checkpoints), and the writers'
 * requests are small (one case each, typically). So the request threads
 * commit in groups, led in turn: a thread that finds no commit under way
 * leads one at once (its own job, and any queued); one that finds a commit
 * under way queues its job and sleeps. When a leader has committed it wakes
 * each thread of its group and hands the lead to the first queued
 * meanwhile, which commits everything queued by then. Every job is in one
 * transaction, under a savepoint of its own (intake_db_store_jobs), and a
 * 201 goes out only after its rows are committed. Under light load a group
 * is one request and costs no extra thread switch; under heavy load it is
 * as many as arrived during the previous commit. No thread of its own: a
 * dedicated committer thread costs every request two more thread switches;
 * on this machine it took as much CPU per case as one transaction per
 * request (140 us), where leading in turn takes 116 (bench/README.md). */
#ifndef COVID_INTAKE_COMMIT_H
#define COVID_INTAKE_COMMIT_H

#include "intake/intake_db.h"
#include "intake/intake_live.h"

struct intake_committer;

/* A committer with its own connection to the database at path (sync:
 * "NORMAL" or "FULL"), telling pub (may be NULL) after each commit that
 * stored something. NULL after logging when it cannot open or start. */
struct intake_committer *intake_committer_open(const char *path,
    const char *sync, struct live_publisher *pub);
/* Stores the job in the next group; returns when its transaction has
 * ended, with j->result and j->ids set. Safe from any thread. */
void intake_commit(struct intake_committer *c, struct intake_job *j);
/* Frees it, once no thread can be committing. */
void intake_committer_close(struct intake_committer *c);

/* What this committer has done (the process's own; /metrics sums every
 * worker's, with the commits' durations, from the shared file). */
struct intake_commit_stats {
	unsigned long long commits, jobs, max_group;
};
void intake_committer_stats(struct intake_committer *c,
    struct intake_commit_stats *out);

#endif
