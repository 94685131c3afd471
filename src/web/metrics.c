/* metrics: the shared request counters (see metrics.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "web/metrics.h"

/* Counters live in memory other processes map: they must be lock-free (a
 * lock inside an atomic would be per process, not shared) and the same size
 * as the plain integers, so the layout is what it says. */
_Static_assert(ATOMIC_LONG_LOCK_FREE == 2 && ATOMIC_LLONG_LOCK_FREE == 2 &&
    ATOMIC_INT_LOCK_FREE == 2, "64-bit atomics must be lock-free");
_Static_assert(sizeof(_Atomic uint64_t) == sizeof(uint64_t) &&
    sizeof(_Atomic uint32_t) == sizeof(uint32_t), "atomics have their size");

/* From half a millisecond (a cached page) to two minutes (a large XLSX
 * export; nginx gives up on the export program after 300 s). */
const double metrics_bounds[METRICS_BUCKETS] = {
	0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
	1, 2.5, 5, 10, 30, 60, 120,
};

#define MAGIC "covidmet"     /* 8 bytes, no NUL in the file */
enum {
	LAYOUT_VERSION = 2,   /* 2: the intake's commits */
	CODE_MIN = 100, CODE_MAX = 599,
	NCODES = CODE_MAX - CODE_MIN + 2,   /* the last counts anything else */
	RETRY_SECONDS = 60,
	CLAIM_SPINS = 10000,
};
enum { SLOT_FREE, SLOT_CLAIMING, SLOT_READY };

/* One (program, route). The names are written once, before the state
 * becomes SLOT_READY (release), and read only after seeing it (acquire). */
struct slot {
	_Atomic uint32_t state;
	uint32_t         pad;
	char             program[METRICS_NAME];
	char             route[METRICS_ROUTE];
	_Atomic uint64_t bytes;
	_Atomic uint64_t sum_ns;
	_Atomic uint64_t bucket[METRICS_BUCKETS + 1];   /* not cumulative */
	_Atomic uint64_t status[NCODES];                /* [code - CODE_MIN] */
};

/* Everything that decides the layout: a file whose header differs in any
 * of it is replaced. */
struct header {
	char     magic[8];
	uint32_t version, size, slots, buckets, codes, name, route, pad;
	uint64_t bound_ns[METRICS_BUCKETS];
};

/* The intake's commits (all its workers'): how long each took and how
 * many requests it stored (a group: intake_commit.h). */
struct commits {
	_Atomic uint64_t sum_ns, requests;
	_Atomic uint64_t bucket[METRICS_BUCKETS + 1];        /* not cumulative */
	_Atomic uint64_t group[METRICS_GROUP_BUCKETS + 1];   /* not cumulative */
};

struct layout {
	struct header    h;
	_Atomic uint64_t dropped;   /* requests no slot could take */
	struct commits   commits;
	struct slot      slot[METRICS_SLOTS];
};

struct metrics_file {
	struct layout *l;
	char           path[PATH_MAX];
};

static void
header_want(struct header *h)
{
	memset(h, 0, sizeof *h);
	memcpy(h->magic, MAGIC, sizeof h->magic);
	h->version = LAYOUT_VERSION;
	h->size = (uint32_t)sizeof(struct layout);
	h->slots = METRICS_SLOTS;
	h->buckets = METRICS_BUCKETS;
	h->codes = NCODES;
	h->name = METRICS_NAME;
	h->route = METRICS_ROUTE;
	for (size_t i = 0; i < METRICS_BUCKETS; i++)
		h->bound_ns[i] = (uint64_t)(metrics_bounds[i] * 1e9 + 0.5);
}

/* Gives fd its full size with the blocks allocated, so that a full tmpfs
 * fails here rather than as SIGBUS on some later increment. */
static int
size_file(int fd)
{
	int rc = posix_fallocate(fd, 0, (off_t)sizeof(struct layout));

	if (rc == EOPNOTSUPP || rc == EINVAL)
		return ftruncate(fd, (off_t)sizeof(struct layout));
	errno = rc;
	return rc == 0 ? 0 : -1;
}

