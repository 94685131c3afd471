/* test_intake_case: the case body reader: each field's rule and limit, the
 * body's shape, strict JSON, and that a fault anywhere refuses the whole. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "base/date.h"
#include "intake/intake_case.h"

static struct arena arena;
static struct intake_batch batch;
static time_t now;

#define GOOD "\"name\":\"Pablo Mendoza\",\"location\":\"Guatemala City\"," \
	"\"infectedtype\":\"communitary\",\"state\":\"asymptomatic\""

static int
parse(const char *body)
{
	arena_reset(&arena);
	return intake_parse(body, strlen(body), now, &arena, &batch);
}

/* The first fault's pointer part and reason, "field: why". */
static const char *
first(void)
{
	static char buf[256];

	if (batch.nerrors == 0)
		return "(none)";
	snprintf(buf, sizeof buf, "%ld %s: %s", batch.errors[0].index,
	    batch.errors[0].field ? batch.errors[0].field : "-", batch.errors[0].why);
	return buf;
}

static void
test_good(void)
{
	CHECK_INT(parse("{" GOOD ",\"age\":35}"), 0);
	CHECK_INT(batch.n, 1);
	CHECK_STR(batch.cases[0].name, "Pablo Mendoza");
	CHECK_STR(batch.cases[0].location, "Guatemala City");
	CHECK_INT(batch.cases[0].age, 35);
	CHECK_STR(intake_infectedtypes[batch.cases[0].infectedtype], "communitary");
	CHECK_STR(intake_states[batch.cases[0].state], "asymptomatic");
	CHECK_STR(batch.cases[0].reported_at, "");
	CHECK_INT(batch.is_array, 0);
	CHECK_INT(parse("[{" GOOD ",\"age\":0},{" GOOD ",\"age\":120,"
	    "\"reported_at\":\"2021-03-04T07:06:07+02:00\"}]"), 0);
	CHECK_INT(batch.n, 2);
	CHECK_INT(batch.is_array, 1);
	CHECK_INT(batch.cases[1].age, 120);
	CHECK_STR(batch.cases[1].reported_at, "2021-03-04T05:06:07Z");
	/* Every choice of each table is accepted. */
	CHECK_INT(parse("{\"name\":\"a\",\"location\":\"b\",\"age\":1,"
	    "\"infectedtype\":\"healthcare\",\"state\":\"critical\"}"), 0);
}

static void
test_text(void)
{
	char body[2048], name[1024];

	CHECK_INT(parse("{\"name\":\"\",\"location\":\"x\",\"age\":1,"
	    "\"infectedtype\":\"imported\",\"state\":\"recovered\"}"), -1);
	CHECK_STR(first(), "0 name: must not be empty");
	CHECK_INT(parse("{\"name\":\"   \",\"location\":\"x\",\"age\":1,"
	    "\"infectedtype\":\"imported\",\"state\":\"recovered\"}"), -1);
	CHECK_STR(first(), "0 name: must not be empty");
	/* 200 characters of two bytes each pass; 201 do not. */
	name[0] = '\0';
	for (int i = 0; i < 200; i++)
		strcat(name, "\xc3\xa9");
	snprintf(body, sizeof body, "{\"name\":\"%s\",\"location\":\"x\",\"age\":1,"
	    "\"infectedtype\":\"imported\",\"state\":\"recovered\"}", name);
	CHECK_INT(parse(body), 0);
	strcat(name, "e");
	snprintf(body, sizeof body, "{\"name\":\"x\",\"location\":\"%s\",\"age\":1,"
	    "\"infectedtype\":\"imported\",\"state\":\"recovered\"}", name);
	CHECK_INT(parse(body), -1);
	CHECK_STR(first(), "0 location: must be at most 200 characters, not 201");
	CHECK_INT(parse("{\"name\":\"a\\u0000b\",\"location\":\"x\",\"age\":1,"
	    "\"infectedtype\":\"imported\",\"state\":\"recovered\"}"), -1);
	CHECK_STR(first(), "0 name: must not hold control characters");
	CHECK_INT(parse("{\"name\":\"a\\nb\",\"location\":\"x\",\"age\":1,"
	    "\"infectedtype\":\"imported\",\"state\":\"recovered\"}"), -1);
	CHECK_INT(parse("{\"name\":7,\"location\":\"x\",\"age\":1,"
	    "\"infectedtype\":\"imported\",\"state\":\"recovered\"}"), -1);
	CHECK_STR(first(), "0 name: must be a string, not a number");
	/* Invalid UTF-8 is not JSON. */
	CHECK_INT(parse("{\"name\":\"\xff\",\"location\":\"x\",\"age\":1,"
	    "\"infectedtype\":\"imported\",\"state\":\"recovered\"}"), -1);
	CHECK(strstr(first(), "not valid JSON") != NULL);
}

