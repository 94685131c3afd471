/* test_db: migrations apply in order, re-running is a no-op, a newer
 * database is refused, and read-only opens check the version. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "store/db.h"

static int
count_rows(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int n = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

int
main(void)
{
	char path[] = "/tmp/covid-test-db-XXXXXX";
	char wal[64], shm[64];
	int fd = mkstemp(path);
	sqlite3 *db, *ro;

	CHECK(fd >= 0);
	close(fd);
	unlink(path);   /* let SQLite create it */
	snprintf(wal, sizeof wal, "%s-wal", path);
	snprintf(shm, sizeof shm, "%s-shm", path);

	db = db_open_rw(path);
	CHECK(db != NULL);
	CHECK_INT(count_rows(db, "PRAGMA user_version"), db_schema_version());
	CHECK(db_schema_version() >= 1);
	CHECK_INT(count_rows(db, "SELECT count(*) FROM sqlite_master "
	    "WHERE name IN ('v_daily','v_country_daily')"), 2);
	CHECK_INT(db_data_version(db), 0);

	/* journal_mode reads back as text */
	{
		sqlite3_stmt *st;
		CHECK(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL) == SQLITE_OK);
		CHECK(sqlite3_step(st) == SQLITE_ROW);
		CHECK_STR((const char *)sqlite3_column_text(st, 0), "wal");
		sqlite3_finalize(st);
	}

	/* Re-running migrations changes nothing. */
	CHECK_INT(db_migrate(db), 0);
	CHECK_INT(count_rows(db, "PRAGMA user_version"), db_schema_version());
	sqlite3_close(db);
	db = db_open_rw(path);
	CHECK(db != NULL);

	/* Read-only open works at the right version and refuses writes. */
	ro = db_open_ro(path);
	CHECK(ro != NULL);
	CHECK(sqlite3_exec(ro, "INSERT INTO meta VALUES ('x','y')", NULL, NULL, NULL) != SQLITE_OK);
	sqlite3_close(ro);

	/* A database from a newer program is refused, by both opens. */
	CHECK(sqlite3_exec(db, "PRAGMA user_version = 9999", NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(db);
	fprintf(stderr, "(two 'newer' errors expected below)\n");
	CHECK(db_open_rw(path) == NULL);
	CHECK(db_open_ro(path) == NULL);

	unlink(path);
	unlink(wal);
	unlink(shm);
	return check_exit();
}
