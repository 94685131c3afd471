/* intake_live: the live figures' JSON and the nchan publisher (see intake_live.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pthread.h>

#include <curl/curl.h>

#include "base/log.h"
#include "intake/intake_live.h"
#include "web/json_writer.h"

static void
area_list(struct jw *w, const struct live_figures *f, size_t n, int with_other)
{
	jw_arr(w);
	for (size_t i = 0; i < f->nareas && i < n; i++) {
		jw_obj(w);
		jw_kstr(w, "area", f->areas[i].key);
		jw_kint(w, "cases", f->areas[i].n);
		jw_end_obj(w);
	}
	if (with_other && f->other > 0) {
		jw_obj(w);
		jw_kstr(w, "area", "other");
		jw_kint(w, "cases", f->other);
		jw_end_obj(w);
	}
	jw_end_arr(w);
}

static void
choice_counts(struct jw *w, const char *const *choices, const long long *n)
{
	jw_obj(w);
	for (size_t i = 0; choices[i] != NULL; i++)
		jw_kint(w, choices[i], n[i]);
	jw_end_obj(w);
}

void
live_json(struct sink *out, const struct live_figures *f)
{
	struct jw w;

	if (jw_open(&w, out, 0) != 0) {
		out->failed = 1;
		return;
	}
	jw_obj(&w);
	jw_kint(&w, "last_id", f->last_id);
	jw_kint(&w, "total", f->total);
	jw_key(&w, "top");
	area_list(&w, f, 3, 0);
	jw_key(&w, "areas");
	area_list(&w, f, LIVE_TOP_AREAS, 1);
	jw_key(&w, "age");
	jw_obj(&w);
	for (int i = 0; i < INTAKE_AGE_BANDS; i++)
		jw_kint(&w, intake_age_band_label(i), f->age[i]);
	jw_end_obj(&w);
	jw_key(&w, "infectedtype");
	choice_counts(&w, intake_infectedtypes, f->by_type);
	jw_key(&w, "state");
	choice_counts(&w, intake_states, f->by_state);
	jw_key(&w, "last");
	jw_arr(&w);
	for (size_t i = 0; i < f->nlast; i++) {
		const struct live_case *c = &f->last[i];
		jw_obj(&w);
		jw_kint(&w, "id", c->id);
		jw_kstr(&w, "location", c->location);
		jw_kstr(&w, "age_range", intake_age_band_label(c->age_band));
		jw_kstr(&w, "infectedtype", c->infectedtype);
		jw_kstr(&w, "state", c->state);
		jw_kstr(&w, "received_at", c->received_at);
		jw_end_obj(&w);
	}
	jw_end_arr(&w);
	jw_end_obj(&w);
	if (jw_failed(&w))
		out->failed = 1;
	jw_close(&w);
}

/* The publisher: the request path only marks the figures changed
 * (live_changed); a thread of the worker's own reads them from a
 * connection of its own and POSTs them, to one channel at a time. The
 * reading is the thread's so that a commit does not pay for it: under load
 * the commits within one interval become one event carrying the figures
 * as the newest of them left them (coalesced), read after it committed.
 * Changes are counted (version); each channel remembers the count its
 * last event carried, and the figures read are kept with theirs, so the
 * channels sent in one round share a read when nothing changed between. */
struct live_publisher {
	CURL              *curl;
	struct curl_slist *headers;
	time_t             last_complaint;
	long               interval_ms;
	const char        *db_path;
	struct intake_db  *db;           /* the thread's, opened on first need */
	char              *url[LIVE_SHARDS];
	unsigned long      sent[LIVE_SHARDS];   /* the version each carried */
	pthread_t          thread;
	int                started;
	pthread_mutex_t    mu;
	pthread_cond_t     cv;
	unsigned long      version;      /* changes so far (under mu) */
	int                stop;
};

static size_t
discard(char *p, size_t size, size_t n, void *ctx)
{
	(void)p;
	(void)ctx;
	return size * n;
}

/* One POST to channel k; 0 when nchan took it. */
static int
post_once(struct live_publisher *p, int k, const char *json, size_t len)
{
	long code = 0;
	CURLcode rc;

	curl_easy_setopt(p->curl, CURLOPT_URL, p->url[k]);
	curl_easy_setopt(p->curl, CURLOPT_POSTFIELDS, json);
	curl_easy_setopt(p->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	rc = curl_easy_perform(p->curl);
	if (rc == CURLE_OK)
		curl_easy_getinfo(p->curl, CURLINFO_RESPONSE_CODE, &code);
	if (rc == CURLE_OK && code >= 200 && code < 300)
		return 0;
	if (time(NULL) - p->last_complaint >= 60) {
		p->last_complaint = time(NULL);
		log_warn("intake: publishing to /live/events failed (%s, HTTP %ld); "
		    "the cases are stored, subscribers catch up on the next commit",
		    rc != CURLE_OK ? curl_easy_strerror(rc) : "refused", code);
	}
	return -1;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0)
		;
}

/* The figures as they are now, as JSON in m; 0, or -1 (logged). */
static int
read_json(struct live_publisher *p, struct arena *a, struct membuf *m)
{
	struct live_figures f;
	struct sink s = membuf_sink(m);

	if (p->db == NULL && (p->db = intake_db_open(p->db_path, "NORMAL")) == NULL)
		return -1;
	m->len = 0;
	arena_reset(a);
	if (intake_db_figures(p->db, a, &f) != 0)
		return -1;
	live_json(&s, &f);
	return s.failed ? -1 : 0;
}

