/* store_lookup: JHU's lookup table into location; the country aliases. */
#include <stdlib.h>

#include "base/log.h"
#include "store/lookup.h"
#include "store/place_names.h"
#include "store/store_impl.h"

/* ---- the lookup table ---- */

static int
alias_put(struct store *s, const char *alias, const char *name)
{
	store_bind_text(s->st[ST_ALIAS_PUT], 1, alias);
	store_bind_text(s->st[ST_ALIAS_PUT], 2, name);
	return store_exec(s, ST_ALIAS_PUT, "writing an alias");
}

/* Writes the country alias table when it differs from the program's: the
 * renamed countries, and the old countries that are now a place within one
 * ("Hong Kong" -> China, "Cruise Ship" -> Diamond Princess), whose rows count
 * towards that country. */
static int
sync_aliases(struct store *s)
{
	const struct country_alias *a;
	const struct place_move *m;
	long long have = -1, want = 0;

	for (a = place_country_aliases; a->alias != NULL; a++)
		want++;
	for (m = place_moves; m->alias != NULL; m++)
		want++;
	if (sqlite3_step(s->st[ST_ALIAS_COUNT]) == SQLITE_ROW)
		have = sqlite3_column_int64(s->st[ST_ALIAS_COUNT], 0);
	store_stmt_done(s, ST_ALIAS_COUNT);
	/* Aliases the program dropped: start over. */
	if (have > want && store_exec(s, ST_ALIAS_CLEAR, "clearing aliases") != 0)
		return -1;
	for (a = place_country_aliases; a->alias != NULL; a++)
		if (alias_put(s, a->alias, a->name) != 0)
			return -1;
	for (m = place_moves; m->alias != NULL; m++)
		if (alias_put(s, m->alias, m->country) != 0)
			return -1;
	return 0;
}

static int
lookup_row_put(struct store *s, const struct lookup_row *r)
{
	sqlite3_stmt *st = s->st[ST_LOC_LOOKUP];
	long long id;

	id = store_location_id(s, r->country_region, r->province_state, r->admin2,
	    NULL, 0);
	if (id < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	store_bind_int_if(st, 2, r->has & LOOKUP_HAS_UID, r->uid);
	store_bind_text_or_null(st, 3, r->iso2);
	store_bind_text_or_null(st, 4, r->iso3);
	store_bind_int_if(st, 5, r->has & LOOKUP_HAS_CODE3, r->code3);
	store_bind_text_or_null(st, 6, r->fips);
	store_bind_real_if(st, 7, r->has & LOOKUP_HAS_LATLONG, r->lat);
	store_bind_real_if(st, 8, r->has & LOOKUP_HAS_LATLONG, r->lon);
	store_bind_text_or_null(st, 9, r->combined_key);
	store_bind_int_if(st, 10, r->has & LOOKUP_HAS_POPULATION, r->population);
	return store_exec(s, ST_LOC_LOOKUP,
	    "updating a location from the lookup table");
}

int
store_load_lookup(struct store *s, const char *buf, size_t len)
{
	struct lookup_reader *r;
	struct lookup_row row;
	char err[256];
	long long before, rows = 0, skipped = 0;
	int rc;

	if (s->in_date) {
		log_err("store: lookup load inside a date transaction");
		return -1;
	}
	if ((r = lookup_reader_new(buf, len, err, sizeof err)) == NULL) {
		log_err("store: lookup table: %s", err);
		return -1;
	}
	if (store_step_begin(s) != 0) {
		lookup_reader_free(r);
		return -1;
	}
	before = sqlite3_total_changes64(s->db);
	while ((rc = lookup_reader_next(r, &row, err, sizeof err)) != 0) {
		if (rc < 0) {
			log_warn("store: lookup table line %ld skipped: %s",
			    row.line, err);
			skipped++;
			continue;
		}
		if (lookup_row_put(s, &row) != 0)
			goto err;
		rows++;
	}
	if (sync_aliases(s) != 0)
		goto err;
	if (sqlite3_total_changes64(s->db) != before &&
	    store_exec(s, ST_META_BUMP, "bumping the data version") != 0)
		goto err;
	if (store_step_end(s) != 0)
		goto err_ended;
	lookup_reader_free(r);
	log_info("store: lookup table: %lld places, %lld malformed rows skipped",
	    rows, skipped);
	return 0;
err:
	store_step_undo(s);
err_ended:
	lookup_reader_free(r);
	return -1;
}

