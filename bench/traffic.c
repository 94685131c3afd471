/* traffic: generated case-report traffic for the intake (issue 16), with
 * libcurl's multi interface: USERS simulated writers, started SPAWN_RATE a
 * second, each POSTing one random record of the file at a time to URL for
 * DURATION seconds (closed loop: the next as soon as the answer is in);
 * READERS clients loading READ_URL (/live) meanwhile, each as fast as it
 * answers, or once every READ_EVERY_MS milliseconds (a browser on /live
 * loads it about once a second: its script's pace, at most); SSE connections held
 * open on SSE_URL (/live/events), the first of which measures how long a
 * case takes from its 201 to an event that includes it; with SSE_SHARDS
 * (8, as live.js) connection i subscribes to SSE_URL?shard=i%SSE_SHARDS,
 * spread over the live channels as browsers are.
 *
 *   traffic FILE.json [key=value ...]
 *
 * FILE.json: {"users": 64, "spawn_rate": 64, "duration": 10, "url": "...",
 * "token": "..." or "token_file": "...", "readers": 16, "read_url": "...",
 * "read_every_ms": 0,
 * "sse": 0, "sse_url": "...", "sse_shards": 0, "records": [ {case}, ... ]}; a key=value
 * argument overrides the file's (numbers and strings alike). Prints one
 * line "key value" per figure: accepted, accepted_per_s, the latency
 * percentiles of the POSTs, counts by status, 5xx, transport errors, the
 * readers' rate and p99, SSE events and the 201-to-event latency, and its
 * own CPU time (self_cpu_s). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/resource.h>

#include <curl/curl.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

enum kind { K_WRITER, K_READER, K_SSE };

struct conn {
	enum kind          kind;
	CURL              *h;
	struct curl_slist *hdr;
	double             t0;
	char               buf[512];   /* a writer's answer; an SSE line */
	size_t             len;
	int                first_sse;
	int                waiting;    /* a reader between two loads */
	double             due;        /* when it loads next */
};

struct stats {
	double *v;
	size_t  n, cap;
};

static struct {
	long users, spawn, duration, readers, sse, read_every_ms, sse_shards;
	long sse_made;
	const char *url, *token, *read_url, *sse_url;
	char **bodies;
	size_t nbodies;
	/* 201 times by case id (id % ID_SLOTS), for the SSE latency. */
	double *t201;
	long long max_seen;
	struct stats post, read, sse_lat;
	long status[600];
	long errors, read_errors, sse_events, sse_open, sse_closed;
	long accepted;
	int stopping;
} G;

enum { ID_SLOTS = 1 << 22 };

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
add(struct stats *s, double v)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 4096;
		if ((s->v = realloc(s->v, s->cap * sizeof *s->v)) == NULL) {
			perror("traffic");
			exit(1);
		}
	}
	s->v[s->n++] = v;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
pct(struct stats *s, double p)
{
	if (s->n == 0)
		return NAN;
	return s->v[(size_t)fmin((double)s->n - 1, floor(p / 100 * (double)s->n))];
}

/* Settings: the file's, then key=value arguments. */
static const char *
setting(yajl_val root, int argc, char **argv, const char *key)
{
	const char *path[] = { key, NULL };
	size_t klen = strlen(key);
	yajl_val v;

	for (int i = argc - 1; i >= 2; i--)
		if (strncmp(argv[i], key, klen) == 0 && argv[i][klen] == '=')
			return argv[i] + klen + 1;
	v = yajl_tree_get(root, path, yajl_t_any);
	if (v == NULL)
		return NULL;
	if (YAJL_IS_STRING(v))
		return YAJL_GET_STRING(v);
	if (YAJL_IS_NUMBER(v))
		return YAJL_GET_NUMBER(v);
	return NULL;
}

static long
num(yajl_val root, int argc, char **argv, const char *key, long def)
{
	const char *s = setting(root, argc, argv, key);

	return s ? strtol(s, NULL, 10) : def;
}

