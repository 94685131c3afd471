/* portal_metrics: "/healthz" and "/metrics", for load balancers and
 * monitoring. Both answer text/plain, uncached, with or without a database.
 *
 * /healthz is asked every few seconds, so its check is cheap but says
 * something: the database opened read-only at this program's schema version
 * (db_open_ro), meta's data version read in this request's transaction, the
 * schema version read again from the header (a database swapped or
 * migrated under the running portal shows there), whether the path still
 * names the file this worker opened (a file deleted, or replaced by another,
 * keeps being served from the old handle: the worker needs a restart, and
 * replacing a WAL database under open connections can mix the two files'
 * WAL; see README "Rebuild the database from scratch"), and the newest finished
 * run of the job log. PRAGMA quick_check would read every page: seconds on
 * the full history, per probe. A run that failed or was interrupted makes
 * the portal unhealthy until a run succeeds: the data is not being kept up
 * to date, which a load balancer cannot fix but monitoring should see. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "base/date.h"
#include "portal/portal.h"
#include "store/db.h"
#include "web/metrics.h"

static void
text_answer(struct page_req *pr, int status, const char *line)
{
	struct http_resp h = { status, "text/plain; charset=utf-8",
	    HTTP_CACHE_NONE, 0, NULL };

	if (http_headers(pr->r, pr->out, &h)) {
		sink_puts(pr->out, line);
		sink_puts(pr->out, "\n");
	}
}

void
healthz_page(struct page_req *pr)
{
	struct portal *p = pr->p;
	struct qs_run last;
	struct stat st;
	char why[256] = "";
	int version, rc;

	if (p->q == NULL)
		snprintf(why, sizeof why, "database unavailable: it does not open "
		    "(missing, not a database, or another schema version)");
	else if (pr->r->data_version < 0)
		snprintf(why, sizeof why, "database check failed: cannot read meta");
	else if (stat(p->db_path, &st) != 0)
		snprintf(why, sizeof why, "database file %s is gone (%s); this "
		    "worker still serves the file it opened: restart it",
		    p->db_path, strerror(errno));
	else if (st.st_dev != p->db_dev || st.st_ino != p->db_ino)
		snprintf(why, sizeof why, "database file %s was replaced; this "
		    "worker still serves the file it opened: restart it", p->db_path);
	else if (query_status_check(p->qs, &version) != 0)
		snprintf(why, sizeof why, "database check failed: cannot read the "
		    "schema version");
	else if (version != db_schema_version())
		snprintf(why, sizeof why, "database check failed: schema version %d, "
		    "this program needs %d", version, db_schema_version());
	else if ((rc = query_status_last_run(p->qs, pr->a, &last)) < 0)
		snprintf(why, sizeof why, "database check failed: cannot read the "
		    "job log");
	else if (rc == 1 && strcmp(last.status, "ok") != 0)
		snprintf(why, sizeof why, "last ingest run %lld %s at %s", last.id,
		    last.status, last.finished_at);
	if (why[0] != '\0')
		text_answer(pr, 503, why);
	else
		text_answer(pr, 200, "ok");
}

static void
gauge(struct sink *out, const char *name, const char *help, long long v)
{
	sink_printf(out, "# HELP %s %s\n# TYPE %s gauge\n%s %lld\n", name, help,
	    name, name, v);
}

/* The job log's figures: the newest finished run, the last success and
 * whether the data is older than expected. */
static void
ingest_gauges(struct page_req *pr)
{
	static const char *const states[] = { "ok", "failed", "interrupted" };
	struct portal *p = pr->p;
	struct sink *out = pr->out;
	struct freshness f;
	struct qs_run last;
	long day;
	int rc;

	gauge(out, "covid_data_version", "The data version (meta.data_version).",
	    p->meta.data_version);
	if ((day = date_days(p->meta.newest)) >= 0)
		gauge(out, "covid_data_newest_date_timestamp_seconds", "The newest "
		    "date with data, as midnight UTC.", (long long)day * 86400);
	if (freshness(p, pr->a, time(NULL), &f) == 0) {
		gauge(out, "covid_data_stale", "1 when the data is older than "
		    "expected (see /status).", f.stale);
		if (f.have_ok && f.ok.finished >= 0)
			gauge(out, "covid_ingest_last_success_timestamp_seconds",
			    "When the last successful ingest run finished.",
			    f.ok.finished);
	}
	if ((rc = query_status_last_run(p->qs, pr->a, &last)) != 1)
		return;
	if (last.finished >= 0)
		gauge(out, "covid_ingest_last_run_timestamp_seconds", "When the "
		    "newest finished ingest run finished.", last.finished);
	gauge(out, "covid_ingest_last_run_duration_seconds", "How long the "
	    "newest finished ingest run took.", last.seconds);
	sink_puts(out, "# HELP covid_ingest_last_run_status The status of the "
	    "newest finished ingest run: 1 for its status, 0 for the others.\n"
	    "# TYPE covid_ingest_last_run_status gauge\n");
	for (size_t i = 0; i < sizeof states / sizeof states[0]; i++)
		sink_printf(out, "covid_ingest_last_run_status{status=\"%s\"} %d\n",
		    states[i], strcmp(last.status, states[i]) == 0);
	gauge(out, "covid_ingest_last_run_rows_loaded", "Rows the newest "
	    "finished ingest run loaded.", last.rows_loaded);
	gauge(out, "covid_ingest_last_run_rows_rejected", "Rows the newest "
	    "finished ingest run rejected.", last.rows_rejected);
	gauge(out, "covid_ingest_last_run_dates_failed", "Dates the newest "
	    "finished ingest run failed to load.", last.dates_failed);
}

void
metrics_page(struct page_req *pr)
{
	struct http_resp h = { 200, "text/plain; version=0.0.4; charset=utf-8",
	    HTTP_CACHE_NONE, 0, NULL };
	struct metrics_file *m;
	int db_up = pr->p->q != NULL && pr->r->data_version >= 0;

	if (!http_headers(pr->r, pr->out, &h))
		return;
	/* Every worker's counters, both programs' (metrics.h). */
	if ((m = metrics_process()) != NULL)
		metrics_expose(m, pr->out);
	gauge(pr->out, "covid_metrics_file_ok", "1 when this worker has the "
	    "shared metrics file (else the request counters are missing).",
	    m != NULL);
	gauge(pr->out, "covid_database_up", "1 when the portal could open and "
	    "read the database for this scrape.", db_up);
	if (db_up)
		ingest_gauges(pr);
}
