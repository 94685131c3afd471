/* query_fixture: what the query tests start from (query_fixture.h). */
#include <math.h>
#include <stdio.h>

#include "query_fixture.h"
#include "store/db.h"

int
query_fixture_open(struct query_fixture *fx, const char *name, const char *sql)
{
	fx->ro = NULL;
	fx->q = NULL;
	if (db_fixture_open(&fx->file, name, sql) != 0)
		return -1;
	if ((fx->ro = db_open_ro(fx->file.path)) == NULL ||
	    (fx->q = query_open(fx->ro)) == NULL) {
		printf("# %s failed\n", fx->ro == NULL ? "db_open_ro" : "query_open");
		query_fixture_close(fx);
		return -1;
	}
	return 0;
}

void
query_fixture_close(struct query_fixture *fx)
{
	query_close(fx->q);
	fx->q = NULL;
	sqlite3_close(fx->ro);
	fx->ro = NULL;
	db_fixture_remove(&fx->file);
}

int
same_figure(double a, double b)
{
	return (isnan(a) && isnan(b)) || fabs(a - b) < 1e-9;
}
