/* intake_live: the figures /live shows as JSON (the data of each event on
 * /live/events), and publishing them to nginx's nchan module.
 *
 * Subscribers (EventSource clients of /live/events) are held by nginx, not
 * by a FastCGI worker: after each commit the worker that made it POSTs the
 * event once to nchan's publisher location (COVID_LIVE_PUBLISH, a URL; over
 * a unix socket when COVID_LIVE_PUBLISH_SOCKET names one), and nchan sends
 * it to every subscriber and keeps the last ones in its buffer, so a client
 * that reconnects with Last-Event-ID gets what it missed. Names never
 * enter the figures.
 *
 * The subscribers are split over LIVE_SHARDS channels ("live" and
 * "live/1".."live/7"; /live/events?shard=N, live.js picks one at random and
 * keeps it, so a reconnection resumes on its own channel), and the
 * publisher sends each channel its event in turn, interval / LIVE_SHARDS
 * apart. nginx writes an event to every subscriber of a channel in one go
 * (10,000 writes for one channel held all of nginx's workers ~100 ms, the
 * POSTs beside them waiting: bench/README.md, "Live intake"); an eighth of
 * them at a time leaves nginx free in between. Each channel still gets at
 * most one event per interval, read when it is sent. */
#ifndef COVID_INTAKE_LIVE_H
#define COVID_INTAKE_LIVE_H

#include "base/sink.h"
#include "intake/intake_db.h"

/* The figures as one JSON object (docs/intake.md shows its members). */
void live_json(struct sink *out, const struct live_figures *f);

struct live_publisher;

enum { LIVE_SHARDS = 8 };

/* A publisher for url (through the unix socket sock when it is not NULL;
 * url for channel 0, url/1 .. url/7 for the others), POSTing to each
 * channel at most once per interval_ms (0: as fast as nchan takes them)
 * the figures it reads from the database at db_path; NULL when url is NULL
 * or empty (publishing is off) or it cannot start. It runs in a thread of
 * its own (started here: after any fork), with a connection of its own, so
 * a request never waits for nchan nor pays for reading the figures. Close
 * sends what is pending, then stops. */
struct live_publisher *live_publisher_open(const char *url, const char *sock,
    long interval_ms, const char *db_path);
void live_publisher_close(struct live_publisher *p);
/* Says a commit changed the figures: the publisher's thread reads and
 * POSTs them within an interval. Changes not yet sent merge: under load
 * one event carries the figures as the newest of several commits left
 * them (coalesced). A failed POST is logged at most once a minute. */
void live_changed(struct live_publisher *p);

#endif
