/* portal_status: "/status", the page operators read: the data version and
 * dates, whether the data is older than expected (and why), the last runs
 * of the ingest from the job log, and the files that failed. Never cached:
 * a run that changes no data still changes this page. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/env.h"
#include "base/log.h"
#include "portal/portal.h"

enum {
	STATUS_RUNS  = 30,    /* runs shown */
	STATUS_FILES = 100,   /* failed files shown, at most */
	STATUS_FC_RUNS = 10,  /* forecast runs shown */
	STALE_HOURS  = 48,    /* default COVID_STALE_HOURS: a daily timer may
	                       * miss one run (a reboot, a GitHub outage) */
	MAX_REASONS  = 3,
};

static struct tmpl *status_tmpl;

enum skey {
	S_STALE_FLAG, S_STALE, S_REASONS, S_REASON, S_FRESH_WHY, S_STALE_HOURS,
	S_VERSION, S_NEWEST, S_OLDEST, S_REFRESHED, S_LAST_OK,
	S_HAS_RUNS, S_NRUNS, S_RUNS, S_RUN_ID, S_RUN_STARTED, S_RUN_STARTED_TEXT,
	S_RUN_SECONDS, S_RUN_DURATION, S_RUN_BAD, S_RUN_STATUS, S_RUN_LOADED,
	S_RUN_UNCHANGED, S_RUN_FAILED, S_RUN_ROWS_LOADED, S_RUN_ROWS_REJECTED,
	S_RUN_MESSAGE,
	S_HAS_FAILED, S_FAILED, S_FILE_RUN, S_FILE_DATE, S_FILE_URL, S_FILE_HTTP,
	S_FILE_ERROR, S_FILE_FIXED, S_FILE_FIXED_BY,
	S_HAS_FC_RUNS, S_NFC_RUNS, S_FC_RUNS, S_FC_ID, S_FC_STARTED,
	S_FC_STARTED_TEXT, S_FC_SECONDS, S_FC_DURATION, S_FC_BAD, S_FC_STATUS,
	S_FC_ORIGINS, S_FC_ROWS, S_FC_MESSAGE,
	S__MAX
};
static const char *const skeys[S__MAX] = {
	"stale_flag", "stale", "reasons", "reason", "fresh_why", "stale_hours",
	"version", "newest", "oldest", "refreshed", "last_ok",
	"has_runs", "nruns", "runs", "run_id", "run_started", "run_started_text",
	"run_seconds", "run_duration", "run_bad", "run_status", "run_loaded",
	"run_unchanged", "run_failed", "run_rows_loaded", "run_rows_rejected",
	"run_message",
	"has_failed", "failed", "file_run", "file_date", "file_url", "file_http",
	"file_error", "file_fixed", "file_fixed_by",
	"has_fc_runs", "nfc_runs", "fc_runs", "fc_id", "fc_started",
	"fc_started_text", "fc_seconds", "fc_duration", "fc_bad", "fc_status",
	"fc_origins", "fc_rows", "fc_message",
};

int
status_init(void)
{
	return (status_tmpl = page_load("status.html", skeys, S__MAX)) ? 0 : -1;
}

long
status_stale_hours(void)
{
	long v;

	/* The page still answers with a bad setting: the default will do. */
	if (env_long("COVID_STALE_HOURS", STALE_HOURS, 1, 24L * 366 * 100, &v) != 0)
		log_warn("portal: using %d hours for COVID_STALE_HOURS", STALE_HOURS);
	return v;
}

int
freshness(struct portal *p, struct arena *a, time_t now, struct freshness *f)
{
	int rc;

	memset(f, 0, sizeof *f);
	if ((rc = query_status_last_ok(p->qs, a, &f->ok)) < 0)
		return -1;
	f->have_ok = rc;
	if (f->have_ok && f->ok.finished >= 0) {
		f->ok_age = (long long)now - f->ok.finished;
		if (f->ok_age < 0)   /* the clock went back: it did just finish */
			f->ok_age = 0;
		f->too_old = f->ok_age > (long long)p->stale_hours * 3600;
	} else
		f->too_old = 1;
	if ((rc = query_status_behind(p->qs, a, p->meta.newest, &f->behind_file)) < 0)
		return -1;
	f->behind = rc;
	f->stale = f->too_old || f->behind;
	return 0;
}

