/* test_forecast_levels: the quantile levels are written twice, as data in
 * migration 0008 (forecast_quantile, which v_forecast unpacks q01..q23
 * with) and as qf_levels in C (which the forecast program computes and the
 * API serves). They must be the same 23 numbers in the same order, else
 * v_forecast would label a value with another level than it was made for. */
#include <stdio.h>

#include "check.h"
#include "db_fixture.h"

#include "query/query_forecast.h"

int
main(void)
{
	struct db_fixture fx;
	sqlite3_stmt *st = NULL;
	int n = 0, same = 1;

	CHECK(db_fixture_open(&fx, "levels", NULL) == 0);
	CHECK_INT(db_fixture_scalar(fx.db, "SELECT count(*) FROM forecast_quantile"), QF_NQ);
	CHECK(sqlite3_prepare_v2(fx.db, "SELECT i, quantile FROM forecast_quantile "
	    "ORDER BY i", -1, &st, NULL) == SQLITE_OK);
	while (st != NULL && sqlite3_step(st) == SQLITE_ROW) {
		int i = sqlite3_column_int(st, 0);
		double q = sqlite3_column_double(st, 1);
		if (i != n + 1 || n >= QF_NQ || q != qf_levels[n]) {
			printf("# level %d: the database says %g at i = %d\n", n + 1, q, i);
			same = 0;
		}
		n++;
	}
	sqlite3_finalize(st);
	CHECK_INT(n, QF_NQ);
	CHECK(same);
	/* Symmetric about the median, as the Hub's levels are. */
	for (int k = 0; k < QF_NQ; k++)
		if (qf_levels[k] + qf_levels[QF_NQ - 1 - k] > 1 + 1e-12 ||
		    qf_levels[k] + qf_levels[QF_NQ - 1 - k] < 1 - 1e-12)
			same = 0;
	CHECK(same);
	CHECK(qf_levels[QF_NQ / 2] == 0.5);
	db_fixture_remove(&fx);
	return check_exit();
}
