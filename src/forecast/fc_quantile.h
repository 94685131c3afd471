/* fc_quantile: the Forecast Hub's 23 quantile levels, empirical quantiles of
 * a sample, and a pooled histogram of forecast errors whose quantiles give a
 * model's intervals. */
#ifndef COVID_FC_QUANTILE_H
#define COVID_FC_QUANTILE_H

#include <stddef.h>

#define FC_NQ 23           /* quantile levels per forecast */
#define FC_MEDIAN 11       /* index of the 0.5 level */

/* 0.01, 0.025, 0.05, 0.10, 0.15, ..., 0.90, 0.95, 0.975, 0.99. */
extern const double fc_levels[FC_NQ];

/* The p-quantile of sorted[0..n-1] by linear interpolation between order
 * statistics (Hyndman and Fan's type 7, R's default, which the Hub's
 * baseline used); NAN when n is 0. */
double fc_quantile_sorted(const double *sorted, size_t n, double p);

/* Sorts v[0..n-1] ascending. */
void fc_sort(double *v, size_t n);

/* A histogram of log errors on a fixed grid: FC_HIST_BINS bins of width
 * FC_HIST_WIDTH centred on 0; values beyond the grid land in its end bins.
 * Fixed size, so the pool of every place's past errors costs the same
 * memory whatever the number of places. */
#define FC_HIST_BINS  1601
#define FC_HIST_WIDTH 0.01

int fc_hist_bin(double x);
double fc_hist_centre(int bin);

/* The FC_NQ quantiles of a histogram with total counts n (the sum of
 * counts[]), each the centre of the bin where the cumulative count first
 * reaches level * n (the inverse of the empirical distribution). */
void fc_hist_quantiles(const unsigned *counts, unsigned long n,
    double out[FC_NQ]);

#endif