static void
gen_value(yajl_gen g, yajl_val v)
{
	if (YAJL_IS_STRING(v))
		yajl_gen_string(g, (const unsigned char *)v->u.string,
		    strlen(v->u.string));
	else if (YAJL_IS_NUMBER(v))
		yajl_gen_number(g, YAJL_GET_NUMBER(v), strlen(YAJL_GET_NUMBER(v)));
	else if (YAJL_IS_OBJECT(v)) {
		yajl_gen_map_open(g);
		for (size_t i = 0; i < v->u.object.len; i++) {
			yajl_gen_string(g, (const unsigned char *)v->u.object.keys[i],
			    strlen(v->u.object.keys[i]));
			gen_value(g, v->u.object.values[i]);
		}
		yajl_gen_map_close(g);
	} else if (YAJL_IS_TRUE(v) || YAJL_IS_FALSE(v))
		yajl_gen_bool(g, YAJL_IS_TRUE(v));
	else
		yajl_gen_null(g);
}

/* Each record as the body of one POST. */
static void
load_records(yajl_val root)
{
	const char *path[] = { "records", NULL };
	yajl_val recs = yajl_tree_get(root, path, yajl_t_array);

	if (recs == NULL || recs->u.array.len == 0) {
		fprintf(stderr, "traffic: the file has no \"records\" array\n");
		exit(2);
	}
	G.nbodies = recs->u.array.len;
	G.bodies = calloc(G.nbodies, sizeof *G.bodies);
	for (size_t i = 0; i < G.nbodies; i++) {
		yajl_gen g = yajl_gen_alloc(NULL);
		const unsigned char *out;
		size_t len;

		gen_value(g, recs->u.array.values[i]);
		yajl_gen_get_buf(g, &out, &len);
		G.bodies[i] = strndup((const char *)out, len);
		yajl_gen_free(g);
	}
}

static size_t
writer_body(char *p, size_t size, size_t n, void *ctx)
{
	struct conn *c = ctx;
	size_t len = size * n, room = sizeof c->buf - 1 - c->len;

	memcpy(c->buf + c->len, p, len < room ? len : room);
	c->len += len < room ? len : room;
	c->buf[c->len] = '\0';
	return len;
}

static size_t
discard(char *p, size_t size, size_t n, void *ctx)
{
	(void)p;
	(void)ctx;
	return size * n;
}

/* An event's "last_id": the first SSE connection counts each case it makes
 * visible, from its 201. */
static void
sse_line(struct conn *c, const char *line)
{
	const char *p;
	long long id;

	if (strncmp(line, "data: ", 6) != 0)
		return;
	G.sse_events++;
	if (!c->first_sse || (p = strstr(line, "\"last_id\":")) == NULL)
		return;
	id = strtoll(p + 10, NULL, 10);
	for (long long i = G.max_seen + 1; i <= id && G.max_seen > 0; i++) {
		double t = G.t201[i % ID_SLOTS];
		if (t > 0)
			add(&G.sse_lat, now() - t);
	}
	if (id > G.max_seen)
		G.max_seen = id;
}

static size_t
sse_body(char *p, size_t size, size_t n, void *ctx)
{
	struct conn *c = ctx;
	size_t len = size * n;

	for (size_t i = 0; i < len; i++) {
		if (p[i] == '\n') {
			c->buf[c->len] = '\0';
			sse_line(c, c->buf);
			c->len = 0;
		} else if (c->len < sizeof c->buf - 1)
			c->buf[c->len++] = p[i];
	}
	return len;
}

static void
start(CURLM *m, struct conn *c)
{
	c->len = 0;
	c->t0 = now();
	if (c->kind == K_WRITER) {
		const char *b = G.bodies[(size_t)rand() % G.nbodies];
		curl_easy_setopt(c->h, CURLOPT_POSTFIELDS, b);
		curl_easy_setopt(c->h, CURLOPT_POSTFIELDSIZE, (long)strlen(b));
	}
	curl_multi_add_handle(m, c->h);
}

static struct conn *
conn_new(enum kind k)
{
	struct conn *c = calloc(1, sizeof *c);
	char auth[600];

	c->kind = k;
	c->h = curl_easy_init();
	curl_easy_setopt(c->h, CURLOPT_PRIVATE, c);
	curl_easy_setopt(c->h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c->h, CURLOPT_WRITEDATA, c);
	if (k == K_WRITER) {
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", G.token);
		c->hdr = curl_slist_append(NULL, "Content-Type: application/json");
		c->hdr = curl_slist_append(c->hdr, auth);
		curl_easy_setopt(c->h, CURLOPT_URL, G.url);
		curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, c->hdr);
		curl_easy_setopt(c->h, CURLOPT_WRITEFUNCTION, writer_body);
		curl_easy_setopt(c->h, CURLOPT_TIMEOUT, 30L);
	} else if (k == K_READER) {
		curl_easy_setopt(c->h, CURLOPT_URL, G.read_url);
		curl_easy_setopt(c->h, CURLOPT_WRITEFUNCTION, discard);
		curl_easy_setopt(c->h, CURLOPT_TIMEOUT, 30L);
	} else {
		char url[1024];
		if (G.sse_shards > 0)
			snprintf(url, sizeof url, "%s?shard=%ld", G.sse_url,
			    G.sse_made % G.sse_shards);
		else
			snprintf(url, sizeof url, "%s", G.sse_url);
		G.sse_made++;
		c->hdr = curl_slist_append(NULL, "Accept: text/event-stream");
		curl_easy_setopt(c->h, CURLOPT_URL, url);
		curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, c->hdr);
		curl_easy_setopt(c->h, CURLOPT_WRITEFUNCTION, sse_body);
	}
	return c;
}

