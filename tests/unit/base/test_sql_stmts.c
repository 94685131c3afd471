/* test_sql_stmts: a table of statements prepared and finalized together. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <sqlite3.h>

#include "base/sql_stmts.h"
#include "check.h"

/* What sql_stmts_prepare logged, read back from stderr sent to a file. */
static char logged[512];

static int
prepare_logged(sqlite3 *db, const char *const *sql, sqlite3_stmt **st,
    size_t n)
{
	FILE *f = tmpfile();
	int saved = dup(2), rc;
	size_t len;

	if (f == NULL || saved < 0)
		abort();
	fflush(stderr);
	dup2(fileno(f), 2);
	rc = sql_stmts_prepare(db, sql, st, n, "test");
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(f);
	len = fread(logged, 1, sizeof logged - 1, f);
	logged[len] = '\0';
	fclose(f);
	return rc;
}

int
main(void)
{
	static const char *const good[] = {
		"SELECT 1",
		"SELECT ?1 + 1",
		"SELECT name FROM sqlite_schema",
	};
	static const char *const bad[] = {
		"SELECT 1",
		"SELECT 2",
		"SELECT FROM WHERE",
		"SELECT 4",
	};
	static const char *const missing[] = { "SELECT 1", NULL };
	sqlite3_stmt *st[4] = { NULL, NULL, NULL, NULL };
	sqlite3 *db;

	if (sqlite3_open(":memory:", &db) != SQLITE_OK)
		return 1;

	/* All prepared, persistent, usable; then finalized and NULL. */
	CHECK_INT(prepare_logged(db, good, st, 3), 0);
	CHECK_STR(logged, "");
	CHECK(st[0] != NULL && st[1] != NULL && st[2] != NULL);
	CHECK(sqlite3_bind_int(st[1], 1, 41) == SQLITE_OK &&
	    sqlite3_step(st[1]) == SQLITE_ROW && sqlite3_column_int(st[1], 0) == 42);
	sqlite3_reset(st[1]);
	sql_stmts_finalize(st, 3);
	CHECK(st[0] == NULL && st[1] == NULL && st[2] == NULL);
	sql_stmts_finalize(st, 3);      /* twice: NULL entries are fine */

	/* One bad statement: -1, the log names whose and which, and nothing
	 * is left prepared (the ones before it are finalized). */
	CHECK_INT(prepare_logged(db, bad, st, 4), -1);
	CHECK(strstr(logged, "test: preparing statement 2: ") != NULL);
	CHECK(strstr(logged, "syntax error") != NULL);
	CHECK(st[0] == NULL && st[1] == NULL && st[2] == NULL && st[3] == NULL);

	/* A NULL entry is a failure, said as such. */
	CHECK_INT(prepare_logged(db, missing, st, 2), -1);
	CHECK(strstr(logged, "test: preparing statement 1: no SQL") != NULL);
	CHECK(st[0] == NULL && st[1] == NULL);

	/* No statement left behind: the connection closes cleanly. */
	CHECK_INT(sqlite3_close(db), SQLITE_OK);
	return check_exit();
}
