/* intake_case: what a case report is, and reading a POST body of them.
 *
 * The fields and their rules are one table (intake_fields, documented in
 * docs/intake.md): each field's kind, whether it is required, its range or
 * choices. The body is read by yajl's callback parser, so the limits are
 * enforced as the tokens arrive, before anything is built: at most
 * INTAKE_MAX_RECORDS objects, no value nested inside a record, strings
 * within their length, the whole body within INTAKE_MAX_BODY (checked by
 * the caller before parsing). yajl refuses what is not strict JSON
 * (comments, trailing commas, bytes after the value, invalid UTF-8).
 *
 * A body is one object or an array of objects; either it is stored whole
 * or nothing of it is, so every fault of every record is collected (up to
 * INTAKE_MAX_ERRORS) to be named in one answer. */
#ifndef COVID_INTAKE_CASE_H
#define COVID_INTAKE_CASE_H

#include <stddef.h>
#include <time.h>

#include "base/arena.h"

enum {
	INTAKE_MAX_RECORDS = 1000,       /* objects in one array */
	INTAKE_MAX_BODY    = 1 << 20,    /* bytes of one body */
	INTAKE_MAX_ERRORS  = 100,        /* faults named in one answer */
	INTAKE_MAX_CHARS   = 200,        /* characters of name and location */
};

enum intake_field_id {
	IF_NAME, IF_LOCATION, IF_AGE, IF_INFECTEDTYPE, IF_STATE, IF_REPORTED_AT,
	IF__MAX
};

enum intake_kind { IK_TEXT, IK_INT, IK_ENUM, IK_TIME };

struct intake_field {
	const char         *name;
	enum intake_kind    kind;
	int                 required;
	long long           min, max;    /* IK_TEXT: characters; IK_INT: value */
	const char *const  *choices;     /* IK_ENUM: NULL-terminated */
};

extern const struct intake_field intake_fields[IF__MAX];
/* The choices of infectedtype and state, in the order /live shows them. */
extern const char *const intake_infectedtypes[];
extern const char *const intake_states[];
size_t intake_choice_count(const char *const *choices);

/* The first time reported_at may name, and how far ahead of this server's
 * clock it may be (a reporter's clock runs a little fast). */
#define INTAKE_EARLIEST "2019-12-01T00:00:00Z"
enum { INTAKE_CLOCK_SKEW = 60 };

struct intake_case {
	const char *name;          /* valid UTF-8, 1..200 characters */
	const char *location;
	int         age;           /* 0..120 */
	int         infectedtype;  /* index into intake_infectedtypes */
	int         state;         /* index into intake_states */
	char        reported_at[21];   /* "YYYY-MM-DDTHH:MM:SSZ" (UTC), or "" */
};

struct intake_error {
	long        index;         /* the record's (0 for a single object); -1: the body */
	const char *field;         /* a field's name, or NULL: the record or body */
	char        why[160];
};

struct intake_batch {
	struct intake_case  *cases;      /* n of them (arena memory) */
	size_t               n;
	int                  is_array;   /* the body was an array */
	struct intake_error  errors[INTAKE_MAX_ERRORS];
	size_t               nerrors;    /* kept in errors[] */
	size_t               dropped;    /* found beyond INTAKE_MAX_ERRORS */
};

/* Reads body[0..len) into b (its strings and cases in a). now is the
 * clock reported_at is checked against. 0 when every record is valid
 * (b->n >= 1), -1 when anything is wrong (b->nerrors >= 1). */
int intake_parse(const char *body, size_t len, time_t now, struct arena *a,
    struct intake_batch *b);

/* The age range of an age for /live: 0 for 0-9 ... 8 for 80+. */
enum { INTAKE_AGE_BANDS = 9 };
int intake_age_band(int age);
/* "0-9", ..., "80+". */
const char *intake_age_band_label(int band);

#endif