/* "2023-03-10T04:21:03Z" as "2023-03-10 04:21:03 UTC"; else as it is. */
static void
time_text(const char *iso, char *buf, size_t len)
{
	if (strlen(iso) == 20 && iso[10] == 'T' && iso[19] == 'Z')
		snprintf(buf, len, "%.10s %.8s UTC", iso, iso + 11);
	else
		snprintf(buf, len, "%s", iso);
}

/* An age for people: "12 minutes", "30 hours", "5 days". */
static void
age_text(long long s, char *buf, size_t len)
{
	if (s < 2 * 3600)
		snprintf(buf, len, "%lld minute%s", s / 60, s / 60 == 1 ? "" : "s");
	else if (s < 72 * 3600)
		snprintf(buf, len, "%lld hours", s / 3600);
	else
		snprintf(buf, len, "%lld days", s / 86400);
}

/* A run's duration: "45 s", "3 min 5 s", "2 h 3 min". */
static void
duration_text(long long s, char *buf, size_t len)
{
	if (s < 0)
		snprintf(buf, len, "unknown");
	else if (s < 60)
		snprintf(buf, len, "%lld s", s);
	else if (s < 3600)
		snprintf(buf, len, "%lld min %lld s", s / 60, s % 60);
	else
		snprintf(buf, len, "%lld h %lld min", s / 3600, s % 3600 / 60);
}

struct status_arg {
	struct page_req        *pr;
	const struct freshness *f;
	const char             *reasons[MAX_REASONS];
	size_t                  nreasons;
	const char             *fresh_why;
	struct qs_run          *runs;
	size_t                  nruns;
	struct qs_file         *files;
	size_t                  nfiles;
	struct qs_forecast_run *fc_runs;
	size_t                  nfc_runs;
	size_t                  reason, run, file, fc;   /* the items being rendered */
};

/* The sentences that say why the data is (or is not) older than expected,
 * made in the arena. */
static int
explain(struct status_arg *s, struct arena *a, long stale_hours,
    const char *newest)
{
	const struct freshness *f = s->f;
	char buf[1024], when[40], age[40], *t;

	if (f->have_ok) {
		time_text(f->ok.finished_at, when, sizeof when);
		age_text(f->ok_age, age, sizeof age);
	}
	if (f->too_old) {
		if (!f->have_ok)
			snprintf(buf, sizeof buf, "No ingest run has succeeded yet.");
		else if (f->ok.finished < 0)   /* no time: no age to give */
			snprintf(buf, sizeof buf, "The last successful ingest run, run "
			    "%lld, has no finishing time in the job log.", f->ok.id);
		else
			snprintf(buf, sizeof buf, "The last successful ingest run, run "
			    "%lld, finished %s, %s ago: more than %ld hours ago.",
			    f->ok.id, when, age, stale_hours);
		if ((t = arena_strdup(a, buf)) == NULL)
			return -1;
		s->reasons[s->nreasons++] = t;
	}
	if (f->behind) {
		const struct qs_file *b = &f->behind_file;
		/* The reason in brackets: never an empty pair of them. */
		const char *why = b->error != NULL && b->error[0] != '\0' ? b->error :
		    "no reason recorded";
		char http[48] = "";
		if (b->http_status > 0)
			snprintf(http, sizeof http, "HTTP status %lld, ", b->http_status);
		if (newest[0])
			snprintf(buf, sizeof buf, "Run %lld could not load %s (%s%s), "
			    "which is newer than the newest date loaded, %s.",
			    b->run_id, b->date, http, why, newest);
		else
			snprintf(buf, sizeof buf, "Run %lld could not load %s (%s%s), "
			    "and no date is loaded.", b->run_id, b->date, http, why);
		if ((t = arena_strdup(a, buf)) == NULL)
			return -1;
		s->reasons[s->nreasons++] = t;
	}
	if (!f->stale) {
		snprintf(buf, sizeof buf, "The last successful ingest run, run %lld, "
		    "finished %s, %s ago (the limit is %ld hours), and no newer date "
		    "has failed to load since.", f->ok.id, when, age, stale_hours);
		if ((s->fresh_why = arena_strdup(a, buf)) == NULL)
			return -1;
	}
	return 0;
}