static void
test_age(void)
{
	CHECK_INT(parse("{" GOOD ",\"age\":121}"), -1);
	CHECK_STR(first(), "0 age: must be 0 to 120");
	CHECK_INT(parse("{" GOOD ",\"age\":-1}"), -1);
	CHECK_STR(first(), "0 age: must be 0 to 120");
	CHECK_INT(parse("{" GOOD ",\"age\":99999999999999999999}"), -1);
	CHECK_STR(first(), "0 age: must be 0 to 120");
	CHECK_INT(parse("{" GOOD ",\"age\":35.0}"), -1);
	CHECK_STR(first(), "0 age: must be a whole number");
	CHECK_INT(parse("{" GOOD ",\"age\":3e1}"), -1);
	CHECK_STR(first(), "0 age: must be a whole number");
	CHECK_INT(parse("{" GOOD ",\"age\":\"35\"}"), -1);
	CHECK_STR(first(), "0 age: must be a whole number, not a string");
	CHECK_INT(parse("{" GOOD ",\"age\":null}"), -1);
	CHECK_STR(first(), "0 age: must be a whole number, not null");
	CHECK_INT(parse("{" GOOD ",\"age\":true}"), -1);
	CHECK_STR(first(), "0 age: must be a whole number, not true or false");
	CHECK_INT(parse("{" GOOD ",\"age\":-0}"), 0);
}

static void
test_choices(void)
{
	CHECK_INT(parse("{\"name\":\"a\",\"location\":\"b\",\"age\":1,"
	    "\"infectedtype\":\"Communitary\",\"state\":\"recovered\"}"), -1);
	CHECK_STR(first(), "0 infectedtype: must be one of: communitary, imported, "
	    "contact, healthcare, unknown");
	CHECK_INT(parse("{\"name\":\"a\",\"location\":\"b\",\"age\":1,"
	    "\"infectedtype\":\"imported\",\"state\":\"dead\"}"), -1);
	CHECK_STR(first(), "0 state: must be one of: asymptomatic, symptomatic, "
	    "hospitalized, critical, recovered, deceased");
}

static void
test_time(void)
{
	char body[512], iso[32];
	struct tm tm;
	time_t soon = now + 30, later = now + 3600;

	CHECK_INT(parse("{" GOOD ",\"age\":1,\"reported_at\":\"2021-03-04\"}"), -1);
	CHECK(strstr(first(), "0 reported_at: must be an ISO 8601 time") == first());
	CHECK_INT(parse("{" GOOD ",\"age\":1,\"reported_at\":\"2021-02-30T00:00:00Z\"}"), -1);
	CHECK_INT(parse("{" GOOD ",\"age\":1,\"reported_at\":\"2021-03-04T05:06:07+15:00\"}"), -1);
	CHECK_INT(parse("{" GOOD ",\"age\":1,\"reported_at\":\"2019-11-30T23:59:59Z\"}"), -1);
	CHECK_STR(first(), "0 reported_at: is before 2019-12-01T00:00:00Z");
	CHECK_INT(parse("{" GOOD ",\"age\":1,\"reported_at\":null}"), -1);
	CHECK_STR(first(), "0 reported_at: must not be null (leave it out)");
	gmtime_r(&later, &tm);
	strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(body, sizeof body, "{" GOOD ",\"age\":1,\"reported_at\":\"%s\"}", iso);
	CHECK_INT(parse(body), -1);
	CHECK_STR(first(), "0 reported_at: is in the future");
	/* Within the allowed clock skew. */
	gmtime_r(&soon, &tm);
	strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(body, sizeof body, "{" GOOD ",\"age\":1,\"reported_at\":\"%s\"}", iso);
	CHECK_INT(parse(body), 0);
}

