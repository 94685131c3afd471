/* sql_stmts: a table of SQL statements prepared together and finalized
 * together, the one way the store and the read side hold theirs. */
#ifndef COVID_SQL_STMTS_H
#define COVID_SQL_STMTS_H

#include <stddef.h>

#include <sqlite3.h>

/*
 * Prepares sql[0..n-1] on db into st[0..n-1], each SQLITE_PREPARE_PERSISTENT
 * (they live as long as the connection and are reset, not re-prepared).
 * 0 when all are prepared. Otherwise a log line says whose table (who, e.g.
 * "query"), which entry and SQLite's message; a NULL entry is a failure
 * too; every statement already prepared is finalized, all of st[] is NULL,
 * and the answer is -1.
 */
int sql_stmts_prepare(sqlite3 *db, const char *const *sql, sqlite3_stmt **st,
    size_t n, const char *who);

/* Finalizes st[0..n-1] (NULL entries are fine) and sets each to NULL. */
void sql_stmts_finalize(sqlite3_stmt **st, size_t n);

#endif
