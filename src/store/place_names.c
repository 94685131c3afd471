/* place_names: the tables of old and current place names (place_names.h). */
#include <stdlib.h>
#include <string.h>

#include "store/place_names.h"

/* Country names JHU used before its current ones, sorted by alias (strcmp)
 * for bsearch; test_daily_parse checks the order and that every name is in
 * UID_ISO_FIPS_LookUp_Table.csv. */
const struct country_alias place_country_aliases[] = {
	{ "Bahamas, The",                   "Bahamas" },
	{ "Cape Verde",                     "Cabo Verde" },
	{ "Czech Republic",                 "Czechia" },
	{ "East Timor",                     "Timor-Leste" },
	{ "Gambia, The",                    "Gambia" },
	{ "Iran (Islamic Republic of)",     "Iran" },
	{ "Ivory Coast",                    "Cote d'Ivoire" },
	{ "Mainland China",                 "China" },
	{ "Palestine",                      "West Bank and Gaza" },
	{ "Republic of Ireland",            "Ireland" },
	{ "Republic of Korea",              "Korea, South" },
	{ "Republic of Moldova",            "Moldova" },
	{ "Republic of the Congo",          "Congo (Brazzaville)" },
	{ "Russian Federation",             "Russia" },
	{ "South Korea",                    "Korea, South" },
	{ "Taiwan",                         "Taiwan*" },
	{ "The Bahamas",                    "Bahamas" },
	{ "The Gambia",                     "Gambia" },
	{ "UK",                             "United Kingdom" },
	{ "Vatican City",                   "Holy See" },
	{ "Viet Nam",                       "Vietnam" },
	{ "occupied Palestinian territory", "West Bank and Gaza" },
	{ NULL, NULL }
};

/* Old countries that are provinces now, where the lookup table (and the
 * time series) keep them. Guernsey and Jersey stay apart from "Channel
 * Islands": the 03-21-2020 file has all three, as does the time series.
 * Sorted by alias (strcmp). */
const struct place_move place_moves[] = {
	{ "Aruba",               "Netherlands",      "Aruba" },
	{ "Cayman Islands",      "United Kingdom",   "Cayman Islands" },
	{ "Channel Islands",     "United Kingdom",   "Channel Islands" },
	{ "Cruise Ship",         "Diamond Princess", "" },
	{ "Curacao",             "Netherlands",      "Curacao" },
	{ "Faroe Islands",       "Denmark",          "Faroe Islands" },
	{ "French Guiana",       "France",           "French Guiana" },
	{ "Gibraltar",           "United Kingdom",   "Gibraltar" },
	{ "Greenland",           "Denmark",          "Greenland" },
	{ "Guadeloupe",          "France",           "Guadeloupe" },
	{ "Guam",                "US",               "Guam" },
	{ "Guernsey",            "United Kingdom",   "Guernsey" },
	{ "Hong Kong",           "China",            "Hong Kong" },
	{ "Hong Kong SAR",       "China",            "Hong Kong" },
	{ "Jersey",              "United Kingdom",   "Jersey" },
	{ "Macao SAR",           "China",            "Macau" },
	{ "Macau",               "China",            "Macau" },
	{ "Martinique",          "France",           "Martinique" },
	{ "Mayotte",             "France",           "Mayotte" },
	{ "North Ireland",       "United Kingdom",   "Northern Ireland" },
	/* Feb 2020: "Diamond Princess cruise ship,Others". */
	{ "Others",              "Diamond Princess", "" },
	{ "Puerto Rico",         "US",               "Puerto Rico" },
	{ "Reunion",             "France",           "Reunion" },
	{ "Saint Barthelemy",    "France",           "Saint Barthelemy" },
	{ "Saint Martin",        "France",           "St Martin" },
	{ "St. Martin",          "France",           "St Martin" },
	{ "Taipei and environs", "Taiwan*",          "" },
	{ NULL, NULL, NULL }
};

static int
cmp_alias(const void *key, const void *elem)
{
	return strcmp(key, ((const struct country_alias *)elem)->alias);
}

static int
cmp_move(const void *key, const void *elem)
{
	return strcmp(key, ((const struct place_move *)elem)->alias);
}

/* O(log n) each. */
const char *
place_country_name(const char *name)
{
	const struct country_alias *a;

	a = bsearch(name, place_country_aliases,
	    sizeof place_country_aliases / sizeof place_country_aliases[0] - 1,
	    sizeof place_country_aliases[0], cmp_alias);
	return a ? a->name : name;
}

void
place_normalise(const char **country, const char **province)
{
	const struct place_move *m;

	m = bsearch(*country, place_moves,
	    sizeof place_moves / sizeof place_moves[0] - 1,
	    sizeof place_moves[0], cmp_move);
	if (m != NULL) {
		*country = m->country;
		*province = m->province;
		return;
	}
	*country = place_country_name(*country);
}
