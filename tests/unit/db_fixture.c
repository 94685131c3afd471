/* db_fixture: a scratch database file for a unit test (db_fixture.h). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "db_fixture.h"
#include "store/db.h"

int
db_fixture_open(struct db_fixture *fx, const char *name, const char *sql)
{
	char *err = NULL;
	int fd;

	fx->db = NULL;
	snprintf(fx->path, sizeof fx->path, "/tmp/covid-%s-XXXXXX", name);
	if ((fd = mkstemp(fx->path)) < 0) {
		printf("# mkstemp %s failed\n", fx->path);
		return -1;
	}
	close(fd);
	if ((fx->db = db_open_rw(fx->path)) == NULL) {
		printf("# db_open_rw %s failed\n", fx->path);
		db_fixture_remove(fx);
		return -1;
	}
	if (sql != NULL && sqlite3_exec(fx->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		printf("# fixture: %s\n", err ? err : sqlite3_errmsg(fx->db));
		sqlite3_free(err);
		db_fixture_remove(fx);
		return -1;
	}
	return 0;
}

void
db_fixture_remove(struct db_fixture *fx)
{
	static const char *const sides[] = { "", "-wal", "-shm" };
	char side[sizeof fx->path + 8];

	sqlite3_close(fx->db);   /* a no-op on NULL */
	fx->db = NULL;
	for (size_t i = 0; i < sizeof sides / sizeof sides[0]; i++) {
		snprintf(side, sizeof side, "%s%s", fx->path, sides[i]);
		unlink(side);
	}
}

long long
db_fixture_scalar(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long n = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}
