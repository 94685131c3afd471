/* fc_pool: histograms of the model's past errors and their quantiles. */
#include <math.h>
#include <stdlib.h>

#include "forecast/fc_db.h"
#include "forecast/fc_pool.h"

/* The strata's lower edges after the first: every half decade (a factor
 * of about 3) from 10 to 10,000. */
static const double stratum_edge[] = { 10, 30, 100, 300, 1000, 3000,
    10000 };
#define NSTRATA FC_POOL_NSTRATA /* by the last week's total, and ... */
#define ALL     NSTRATA         /* ... every stratum together */

struct fc_pool {
	size_t    n_weeks;
	unsigned *hist;     /* [cell][FC_HIST_BINS], freed by fc_pool_finish */
	float    *q;        /* [cell][QF_NQ] */
	unsigned *n;        /* [cell]: errors known by the cell's week */
	double    out[QF_NQ];
};

static size_t
cell(const struct fc_pool *p, int target, int h, int stratum, size_t week)
{
	return (((size_t)target * FC_HORIZONS + (size_t)(h - 1)) *
	    (NSTRATA + 1) + (size_t)stratum) * p->n_weeks + week;
}

static size_t
cells(const struct fc_pool *p)
{
	return (size_t)FC_NTARGETS * FC_HORIZONS * (NSTRATA + 1) * p->n_weeks;
}

int
fc_pool_stratum(double last)
{
	int s = 0;

	while (s < NSTRATA - 1 && last >= stratum_edge[s])
		s++;
	return s;
}

struct fc_pool *
fc_pool_new(size_t n_weeks)
{
	struct fc_pool *p = calloc(1, sizeof *p);

	if (p == NULL)
		return NULL;
	p->n_weeks = n_weeks;
	p->hist = calloc(cells(p) * FC_HIST_BINS, sizeof *p->hist);
	p->q = calloc(cells(p) * QF_NQ, sizeof *p->q);
	p->n = calloc(cells(p), sizeof *p->n);
	if (p->hist == NULL || p->q == NULL || p->n == NULL) {
		fc_pool_free(p);
		return NULL;
	}
	return p;
}

void
fc_pool_free(struct fc_pool *p)
{
	if (p == NULL)
		return;
	free(p->hist);
	free(p->q);
	free(p->n);
	free(p);
}

void
fc_pool_add_errors(struct fc_pool *p, int target, size_t t, const double *w,
    size_t n_weeks, const double x[FC_HORIZONS])
{
	int h, s = fc_pool_stratum(w[t]);

	for (h = 1; h <= FC_HORIZONS; h++) {
		size_t tt = t + (size_t)h;
		double e;
		int bin;

		if (tt >= n_weeks || isnan(w[tt]))
			continue;
		e = fc_log1(w[tt]) - x[h - 1];
		bin = fc_hist_bin(e);
		p->hist[cell(p, target, h, s, tt) * FC_HIST_BINS + (size_t)bin]++;
		p->hist[cell(p, target, h, ALL, tt) * FC_HIST_BINS + (size_t)bin]++;
	}
}

void
fc_pool_finish(struct fc_pool *p)
{
	unsigned running[FC_HIST_BINS];
	double q[QF_NQ];
	int target, h, s, b, k;
	size_t week;

	for (target = 0; target < FC_NTARGETS; target++)
		for (h = 1; h <= FC_HORIZONS; h++)
			for (s = 0; s <= ALL; s++) {
				unsigned long total = 0;

				for (b = 0; b < FC_HIST_BINS; b++)
					running[b] = 0;
				for (week = 0; week < p->n_weeks; week++) {
					size_t c = cell(p, target, h, s, week);
					const unsigned *add = p->hist + c * FC_HIST_BINS;

					for (b = 0; b < FC_HIST_BINS; b++) {
						running[b] += add[b];
						total += add[b];
					}
					if (week >= FC_POOL_WEEKS) {
						const unsigned *old = p->hist +
						    cell(p, target, h, s, week - FC_POOL_WEEKS) *
						    FC_HIST_BINS;

						for (b = 0; b < FC_HIST_BINS; b++) {
							running[b] -= old[b];
							total -= old[b];
						}
					}
					p->n[c] = (unsigned)total;
					fc_hist_quantiles(running, total, q);
					for (k = 0; k < QF_NQ; k++)
						p->q[c * QF_NQ + (size_t)k] = (float)q[k];
				}
			}
	free(p->hist);
	p->hist = NULL;
}

const double *
fc_pool_quantiles(struct fc_pool *p, int target, int h, double last, size_t t)
{
	size_t c = cell(p, target, h, fc_pool_stratum(last), t);
	int k;

	if (p->n[c] < FC_POOL_MIN) {
		c = cell(p, target, h, ALL, t);
		if (p->n[c] < FC_POOL_MIN)
			return NULL;
	}
	for (k = 0; k < QF_NQ; k++)
		p->out[k] = p->q[c * QF_NQ + (size_t)k];
	return p->out;
}
