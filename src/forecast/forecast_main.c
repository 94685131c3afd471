/* covid-forecast: 1-4 week ahead forecasts of weekly cases and deaths for
 * every place, the backtest and its skill, written into the database.
 * This file is the command line and the job log; the run is fc_run.c. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/vdir.h"
#include "forecast/fc_db.h"
#include "forecast/fc_run.h"
#include "store/db.h"

static const char usage_text[] =
"usage: covid-forecast --db PATH [--full] [--dry-run [--revised]]\n"
"                      [--no-counties]\n"
"\n"
"Forecasts weekly new cases and deaths 1-4 weeks ahead for every country,\n"
"province and state (at every past Saturday: the backtest) and for every\n"
"county (its latest week), with the COVID-19 Forecast Hub's baseline beside\n"
"the portal's model, scores them against what happened and writes the\n"
"forecasts and their skill into PATH (docs/forecasts.md).\n"
"\n"
"  --db PATH        the database (migrated as needed)\n"
"  --full           rewrite every origin (default: the origins since the\n"
"                   newest stored one, 4 weeks back, and the new ones;\n"
"                   nothing when the data did not move since the last run)\n"
"  --dry-run        score and print the skill table, write nothing\n"
"  --no-counties    leave out the counties' latest forecasts\n"
"  --revised        with --dry-run: forecast every place from JHU's time\n"
"                   series (the final, revised history) instead of the\n"
"                   daily reports; the real data where the daily reports\n"
"                   are synthesised (bench's full-scale data)\n"
"  --help           this text\n"
"\n"
"The skill table is printed to standard output. Exit status: 0 done,\n"
"1 the run failed (nothing written), 2 bad usage.\n";

/* The portal's page cache must not keep pages of the data before. */
static void
withdraw_old_pages(sqlite3 *db)
{
	const char *root = getenv("COVID_PAGE_CACHE");
	long long version;

	if (root == NULL || *root == '\0' || (version = db_data_version(db)) < 0)
		return;
	if (vdir_withdraw_unless(root, version) > 0)
		log_info("page cache: pages before data version %lld withdrawn",
		    version);
}

static int
run(const char *path, const struct fc_run_opts *o)
{
	struct fc_run_result res;
	struct fc_db *log_db;
	sqlite3 *db;
	long long id = 0;
	char msg[160];
	int rc;
	clock_t t0 = clock();

	if ((db = db_open_rw(path)) == NULL)
		return 1;
	if ((log_db = fc_db_open(db)) == NULL) {
		sqlite3_close(db);
		return 1;
	}
	if (!o->dry_run && !o->full && fc_db_up_to_date(log_db)) {
		log_notice("forecast: nothing new since the last run");
		fc_db_close(log_db);
		sqlite3_close(db);
		return 0;
	}
	if (!o->dry_run && (fc_db_run_recover(log_db) != 0 ||
	    (id = fc_db_run_begin(log_db)) < 0)) {
		fc_db_close(log_db);
		sqlite3_close(db);
		return 1;
	}
	rc = fc_run(db, o, stdout, &res);
	snprintf(msg, sizeof msg, "%ld places, %ld origins, %lld rows written, "
	    "%.1f s of CPU", res.places, res.origins, res.rows,
	    (double)(clock() - t0) / CLOCKS_PER_SEC);
	if (rc == 0)
		log_notice("forecast: %s", msg);
	else
		log_err("forecast: failed; nothing written");
	if (!o->dry_run) {
		if (fc_db_run_end(log_db, id, rc == 0 ? "ok" : "failed",
		    res.origins, res.rows, rc == 0 ? msg : "failed") != 0)
			rc = -1;
		withdraw_old_pages(db);
	}
	fc_db_close(log_db);
	sqlite3_close(db);
	return rc == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "full", no_argument, NULL, 'f' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "no-counties", no_argument, NULL, 'c' },
		{ "revised", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct fc_run_opts o;
	const char *path = NULL;
	int c;

	memset(&o, 0, sizeof o);
	o.counties = 1;
	o.params = fc_model_default;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': path = optarg; break;
		case 'f': o.full = 1; break;
		case 'n': o.dry_run = 1; break;
		case 'c': o.counties = 0; break;
		case 'r': o.revised = 1; break;
		case 'h': fputs(usage_text, stdout); return 0;
		default: fputs(usage_text, stderr); return 2;
		}
	}
	if (path == NULL || optind != argc || (o.revised && !o.dry_run)) {
		fputs(usage_text, stderr);
		return 2;
	}
	return run(path, &o);
}
