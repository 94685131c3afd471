/* store_open: opening and closing the write side, the one file that ties
 * the others together (nothing in src/store/ calls back into it). */
#include <stdlib.h>

#include "base/log.h"
#include "store/store_impl.h"

struct store *
store_open(sqlite3 *db)
{
	struct store *s = calloc(1, sizeof *s);

	if (s == NULL) {
		log_err("store: out of memory");
		return NULL;
	}
	s->db = db;
	if (sqlite3_create_module(db, "store_rows", &store_rows_module, s) !=
	    SQLITE_OK ||
	    sqlite3_create_module(db, "store_totals", &store_totals_module, s) !=
	    SQLITE_OK) {
		log_err("store: registering its tables: %s", sqlite3_errmsg(db));
		free(s);
		return NULL;
	}
	if (store_stmt_prepare(s) != 0 || store_renames_load(s) != 0) {
		store_close(s);
		return NULL;
	}
	s->loc_stale = 1;
	return s;
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	if (s->in_date)
		store_date_abort(s);
	if (s->series.on)
		store_series_abort(s);
	if (s->tx_open && s->tx_steps > 0)
		log_warn("store: closed with a batch not committed: rolled back");
	store_tx_rollback(s);
	store_stmt_finalize(s);
	/* The tables point at s: gone with it. */
	sqlite3_create_module(s->db, "store_rows", NULL, NULL);
	sqlite3_create_module(s->db, "store_totals", NULL, NULL);
	store_loc_clear(s);
	store_renames_free(s);
	free(s->key);
	free(s->places);
	free(s->rows);
	free(s);
}
