/* db: open, configure and migrate the database (see db.h). */
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "store/db.h"
#include "store/migrations.h"

enum { BUSY_TIMEOUT_MS = 5000 };

int
db_schema_version(void)
{
	return migrations[migrations_count - 1].version;
}

static int
exec_or_log(sqlite3 *db, const char *sql, const char *what)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		log_err("database: %s: %s", what, err ? err : sqlite3_errmsg(db));
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

static int
user_version(sqlite3 *db)
{
	sqlite3_stmt *st;
	int v = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

int
db_migrate(sqlite3 *db)
{
	return db_migrate_with(db, migrations, migrations_count);
}

int
db_migrate_with(sqlite3 *db, const struct migration *list, size_t count)
{
	int have = user_version(db), want = list[count - 1].version;
	char sql[128];

	if (have < 0) {
		log_err("database: cannot read schema version: %s", sqlite3_errmsg(db));
		return -1;
	}
	if (have > want) {
		log_err("database: schema version %d is newer than this program "
		    "understands (%d); upgrade the program", have, want);
		return -1;
	}
	for (size_t i = 0; i < count; i++) {
		const struct migration *m = &list[i];
		if (m->version <= have)
			continue;
		if (exec_or_log(db, "BEGIN EXCLUSIVE", "begin migration") != 0)
			return -1;
		/* Re-check under the lock: another process may have migrated. */
		if (user_version(db) >= m->version) {
			exec_or_log(db, "COMMIT", "commit");
			continue;
		}
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", m->version);
		if (exec_or_log(db, m->sql, m->name) != 0 ||
		    exec_or_log(db, sql, "record migration") != 0) {
			exec_or_log(db, "ROLLBACK", "rollback");
			return -1;
		}
		if (exec_or_log(db, "COMMIT", "commit migration") != 0)
			return -1;
		log_info("database: applied migration %s", m->name);
	}
	return 0;
}

sqlite3 *
db_open_rw(const char *path)
{
	return db_open_rw_with(path, migrations, migrations_count, "NORMAL");
}

sqlite3 *
db_open_rw_with(const char *path, const struct migration *list, size_t count,
    const char *sync)
{
	sqlite3 *db = NULL;
	char sql[128];

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
	    NULL) != SQLITE_OK) {
		log_err("database: cannot open %s: %s", path,
		    db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
	/* WAL: readers (the web tier) never wait for the ingest's writes.
	 * synchronous=NORMAL is durable across crashes of the process in WAL
	 * mode; only power loss may lose the last transactions. */
	snprintf(sql, sizeof sql, "PRAGMA journal_mode=WAL; PRAGMA synchronous=%s;"
	    "PRAGMA foreign_keys=ON;", sync);
	if (exec_or_log(db, sql, "configure") != 0 ||
	    db_migrate_with(db, list, count) != 0) {
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

sqlite3 *
db_open_ro(const char *path)
{
	sqlite3 *db = NULL;
	int have;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		log_err("database: cannot open %s read-only: %s", path,
		    db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
	if (exec_or_log(db, "PRAGMA query_only=ON", "configure") != 0) {
		sqlite3_close(db);
		return NULL;
	}
	have = user_version(db);
	if (have != db_schema_version()) {
		log_err("database: %s has schema version %d, this program needs %d%s",
		    path, have, db_schema_version(),
		    have < db_schema_version() ? " (run covid-ingest to migrate it)" : "");
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

long long
db_data_version(sqlite3 *db)
{
	sqlite3_stmt *st;
	long long v = -1;

	if (sqlite3_prepare_v2(db, "SELECT CAST(value AS INTEGER) FROM meta "
	    "WHERE key = 'data_version'", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}
