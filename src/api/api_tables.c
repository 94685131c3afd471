/* api_tables: the API's parameter, schema and route tables (api.h), the
 * one source of what the program accepts, answers and documents. */
#include <stddef.h>

#include "api/api.h"
#include "api/api_handlers.h"

static const char *const levels[] = { "country", "province", "county", NULL };
static const char *const sorts[] = {
	"name", "confirmed", "deaths", "new_confirmed", "new_deaths",
	"avg_new_confirmed", "confirmed_per_100k", "deaths_per_100k", NULL
};
static const char *const orders[] = { "asc", "desc", NULL };
static const char *const intervals[] = { "day", "week", "month", NULL };
const char *const api_metrics[] = {
	"confirmed", "deaths", "new_confirmed", "new_deaths", "avg_new_confirmed",
	"avg_new_deaths", "confirmed_per_100k", "deaths_per_100k", NULL
};

const struct http_key api_keys[P__MAX] = {
	[P_DATE]     = { "date",     http_valid_date, NULL,      0, 0, 0 },
	[P_Q]        = { "q",        http_valid_text, NULL,      0, API_TEXT_MAX, 0 },
	[P_LEVEL]    = { "level",    http_valid_enum, levels,    0, 0, 0 },
	[P_COUNTRY]  = { "country",  http_valid_text, NULL,      0, API_TEXT_MAX, 0 },
	[P_PROVINCE] = { "province", http_valid_text, NULL,      0, API_TEXT_MAX, 0 },
	[P_SORT]     = { "sort",     http_valid_enum, sorts,     0, 0, 0 },
	[P_ORDER]    = { "order",    http_valid_enum, orders,    0, 0, 0 },
	[P_FROM]     = { "from",     http_valid_date, NULL,      0, 0, 0 },
	[P_TO]       = { "to",       http_valid_date, NULL,      0, 0, 0 },
	[P_LASTDAYS] = { "lastdays", http_valid_int,  NULL,      1, API_LASTDAYS_MAX, 0 },
	[P_INTERVAL] = { "interval", http_valid_enum, intervals, 0, 0, 0 },
	[P_METRICS]  = { "metrics",  api_valid_metrics, api_metrics, 0, 0, 0 },
	[P_LIMIT]    = { "limit",    http_valid_int,  NULL,      1, API_LIMIT_MAX, 0 },
	[P_CURSOR]   = { "cursor",   http_valid_int,  NULL,      0, API_CURSOR_MAX, 0 },
};

const struct api_param api_params[P__MAX] = {
	[P_DATE] = { "date", "string", "date",
	    "A date, YYYY-MM-DD. Default: the newest date with data.", "2023-03-09" },
	[P_Q] = { "q", "string", NULL,
	    "Text the place's own name contains (case-insensitive for ASCII), "
	    "ranked as on /regions: exact name, then prefix, then substring.",
	    "new" },
	[P_LEVEL] = { "level", "string", NULL,
	    "Only places at this level.", "country" },
	[P_COUNTRY] = { "country", "string", NULL,
	    "Only places in this country: its name as JHU writes it, or its "
	    "ISO 3166-1 alpha-3 code (case-insensitive).", "US" },
	[P_PROVINCE] = { "province", "string", NULL,
	    "Only rows of this province or state, as JHU writes it.", "New York" },
	[P_SORT] = { "sort", "string", NULL,
	    "The column to sort by (as the dashboard's table). Default: "
	    "confirmed.", "deaths" },
	[P_ORDER] = { "order", "string", NULL,
	    "Ascending or descending. Default: descending for figures, "
	    "ascending for the name.", "desc" },
	[P_FROM] = { "from", "string", "date",
	    "The first date to include, YYYY-MM-DD.", "2023-03-01" },
	[P_TO] = { "to", "string", "date",
	    "The last date to include, YYYY-MM-DD.", "2023-03-09" },
	[P_LASTDAYS] = { "lastdays", "integer", NULL,
	    "Only the last N days of the history (after from/to).", "7" },
	[P_INTERVAL] = { "interval", "string", NULL,
	    "One point a day, a week (ISO weeks, Monday to Sunday) or a "
	    "calendar month; a week's or month's point is its last date with "
	    "data, its new figures the sum over the period. Default: day.",
	    "week" },
	[P_METRICS] = { "metrics", "string", NULL,
	    "Only these figures in each point (comma-separated; the date is "
	    "always there). Default: all.", "new_confirmed,new_deaths" },
	[P_LIMIT] = { "limit", "integer", NULL,
	    "Items a page (default 100).", "10" },
	[P_CURSOR] = { "cursor", "integer", NULL,
	    "Where the page starts: the cursor of the previous page's `next` "
	    "link (an offset). Default: 0.", "0" },
};