/* The next channel whose last event is older than version, from k on in
 * turn; -1 when every channel has it. */
static int
next_stale(const struct live_publisher *p, int k, unsigned long version)
{
	for (int i = 0; i < LIVE_SHARDS; i++) {
		int c = (k + i) % LIVE_SHARDS;
		if (p->sent[c] != version)
			return c;
	}
	return -1;
}

static void *
publisher_main(void *arg)
{
	struct live_publisher *p = arg;
	struct arena a = { 0 };
	struct membuf m = { 0 };
	unsigned long have = 0;         /* the version m holds (0: none) */
	int k = 0;

	for (;;) {
		unsigned long v;
		int c, stopping;

		pthread_mutex_lock(&p->mu);
		while ((c = next_stale(p, k, p->version)) < 0 && !p->stop)
			pthread_cond_wait(&p->cv, &p->mu);
		v = p->version;
		stopping = p->stop;     /* read under the lock: close() writes it */
		pthread_mutex_unlock(&p->mu);
		if (c < 0)
			break;
		/* Read after the change counted: the figures hold every commit
		 * up to v, perhaps more. */
		if (have != v)
			have = read_json(p, &a, &m) == 0 ? v : 0;
		if (have == v)
			post_once(p, c, m.data, m.len);
		/* Sent or not, the channel waits for the next change: a failed
		 * POST is logged, and the next commit's event carries it all. */
		p->sent[c] = v;
		k = (c + 1) % LIVE_SHARDS;
		/* A channel at most once per interval: the channels in turn,
		 * an LIVE_SHARDS'th of it apart. */
		if (p->interval_ms > 0 && !stopping)
			sleep_ms(p->interval_ms / LIVE_SHARDS);
	}
	intake_db_close(p->db);
	p->db = NULL;
	membuf_free(&m);
	arena_free(&a);
	return NULL;
}

struct live_publisher *
live_publisher_open(const char *url, const char *sock, long interval_ms,
    const char *db_path)
{
	struct live_publisher *p;

	if (url == NULL || *url == '\0')
		return NULL;
	if ((p = calloc(1, sizeof *p)) == NULL || (p->curl = curl_easy_init()) == NULL ||
	    (p->headers = curl_slist_append(NULL,
	    "Content-Type: application/json")) == NULL) {
		log_err("intake: cannot set up the live publisher");
		live_publisher_close(p);
		return NULL;
	}
	p->interval_ms = interval_ms;
	p->db_path = db_path;
	for (int k = 0; k < LIVE_SHARDS; k++) {
		size_t n = strlen(url) + 4;
		if ((p->url[k] = malloc(n)) == NULL) {
			log_err("intake: cannot set up the live publisher");
			live_publisher_close(p);
			return NULL;
		}
		if (k == 0)
			snprintf(p->url[k], n, "%s", url);
		else
			snprintf(p->url[k], n, "%s/%d", url, k);
	}
	if (curl_easy_setopt(p->curl, CURLOPT_PROTOCOLS_STR, "http") != CURLE_OK ||
	    (sock != NULL && *sock != '\0' &&
	    curl_easy_setopt(p->curl, CURLOPT_UNIX_SOCKET_PATH, sock) != CURLE_OK) ||
	    curl_easy_setopt(p->curl, CURLOPT_HTTPHEADER, p->headers) != CURLE_OK ||
	    curl_easy_setopt(p->curl, CURLOPT_CONNECTTIMEOUT_MS, 500L) != CURLE_OK ||
	    curl_easy_setopt(p->curl, CURLOPT_TIMEOUT_MS, 1000L) != CURLE_OK ||
	    curl_easy_setopt(p->curl, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    curl_easy_setopt(p->curl, CURLOPT_WRITEFUNCTION, discard) != CURLE_OK) {
		log_err("intake: libcurl refused the publisher's settings");
		live_publisher_close(p);
		return NULL;
	}
	if (pthread_mutex_init(&p->mu, NULL) != 0 || pthread_cond_init(&p->cv, NULL) != 0 ||
	    pthread_create(&p->thread, NULL, publisher_main, p) != 0) {
		log_err("intake: cannot start the live publisher");
		live_publisher_close(p);
		return NULL;
	}
	p->started = 1;
	return p;
}

void
live_publisher_close(struct live_publisher *p)
{
	if (p == NULL)
		return;
	if (p->started) {
		/* The figures still in the slot go out first. */
		pthread_mutex_lock(&p->mu);
		p->stop = 1;
		pthread_cond_signal(&p->cv);
		pthread_mutex_unlock(&p->mu);
		pthread_join(p->thread, NULL);
		pthread_cond_destroy(&p->cv);
		pthread_mutex_destroy(&p->mu);
	}
	if (p->curl != NULL)
		curl_easy_cleanup(p->curl);
	curl_slist_free_all(p->headers);
	for (int k = 0; k < LIVE_SHARDS; k++)
		free(p->url[k]);
	free(p);
}

void
live_changed(struct live_publisher *p)
{
	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	p->version++;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}