/* A writer's answer: its status, latency and (for a 201) its ids' time. */
static void
writer_done(struct conn *c, CURLcode rc, double t)
{
	long code = 0;
	const char *p;

	if (rc != CURLE_OK) {
		G.errors++;
		return;
	}
	curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &code);
	if (code > 0 && code < 600)
		G.status[code]++;
	add(&G.post, t - c->t0);
	if (code == 201 && (p = strstr(c->buf, "\"ids\":[")) != NULL) {
		for (p += 7; *p >= '0' && *p <= '9'; ) {
			char *end;
			long long id = strtoll(p, &end, 10);
			G.t201[id % ID_SLOTS] = t;
			G.accepted++;
			p = *end == ',' ? end + 1 : end;
		}
	}
}

static void
run(void)
{
	CURLM *m = curl_multi_init();
	long spawned = 0;
	double t_start = now(), t_end = t_start + (double)G.duration, t_stop = 0;
	int running = 1;
	struct conn *c, **readers;
	double every = (double)G.read_every_ms / 1000.0;

	curl_multi_setopt(m, CURLMOPT_MAXCONNECTS, (long)(G.users + G.readers + G.sse + 16));
	for (long i = 0; i < G.sse; i++) {
		c = conn_new(K_SSE);
		c->first_sse = i == 0;
		start(m, c);
	}
	readers = calloc((size_t)G.readers + 1, sizeof *readers);
	for (long i = 0; i < G.readers; i++) {
		readers[i] = conn_new(K_READER);
		/* Paced readers start spread over one period. */
		readers[i]->waiting = 1;
		readers[i]->due = t_start + every * (double)i / (double)G.readers;
	}
	while (running || !G.stopping) {
		double t = now();
		CURLMsg *msg;
		int left;

		for (long i = 0; i < G.readers && !G.stopping; i++)
			if (readers[i]->waiting && t >= readers[i]->due) {
				readers[i]->waiting = 0;
				start(m, readers[i]);
			}

		if (!G.stopping) {
			long want = G.spawn > 0 ? (long)((t - t_start) * (double)G.spawn) + 1 : G.users;
			while (spawned < G.users && spawned < want) {
				start(m, conn_new(K_WRITER));
				spawned++;
			}
			if (t >= t_end) {
				G.stopping = 1;
				t_stop = t;
			}
		}
		curl_multi_perform(m, &running);
		while ((msg = curl_multi_info_read(m, &left)) != NULL) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&c);
			curl_multi_remove_handle(m, c->h);
			t = now();
			if (c->kind == K_WRITER)
				writer_done(c, msg->data.result, t);
			else if (c->kind == K_READER) {
				long code = 0;
				curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &code);
				if (msg->data.result != CURLE_OK || code != 200)
					G.read_errors++;
				else
					add(&G.read, t - c->t0);
			}
			if (c->kind == K_SSE)
				G.sse_closed++;
			else if (c->kind == K_READER && every > 0) {
				c->waiting = 1;
				c->due = c->t0 + every;
			} else if (!G.stopping)
				start(m, c);
		}
		/* After the end: the writers finish; SSE connections stay 1 s
		 * more for the last events, then everything stops. */
		if (G.stopping && t - t_stop > 1.0 &&
		    (running <= G.sse - G.sse_closed || t - t_stop > 30))
			break;
		curl_multi_poll(m, NULL, 0, every > 0 ? 10 : 50, NULL);
	}
	free(readers);
	G.sse_open = G.sse - G.sse_closed;
	(void)m;
	G.duration = (long)ceil(t_stop - t_start);
}