#define N(a) (sizeof (a) / sizeof (a)[0])
#define COMMON_HEAD \
	{ "data_version", F_INT, 0, 0, "7", "The data version: it changes " \
	    "whenever an ingest changes the data." }
#define COMMON_TAIL \
	{ "source", F_STRING, 0, 0, "\"" API_SOURCE "\"", \
	    "Where the data comes from (credit it)." }, \
	{ "license", F_URI, 0, 0, "\"" API_LICENSE_URL "\"", \
	    "The data's licence: CC BY 4.0." }
#define FIGURES(pfx) \
	{ "confirmed", F_INT, 1, 0, "103802702", pfx "cumulative confirmed cases" }, \
	{ "deaths", F_INT, 1, 0, "1123836", pfx "cumulative deaths" }, \
	{ "new_confirmed", F_INT, 1, 0, "46931", pfx "confirmed cases new since " \
	    "the previous row" }, \
	{ "new_deaths", F_INT, 1, 0, "2001", pfx "deaths new since the previous row" }

static const struct api_field summary_f[] = {
	COMMON_HEAD,
	{ "newest_date", F_DATE, 1, 0, "\"2023-03-09\"", "The newest date with data." },
	{ "date", F_DATE, 1, 0, "\"2023-03-09\"", "The date these figures are for." },
	FIGURES("The world's "),
	{ "recovered", F_INT, 1, 0, "0", "The world's recovered to date: JHU "
	    "stopped counting them in August 2021 (0 or null after)." },
	{ "avg_new_confirmed", F_NUMBER, 1, 0, "24715.571428571428",
	    "7-day average of new confirmed cases." },
	{ "avg_new_deaths", F_NUMBER, 1, 0, "321.42857142857144",
	    "7-day average of new deaths." },
	{ "countries", F_INT, 0, 0, "201", "Countries with a total on the date." },
	COMMON_TAIL,
};

static const struct api_field run_f[] = {
	{ "id", F_INT, 0, 0, "12", "The run's number in the job log." },
	{ "status", F_STRING, 0, 0, "\"ok\"", "ok, failed, interrupted or running." },
	{ "started_at", F_STRING, 0, 0, "\"2023-03-10T04:21:03Z\"", "ISO 8601 UTC." },
	{ "finished_at", F_STRING, 1, 0, "\"2023-03-10T04:21:09Z\"",
	    "ISO 8601 UTC; null while running." },
	{ "seconds", F_INT, 0, 0, "6", "How long it took (so far)." },
	{ "dates_loaded", F_INT, 0, 0, "1", "Dates loaded." },
	{ "dates_failed", F_INT, 0, 0, "0", "Dates that failed." },
	{ "rows_loaded", F_INT, 0, 0, "4016", "Rows loaded." },
	{ "message", F_STRING, 1, 0, NULL, "Why it failed, or null." },
};

static const struct api_field status_f[] = {
	COMMON_HEAD,
	{ "newest_date", F_DATE, 1, 0, "\"2023-03-09\"", "The newest date with data." },
	{ "oldest_date", F_DATE, 1, 0, "\"2023-03-07\"", "The oldest date with data." },
	{ "refreshed_at", F_STRING, 1, 0, "\"2023-03-10T04:21:09Z\"",
	    "When an ingest last changed the data (ISO 8601 UTC)." },
	{ "last_run", F_OBJECT, 1, S_RUN, NULL, "The newest finished ingest run." },
	{ "last_ok_run", F_OBJECT, 1, S_RUN, NULL, "The newest run that succeeded." },
	COMMON_TAIL,
};

