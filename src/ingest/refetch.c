/* refetch: the conditional re-fetch of a file and its verdict (refetch.h). */
#include <string.h>

#include "ingest/refetch.h"

void
ingest_request_validators(const struct source_state *have, const char **etag,
    const char **last_modified)
{
	*etag = *last_modified = NULL;
	if (!have->same_url)
		return;
	if (have->etag[0] != '\0')
		*etag = have->etag;
	if (have->last_modified[0] != '\0' && have->last_modified_strong)
		*last_modified = have->last_modified;
}

enum refetch
ingest_refetch(const char *url, const struct fetch_limits *l, int have,
    const struct source_state *stored, struct fetch_result *f,
    struct fetch_record *rec)
{
	const char *send_etag, *send_lm;
	int rc;

	ingest_request_validators(stored, &send_etag, &send_lm);
	rc = fetch_get(url, l, send_etag, send_lm, f);
	rec->http_status = f->http_status;
	if (rc != 0)
		return REFETCH_FAILED;
	rec->etag = f->etag[0] != '\0' ? f->etag : NULL;
	rec->last_modified = f->last_modified[0] != '\0' ? f->last_modified : NULL;
	/* A 304 need not repeat the validators it answered: keep those. */
	if (f->not_modified && rec->etag == NULL && stored->etag[0] != '\0')
		rec->etag = stored->etag;
	if (f->not_modified && rec->last_modified == NULL &&
	    stored->last_modified[0] != '\0')
		rec->last_modified = stored->last_modified;
	/* Judged against this response's Date: a Last-Modified that was weak
	 * when the file was new is strong once a minute has passed. */
	rec->last_modified_strong = fetch_last_modified_strong(rec->last_modified,
	    f->date);
	rec->sha256 = f->not_modified ? (have ? stored->sha256 : NULL) : f->sha256;
	if (f->not_modified && send_etag == NULL && send_lm == NULL)
		return REFETCH_BOGUS_304;   /* cannot happen: we sent none */
	if (f->not_modified || (have && strcmp(f->sha256, stored->sha256) == 0))
		return REFETCH_UNCHANGED;
	return REFETCH_NEW;
}
