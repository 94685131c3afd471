/* fuzz_intake: the case-report body reader (src/intake/intake_case.c) over
 * arbitrary bytes, as POST /api/v1/cases hands them to it.
 *
 * Invariants: an accepted body holds 1 to 1,000 cases, each within its
 * field's rules (text of 1 to 200 characters of valid UTF-8 without control
 * characters, age 0 to 120, a choice of the table, reported_at empty or an
 * ISO 8601 UTC time); a refused one holds no case and at least one fault,
 * each naming a record index >= -1 and a field that is one of the table's
 * or a short ASCII key. */
#include <time.h>

#include "fuzz.h"

#include "base/utf8.h"
#include "intake/intake_case.h"

static struct arena arena;
static struct intake_batch batch;

static void
check_text(const char *s)
{
	size_t len, chars = 0;

	FUZZ_CHECK(s != NULL);
	len = strlen(s);
	for (size_t i = 0; i < len; chars++) {
		uint32_t cp;
		int k = utf8_decode((const unsigned char *)s + i, len - i, &cp);
		FUZZ_CHECK(k > 0 && cp >= 0x20 && !(cp >= 0x7f && cp < 0xa0));
		i += (size_t)k;
	}
	FUZZ_CHECK(chars >= 1 && chars <= INTAKE_MAX_CHARS);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A fixed clock: the same input, the same verdict. */
	time_t now = 1700000000;
	int rc;

	arena_reset(&arena);
	rc = intake_parse((const char *)data, size, now, &arena, &batch);
	if (rc == 0) {
		FUZZ_CHECK(batch.n >= 1 && batch.n <= INTAKE_MAX_RECORDS);
		FUZZ_CHECK(batch.nerrors == 0);
		for (size_t i = 0; i < batch.n; i++) {
			const struct intake_case *c = &batch.cases[i];
			check_text(c->name);
			check_text(c->location);
			FUZZ_CHECK(c->age >= 0 && c->age <= 120);
			FUZZ_CHECK(c->infectedtype >= 0 &&
			    (size_t)c->infectedtype < intake_choice_count(intake_infectedtypes));
			FUZZ_CHECK(c->state >= 0 &&
			    (size_t)c->state < intake_choice_count(intake_states));
			FUZZ_CHECK(c->reported_at[0] == '\0' ||
			    (strlen(c->reported_at) == 20 && c->reported_at[19] == 'Z'));
		}
		return 0;
	}
	FUZZ_CHECK(rc == -1 && batch.n == 0 && batch.nerrors >= 1);
	FUZZ_CHECK(batch.nerrors <= INTAKE_MAX_ERRORS);
	for (size_t i = 0; i < batch.nerrors; i++) {
		const struct intake_error *e = &batch.errors[i];
		FUZZ_CHECK(e->index >= -1 && e->index < INTAKE_MAX_RECORDS);
		FUZZ_CHECK(memchr(e->why, '\0', sizeof e->why) != NULL && e->why[0]);
		if (e->field != NULL) {
			size_t n = strlen(e->field);
			FUZZ_CHECK(n >= 1 && n <= 32);
			for (size_t k = 0; k < n; k++)
				FUZZ_CHECK(e->field[k] >= 0x20 && e->field[k] < 0x7f);
		}
	}
	return 0;
}
