/* db: opening the SQLite database the way every program here needs it.
 * The ingest opens read-write and migrates; the web tier opens read-only and
 * refuses a schema it does not know. */
#ifndef COVID_DB_H
#define COVID_DB_H

#include <stddef.h>

#include <sqlite3.h>

/* The schema version this program was built with (the newest migration). */
int db_schema_version(void);

/* Opens (creating if needed) read-write, WAL, foreign keys on, busy timeout,
 * then applies pending migrations. Returns NULL after logging why. */
sqlite3 *db_open_rw(const char *path);

/* Opens read-only with query_only and a busy timeout; fails unless the
 * database is at exactly this program's schema version. */
sqlite3 *db_open_ro(const char *path);

/* Applies every migration newer than the database's user_version, each in its
 * own BEGIN EXCLUSIVE transaction. Refuses a database newer than the program.
 * Returns 0 on success, -1 after logging why. */
int db_migrate(sqlite3 *db);

/* The same for a database with a migration table of its own (the intake's
 * cases.db: store/migrations.h); db_migrate is this with covid.db's. */
struct migration;
int db_migrate_with(sqlite3 *db, const struct migration *list, size_t n);
/* db_open_rw for such a database, with PRAGMA synchronous set to sync
 * ("NORMAL" or "FULL": what a power loss may cost, the caller's choice). */
sqlite3 *db_open_rw_with(const char *path, const struct migration *list,
    size_t n, const char *sync);

/* Reads meta.data_version; -1 on error. */
long long db_data_version(sqlite3 *db);

#endif
