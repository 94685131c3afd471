/* notify: tells a webhook (Slack-compatible: POST {"text": "..."}) when an
 * ingest run fails, and when the next run succeeds again. Whether the run
 * before failed comes from the job log (ingest_run), so it holds across
 * runs and reboots. A webhook that is down, slow or refuses the message is
 * a warning in the log: it never changes the ingest's exit status. */
#ifndef COVID_NOTIFY_H
#define COVID_NOTIFY_H

#include <stddef.h>
#include <time.h>

#include "base/sink.h"
#include "store/store.h"

/* s as the inside of a JSON string: '"', '\\' and control characters
 * escaped; valid UTF-8 kept as it is; each byte that is not part of valid
 * UTF-8 becomes U+FFFD, so the body is always valid JSON in UTF-8. */
void json_escape(struct sink *out, const char *s);

enum notify_kind { NOTIFY_NONE, NOTIFY_FAILED, NOTIFY_RECOVERED };

/* Whether to tell, and what. run is this run (NULL: none was recorded,
 * e.g. the database did not open), prev the finished run before it (or
 * NULL), exit_status the program's. The text goes into buf. */
enum notify_kind notify_decide(const struct run_record *run,
    const struct run_record *prev, int exit_status, const char *host,
    char *buf, size_t len);

/* POSTs {"text": text} as application/json to an http(s) url, with a
 * connect and total timeout (COVID_NOTIFY_TIMEOUT seconds, default 10).
 * 0 when the webhook answered 2xx; else -1 after a warning. libcurl must be
 * initialised (fetch_global_init). */
int notify_post(const char *url, const char *text);

/* The whole step after a run: finds this run in the job log of db_path (the
 * newest by this process's pid started at or after since), the finished run
 * before it, decides, posts. Logs; never fails. */
void notify_after_run(const char *url, const char *db_path, time_t since,
    int exit_status);

/* Whether url is one notify_post takes: http:// or https://, no spaces or
 * control characters. */
int notify_url_ok(const char *url);

#endif