/* A job log's time and duration as people read them (both logs' runs). */
static void
out_time(struct tmpl_out *o, const char *iso)
{
	char buf[64];

	time_text(iso, buf, sizeof buf);
	tmpl_text(o, buf);
}

static void
out_duration(struct tmpl_out *o, long long seconds)
{
	char buf[64];

	duration_text(seconds, buf, sizeof buf);
	tmpl_text(o, buf);
}

static int
status_var(struct tmpl_out *o, size_t key, void *arg)
{
	struct status_arg *s = arg;
	const struct portal *p = s->pr->p;
	const struct qs_run *r = s->run < s->nruns ? &s->runs[s->run] : NULL;
	const struct qs_file *f = s->file < s->nfiles ? &s->files[s->file] : NULL;
	const struct qs_forecast_run *fc = s->fc < s->nfc_runs ?
	    &s->fc_runs[s->fc] : NULL;
	char buf[64];

	switch ((enum skey)key) {
	case S_STALE_FLAG:  tmpl_int(o, s->f->stale); break;
	case S_REASON:
		if (s->reason < s->nreasons)
			tmpl_text(o, s->reasons[s->reason]);
		break;
	case S_FRESH_WHY:   tmpl_text(o, s->fresh_why); break;
	case S_STALE_HOURS: tmpl_int(o, p->stale_hours); break;
	case S_VERSION:     tmpl_int(o, p->meta.data_version); break;
	case S_NEWEST:      tmpl_text(o, p->meta.newest[0] ? p->meta.newest : "none"); break;
	case S_OLDEST:      tmpl_text(o, p->meta.oldest[0] ? p->meta.oldest : "none"); break;
	case S_REFRESHED:
		time_text(p->meta.refreshed_at[0] ? p->meta.refreshed_at : "never",
		    buf, sizeof buf);
		tmpl_text(o, buf);
		break;
	case S_LAST_OK:
		if (s->f->have_ok && s->f->ok.finished_at[0] != '\0') {
			time_text(s->f->ok.finished_at, buf, sizeof buf);
			tmpl_printf(o, "%s (run %lld)", buf, s->f->ok.id);
		} else if (s->f->have_ok)
			tmpl_printf(o, "run %lld (no finishing time recorded)",
			    s->f->ok.id);
		else
			tmpl_text(o, "none");
		break;
	case S_NRUNS:       tmpl_int(o, (long long)s->nruns); break;
	case S_RUN_ID:      if (r) tmpl_int(o, r->id); break;
	case S_RUN_STARTED: if (r) tmpl_text(o, r->started_at); break;
	case S_RUN_STARTED_TEXT: if (r) out_time(o, r->started_at); break;
	case S_RUN_SECONDS: if (r) tmpl_int(o, r->seconds); break;
	case S_RUN_DURATION:     if (r) out_duration(o, r->seconds); break;
	case S_RUN_STATUS:        if (r) tmpl_text(o, r->status); break;
	case S_RUN_LOADED:        if (r) out_count(o, r->dates_loaded); break;
	case S_RUN_UNCHANGED:     if (r) out_count(o, r->dates_unchanged); break;
	case S_RUN_FAILED:        if (r) out_count(o, r->dates_failed); break;
	case S_RUN_ROWS_LOADED:   if (r) out_count(o, r->rows_loaded); break;
	case S_RUN_ROWS_REJECTED: if (r) out_count(o, r->rows_rejected); break;
	case S_RUN_MESSAGE:       if (r) tmpl_text(o, r->message); break;
	case S_FILE_RUN:    if (f) tmpl_int(o, f->run_id); break;
	case S_FILE_DATE:   if (f) tmpl_text(o, f->date); break;
	case S_FILE_URL:    if (f) tmpl_text(o, f->url); break;
	case S_FILE_HTTP:
		if (f && f->http_status > 0)
			tmpl_int(o, f->http_status);
		break;
	case S_FILE_ERROR:    if (f) tmpl_text(o, f->error); break;
	case S_FILE_FIXED_BY: if (f) tmpl_int(o, f->fixed_by); break;
	case S_NFC_RUNS:    tmpl_int(o, (long long)s->nfc_runs); break;
	case S_FC_ID:       if (fc) tmpl_int(o, fc->id); break;
	case S_FC_STARTED:  if (fc) tmpl_text(o, fc->started_at); break;
	case S_FC_STARTED_TEXT: if (fc) out_time(o, fc->started_at); break;
	case S_FC_SECONDS:  if (fc) tmpl_int(o, fc->seconds); break;
	case S_FC_DURATION:     if (fc) out_duration(o, fc->seconds); break;
	case S_FC_STATUS:   if (fc) tmpl_text(o, fc->status); break;
	case S_FC_ORIGINS:  if (fc) out_count(o, fc->origins); break;
	case S_FC_ROWS:     if (fc) out_count(o, fc->rows_written); break;
	case S_FC_MESSAGE:  if (fc) tmpl_text(o, fc->message); break;
	default: break;
	}
	return 0;
}

