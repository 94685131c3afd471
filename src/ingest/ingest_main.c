/* covid-ingest: loads JHU CSSE daily reports into the SQLite database.
 * This file is the command line only; the run itself is ingest.c. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "base/env.h"
#include "base/log.h"
#include "ingest/fetch.h"
#include "ingest/ingest.h"
#include "ingest/notify.h"

#define DEFAULT_SOURCE "https://raw.githubusercontent.com/CSSEGISandData/" \
	"COVID-19/master/csse_covid_19_data/csse_covid_19_daily_reports"

static const char usage_text[] =
"usage: covid-ingest --db PATH [--source URL] [--lookup URL]\n"
"                    [--series URL | --no-series]\n"
"                    [--from YYYY-MM-DD --to YYYY-MM-DD [--skip-missing]]\n"
"                    [--notify URL]\n"
"\n"
"Loads JHU CSSE COVID-19 daily reports (MM-DD-YYYY.csv), then JHU's time\n"
"series (time_series_covid19_*.csv), into the SQLite database PATH,\n"
"creating or migrating it as needed.\n"
"\n"
"  --db PATH        the database (a lock file PATH.lock sits next to it)\n"
"  --source URL     http://, https:// or file:// folder of the daily reports\n"
"                   (default: JHU's csse_covid_19_daily_reports on GitHub)\n"
"  --lookup URL     UID_ISO_FIPS_LookUp_Table.csv (default: the folder above\n"
"                   --source, as in JHU's layout)\n"
"  --series URL     folder of the five time series files (default:\n"
"                   csse_covid_19_time_series beside --source, as in JHU's\n"
"                   layout); a file it lacks is a warning, not a failure\n"
"  --no-series      load the daily reports only\n"
"  --from, --to     try every date in this range (from " INGEST_FIRST_DATE "),\n"
"                   reloading the ones the source has revised; without them,\n"
"                   load the dates after the newest one loaded, up to the\n"
"                   first one the source does not have\n"
"  --skip-missing   with --from/--to: a date the source lacks is skipped\n"
"                   instead of failing\n"
"  --notify URL     POST a JSON message ({\"text\": ...}, as Slack's incoming\n"
"                   webhooks take) to URL when the run fails, and when it\n"
"                   succeeds after a failed run (default: COVID_NOTIFY_URL);\n"
"                   a webhook that fails is a warning, never a failed run\n"
"  --help           this text\n"
"\n"
"Exit status: 0 every date and series file tried loaded or was unchanged (or\n"
"nothing was new), 1 some date or series file failed, 2 bad usage, 75 another\n"
"covid-ingest holds the lock.\n"
"Environment: COVID_FETCH_CONNECT_TIMEOUT, COVID_FETCH_TIMEOUT,\n"
"COVID_FETCH_LOW_SPEED_LIMIT, COVID_FETCH_LOW_SPEED_TIME (seconds, bytes/s),\n"
"COVID_FETCH_MAX_BODY (bytes) override the download limits;\n"
"COVID_INGEST_BATCH_ROWS, COVID_INGEST_BATCH_SECONDS how much a backfill\n"
"commits at once;\n"
"COVID_NOTIFY_TIMEOUT (seconds, default 10) bounds a notification.\n";

static int
usage_error(const char *msg, const char *arg)
{
	if (arg != NULL)
		log_err("%s: '%s'", msg, arg);
	else
		log_err("%s", msg);
	fputs("Try 'covid-ingest --help'.\n", stderr);
	return -1;
}

/* A positive integer from the environment into *v (unchanged when unset);
 * a bad one stops the run before it starts. */
static int
env_positive(const char *name, long *v)
{
	if (env_long(name, *v, 1, LONG_MAX, v) != 0)
		return usage_error("environment variable must be a positive integer", name);
	return 0;
}

static int
limits_from_env(struct fetch_limits *l)
{
	long max = (long)(l->max_body > (size_t)LONG_MAX ? LONG_MAX : (long)l->max_body);

	if (env_positive("COVID_FETCH_CONNECT_TIMEOUT", &l->connect_timeout_s) != 0 ||
	    env_positive("COVID_FETCH_TIMEOUT", &l->total_timeout_s) != 0 ||
	    env_positive("COVID_FETCH_LOW_SPEED_LIMIT", &l->low_speed_bytes) != 0 ||
	    env_positive("COVID_FETCH_LOW_SPEED_TIME", &l->low_speed_time_s) != 0 ||
	    env_positive("COVID_FETCH_MAX_BODY", &max) != 0)
		return -1;
	l->max_body = (size_t)max;
	return 0;
}

static int
valid_url(const char *u)
{
	return (strncasecmp(u, "http://", 7) == 0 || strncasecmp(u, "https://", 8) == 0 ||
	    strncasecmp(u, "file://", 7) == 0) && strpbrk(u, "?# \t\r\n") == NULL;
}

static int
date_arg(const char *s, const char *opt, long *day)
{
	long first;
	char msg[64];

	ingest_parse_date(INGEST_FIRST_DATE, &first);
	if (ingest_parse_date(s, day) != 0) {
		snprintf(msg, sizeof msg, "%s needs a real date as YYYY-MM-DD", opt);
		return usage_error(msg, s);
	}
	if (*day < first) {
		snprintf(msg, sizeof msg, "%s is before the first JHU report, "
		    INGEST_FIRST_DATE, opt);
		return usage_error(msg, s);
	}
	if (*day > ingest_today()) {
		snprintf(msg, sizeof msg, "%s is in the future", opt);
		return usage_error(msg, s);
	}
	return 0;
}

/* --notify, else COVID_NOTIFY_URL; NULL: no notifications. */
static const char *notify_url;

