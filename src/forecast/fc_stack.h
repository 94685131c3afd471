/* fc_stack: the published model chosen for each place from its own past.
 * At every origin each of up to FC_STACK_N candidates (fc_ensemble: the
 * baseline's weight in the average and a factor on its spread, for each
 * of the model's point forecasts the target chooses among) is formed;
 * each candidate's WIS is kept per origin and horizon, and the
 * candidate published at origin t is the one whose forecasts from the
 * place's earlier origins, scored on outcomes known by t (o + h <= t),
 * summed the least WIS, an origin's score weighing FC_STACK_DISCOUNT
 * less per week older. With too few such scores the default candidate
 * is used. Only outcomes known at the origin count: no look-ahead. Per
 * place and target, reset between them; its size grows with the weeks,
 * not the places (O(weeks) per choice). Why: docs/forecasts.md. */
#ifndef COVID_FC_STACK_H
#define COVID_FC_STACK_H

#include <stddef.h>

#include "forecast/fc_model.h"

#define FC_STACK_N        18    /* candidates at most (fc_run) */
#define FC_STACK_MIN      8     /* known scores needed to choose */
#define FC_STACK_DISCOUNT 0.93  /* per week an origin is older */

struct fc_stack {
	size_t  n_weeks;
	double *wis;     /* [week][FC_HORIZONS][FC_STACK_N], NAN unknown */
};

int fc_stack_init(struct fc_stack *s, size_t n_weeks);
void fc_stack_free(struct fc_stack *s);
/* Forgets every score (a new place or target). */
void fc_stack_reset(struct fc_stack *s);
/* Records the candidates' WIS of the forecasts from origin t, h weeks
 * ahead (their outcome is week t + h). */
void fc_stack_note(struct fc_stack *s, size_t t, int h,
    const double wis[FC_STACK_N]);
/* The candidate to publish at origin t, h weeks ahead, among the first n:
 * the least discounted sum of WIS over origins o with o + h <= t; dflt
 * with fewer than FC_STACK_MIN of them. */
int fc_stack_choose(const struct fc_stack *s, size_t t, int h, int n,
    int dflt);

#endif