static int
status_section(size_t key, size_t i, void *arg)
{
	struct status_arg *s = arg;

	switch ((enum skey)key) {
	case S_REASONS:
		s->reason = i;
		return i < s->nreasons;
	case S_RUNS:
		s->run = i;
		return i < s->nruns;
	case S_FAILED:
		s->file = i;
		return i < s->nfiles;
	case S_FC_RUNS:
		s->fc = i;
		return i < s->nfc_runs;
	default:
		break;
	}
	if (i > 0)
		return 0;
	switch ((enum skey)key) {
	case S_STALE:      return s->f->stale;
	case S_HAS_RUNS:   return s->nruns > 0;
	case S_HAS_FAILED: return s->nfiles > 0;
	case S_RUN_BAD:
		return s->run < s->nruns &&
		    strcmp(s->runs[s->run].status, "ok") != 0 &&
		    strcmp(s->runs[s->run].status, "running") != 0;
	case S_FILE_FIXED:
		return s->file < s->nfiles && s->files[s->file].fixed_by > 0;
	case S_HAS_FC_RUNS: return s->nfc_runs > 0;
	case S_FC_BAD:
		return s->fc < s->nfc_runs &&
		    strcmp(s->fc_runs[s->fc].status, "ok") != 0 &&
		    strcmp(s->fc_runs[s->fc].status, "running") != 0;
	default:
		return 0;
	}
}

void
status_page(struct page_req *pr)
{
	struct portal *p = pr->p;
	struct freshness f;
	struct status_arg s;
	struct tmpl_cbs cbs = { status_var, status_section, &s };
	struct page_meta m = { "Status", "Whether the data is up to date, and "
	    "the last runs of the programs that refresh it and its forecasts.",
	    NAV_NONE, NULL };
	struct http_resp h = { 200, NULL, HTTP_CACHE_NONE, 0, NULL };

	memset(&s, 0, sizeof s);
	s.pr = pr;
	s.f = &f;
	if (freshness(p, pr->a, time(NULL), &f) != 0 ||
	    explain(&s, pr->a, p->stale_hours, p->meta.newest) != 0 ||
	    query_status_runs(p->qs, pr->a, STATUS_RUNS, &s.runs, &s.nruns) != 0 ||
	    query_status_failed(p->qs, pr->a, STATUS_RUNS, STATUS_FILES, &s.files,
	    &s.nfiles) != 0 ||
	    query_status_forecast_runs(p->qs, pr->a, STATUS_FC_RUNS, &s.fc_runs,
	    &s.nfc_runs) != 0) {
		error_page(pr->r, pr->out, 500, NULL, 0);
		return;
	}
	if (http_headers(pr->r, pr->out, &h))
		page_render(pr->r, pr->out, &m, status_tmpl, &cbs);
}