static const struct api_field figures_f[] = {
	{ "date", F_DATE, 1, 0, "\"2023-03-09\"", "The date; null when the place has no data." },
	FIGURES(""),
	{ "avg_new_confirmed", F_NUMBER, 1, 0, "24715.571428571428",
	    "7-day average of new confirmed cases." },
	{ "avg_new_deaths", F_NUMBER, 1, 0, "321.42857142857144",
	    "7-day average of new deaths." },
	{ "product", F_STRING, 0, 0, "\"time_series\"",
	    "Which JHU product the figures come from: time_series or daily_reports." },
};

#define PLACE_NAMES \
	{ "slug", F_STRING, 0, 0, "\"germany\"", "The place's identifier in URLs." }, \
	{ "name", F_STRING, 0, 0, "\"Germany\"", "Its own name." }, \
	{ "level", F_STRING, 0, 0, "\"country\"", "country, province or county." }, \
	{ "url", F_URI, 0, 0, "\"/region/germany\"", "Its page." }, \
	{ "api", F_URI, 0, 0, "\"/api/v1/places/germany\"", "Its API resource." }

static const struct api_field link_f[] = { PLACE_NAMES };

static const struct api_field place_item_f[] = {
	PLACE_NAMES,
	{ "country", F_STRING, 0, 0, "\"Germany\"", "Its country." },
	{ "province", F_STRING, 1, 0, NULL, "Its province or state, or null." },
	{ "county", F_STRING, 1, 0, NULL, "Its county (US), or null." },
	{ "iso3", F_STRING, 1, 0, "\"DEU\"", "ISO 3166-1 alpha-3, or null." },
	{ "uid", F_INT, 1, 0, "276", "JHU's UID, or null." },
	{ "fips", F_STRING, 1, 0, NULL, "US FIPS code, or null." },
	{ "population", F_INT, 1, 0, "83783945", "Population (JHU's table), or null." },
	{ "latest", F_OBJECT, 0, S_FIGURES, NULL, "Its newest figures." },
};

static const struct api_field place_list_f[] = {
	COMMON_HEAD,
	{ "total", F_INT, 0, 0, "1", "Places that match." },
	{ "limit", F_INT, 0, 0, "100", "Places a page." },
	{ "cursor", F_INT, 0, 0, "0", "Where this page starts." },
	{ "next", F_URI, 1, 0, NULL, "The next page, or null on the last." },
	{ "places", F_ARRAY, 0, S_PLACE_ITEM, NULL, "The places." },
	COMMON_TAIL,
};

static const struct api_field place_f[] = {
	COMMON_HEAD,
	{ "place", F_OBJECT, 0, S_PLACE_ITEM, NULL, "The place and its newest figures." },
	{ "confirmed_per_100k", F_NUMBER, 1, 0, "45678.9",
	    "Newest confirmed cases per 100,000 people (null without a population)." },
	{ "deaths_per_100k", F_NUMBER, 1, 0, "201.3", "Newest deaths per 100,000 people." },
	{ "parent", F_OBJECT, 1, S_LINK, NULL, "The place it is in, or null." },
	{ "children", F_ARRAY, 0, S_PLACE_ITEM, NULL,
	    "The places directly below it, with their newest figures." },
	{ "series", F_URI, 0, 0, "\"/api/v1/places/germany/series\"", "Its history." },
	COMMON_TAIL,
};