static void
test_record(void)
{
	CHECK_INT(parse("{\"name\":\"a\"}"), -1);
	CHECK_INT(batch.nerrors, 4);   /* location, age, infectedtype, state */
	CHECK_STR(first(), "0 location: is required");
	CHECK_INT(parse("{" GOOD ",\"age\":1,\"age\":2}"), -1);
	CHECK_STR(first(), "0 age: is given twice");
	CHECK_INT(parse("{" GOOD ",\"age\":1,\"colour\":\"red\"}"), -1);
	CHECK_STR(first(), "0 colour: is not a field of a case report");
	CHECK_INT(parse("{" GOOD ",\"age\":1,\"name2\":{\"a\":1}}"), -1);
	/* A record inside a record: refused, reading stops. */
	CHECK_INT(parse("{" GOOD ",\"age\":{\"years\":3}}"), -1);
	CHECK_STR(first(), "0 age: must be a whole number, not an object");
	CHECK_INT(parse("{" GOOD ",\"age\":[3]}"), -1);
	CHECK_STR(first(), "0 age: must be a whole number, not an array");
}

static void
test_body(void)
{
	char *big;
	size_t len, one;

	CHECK_INT(parse(""), -1);
	CHECK_STR(first(), "-1 -: the body is empty");
	CHECK_INT(parse("[]"), -1);
	CHECK_STR(first(), "-1 -: the array holds no records");
	CHECK_INT(parse("42"), -1);
	CHECK_STR(first(), "-1 -: the body must be an object or an array of "
	    "objects, not a number");
	CHECK_INT(parse("[42]"), -1);
	CHECK_STR(first(), "0 -: each element of the array must be an object, not a number");
	CHECK_INT(parse("[[{" GOOD ",\"age\":1}]]"), -1);
	CHECK_INT(parse("{" GOOD ",\"age\":1} {}"), -1);
	CHECK(strstr(first(), "not valid JSON") != NULL);
	CHECK_INT(parse("{" GOOD ",\"age\":1,}"), -1);
	CHECK_INT(parse("/* c */{" GOOD ",\"age\":1}"), -1);
	CHECK_INT(parse("{" GOOD ",\"age\":1"), -1);
	/* A fault in one record refuses them all, and each is named. */
	CHECK_INT(parse("[{" GOOD ",\"age\":1},{" GOOD ",\"age\":200},{" GOOD
	    ",\"age\":300}]"), -1);
	CHECK_INT(batch.n, 0);
	CHECK_INT(batch.nerrors, 2);
	CHECK_INT(batch.errors[1].index, 2);
	/* 1,000 records pass, 1,001 do not. */
	one = strlen("{" GOOD ",\"age\":1},");
	big = malloc(1001 * one + 3);
	big[0] = '[';
	len = 1;
	for (int i = 0; i < 1000; i++) {
		memcpy(big + len, "{" GOOD ",\"age\":1},", one);
		len += one;
	}
	big[len - 1] = ']';
	big[len] = '\0';
	CHECK_INT(parse(big), 0);
	CHECK_INT(batch.n, 1000);
	memcpy(big + len - 1, ",{" GOOD ",\"age\":1}]", one + 1);
	big[len + one] = '\0';
	CHECK_INT(parse(big), -1);
	CHECK_STR(first(), "-1 -: an array may hold at most 1000 records");
	free(big);
	/* Over the size limit: refused before parsing. */
	CHECK_INT(intake_parse("{}", INTAKE_MAX_BODY + 1, now, &arena, &batch), -1);
	CHECK_STR(first(), "-1 -: the body is larger than 1048576 bytes");
}

static void
test_many_faults(void)
{
	size_t one = strlen("{\"age\":1},"), len = 1;
	char *big = malloc(200 * one + 3);

	big[0] = '[';
	for (int i = 0; i < 200; i++) {
		memcpy(big + len, "{\"age\":1},", one);
		len += one;
	}
	big[len - 1] = ']';
	big[len] = '\0';
	CHECK_INT(parse(big), -1);
	CHECK_INT(batch.nerrors, INTAKE_MAX_ERRORS);
	CHECK_INT(batch.dropped, 200 * 4 - INTAKE_MAX_ERRORS);
	free(big);
}

static void
test_bands(void)
{
	CHECK_INT(intake_age_band(0), 0);
	CHECK_INT(intake_age_band(9), 0);
	CHECK_INT(intake_age_band(10), 1);
	CHECK_INT(intake_age_band(79), 7);
	CHECK_INT(intake_age_band(80), 8);
	CHECK_INT(intake_age_band(120), 8);
	CHECK_STR(intake_age_band_label(8), "80+");
	CHECK_STR(intake_age_band_label(3), "30-39");
}

int
main(void)
{
	now = time(NULL);
	test_good();
	test_text();
	test_age();
	test_choices();
	test_time();
	test_record();
	test_body();
	test_many_faults();
	test_bands();
	arena_free(&arena);
	return check_exit();
}
