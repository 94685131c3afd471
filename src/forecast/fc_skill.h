/* fc_skill: the backtest's skill, summed place by place as the forecasts
 * are scored (fixed memory): per target, scope and horizon, the relative
 * WIS of each place (its model's summed WIS over its baseline's, on the
 * targets both forecast) and their geometric mean, the Hub's pooled ratio,
 * the share of places the model beats the baseline in, the coverage of
 * the 50 % and 95 % intervals; and the same relative WIS by quarter. */
#ifndef COVID_FC_SKILL_H
#define COVID_FC_SKILL_H

#include <stdio.h>

#include "forecast/fc_score.h"

enum fc_scope { FC_SCOPE_COUNTRY, FC_SCOPE_PROVINCE, FC_NSCOPES };

struct fc_skill;
struct fc_db;

/* first_day: the first origin's day; quarters count from its year. */
struct fc_skill *fc_skill_new(long first_day);
void fc_skill_free(struct fc_skill *s);

void fc_skill_place_begin(struct fc_skill *s, enum fc_scope scope);
/* One target both models forecast, with its scores. */
void fc_skill_add(struct fc_skill *s, int target, int h, long origin_day,
    const struct fc_score *baseline, const struct fc_score *model);
void fc_skill_place_end(struct fc_skill *s);

/* The summary: per scope, target and horizon (0 = all), for the model. */
struct fc_skill_row {
	long   places, forecasts;
	double rel_wis;          /* geometric mean of the places' ratios */
	double rel_wis_pooled;   /* summed WIS over summed WIS */
	double beats;            /* share of places with a ratio < 1 */
	double cover50[2], cover95[2], mean_wis[2];   /* [baseline, model] */
};
void fc_skill_get(const struct fc_skill *s, enum fc_scope scope, int target,
    int h, struct fc_skill_row *out);

void fc_skill_print(const struct fc_skill *s, FILE *out);
/* Writes forecast_skill and forecast_skill_time (inside the run's
 * transaction). */
int fc_skill_store(const struct fc_skill *s, struct fc_db *d);

#endif