/* Storage for the URLs ingest_opts points to. */
struct urls {
	char source[4096];
	char lookup[4200];
	char series[4200];
};

/* Fills o from argv. Returns 1 for --help, 0 to run, -1 on bad usage. */
static int
parse_args(int argc, char **argv, struct ingest_opts *o, struct urls *u)
{
	static const struct option longopts[] = {
		{ "db",           required_argument, NULL, 'd' },
		{ "source",       required_argument, NULL, 's' },
		{ "lookup",       required_argument, NULL, 'l' },
		{ "series",       required_argument, NULL, 'S' },
		{ "no-series",    no_argument,       NULL, 'N' },
		{ "from",         required_argument, NULL, 'f' },
		{ "to",           required_argument, NULL, 't' },
		{ "skip-missing", no_argument,       NULL, 'k' },
		{ "notify",       required_argument, NULL, 'n' },
		{ "help",         no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *from = NULL, *to = NULL;
	int no_series = 0;
	size_t n;
	int c;

	memset(o, 0, sizeof *o);
	o->source = DEFAULT_SOURCE;
	opterr = 0;     /* our own messages, with the log prefix */
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': o->db_path = optarg; break;
		case 's': o->source = optarg; break;
		case 'l': o->lookup = optarg; break;
		case 'S': o->series = optarg; break;
		case 'N': no_series = 1; break;
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		case 'k': o->skip_missing = 1; break;
		case 'n': notify_url = optarg; break;
		case 'h': return 1;
		case ':': return usage_error("option needs a value", argv[optind - 1]);
		default:  return usage_error("unknown option", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument", argv[optind]);
	if (o->db_path == NULL || o->db_path[0] == '\0')
		return usage_error("--db PATH is required", NULL);
	if (!valid_url(o->source))
		return usage_error("--source must be an http://, https:// or file:// "
		    "URL without query or fragment", o->source);
	if (o->lookup != NULL && !valid_url(o->lookup))
		return usage_error("--lookup must be an http://, https:// or file:// "
		    "URL without query or fragment", o->lookup);
	if (o->series != NULL && no_series)
		return usage_error("--series and --no-series go apart", NULL);
	if (o->series != NULL && !valid_url(o->series))
		return usage_error("--series must be an http://, https:// or file:// "
		    "URL without query or fragment", o->series);
	if (notify_url != NULL && !notify_url_ok(notify_url))
		return usage_error("--notify must be an http:// or https:// URL",
		    notify_url);
	if (notify_url == NULL) {
		/* The systemd unit sets it, maybe empty. A bad one only loses
		 * the notifications: it must not stop the run. */
		const char *env = getenv("COVID_NOTIFY_URL");
		if (env != NULL && *env != '\0' && !notify_url_ok(env))
			log_warn("COVID_NOTIFY_URL is not an http:// or https:// URL; "
			    "no notifications");
		else if (env != NULL && *env != '\0')
			notify_url = env;
	}
	if ((from == NULL) != (to == NULL))
		return usage_error("--from and --to go together", NULL);
	if (o->skip_missing && from == NULL)
		return usage_error("--skip-missing needs --from and --to", NULL);
	if (from != NULL) {
		if (date_arg(from, "--from", &o->from) != 0 ||
		    date_arg(to, "--to", &o->to) != 0)
			return -1;
		if (o->from > o->to)
			return usage_error("--from is after --to", NULL);
		o->have_range = 1;
	}
	/* The folder URL without trailing slashes: file names are appended. */
	n = strlen(o->source);
	while (n > 0 && o->source[n - 1] == '/')
		n--;
	if (n >= sizeof u->source)
		return usage_error("--source is too long", NULL);
	memcpy(u->source, o->source, n);
	u->source[n] = '\0';
	o->source = u->source;
	if (o->lookup == NULL) {
		if (ingest_default_lookup(o->source, u->lookup, sizeof u->lookup) != 0)
			return usage_error("cannot derive the lookup table's URL from "
			    "--source; give --lookup", o->source);
		o->lookup = u->lookup;
	}
	if (!no_series) {
		if (o->series == NULL) {
			if (ingest_default_series(o->source, u->series,
			    sizeof u->series) != 0)
				return usage_error("cannot derive the time series' URL "
				    "from --source; give --series or --no-series",
				    o->source);
		} else {
			n = strlen(o->series);
			while (n > 0 && o->series[n - 1] == '/')
				n--;
			if (n >= sizeof u->series)
				return usage_error("--series is too long", NULL);
			memcpy(u->series, o->series, n);
			u->series[n] = '\0';
		}
		o->series = u->series;
	}
	fetch_limits_default(&o->limits);
	if (limits_from_env(&o->limits) != 0 ||
	    env_positive("COVID_INGEST_BATCH_ROWS", &o->batch_rows) != 0 ||
	    env_positive("COVID_INGEST_BATCH_SECONDS", &o->batch_seconds) != 0)
		return -1;
	o->progress = isatty(STDERR_FILENO);
	return 0;
}

int
main(int argc, char **argv)
{
	struct ingest_opts o;
	struct urls u;
	time_t started = time(NULL);
	int rc;

	switch (parse_args(argc, argv, &o, &u)) {
	case 1:
		fputs(usage_text, stdout);
		return INGEST_EXIT_OK;
	case -1:
		return INGEST_EXIT_USAGE;
	}
	signal(SIGPIPE, SIG_IGN);   /* libcurl with CURLOPT_NOSIGNAL */
	if (fetch_global_init() != 0) {
		log_err("cannot initialise libcurl");
		return INGEST_EXIT_FAILED;
	}
	rc = ingest_run(&o);
	if (notify_url != NULL)
		notify_after_run(notify_url, o.db_path, started, rc);
	fetch_global_cleanup();
	return rc;
}
