/* fc_run: the whole forecast run over a database: every place's weekly
 * series, the backtest of the baseline and the model at every origin, the
 * scores, and what is written back (the rows, the skill tables). */
#ifndef COVID_FC_RUN_H
#define COVID_FC_RUN_H

#include <sqlite3.h>
#include <stdio.h>

#include "forecast/fc_model.h"

struct fc_run_opts {
	int  full;      /* rewrite every origin, not only the recent ones */
	int  dry_run;   /* score and report, write nothing */
	int  counties;  /* also each county's latest forecast */
	int  revised;   /* every place from the time series (with dry_run) */
	struct fc_model_params params;
};

/* What a run did, for its job log and its summary line. */
struct fc_run_result {
	long      origins;   /* distinct origins forecast */
	long long rows;      /* forecast rows written */
	long      places;    /* places forecast */
};

/* Runs on db (read-write, migrated); the skill table is printed to out
 * (NULL: not printed). 0, or -1 after logging why (nothing written). */
int fc_run(sqlite3 *db, const struct fc_run_opts *o, FILE *out,
    struct fc_run_result *res);

#endif
