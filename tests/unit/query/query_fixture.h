/* query_fixture: what the query tests start from: a scratch database
 * (db_fixture.h) holding the test's own hand-made rows, and the query
 * layer on a read-only connection to it, as the portal opens it. */
#ifndef COVID_QUERY_FIXTURE_H
#define COVID_QUERY_FIXTURE_H

#include "db_fixture.h"
#include "query/query.h"

struct query_fixture {
	struct db_fixture file;   /* read-write: where sql went */
	sqlite3          *ro;     /* db_open_ro */
	struct query     *q;      /* query_open(ro) */
};

/* A scratch database named after name with sql run on it, and the query
 * layer on it. 0, or -1 with a "# ..." line and nothing left behind. */
int query_fixture_open(struct query_fixture *fx, const char *name,
    const char *sql);

/* Closes the query layer and both connections; removes the database. */
void query_fixture_close(struct query_fixture *fx);

/* Two figures alike: both NaN (none), or equal to within 1e-9. */
int same_figure(double a, double b);

#endif
