/* test_intake_commit: group commit. In one transaction each request is all
 * or none (a failing one leaves the others stored); from many threads at
 * once every case is stored exactly once with ids of its own, a key used by
 * every thread stores once and replays the rest, and a key reused for
 * another body is refused. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "check.h"
#include "db_fixture.h"

#include "intake/intake_commit.h"
#include "web/metrics.h"

enum { THREADS = 8, JOBS = 40 };

static const struct intake_case lima = { "Ann", "Lima", 35, 0, 0, "" };
static const struct intake_case cusco = { "Bo", "Cusco", 85, 1, 1, "" };
/* Against the table's CHECK (age 0..120): only the parser keeps it out. */
static const struct intake_case too_old = { "Cy", "Lima", 121, 0, 0, "" };

struct worker {
	struct intake_committer *c;
	int                      index;
	struct arena             arena;
	struct intake_case       pair[2];
	struct intake_batch      one, two;
	struct intake_job        jobs[JOBS + 2];
	char                     keys[JOBS][16];
};

/* JOBS requests, one or two cases each, every other one with a key of its
 * own; then the key every thread sends with the same body, and the key
 * every thread sends with a body of its own. */
static void *
work(void *arg)
{
	struct worker *w = arg;
	char *sha = arena_alloc(&w->arena, 8);

	w->pair[0] = lima;
	w->pair[1] = cusco;
	w->one = (struct intake_batch){ .cases = (struct intake_case *)&lima, .n = 1 };
	w->two = (struct intake_batch){ .cases = w->pair, .n = 2 };
	snprintf(sha, 8, "body%d", w->index);
	for (int k = 0; k < JOBS + 2; k++) {
		struct intake_job *j = &w->jobs[k];

		*j = (struct intake_job){ "w", NULL, "same", k % 3 ? &w->one : &w->two,
		    &w->arena, NULL, INTAKE_STORE_FAILED };
		if (k < JOBS && k % 2) {
			snprintf(w->keys[k], sizeof w->keys[k], "t%d-%d", w->index, k);
			j->key = w->keys[k];
		} else if (k == JOBS)
			j->key = "shared";
		else if (k == JOBS + 1) {
			j->key = "clash";
			j->body_sha256 = sha;
		}
		intake_commit(w->c, j);
	}
	return NULL;
}

/* Adds the ids in a "[1,2]" list to seen; -1 when one was seen already. */
static int
note_ids(const char *ids, unsigned char *seen, long max)
{
	for (const char *p = ids; p != NULL && *p; p++) {
		char *end;
		long id = strtol(p, &end, 10);
		if (end == p)
			continue;
		if (id < 1 || id > max || seen[id]++)
			return -1;
		p = end - 1;
	}
	return 0;
}