static struct layout *
map_fd(int fd)
{
	void *p = mmap(NULL, sizeof(struct layout), PROT_READ | PROT_WRITE,
	    MAP_SHARED, fd, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* Sizes an empty (or never finished) file and writes its header. Called
 * with the file locked and nobody mapping it. */
static struct layout *
init_fd(int fd)
{
	struct layout *l;
	struct header h;

	if (ftruncate(fd, 0) != 0 || size_file(fd) != 0 || (l = map_fd(fd)) == NULL)
		return NULL;
	header_want(&h);
	memcpy(&l->h, &h, sizeof h);
	return l;
}

/* A fresh file in place of path, for a file with another layout of ours:
 * running workers keep the old inode, new ones open the new. */
static struct layout *
replace(const char *path)
{
	char tmp[PATH_MAX + 8];
	struct layout *l = NULL;
	int fd;

	if (snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= (int)sizeof tmp) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	if ((fd = mkstemp(tmp)) < 0)
		return NULL;
	(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	if ((l = init_fd(fd)) == NULL || rename(tmp, path) != 0) {
		int e = errno;
		if (l != NULL)
			munmap(l, sizeof *l);
		l = NULL;
		unlink(tmp);
		errno = e;
	}
	close(fd);
	return l;
}

/* What is in the file: 0 ours and current, 1 empty or never finished,
 * 2 ours with another layout, -1 not a metrics file. */
static int
classify(int fd, off_t size)
{
	struct header have, want;
	static const char zero[8];

	if (size == 0)
		return 1;
	memset(&have, 0, sizeof have);
	if (size < (off_t)sizeof have.magic ||
	    pread(fd, &have, sizeof have, 0) < (ssize_t)sizeof have.magic)
		return -1;
	if (memcmp(have.magic, zero, sizeof zero) == 0 &&
	    size == (off_t)sizeof(struct layout))
		return 1;   /* sized, then the creator died before the header */
	if (memcmp(have.magic, MAGIC, sizeof have.magic) != 0)
		return -1;
	header_want(&want);
	if (size != (off_t)sizeof(struct layout) || memcmp(&have, &want, sizeof have) != 0)
		return 2;
	return 0;
}

struct metrics_file *
metrics_open(const char *path)
{
	struct metrics_file *m;
	struct layout *l = NULL;
	int tries;

	if (strlen(path) >= sizeof m->path) {
		log_err("metrics: path too long: %s", path);
		return NULL;
	}
	/* The loop: the file may be replaced between open and flock. */
	for (tries = 0; tries < 5 && l == NULL; tries++) {
		struct stat fst, pst;
		int fd, kind;

		if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0) {
			log_err("metrics: cannot open %s: %s (set COVID_METRICS_FILE)",
			    path, strerror(errno));
			return NULL;
		}
		if (flock(fd, LOCK_EX) != 0 || fstat(fd, &fst) != 0) {
			log_err("metrics: %s: %s", path, strerror(errno));
			close(fd);
			return NULL;
		}
		if (stat(path, &pst) != 0 || pst.st_ino != fst.st_ino ||
		    pst.st_dev != fst.st_dev) {
			close(fd);   /* replaced meanwhile: open the new one */
			continue;
		}
		switch ((kind = classify(fd, fst.st_size))) {
		case 0:
			l = map_fd(fd);
			break;
		case 1:
			l = init_fd(fd);
			break;
		case 2:
			log_warn("metrics: %s has another layout; starting a new file",
			    path);
			l = replace(path);
			break;
		default:
			log_err("metrics: %s is not a metrics file; leaving it alone",
			    path);
			close(fd);
			return NULL;
		}
		if (l == NULL)
			log_err("metrics: cannot set up %s: %s", path, strerror(errno));
		/* Explicitly: a mapping holds the open file, so close alone
		 * would keep the lock for as long as the mapping lives. */
		flock(fd, LOCK_UN);
		close(fd);
		if (l == NULL)
			return NULL;
	}
	if (l == NULL) {
		log_err("metrics: %s keeps being replaced", path);
		return NULL;
	}
	if ((m = calloc(1, sizeof *m)) == NULL) {
		munmap(l, sizeof *l);
		log_err("metrics: out of memory");
		return NULL;
	}
	m->l = l;
	snprintf(m->path, sizeof m->path, "%s", path);
	return m;
}

void
metrics_close(struct metrics_file *m)
{
	if (m == NULL)
		return;
	munmap(m->l, sizeof *m->l);
	free(m);
}

/* A slot's state once it is not being claimed. A claimer dies between its
 * two stores only if killed right there; then, after a while, the slot is
 * passed over (a second slot with the same names may follow: the reader
 * merges them). */
static uint32_t
settled(struct slot *s)
{
	uint32_t st = atomic_load_explicit(&s->state, memory_order_acquire);

	for (int i = 0; st == SLOT_CLAIMING && i < CLAIM_SPINS; i++) {
		sched_yield();
		st = atomic_load_explicit(&s->state, memory_order_acquire);
	}
	return st;
}

static int
names_are(const struct slot *s, const char *program, const char *route)
{
	return strcmp(s->program, program) == 0 && strcmp(s->route, route) == 0;
}

/* The slot for (program, route), claiming the first free one when claim is
 * set. Slots are claimed in order and never freed, so every process scanning
 * from the start meets the same slot for the same names: at most one slot
 * per names (but see settled). O(slots) string compares. */
static struct slot *
find(struct layout *l, const char *program, const char *route, int claim)
{
	for (size_t i = 0; i < METRICS_SLOTS; i++) {
		struct slot *s = &l->slot[i];
		uint32_t st = settled(s);

		if (st == SLOT_FREE) {
			uint32_t want = SLOT_FREE;
			if (!claim)
				return NULL;   /* nothing is ready beyond a free slot */
			if (atomic_compare_exchange_strong_explicit(&s->state, &want,
			    SLOT_CLAIMING, memory_order_acq_rel, memory_order_acquire)) {
				snprintf(s->program, sizeof s->program, "%s", program);
				snprintf(s->route, sizeof s->route, "%s", route);
				atomic_store_explicit(&s->state, SLOT_READY,
				    memory_order_release);
				return s;
			}
			st = want == SLOT_CLAIMING ? settled(s) : want;
		}
		if (st == SLOT_READY && names_are(s, program, route))
			return s;
	}
	return NULL;
}

static void
add(_Atomic uint64_t *c, uint64_t n)
{
	atomic_fetch_add_explicit(c, n, memory_order_relaxed);
}

void
metrics_record(struct metrics_file *m, const char *program, const char *route,
    int status, double seconds, unsigned long long bytes)
{
	char name[METRICS_NAME], label[METRICS_ROUTE];
	struct slot *s;
	size_t b;

	if (m == NULL)
		return;
	/* As stored: a slot compares its names truncated to its arrays. */
	snprintf(name, sizeof name, "%s", program);
	snprintf(label, sizeof label, "%s", route);
	if ((s = find(m->l, name, label, 1)) == NULL &&
	    (s = find(m->l, name, "other", 0)) == NULL) {
		add(&m->l->dropped, 1);
		return;
	}
	if (!(seconds >= 0))   /* NaN or negative: a clock gone wrong */
		seconds = 0;
	for (b = 0; b < METRICS_BUCKETS && seconds > metrics_bounds[b]; b++)
		;
	add(&s->bucket[b], 1);
	add(&s->sum_ns, seconds > 1e9 ? UINT64_C(1000000000000000000) :
	    (uint64_t)(seconds * 1e9));
	add(&s->status[status >= CODE_MIN && status <= CODE_MAX ?
	    status - CODE_MIN : NCODES - 1], 1);
	add(&s->bytes, bytes);
}

void
metrics_commit(struct metrics_file *m, size_t group, double seconds)
{
	struct commits *c;
	size_t b, g;

	if (m == NULL)
		return;
	c = &m->l->commits;
	if (!(seconds >= 0))
		seconds = 0;
	for (b = 0; b < METRICS_BUCKETS && seconds > metrics_bounds[b]; b++)
		;
	for (g = 0; g < METRICS_GROUP_BUCKETS && group > (size_t)1 << g; g++)
		;
	add(&c->bucket[b], 1);
	add(&c->group[g], 1);
	add(&c->requests, group);
	add(&c->sum_ns, seconds > 1e9 ? UINT64_C(1000000000000000000) :
	    (uint64_t)(seconds * 1e9));
}

/*
 * Reading.
 */

/* One (program, route), summed over every slot with those names. */
struct snap {
	const char *program, *route;
	uint64_t    bytes, sum_ns;
	uint64_t    bucket[METRICS_BUCKETS + 1];
	uint64_t    status[NCODES];
};

static uint64_t
get(_Atomic uint64_t *c)
{
	return atomic_load_explicit(c, memory_order_relaxed);
}

/* Fills sn for slot i unless i is not ready or repeats an earlier slot's
 * names (then 0). */
static int
gather(struct layout *l, size_t i, struct snap *sn)
{
	struct slot *s = &l->slot[i];

	if (atomic_load_explicit(&s->state, memory_order_acquire) != SLOT_READY)
		return 0;
	for (size_t j = 0; j < i; j++)
		if (atomic_load_explicit(&l->slot[j].state, memory_order_acquire) ==
		    SLOT_READY && names_are(&l->slot[j], s->program, s->route))
			return 0;
	memset(sn, 0, sizeof *sn);
	sn->program = s->program;
	sn->route = s->route;
	for (size_t j = i; j < METRICS_SLOTS; j++) {
		struct slot *t = &l->slot[j];
		if (atomic_load_explicit(&t->state, memory_order_acquire) != SLOT_READY ||
		    !names_are(t, s->program, s->route))
			continue;
		sn->bytes += get(&t->bytes);
		sn->sum_ns += get(&t->sum_ns);
		for (size_t b = 0; b <= METRICS_BUCKETS; b++)
			sn->bucket[b] += get(&t->bucket[b]);
		for (size_t c = 0; c < NCODES; c++)
			sn->status[c] += get(&t->status[c]);
	}
	return 1;
}

void
metrics_label_value(struct sink *out, const char *s)
{
	const char *start = s;

	for (; *s; s++) {
		const char *rep;
		switch (*s) {
		case '\\': rep = "\\\\"; break;
		case '"':  rep = "\\\""; break;
		case '\n': rep = "\\n"; break;
		default:   continue;
		}
		sink_write(out, start, (size_t)(s - start));
		sink_puts(out, rep);
		start = s + 1;
	}
	sink_write(out, start, (size_t)(s - start));
}

static void
labels(struct sink *out, const struct snap *sn)
{
	sink_puts(out, "program=\"");
	metrics_label_value(out, sn->program);
	sink_puts(out, "\",route=\"");
	metrics_label_value(out, sn->route);
	sink_puts(out, "\"");
}

static void
family(struct sink *out, const char *name, const char *type, const char *help)
{
	sink_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* The intake's commits: two histograms, by duration and by group size. */
static void
commits_expose(struct layout *l, struct sink *out)
{
	struct commits *c = &l->commits;
	uint64_t cum = 0, n;

	family(out, "covid_intake_commit_duration_seconds", "histogram",
	    "Seconds each of the case intake's transactions took, from BEGIN "
	    "to COMMIT.");
	for (size_t b = 0; b <= METRICS_BUCKETS; b++) {
		cum += get(&c->bucket[b]);
		if (b < METRICS_BUCKETS)
			sink_printf(out, "covid_intake_commit_duration_seconds_bucket"
			    "{le=\"%g\"} %llu\n", metrics_bounds[b], (unsigned long long)cum);
		else
			sink_printf(out, "covid_intake_commit_duration_seconds_bucket"
			    "{le=\"+Inf\"} %llu\n", (unsigned long long)cum);
	}
	n = get(&c->sum_ns);
	sink_printf(out, "covid_intake_commit_duration_seconds_sum %llu.%09llu\n",
	    (unsigned long long)(n / 1000000000u), (unsigned long long)(n % 1000000000u));
	sink_printf(out, "covid_intake_commit_duration_seconds_count %llu\n",
	    (unsigned long long)cum);

	family(out, "covid_intake_commit_requests", "histogram",
	    "Requests (POSTs) each of the case intake's transactions stored: "
	    "the groups of its group commit.");
	cum = 0;
	for (size_t g = 0; g <= METRICS_GROUP_BUCKETS; g++) {
		cum += get(&c->group[g]);
		if (g < METRICS_GROUP_BUCKETS)
			sink_printf(out, "covid_intake_commit_requests_bucket{le=\"%llu\"} "
			    "%llu\n", 1ull << g, (unsigned long long)cum);
		else
			sink_printf(out, "covid_intake_commit_requests_bucket{le=\"+Inf\"} "
			    "%llu\n", (unsigned long long)cum);
	}
	sink_printf(out, "covid_intake_commit_requests_sum %llu\n",
	    (unsigned long long)get(&c->requests));
	sink_printf(out, "covid_intake_commit_requests_count %llu\n",
	    (unsigned long long)cum);
}

void
metrics_expose(struct metrics_file *m, struct sink *out)
{
	struct layout *l = m->l;
	/* ~4 KB: static rather than on a worker's stack; one request at a time. */
	static struct snap sn;
	uint64_t export_bytes = 0;

	/* Prometheus wants each family's samples together: one pass each. */
	family(out, "covid_http_requests_total", "counter",
	    "Requests answered by the FastCGI programs, by program, route and "
	    "HTTP status.");
	for (size_t i = 0; i < METRICS_SLOTS; i++) {
		if (!gather(l, i, &sn))
			continue;
		for (size_t c = 0; c < NCODES; c++) {
			if (sn.status[c] == 0)
				continue;
			sink_puts(out, "covid_http_requests_total{");
			labels(out, &sn);
			if (c == NCODES - 1)
				sink_puts(out, ",status=\"other\"}");
			else
				sink_printf(out, ",status=\"%d\"}", (int)c + CODE_MIN);
			sink_printf(out, " %llu\n", (unsigned long long)sn.status[c]);
		}
	}

	family(out, "covid_http_request_duration_seconds", "histogram",
	    "Seconds a worker spent on a request, from reading it to writing "
	    "the answer (not nginx's queue).");
	for (size_t i = 0; i < METRICS_SLOTS; i++) {
		uint64_t cum = 0;
		if (!gather(l, i, &sn))
			continue;
		for (size_t b = 0; b <= METRICS_BUCKETS; b++) {
			cum += sn.bucket[b];
			sink_puts(out, "covid_http_request_duration_seconds_bucket{");
			labels(out, &sn);
			if (b < METRICS_BUCKETS)
				sink_printf(out, ",le=\"%g\"} %llu\n", metrics_bounds[b],
				    (unsigned long long)cum);
			else
				sink_printf(out, ",le=\"+Inf\"} %llu\n",
				    (unsigned long long)cum);
		}
		sink_puts(out, "covid_http_request_duration_seconds_sum{");
		labels(out, &sn);
		sink_printf(out, "} %llu.%09llu\n",
		    (unsigned long long)(sn.sum_ns / 1000000000u),
		    (unsigned long long)(sn.sum_ns % 1000000000u));
		sink_puts(out, "covid_http_request_duration_seconds_count{");
		labels(out, &sn);
		sink_printf(out, "} %llu\n", (unsigned long long)cum);
	}

	family(out, "covid_http_response_bytes_total", "counter",
	    "Bytes of responses with a body (headers included; HEAD and 304 "
	    "count none), and files nginx sent for the program.");
	for (size_t i = 0; i < METRICS_SLOTS; i++) {
		if (!gather(l, i, &sn))
			continue;
		sink_puts(out, "covid_http_response_bytes_total{");
		labels(out, &sn);
		sink_printf(out, "} %llu\n", (unsigned long long)sn.bytes);
		if (strcmp(sn.program, "export") == 0)
			export_bytes += sn.bytes;
	}

	family(out, "covid_export_bytes_total", "counter",
	    "Bytes exported: covid_http_response_bytes_total of the export "
	    "program, all routes.");
	sink_printf(out, "covid_export_bytes_total %llu\n",
	    (unsigned long long)export_bytes);

	commits_expose(l, out);

	family(out, "covid_metrics_dropped_total", "counter",
	    "Requests not counted above: the metrics file had no slot left.");
	sink_printf(out, "covid_metrics_dropped_total %llu\n",
	    (unsigned long long)get(&l->dropped));
}

void
metrics_route_label(const char *path, int status, char *buf, size_t len)
{
	const char *end;
	size_t n;

	if (status == 404 || path == NULL || path[0] != '/') {
		snprintf(buf, len, "other");
		return;
	}
	end = strchr(path + 1, '/');
	n = end != NULL ? (size_t)(end - path) + 1 : strlen(path);
	/* A path's unreserved characters only (RFC 3986), as routes are
	 * spelt: the label is for people and for PromQL. */
	for (size_t i = 0; i < n; i++)
		if (!((path[i] >= 'a' && path[i] <= 'z') ||
		    (path[i] >= 'A' && path[i] <= 'Z') ||
		    (path[i] >= '0' && path[i] <= '9') ||
		    strchr("/-._~", path[i]) != NULL)) {
			snprintf(buf, len, "other");
			return;
		}
	if (n >= len) {
		snprintf(buf, len, "other");
		return;
	}
	memcpy(buf, path, n);
	buf[n] = '\0';
}

/*
 * The process's file.
 */

void
metrics_default_path(char *buf, size_t len)
{
	const char *env = getenv("COVID_METRICS_FILE"), *db, *slash;

	if (env != NULL && *env != '\0') {
		snprintf(buf, len, "%s", env);
		return;
	}
	db = getenv("COVID_DB");
	if (db == NULL || *db == '\0')
		db = "var/covid.db";
	if ((slash = strrchr(db, '/')) == NULL)
		snprintf(buf, len, "metrics.shm");
	else if (slash == db)
		snprintf(buf, len, "/metrics.shm");
	else
		snprintf(buf, len, "%.*s/metrics.shm", (int)(slash - db), db);
}

/* The process's mapping: set once (under the lock, in a program with
 * threads), then only read. */
static struct metrics_file *_Atomic proc;
static _Thread_local unsigned long long extra_bytes;

static struct metrics_file *
open_process_file(void)
{
	struct metrics_file *m;
	static time_t retry_at;
	static int off;
	char path[PATH_MAX];
	time_t now;

	if ((m = atomic_load(&proc)) != NULL || off)
		return m;
	if ((now = time(NULL)) < retry_at)
		return NULL;
	retry_at = now + RETRY_SECONDS;
	metrics_default_path(path, sizeof path);
	if (strcmp(path, "off") == 0) {
		off = 1;
		log_info("metrics: off (COVID_METRICS_FILE=off)");
		return NULL;
	}
	if ((m = metrics_open(path)) == NULL)
		log_warn("metrics: requests are not counted; retrying in %d s",
		    RETRY_SECONDS);
	else
		atomic_store(&proc, m);
	return m;
}

struct metrics_file *
metrics_process(void)
{
	static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	struct metrics_file *m = atomic_load(&proc);

	if (m != NULL)
		return m;
	pthread_mutex_lock(&mu);
	m = open_process_file();
	pthread_mutex_unlock(&mu);
	return m;
}

void
metrics_add_bytes(unsigned long long n)
{
	extra_bytes += n;
}

void
metrics_request(const char *program, const char *path, int status,
    const struct timespec *start, unsigned long long bytes)
{
	struct metrics_file *m = metrics_process();
	char route[METRICS_ROUTE];
	struct timespec now;
	double seconds;

	bytes += extra_bytes;
	extra_bytes = 0;
	if (m == NULL)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	seconds = (double)(now.tv_sec - start->tv_sec) +
	    (double)(now.tv_nsec - start->tv_nsec) / 1e9;
	metrics_route_label(path, status, route, sizeof route);
	metrics_record(m, program, route, status, seconds, bytes);
}
