/* test_intake_db: cases.db: a batch is stored whole with its ids, an
 * Idempotency-Key replays or refuses, the figures follow every commit,
 * readers page through by cursor, and the synchronous setting is applied. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "check.h"
#include "db_fixture.h"

#include "intake/intake_db.h"

static struct arena arena;
static struct intake_batch batch;

static int
parse(const char *body)
{
	return intake_parse(body, strlen(body), time(NULL), &arena, &batch);
}

struct seen { char names[256]; long n; };

static void
collect(const struct intake_row *r, void *arg)
{
	struct seen *s = arg;

	strncat(s->names, r->name, sizeof s->names - strlen(s->names) - 2);
	strcat(s->names, ",");
	s->n++;
}

int
main(void)
{
	char dir[] = "/tmp/test_intake_db.XXXXXX", path[128];
	struct intake_db *d;
	struct live_figures f;
	struct seen s;
	const char *ids;
	sqlite3 *raw;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof path, "%s/cases.db", dir);
	CHECK((d = intake_db_open(path, "FULL")) != NULL);

	CHECK_INT(parse("[{\"name\":\"Ann\",\"location\":\"Lima\",\"age\":35,"
	    "\"infectedtype\":\"imported\",\"state\":\"symptomatic\"},"
	    "{\"name\":\"Bo\",\"location\":\"Cusco\",\"age\":85,"
	    "\"infectedtype\":\"contact\",\"state\":\"recovered\"}]"), 0);
	CHECK_INT(intake_db_store(d, "w1", NULL, "", &batch, &arena, &ids), INTAKE_STORED);
	CHECK_STR(ids, "[1,2]");
	CHECK_INT(intake_db_figures(d, &arena, &f), 0);
	CHECK_INT(f.total, 2);
	CHECK_INT(f.last_id, 2);
	CHECK_INT(f.age[3], 1);
	CHECK_INT(f.age[8], 1);
	CHECK_INT(f.by_type[1], 1);   /* imported */
	CHECK_INT(f.by_state[4], 1);  /* recovered */
	CHECK_INT(f.nlast, 2);
	CHECK_STR(f.last[0].location, "Cusco");

	/* An Idempotency-Key: stored once, replayed, refused for another body. */
	CHECK_INT(parse("{\"name\":\"Cy\",\"location\":\"Lima\",\"age\":5,"
	    "\"infectedtype\":\"imported\",\"state\":\"symptomatic\"}"), 0);
	CHECK_INT(intake_db_store(d, "w1", "k1", "aaaa", &batch, &arena, &ids),
	    INTAKE_STORED);
	CHECK_STR(ids, "[3]");
	CHECK_INT(intake_db_store(d, "w1", "k1", "aaaa", &batch, &arena, &ids),
	    INTAKE_REPLAYED);
	CHECK_STR(ids, "[3]");
	CHECK_INT(intake_db_store(d, "w1", "k1", "bbbb", &batch, &arena, &ids),
	    INTAKE_KEY_CONFLICT);
	/* Keys are per writer. */
	CHECK_INT(intake_db_store(d, "w2", "k1", "aaaa", &batch, &arena, &ids),
	    INTAKE_STORED);
	CHECK_STR(ids, "[4]");

	CHECK_INT(intake_db_figures(d, &arena, &f), 0);
	CHECK_INT(f.total, 4);
	CHECK_INT(f.nareas, 2);
	CHECK_STR(f.areas[0].key, "Lima");
	CHECK_INT(f.areas[0].n, 3);
	CHECK_INT(f.other, 0);

	/* Readers: by cursor. */
	memset(&s, 0, sizeof s);
	CHECK_INT(intake_db_page(d, 0, 3, collect, &s), 3);
	CHECK_STR(s.names, "Ann,Bo,Cy,");
	memset(&s, 0, sizeof s);
	CHECK_INT(intake_db_page(d, 3, 3, collect, &s), 1);
	CHECK_STR(s.names, "Cy,");

	/* A failure inside the batch leaves nothing: the CHECK on age refuses
	 * a row the parser would not let through; the rows before it in the
	 * same transaction go too. */
	CHECK_INT(parse("[{\"name\":\"Di\",\"location\":\"Lima\",\"age\":5,"
	    "\"infectedtype\":\"imported\",\"state\":\"symptomatic\"},"
	    "{\"name\":\"Ed\",\"location\":\"Lima\",\"age\":6,"
	    "\"infectedtype\":\"imported\",\"state\":\"symptomatic\"}]"), 0);
	batch.cases[1].age = 500;
	CHECK_INT(intake_db_store(d, "w1", "k2", "cccc", &batch, &arena, &ids),
	    INTAKE_STORE_FAILED);
	CHECK_INT(sqlite3_open(path, &raw), SQLITE_OK);
	CHECK_INT(db_fixture_scalar(raw, "SELECT count(*) FROM cases"), 4);
	CHECK_INT(db_fixture_scalar(raw,
	    "SELECT count(*) FROM idempotency WHERE key = 'k2'"), 0);
	CHECK_INT(db_fixture_scalar(raw,
	    "SELECT n FROM live_counts WHERE dim = 'total'"), 4);
	CHECK_INT(db_fixture_scalar(raw, "PRAGMA user_version"), 1);
	sqlite3_close(raw);
	/* The key was not used up by the failure. */
	batch.cases[1].age = 6;
	CHECK_INT(intake_db_store(d, "w1", "k2", "cccc", &batch, &arena, &ids),
	    INTAKE_STORED);
	CHECK_STR(ids, "[5,6]");
	intake_db_close(d);

	/* Opened again: migrated once, WAL. */
	CHECK((d = intake_db_open(path, "NORMAL")) != NULL);
	CHECK_INT(intake_db_figures(d, &arena, &f), 0);
	CHECK_INT(f.total, 6);
	intake_db_close(d);
	CHECK_INT(sqlite3_open(path, &raw), SQLITE_OK);
	{
		sqlite3_stmt *st;
		CHECK_INT(sqlite3_prepare_v2(raw, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
		CHECK_INT(sqlite3_step(st), SQLITE_ROW);
		CHECK_STR((const char *)sqlite3_column_text(st, 0), "wal");
		sqlite3_finalize(st);
	}
	sqlite3_close(raw);

	snprintf(path, sizeof path, "rm -rf '%s'", dir);
	CHECK_INT(system(path), 0);
	arena_free(&arena);
	return check_exit();
}
