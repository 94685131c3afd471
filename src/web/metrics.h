/* metrics: request counters shared by every FastCGI worker of every
 * program, for /metrics (Prometheus text format).
 *
 * The workers are separate processes (spawn-fcgi -F N, systemd template
 * instances), so counting in process memory would show one worker's share
 * at random. Instead every worker maps one small file MAP_SHARED
 * (COVID_METRICS_FILE; default metrics.shm next to COVID_DB) with a fixed
 * layout, and updates it with C11 atomics: no locks on the request path, one
 * relaxed increment per counter. The portal's /metrics reads the same
 * mapping and sums.
 *
 * The file holds METRICS_SLOTS slots, one per (program, route), each claimed
 * by the first request that needs it and never given back. A slot counts
 * requests by exact status code, a latency histogram and response bytes.
 * Routes are labels made from the path (metrics_route_label), so a crawler
 * asking for a million addresses adds one label ("other"), not a million.
 *
 * The file is created or replaced under flock(2) (a worker that starts
 * while another initialises it waits for the lock, then finds it ready);
 * its header names the layout (magic, version, sizes), and a file with a
 * different layout of ours is replaced by rename, never rewritten in place
 * under running workers. A file that is not ours is left alone. */
#ifndef COVID_METRICS_H
#define COVID_METRICS_H

#include <stddef.h>
#include <time.h>

#include "base/sink.h"

enum {
	METRICS_SLOTS   = 64,
	METRICS_BUCKETS = 17,    /* finite histogram bounds; +Inf is extra */
	METRICS_NAME    = 24,    /* bytes of a program name, NUL included */
	METRICS_ROUTE   = 40,    /* bytes of a route label, NUL included */
	METRICS_GROUP_BUCKETS = 9,   /* commit groups: 1, 2, 4, ... 256 */
};

/* The histogram's upper bounds in seconds, ascending. */
extern const double metrics_bounds[METRICS_BUCKETS];

struct metrics_file;

/* Maps path, creating or upgrading the file as described above. NULL after
 * logging why (no directory, not ours, out of space). */
struct metrics_file *metrics_open(const char *path);
void metrics_close(struct metrics_file *m);

/* Counts one answered request of program for route: its status, how long it
 * took and the bytes of its response. Lock-free; never fails (a full slot
 * table counts in the program's "other" route, else in
 * covid_metrics_dropped_total). */
void metrics_record(struct metrics_file *m, const char *program,
    const char *route, int status, double seconds, unsigned long long bytes);

/* Counts one of the case intake's transactions: the requests it stored
 * (its group) and how long it took. Lock-free. */
void metrics_commit(struct metrics_file *m, size_t group, double seconds);

/* Writes the request metrics, summed over every worker, in Prometheus text
 * format 0.0.4 (HELP, TYPE, samples). */
void metrics_expose(struct metrics_file *m, struct sink *out);

/* The route label of a request: "other" for a 404 (an address no route
 * knows), else the path up to and including its second '/' ("/region/us/ny"
 * -> "/region/", "/about" -> "/about"); "other" when that does not fit. */
void metrics_route_label(const char *path, int status, char *buf, size_t len);

/* A Prometheus label value: backslash, double quote and newline escaped. */
void metrics_label_value(struct sink *out, const char *s);

/*
 * The process's own file, for the FastCGI loop and the /metrics page.
 */

/* COVID_METRICS_FILE; when unset, metrics.shm in COVID_DB's directory (both
 * programs are given the same COVID_DB, so they meet there); "var" when
 * COVID_DB is unset too. "off" turns counting off. Into buf. */
void metrics_default_path(char *buf, size_t len);

/* The process's file, opened on first use (a failure is logged once and
 * retried at most once a minute); NULL when there is none. */
struct metrics_file *metrics_process(void);

/* One request, for the accept loop, which took start (CLOCK_MONOTONIC)
 * before parsing it: the route label from the path, then metrics_record on
 * the process's file, adding what metrics_add_bytes noted meanwhile. */
void metrics_request(const char *program, const char *path, int status,
    const struct timespec *start, unsigned long long bytes);

/* Response bytes that do not pass through the program's output, noted during
 * a request: a file nginx sends for it (X-Accel-Redirect). */
void metrics_add_bytes(unsigned long long n);

#endif