int
main(void)
{
	char dir[] = "/tmp/test_intake_commit.XXXXXX", path[128];
	static struct worker w[THREADS];
	pthread_t t[THREADS];
	struct intake_db *d;
	struct intake_committer *c;
	struct intake_commit_stats st;
	struct arena a = { 0 };
	unsigned char *seen;
	long cases = 0, stored = 0, replayed = 0, refused = 0, failed = 0, dup = 0;
	const char *first_shared = NULL;
	int same_shared = 1;
	sqlite3 *raw;
	char mpath[160], want[96];
	struct metrics_file *mf;
	struct membuf text = { 0 };
	struct sink ts = membuf_sink(&text);

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof path, "%s/cases.db", dir);

	/* One transaction, three requests, the middle one failing. */
	/* The commits are counted in a metrics file of the test's own. */
	snprintf(mpath, sizeof mpath, "%s/metrics.shm", dir);
	setenv("COVID_METRICS_FILE", mpath, 1);
	CHECK((d = intake_db_open(path, "NORMAL")) != NULL);
	{
		struct intake_batch ok1 = { .cases = (struct intake_case *)&lima, .n = 1 };
		struct intake_case bad_pair[2];
		struct intake_batch bad = { .cases = bad_pair, .n = 2 };
		struct intake_batch ok2 = { .cases = (struct intake_case *)&cusco, .n = 1 };
		struct intake_job jobs[3] = {
			{ "w", NULL, "", &ok1, &a, NULL, INTAKE_STORE_FAILED },
			{ "w", "k-bad", "x", &bad, &a, NULL, INTAKE_STORE_FAILED },
			{ "w", "k-ok", "y", &ok2, &a, NULL, INTAKE_STORE_FAILED },
		};

		bad_pair[0] = cusco;     /* stored first, then undone */
		bad_pair[1] = too_old;
		CHECK_INT(intake_db_store_jobs(d, jobs, 3), 2);
		CHECK_INT(jobs[0].result, INTAKE_STORED);
		CHECK_INT(jobs[1].result, INTAKE_STORE_FAILED);
		CHECK(jobs[1].ids == NULL);
		CHECK_INT(jobs[2].result, INTAKE_STORED);
		CHECK_STR(jobs[0].ids, "[1]");
		CHECK(strcmp(jobs[2].ids, "[2]") == 0 || strcmp(jobs[2].ids, "[3]") == 0);
	}
	intake_db_close(d);
	CHECK_INT(sqlite3_open(path, &raw), SQLITE_OK);
	CHECK_INT(db_fixture_scalar(raw, "SELECT count(*) FROM cases"), 2);
	CHECK_INT(db_fixture_scalar(raw, "SELECT count(*) FROM cases WHERE age = 121"), 0);
	/* The failed request's key was not kept: a retry may store it. */
	CHECK_INT(db_fixture_scalar(raw, "SELECT count(*) FROM idempotency WHERE key = 'k-bad'"), 0);
	CHECK_INT(db_fixture_scalar(raw, "SELECT n FROM live_counts WHERE dim = 'total'"), 2);
	sqlite3_close(raw);

	/* Many threads at once. */
	CHECK((c = intake_committer_open(path, "NORMAL", NULL)) != NULL);
	for (int i = 0; i < THREADS; i++) {
		w[i].c = c;
		w[i].index = i;
		CHECK_INT(pthread_create(&t[i], NULL, work, &w[i]), 0);
	}
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	intake_committer_stats(c, &st);
	intake_committer_close(c);

	CHECK((seen = calloc(100000, 1)) != NULL);
	for (int i = 0; i < THREADS; i++)
		for (int k = 0; k < JOBS + 2; k++) {
			const struct intake_job *j = &w[i].jobs[k];
			switch (j->result) {
			case INTAKE_STORED:
				stored++;
				cases += (long)j->batch->n;
				if (note_ids(j->ids, seen, 99999) != 0)
					dup++;
				if (k == JOBS)
					first_shared = j->ids;
				break;
			case INTAKE_REPLAYED:    replayed++; break;
			case INTAKE_KEY_CONFLICT: refused++; break;
			default:                 failed++; break;
			}
		}
	for (int i = 0; i < THREADS; i++)
		if (first_shared == NULL || w[i].jobs[JOBS].ids == NULL ||
		    strcmp(w[i].jobs[JOBS].ids, first_shared) != 0)
			same_shared = 0;
	CHECK_INT(failed, 0);
	CHECK_INT(dup, 0);
	/* Each thread's JOBS, the shared key once, the clashing key once. */
	CHECK_INT(stored, THREADS * JOBS + 2);
	CHECK_INT(replayed, THREADS - 1);
	CHECK_INT(refused, THREADS - 1);
	CHECK(same_shared);
	CHECK_INT((long)st.jobs, THREADS * (JOBS + 2));
	CHECK(st.commits >= 1 && st.commits <= st.jobs);
	CHECK(st.max_group >= 1 && st.max_group <= THREADS);
	printf("# %llu jobs in %llu commits, at most %llu in one\n", st.jobs,
	    st.commits, st.max_group);

	/* /metrics: every commit, and the requests in them. */
	CHECK((mf = metrics_open(mpath)) != NULL);
	metrics_expose(mf, &ts);
	sink_write(&ts, "", 1);
	snprintf(want, sizeof want, "\ncovid_intake_commit_requests_sum %llu\n", st.jobs);
	CHECK(text.data != NULL && strstr(text.data, want) != NULL);
	snprintf(want, sizeof want, "\ncovid_intake_commit_requests_count %llu\n", st.commits);
	CHECK(text.data != NULL && strstr(text.data, want) != NULL);
	snprintf(want, sizeof want, "\ncovid_intake_commit_duration_seconds_count %llu\n",
	    st.commits);
	CHECK(text.data != NULL && strstr(text.data, want) != NULL);
	metrics_close(mf);
	membuf_free(&text);
	unlink(mpath);

	CHECK_INT(sqlite3_open(path, &raw), SQLITE_OK);
	CHECK_INT(db_fixture_scalar(raw, "SELECT count(*) FROM cases"), 2 + cases);
	CHECK_INT(db_fixture_scalar(raw, "SELECT n FROM live_counts WHERE dim = 'total'"), 2 + cases);
	CHECK_INT(db_fixture_scalar(raw, "SELECT count(*) FROM idempotency"),
	    1 + THREADS * (JOBS / 2) + 2);
	sqlite3_close(raw);

	for (int i = 0; i < THREADS; i++)
		arena_free(&w[i].arena);
	arena_free(&a);
	free(seen);
	unlink(path);
	snprintf(path, sizeof path, "%s/cases.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/cases.db-shm", dir);
	unlink(path);
	rmdir(dir);
	return check_exit();
}