/* Every figure is there unless metrics= leaves it out. */
static const struct api_field point_f[] = {
	{ "date", F_DATE, 0, 0, "\"2023-03-09\"", "The date (a period's last date with data)." },
	{ "confirmed", F_INT, API_OPTIONAL, 0, "103802702", "Cumulative confirmed cases." },
	{ "deaths", F_INT, API_OPTIONAL, 0, "1123836", "Cumulative deaths." },
	{ "new_confirmed", F_INT, API_OPTIONAL, 0, "46931", "Confirmed cases new since the "
	    "previous row (a period: the sum over it)." },
	{ "new_deaths", F_INT, API_OPTIONAL, 0, "2001", "Deaths new since the previous row "
	    "(a period: the sum over it)." },
	{ "avg_new_confirmed", F_NUMBER, API_OPTIONAL, 0, "24715.571428571428",
	    "7-day average of new confirmed cases (interval=day only, else null)." },
	{ "avg_new_deaths", F_NUMBER, API_OPTIONAL, 0, "321.42857142857144",
	    "7-day average of new deaths (interval=day only, else null)." },
	{ "confirmed_per_100k", F_NUMBER, API_OPTIONAL, 0, "45678.9", "Confirmed per 100,000 people." },
	{ "deaths_per_100k", F_NUMBER, API_OPTIONAL, 0, "201.3", "Deaths per 100,000 people." },
};

static const struct api_field series_f[] = {
	COMMON_HEAD,
	{ "place", F_OBJECT, 0, S_LINK, NULL, "The place." },
	{ "interval", F_STRING, 0, 0, "\"day\"", "day, week or month." },
	{ "product", F_STRING, 0, 0, "\"time_series\"",
	    "time_series (then daily_reports after its end) or daily_reports." },
	{ "points", F_ARRAY, 0, S_POINT, NULL, "The history, oldest first." },
	COMMON_TAIL,
};

static const struct api_field world_series_f[] = {
	COMMON_HEAD,
	{ "interval", F_STRING, 0, 0, "\"day\"", "day, week or month." },
	{ "product", F_STRING, 0, 0, "\"time_series\"",
	    "time_series (then daily_reports after its end) or daily_reports." },
	{ "points", F_ARRAY, 0, S_POINT, NULL,
	    "The world's history, oldest first (per-100k: null, no population)." },
	COMMON_TAIL,
};

static const struct api_field country_f[] = {
	PLACE_NAMES,
	{ "iso3", F_STRING, 1, 0, "\"DEU\"", "ISO 3166-1 alpha-3, or null." },
	{ "population", F_INT, 1, 0, "83783945", "Population, or null." },
	{ "date", F_DATE, 1, 0, "\"2023-03-09\"", "The date of its figures." },
	FIGURES(""),
	{ "avg_new_confirmed", F_NUMBER, 1, 0, "24715.571428571428",
	    "7-day average of new confirmed cases." },
	{ "confirmed_per_100k", F_NUMBER, 1, 0, "45678.9", "Confirmed per 100,000 people." },
	{ "deaths_per_100k", F_NUMBER, 1, 0, "201.3", "Deaths per 100,000 people." },
};

static const struct api_field countries_f[] = {
	COMMON_HEAD,
	{ "date", F_DATE, 1, 0, "\"2023-03-09\"", "The date." },
	{ "sort", F_STRING, 0, 0, "\"confirmed\"", "The sort column." },
	{ "order", F_STRING, 0, 0, "\"desc\"", "asc or desc." },
	{ "countries", F_ARRAY, 0, S_COUNTRY, NULL, "Every country with a total on the date." },
	COMMON_TAIL,
};

static const struct api_field report_f[] = {
	{ "date", F_DATE, 0, 0, "\"2023-03-09\"", "The report's date." },
	{ "country", F_STRING, 0, 0, "\"US\"", "Country_Region." },
	{ "province", F_STRING, 1, 0, "\"New York\"", "Province_State, or null." },
	{ "county", F_STRING, 1, 0, "\"Kings\"", "Admin2, or null." },
	{ "fips", F_STRING, 1, 0, "\"36047\"", "FIPS, or null." },
	{ "iso3", F_STRING, 1, 0, "\"USA\"", "ISO3, or null." },
	{ "uid", F_INT, 1, 0, "84036047", "JHU's UID, or null." },
	{ "combined_key", F_STRING, 1, 0, "\"Kings, New York, US\"", "Combined_Key." },
	{ "lat", F_NUMBER, 1, 0, "40.63", "Latitude." },
	{ "long", F_NUMBER, 1, 0, "-73.95", "Longitude." },
	{ "population", F_INT, 1, 0, "2559903", "Population." },
	FIGURES(""),
	{ "recovered", F_INT, 1, 0, NULL, "Recovered (JHU stopped reporting it)." },
	{ "active", F_INT, 1, 0, NULL, "Active cases." },
	{ "incident_rate", F_NUMBER, 1, 0, "38000.1", "Incident_Rate as published." },
	{ "case_fatality_ratio", F_NUMBER, 1, 0, "0.9", "Case_Fatality_Ratio as published." },
	{ "last_update", F_STRING, 1, 0, "\"2023-03-10T04:21:03\"", "Last_Update." },
};

