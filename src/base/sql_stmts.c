/* sql_stmts: preparing and finalizing a table of statements (see sql_stmts.h). */
#include "base/log.h"
#include "base/sql_stmts.h"

int
sql_stmts_prepare(sqlite3 *db, const char *const *sql, sqlite3_stmt **st,
    size_t n, const char *who)
{
	for (size_t i = 0; i < n; i++)
		st[i] = NULL;
	for (size_t i = 0; i < n; i++) {
		const char *why = NULL;

		if (sql[i] == NULL)
			why = "no SQL";
		else if (sqlite3_prepare_v3(db, sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &st[i], NULL) != SQLITE_OK)
			why = sqlite3_errmsg(db);
		if (why != NULL) {
			log_err("%s: preparing statement %zu: %s", who, i, why);
			sql_stmts_finalize(st, n);
			return -1;
		}
	}
	return 0;
}

void
sql_stmts_finalize(sqlite3_stmt **st, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		sqlite3_finalize(st[i]);
		st[i] = NULL;
	}
}
