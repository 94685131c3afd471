/* db_fixture: a scratch database file for a unit test: made under /tmp,
 * migrated, and removed again with its -wal and -shm files. Linked into
 * every unit test (the Makefile's tests rule); it reports nothing itself
 * but a "# ..." line, so that the test's own CHECKs say what failed. */
#ifndef COVID_DB_FIXTURE_H
#define COVID_DB_FIXTURE_H

#include <sqlite3.h>

struct db_fixture {
	char     path[96];
	sqlite3 *db;        /* read-write, migrated */
};

/* A new /tmp/covid-NAME-XXXXXX opened read-write (db_open_rw), then sql
 * (NULL: none) run on it. 0, or -1 with a "# ..." line and nothing left
 * behind. */
int db_fixture_open(struct db_fixture *fx, const char *name, const char *sql);

/* The first column of sql's first row as an integer, on any database (a
 * test's count(*) or a PRAGMA); -1 when sql fails or returns no row. */
long long db_fixture_scalar(sqlite3 *db, const char *sql);

/* Closes fx->db (when open) and removes the file, its -wal and its -shm. */
void db_fixture_remove(struct db_fixture *fx);

#endif