static const struct api_field reports_f[] = {
	COMMON_HEAD,
	{ "date", F_DATE, 1, 0, "\"2023-03-09\"", "The date." },
	{ "limit", F_INT, 0, 0, "100", "Rows a page." },
	{ "cursor", F_INT, 0, 0, "0", "Where this page starts." },
	{ "next", F_URI, 1, 0, NULL, "The next page, or null on the last." },
	{ "reports", F_ARRAY, 0, S_REPORT, NULL,
	    "The rows as JHU published them, by country, province, county." },
	COMMON_TAIL,
};

static const struct api_field problem_f[] = {
	{ "type", F_URI, 0, 0, "\"/api#problem-400\"", "What kind of problem (RFC 9457)." },
	{ "title", F_STRING, 0, 0, "\"Bad Request\"", "A short summary." },
	{ "status", F_INT, 0, 0, "400", "The HTTP status." },
	{ "detail", F_STRING, 0, 0, "\"The parameter \\u201climit\\u201d must be a "
	    "whole number from 1 to 1000.\"", "What is wrong and why." },
	{ "parameter", F_STRING, 1, 0, "\"limit\"", "The parameter concerned, or null." },
};

static const struct api_field fc_skill_f[] = {
	{ "model", F_STRING, 0, 0, "\"ensemble\"", "ensemble (the portal's) or baseline "
	    "(the COVID-19 Forecast Hub's COVIDhub-baseline)." },
	{ "target", F_STRING, 0, 0, "\"inc death\"", "inc case or inc death (weekly totals)." },
	{ "scope", F_STRING, 0, 0, "\"country\"", "The places: country or province." },
	{ "horizon_weeks", F_INT, 0, 0, "1", "1 to 4, or 0 for 1-4 together." },
	{ "places", F_INT, 0, 0, "196", "Places with a relative WIS." },
	{ "forecasts", F_INT, 0, 0, "30753", "Forecasts scored." },
	{ "relative_wis", F_NUMBER, 1, 0, "0.966", "Geometric mean over the places "
	    "of the summed WIS over the baseline's (below 1: better)." },
	{ "relative_wis_pooled", F_NUMBER, 1, 0, "0.96", "All forecasts' summed WIS "
	    "over the baseline's (the Hub's pairwise ratio)." },
	{ "beats_baseline", F_NUMBER, 1, 0, "0.76", "Share of places with a relative "
	    "WIS below 1 (null for the baseline)." },
	{ "coverage_50", F_NUMBER, 1, 0, "0.696", "Share of outcomes in the 50 % interval." },
	{ "coverage_95", F_NUMBER, 1, 0, "0.968", "Share of outcomes in the 95 % interval." },
	{ "mean_wis", F_NUMBER, 1, 0, "52.1", "Mean WIS of a forecast." },
};

static const struct api_field fc_skills_f[] = {
	COMMON_HEAD,
	{ "skill", F_ARRAY, 0, S_FC_SKILL, NULL, "The backtest's skill by model, "
	    "target, scope and horizon (docs/forecasts.md)." },
	COMMON_TAIL,
};

static const struct api_field fc_quantile_f[] = {
	{ "quantile", F_NUMBER, 0, 0, "0.975", "The level (the Hub's 23)." },
	{ "value", F_NUMBER, 0, 0, "812", "The weekly total at that level." },
};