int
main(int argc, char **argv)
{
	char err[256], *text, tok[600];
	FILE *fp;
	long size;
	yajl_val root;
	const char *tf;
	long n5xx = 0;

	if (argc < 2 || (fp = fopen(argv[1], "r")) == NULL) {
		fprintf(stderr, "usage: traffic FILE.json [key=value ...]\n");
		return 2;
	}
	fseek(fp, 0, SEEK_END);
	size = ftell(fp);
	rewind(fp);
	text = calloc(1, (size_t)size + 1);
	if (fread(text, 1, (size_t)size, fp) != (size_t)size)
		return 2;
	fclose(fp);
	if ((root = yajl_tree_parse(text, err, sizeof err)) == NULL) {
		fprintf(stderr, "traffic: %s: %s\n", argv[1], err);
		return 2;
	}
	G.users = num(root, argc, argv, "users", 64);
	G.read_every_ms = num(root, argc, argv, "read_every_ms", 0);
	G.spawn = num(root, argc, argv, "spawn_rate", 64);
	G.duration = num(root, argc, argv, "duration", 10);
	G.readers = num(root, argc, argv, "readers", 0);
	G.sse = num(root, argc, argv, "sse", 0);
	G.sse_shards = num(root, argc, argv, "sse_shards", 0);
	G.url = setting(root, argc, argv, "url");
	G.read_url = setting(root, argc, argv, "read_url");
	G.sse_url = setting(root, argc, argv, "sse_url");
	G.token = setting(root, argc, argv, "token");
	if ((tf = setting(root, argc, argv, "token_file")) != NULL &&
	    (fp = fopen(tf, "r")) != NULL) {
		if (fgets(tok, sizeof tok, fp) != NULL) {
			tok[strcspn(tok, "\r\n")] = '\0';
			G.token = tok;
		}
		fclose(fp);
	}
	if (G.url == NULL || G.token == NULL || (G.readers && !G.read_url) ||
	    (G.sse && !G.sse_url)) {
		fprintf(stderr, "traffic: url and token (or token_file) are needed, "
		    "read_url with readers, sse_url with sse\n");
		return 2;
	}
	load_records(root);
	G.t201 = calloc(ID_SLOTS, sizeof *G.t201);
	srand((unsigned)time(NULL));
	curl_global_init(CURL_GLOBAL_DEFAULT);
	run();
	qsort(G.post.v, G.post.n, sizeof *G.post.v, cmp);
	qsort(G.read.v, G.read.n, sizeof *G.read.v, cmp);
	qsort(G.sse_lat.v, G.sse_lat.n, sizeof *G.sse_lat.v, cmp);
	for (int s = 500; s < 600; s++)
		n5xx += G.status[s];
	printf("duration_s %ld\nrequests %zu\naccepted %ld\naccepted_per_s %.0f\n",
	    G.duration, G.post.n, G.accepted, (double)G.accepted / (double)G.duration);
	{
		/* The generator's own CPU time: it shares the machine. */
		struct rusage ru;
		getrusage(RUSAGE_SELF, &ru);
		printf("self_cpu_s %.3f\n", (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
		    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
	}
	printf("post_p50_ms %.2f\npost_p90_ms %.2f\npost_p99_ms %.2f\npost_max_ms %.2f\n",
	    pct(&G.post, 50) * 1e3, pct(&G.post, 90) * 1e3, pct(&G.post, 99) * 1e3,
	    pct(&G.post, 100) * 1e3);
	for (int s = 100; s < 600; s++)
		if (G.status[s])
			printf("status_%d %ld\n", s, G.status[s]);
	printf("status_5xx %ld\ntransport_errors %ld\n", n5xx, G.errors);
	if (G.readers)
		printf("reads %zu\nreads_per_s %.0f\nread_p99_ms %.2f\nread_errors %ld\n",
		    G.read.n, (double)G.read.n / (double)G.duration, pct(&G.read, 99) * 1e3,
		    G.read_errors);
	if (G.sse)
		printf("sse_connections %ld\nsse_open_at_end %ld\nsse_events %ld\n"
		    "sse_cases_timed %zu\nsse_p50_ms %.1f\nsse_p99_ms %.1f\nsse_max_ms %.1f\n",
		    G.sse, G.sse_open, G.sse_events, G.sse_lat.n, pct(&G.sse_lat, 50) * 1e3,
		    pct(&G.sse_lat, 99) * 1e3, pct(&G.sse_lat, 100) * 1e3);
	return n5xx || G.errors ? 1 : 0;
}
