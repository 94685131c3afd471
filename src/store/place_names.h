/* place_names: what JHU called each place over the years, and what it is
 * called now: country renames ("Mainland China" -> "China") and old
 * countries that became a province of another ("Hong Kong" -> China / Hong
 * Kong). Data about places, used by the daily-report parser (every row),
 * the store (the country_alias table for analysts) and whatever else joins
 * on names. */
#ifndef COVID_PLACE_NAMES_H
#define COVID_PLACE_NAMES_H

/* Maps any name JHU ever used for a country to its current one
 * ("Mainland China" -> "China", "Republic of Korea" -> "Korea, South").
 * Returns name itself when it is already current. The same table is written to
 * the country_alias table for analysts (see place_country_aliases). */
const char *place_country_name(const char *name);

/* The alias table, terminated by {NULL, NULL}. */
struct country_alias { const char *alias, *name; };
extern const struct country_alias place_country_aliases[];

/* Old country names that are now a PROVINCE of another country ("Hong Kong"
 * -> China / Hong Kong, "Aruba" -> Netherlands / Aruba), and the two names of
 * the Diamond Princess ("Cruise Ship", "Others"), whose old province field
 * named the ship: the province is replaced by the one given here ("" for the
 * country itself). Terminated by {NULL, NULL, NULL}. */
struct place_move { const char *alias, *country, *province; };
extern const struct place_move place_moves[];

/* What the parser does to every row's (trimmed) country and province: a
 * move replaces both, an alias renames the country. The pointers are replaced
 * by static strings when anything changes. (The parser also turns an era 1-2
 * province equal to its country, "France,France", into "": there it meant
 * the country itself; later files have real ones such as Mexico / Mexico.) */
void place_normalise(const char **country, const char **province);

#endif
