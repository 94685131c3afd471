/* intake_live: the figures /live shows as JSON (the data of each event on
 * /live/events), and publishing them to nginx's nchan module.
 *
 * Subscribers (EventSource clients of /live/events) are held by nginx, not
 * by a FastCGI worker: after each commit the worker that made it POSTs the
 * event once to nchan's publisher location (COVID_LIVE_PUBLISH, a URL; over
 * a unix socket when COVID_LIVE_PUBLISH_SOCKET names one), and nchan sends
 * it to every subscriber and keeps the last ones in its buffer, so a client
 * that reconnects with Last-Event-ID gets what it missed. Names never
 * enter the figures. */
#ifndef COVID_INTAKE_LIVE_H
#define COVID_INTAKE_LIVE_H

#include "base/sink.h"
#include "intake/intake_db.h"

/* The figures as one JSON object (docs/intake.md shows its members). */
void live_json(struct sink *out, const struct live_figures *f);

struct live_publisher;

/* A publisher for url (through the unix socket sock when it is not NULL),
 * POSTing at most once per interval_ms (0: as fast as nchan takes them);
 * NULL when url is NULL or empty (publishing is off) or it cannot start.
 * It runs in a thread of its own (started here: after any fork), so a
 * request never waits for nchan. Close sends what is pending, then stops. */
struct live_publisher *live_publisher_open(const char *url, const char *sock,
    long interval_ms);
void live_publisher_close(struct live_publisher *p);
/* Hands the newest figures json[0..len) to the publisher's thread, which
 * POSTs them (keeping its connection). Figures not yet sent are replaced:
 * under load one event carries the newest of several commits (coalesced).
 * 0, or -1 out of memory. A failed POST is logged at most once a minute. */
int live_publish(struct live_publisher *p, const char *json, size_t len);

#endif
