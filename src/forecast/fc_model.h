/* fc_model: the portal's own forecast's moving part: a damped-trend
 * exponential smoothing (Holt's method with Gardner and McKenzie's
 * damping) of the logarithm of weekly totals, whose intervals come from the
 * pooled past errors of the same model (fc_pool); the published model
 * averages its quantiles with the baseline's (fc_run). Why:
 * docs/forecasts.md. */
#ifndef COVID_FC_MODEL_H
#define COVID_FC_MODEL_H

#include <stddef.h>

#define FC_HORIZONS 4

/* The smoothing weights: level alpha, trend beta, damping phi. */
struct fc_model_params {
	double alpha, beta, phi;
};
extern const struct fc_model_params fc_model_default;

/* The smoothing state of one place's series, updated week by week. */
struct fc_holt {
	double level, trend;
	int    weeks;          /* known weeks seen so far */
};

void fc_holt_init(struct fc_holt *s);
/* Takes the next known week's total y (a negative correction counts as 0);
 * an unknown week is simply not given. */
void fc_holt_update(struct fc_holt *s, const struct fc_model_params *p, double y);
/* The point forecast h (1..4) weeks ahead on the log scale, log(y + 1). */
double fc_holt_forecast(const struct fc_holt *s, const struct fc_model_params *p,
    int h);

/* Deaths follow cases by a week or two, so the deaths' forecast keeps its
 * own level but takes the growth of the place's cases: their smoothing
 * with these weights (a smoother trend than fc_model_default's), whose
 * trend replaces the deaths' (docs/forecasts.md). */
extern const struct fc_model_params fc_lead_params;

/* The state whose level is level_from's and whose trend is trend_from's. */
struct fc_holt fc_holt_lead(const struct fc_holt *level_from,
    const struct fc_holt *trend_from);

/* log(y + 1) of a weekly total, a negative one counting as 0. */
double fc_log1(double y);

#endif
