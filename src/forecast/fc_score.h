/* fc_score: how good a quantile forecast was: the weighted interval score
 * (Bracher et al. 2021), the absolute error of the median, interval
 * coverage, and the Hub's relative WIS. */
#ifndef COVID_FC_SCORE_H
#define COVID_FC_SCORE_H

#include <stddef.h>

#include "forecast/fc_quantile.h"

/* The score of one forecast q[0..QF_NQ-1] (at qf_levels) of the outcome y. */
struct fc_score {
	double wis;        /* weighted interval score */
	double abs_error;  /* |y - median| */
	int    cover50;    /* 1 when q(0.25) <= y <= q(0.75) */
	int    cover95;    /* 1 when q(0.025) <= y <= q(0.975) */
};

/* The interval score of the central (1 - alpha) interval [l, u] for y:
 * (u - l) + 2/alpha * (l - y) if y < l, + 2/alpha * (y - u) if y > u. */
double fc_interval_score(double alpha, double l, double u, double y);

/* WIS over the median and the 11 central intervals the 23 levels make
 * (alpha = 0.02, 0.05, 0.1, 0.2, ..., 0.9):
 *   WIS = (0.5 |y - m| + sum_k alpha_k / 2 * IS_alpha_k) / (K + 0.5), K = 11. */
struct fc_score fc_score_forecast(const double q[QF_NQ], double y);

/* The Hub's relative WIS of n models (Cramer et al. 2022): for each pair
 * (i, j), theta_ij = the ratio of the two models' WIS summed over the
 * targets both forecast (sum[i][j] is model i's sum over the targets
 * common to i and j, a row-major n x n array); theta_i = the geometric
 * mean of theta_ij over j (theta_ii = 1); the relative WIS of i is
 * theta_i / theta_base. out[i] is NAN where a ratio is undefined (no
 * common target, or a zero sum). */
void fc_relative_wis(size_t n, const double *sum, size_t base, double *out);

#endif