static const struct api_field fc_row_f[] = {
	{ "model", F_STRING, 0, 0, "\"ensemble\"", "ensemble or baseline." },
	{ "target", F_STRING, 0, 0, "\"inc death\"", "inc case or inc death." },
	{ "origin_date", F_DATE, 0, 0, "\"2023-03-04\"", "The Saturday it was made on." },
	{ "horizon_weeks", F_INT, 0, 0, "1", "Weeks ahead, 1 to 4." },
	{ "target_end_date", F_DATE, 0, 0, "\"2023-03-11\"", "The Saturday ending the target week." },
	{ "history", F_STRING, 0, 0, "\"as reported\"", "as reported (the daily reports "
	    "up to the origin) or revised (JHU's corrected time series)." },
	{ "observed", F_NUMBER, 1, 0, NULL, "The week's total, once known, or null." },
	{ "wis", F_NUMBER, 1, 0, NULL, "Its weighted interval score, or null." },
	{ "quantiles", F_ARRAY, 0, S_FC_QUANTILE, NULL, "The 23 quantiles." },
};

static const struct api_field fc_place_f[] = {
	COMMON_HEAD,
	{ "place", F_OBJECT, 0, S_LINK, NULL, "The place." },
	{ "forecasts", F_ARRAY, 0, S_FC_ROW, NULL, "Its newest forecasts, by target, "
	    "model and horizon (empty when it has none)." },
	{ "skill", F_URI, 0, 0, "\"/forecasts#skill\"", "How good they are." },
	COMMON_TAIL,
};

const struct api_schema api_schemas[S__MAX] = {
	[S_SUMMARY]    = { "Summary", "The world on a date.", summary_f, N(summary_f) },
	[S_STATUS]     = { "Status", "The data's freshness and the ingest.", status_f, N(status_f) },
	[S_RUN]        = { "Run", "One ingest run.", run_f, N(run_f) },
	[S_PLACE_LIST] = { "PlaceList", "A page of places.", place_list_f, N(place_list_f) },
	[S_PLACE_ITEM] = { "PlaceItem", "A place with its newest figures.", place_item_f, N(place_item_f) },
	[S_PLACE]      = { "Place", "One place.", place_f, N(place_f) },
	[S_LINK]       = { "PlaceLink", "A place, named and linked.", link_f, N(link_f) },
	[S_FIGURES]    = { "Figures", "A place's figures on one date.", figures_f, N(figures_f) },
	[S_SERIES]     = { "Series", "A place's history.", series_f, N(series_f) },
	[S_POINT]      = { "Point", "One point of a history.", point_f, N(point_f) },
	[S_COUNTRIES]  = { "Countries", "Every country on a date.", countries_f, N(countries_f) },
	[S_COUNTRY]    = { "Country", "A country on a date.", country_f, N(country_f) },
	[S_REPORTS]    = { "Reports", "A page of daily-report rows.", reports_f, N(reports_f) },
	[S_REPORT]     = { "Report", "One daily-report row.", report_f, N(report_f) },
	[S_PROBLEM]    = { "Problem", "An error (RFC 9457).", problem_f, N(problem_f) },
	[S_WORLD_SERIES] = { "WorldSeries", "The world's history.", world_series_f, N(world_series_f) },
	[S_FC_SKILLS]  = { "ForecastSkill", "The forecasts' measured skill.", fc_skills_f, N(fc_skills_f) },
	[S_FC_SKILL]   = { "SkillRow", "Skill of one model, target, scope and horizon.", fc_skill_f, N(fc_skill_f) },
	[S_FC_PLACE]   = { "PlaceForecast", "A place's newest forecasts.", fc_place_f, N(fc_place_f) },
	[S_FC_ROW]     = { "Forecast", "One forecast: a model, target and horizon.", fc_row_f, N(fc_row_f) },
	[S_FC_QUANTILE] = { "QuantileValue", "One quantile of a forecast.", fc_quantile_f, N(fc_quantile_f) },
};

