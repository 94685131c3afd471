/* intake_commit: group commit (see intake_commit.h). */
#include <stdlib.h>
#include <time.h>

#include <pthread.h>

#include "base/log.h"
#include "intake/intake_commit.h"
#include "web/metrics.h"

/* A job waiting, on its caller's stack, with the condition its caller
 * waits on: each is woken alone, when its group has committed or when it
 * is to lead the next group. */
struct waiting {
	struct intake_job *job;
	struct waiting    *next;
	pthread_cond_t     cv;
	int                done, lead;
};

/* At most this many jobs in one transaction: a group is bounded by the
 * threads anyway, this bounds the array the leader keeps. */
enum { GROUP_MAX = 256 };

struct intake_committer {
	struct intake_db           *db;     /* used by the leader alone */
	struct live_publisher      *pub;
	pthread_mutex_t             mu;
	struct waiting             *head, **tail;
	int                         busy;   /* a leader is committing */
	struct intake_commit_stats  stats;
};

static double
now_seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Takes up to GROUP_MAX waiting jobs off the queue (under the lock). */
static size_t
take_group(struct intake_committer *c, struct waiting **group)
{
	size_t n = 0;

	while (c->head != NULL && n < GROUP_MAX) {
		group[n++] = c->head;
		c->head = c->head->next;
	}
	if (c->head == NULL)
		c->tail = &c->head;
	return n;
}

/* The leader's work (called with the lock held, returns with it held):
 * every job queued, its own first among them, in one transaction; then
 * each woken, and the first job queued meanwhile made the next leader. */
static void
lead(struct intake_committer *c)
{
	struct waiting *group[GROUP_MAX];
	struct intake_job jobs[GROUP_MAX];
	size_t n = take_group(c, group), stored;
	double t0, seconds;

	pthread_mutex_unlock(&c->mu);
	/* Copies: the transaction works on an array of its own. */
	for (size_t i = 0; i < n; i++)
		jobs[i] = *group[i]->job;
	t0 = now_seconds();
	stored = intake_db_store_jobs(c->db, jobs, n);
	seconds = now_seconds() - t0;
	if (stored > 0)
		live_changed(c->pub);
	metrics_commit(metrics_process(), n, seconds);
	pthread_mutex_lock(&c->mu);
	c->stats.commits++;
	c->stats.jobs += n;
	if (n > c->stats.max_group)
		c->stats.max_group = n;
	for (size_t i = 0; i < n; i++) {
		*group[i]->job = jobs[i];
		group[i]->done = 1;
		pthread_cond_signal(&group[i]->cv);
	}
	if (c->head != NULL) {
		c->head->lead = 1;
		pthread_cond_signal(&c->head->cv);
	} else
		c->busy = 0;
}

struct intake_committer *
intake_committer_open(const char *path, const char *sync,
    struct live_publisher *pub)
{
	struct intake_committer *c = calloc(1, sizeof *c);

	if (c == NULL)
		return NULL;
	c->pub = pub;
	c->tail = &c->head;
	if ((c->db = intake_db_open(path, sync)) == NULL) {
		free(c);
		return NULL;
	}
	if (pthread_mutex_init(&c->mu, NULL) != 0) {
		log_err("intake: cannot set up the committer");
		intake_db_close(c->db);
		free(c);
		return NULL;
	}
	return c;
}

void
intake_commit(struct intake_committer *c, struct intake_job *j)
{
	struct waiting w = { j, NULL, PTHREAD_COND_INITIALIZER, 0, 0 };

	pthread_mutex_lock(&c->mu);
	*c->tail = &w;
	c->tail = &w.next;
	/* No commit under way: this thread leads one, now. Else it waits for
	 * the leader to commit it or to hand it the lead. */
	if (!c->busy) {
		c->busy = 1;
		w.lead = 1;
	}
	while (!w.done && !w.lead)
		pthread_cond_wait(&w.cv, &c->mu);
	if (!w.done)
		lead(c);
	pthread_mutex_unlock(&c->mu);
	pthread_cond_destroy(&w.cv);
}

void
intake_committer_close(struct intake_committer *c)
{
	if (c == NULL)
		return;
	/* The threads that commit have stopped: nothing is queued. */
	pthread_mutex_destroy(&c->mu);
	intake_db_close(c->db);
	free(c);
}

void
intake_committer_stats(struct intake_committer *c, struct intake_commit_stats *out)
{
	pthread_mutex_lock(&c->mu);
	*out = c->stats;
	pthread_mutex_unlock(&c->mu);
}
