/* refetch: fetching a file again that may be loaded already: a conditional
 * request with what the job log holds for it, and the verdict "unchanged"
 * (304, or the same SHA-256) or "new bytes". One rule for the daily reports
 * and the time series alike. */
#ifndef COVID_REFETCH_H
#define COVID_REFETCH_H

#include "ingest/fetch.h"
#include "store/store.h"

/* The validators a request sends (each NULL when none), from what is stored
 * for the file: nothing for another URL than the one they came from (they
 * describe that URL's file), and a Last-Modified only when it was strong (a
 * 304 to a weak one proves nothing). The ETag goes as it is. */
void ingest_request_validators(const struct source_state *have,
    const char **etag, const char **last_modified);

enum refetch {
	REFETCH_FAILED = -1,   /* no acceptable response: f->error (and
	                        * f->not_found) say why */
	REFETCH_NEW = 0,       /* a body that is not the one loaded */
	REFETCH_UNCHANGED = 1, /* 304, or the same bytes as loaded */
	REFETCH_BOGUS_304 = 2, /* 304 to a request that sent no validators */
};

/* GETs url, conditionally when have (1: *stored describes the file loaded).
 * Fills rec's http_status, etag, last_modified (a 304 that does not repeat
 * them keeps the stored ones), last_modified_strong and sha256 (the loaded
 * one for a 304). Free f with fetch_result_free in every case. */
enum refetch ingest_refetch(const char *url, const struct fetch_limits *l,
    int have, const struct source_state *stored, struct fetch_result *f,
    struct fetch_record *rec);

#endif