const struct api_route api_routes[] = {
	{ "/api/v1/summary", "getSummary", "The world on a date",
	    "Cumulative and new confirmed cases and deaths of the whole world, "
	    "with 7-day averages (the dashboard's figures).",
	    PARAM(P_DATE), S_SUMMARY, "/api/v1/summary", api_summary, API_R_JSON },
	{ "/api/v1/status", "getStatus", "Data version and ingest",
	    "The data version, the newest date, the last ingest run and its outcome.",
	    0, S_STATUS, "/api/v1/status", api_status, API_R_JSON },
	{ "/api/v1/places", "listPlaces", "Search and list places",
	    "Places whose name contains q, ranked as the site's search, each "
	    "with its identifiers and newest figures; paginated.",
	    PARAM(P_Q) | PARAM(P_LEVEL) | PARAM(P_COUNTRY) | PARAM(P_LIMIT) |
	    PARAM(P_CURSOR), S_PLACE_LIST, "/api/v1/places?q=new&level=province&limit=5",
	    api_places, API_R_JSON },
	{ "/api/v1/places/{place}", "getPlace", "One place",
	    "A place by slug, ISO3 (countries), JHU UID or FIPS (US counties): "
	    "newest figures, per-100k, its parent and children.",
	    0, S_PLACE, "/api/v1/places/canada", api_place, API_R_JSON | API_R_PLACE },
	{ "/api/v1/places/{place}/series", "getPlaceSeries", "A place's history",
	    "Every date's figures (from JHU's time series where it publishes "
	    "one), by day, week or month, in one streamed response.",
	    PARAM(P_FROM) | PARAM(P_TO) | PARAM(P_LASTDAYS) | PARAM(P_INTERVAL) |
	    PARAM(P_METRICS), S_SERIES, "/api/v1/places/canada/series?interval=week",
	    api_series, API_R_JSON | API_R_PLACE },
	{ "/api/v1/world/series", "getWorldSeries", "The world's history",
	    "The sum of every country's figures on every date (the dashboard's "
	    "chart), by day, week or month, in one streamed response.",
	    PARAM(P_FROM) | PARAM(P_TO) | PARAM(P_LASTDAYS) | PARAM(P_INTERVAL) |
	    PARAM(P_METRICS), S_WORLD_SERIES, "/api/v1/world/series?interval=month",
	    api_world_series, API_R_JSON },
	{ "/api/v1/countries", "listCountries", "Every country on a date",
	    "Every country's figures on a date, sorted as the dashboard's table.",
	    PARAM(P_DATE) | PARAM(P_SORT) | PARAM(P_ORDER), S_COUNTRIES,
	    "/api/v1/countries?sort=deaths", api_countries, API_R_JSON },
	{ "/api/v1/reports", "listReports", "Daily-report rows",
	    "The rows of JHU's daily report for a date as published, paginated.",
	    PARAM(P_DATE) | PARAM(P_COUNTRY) | PARAM(P_PROVINCE) | PARAM(P_LEVEL) |
	    PARAM(P_LIMIT) | PARAM(P_CURSOR), S_REPORTS,
	    "/api/v1/reports?country=Canada&limit=5", api_reports, API_R_JSON },
	{ "/api/v1/places/{place}/forecast", "getPlaceForecast",
	    "A place's newest forecast",
	    "The newest 1-4 week ahead forecasts of its weekly cases and deaths "
	    "(the portal's model and the Forecast Hub's baseline), 23 quantiles "
	    "each; retrospective: JHU's data ends on 2023-03-09.",
	    0, S_FC_PLACE, "/api/v1/places/germany/forecast", api_place_forecast,
	    API_R_JSON | API_R_PLACE },
	{ "/api/v1/forecasts/skill", "getForecastSkill", "The forecasts' skill",
	    "Relative WIS, coverage and the share of places beaten, by model, "
	    "target, scope and horizon, over the whole backtest.",
	    0, S_FC_SKILLS, "/api/v1/forecasts/skill", api_forecast_skill,
	    API_R_JSON },
	{ "/api/openapi.json", "getOpenApi", "This API's OpenAPI 3.1 document",
	    "Generated from the tables the program validates requests with.",
	    0, S__MAX, "/api/openapi.json", api_openapi, API_R_JSON | API_R_NODATA },
	{ "/api", "getIndex", "This API's page",
	    "Every endpoint and parameter, for people (HTML).",
	    0, S__MAX, "/api", api_index, API_R_NODATA },
};
const size_t api_nroutes = N(api_routes);
