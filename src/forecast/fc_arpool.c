/* fc_arpool: the pooled fit of growth's autoregression, per class and
 * origin. */
#include <math.h>
#include <stdlib.h>

#include "forecast/fc_arpool.h"
#include "forecast/fc_db.h"
#include "forecast/fc_pool.h"

#define NCLASS (FC_POOL_NSTRATA)
#define NP     FC_AR_MAXP

/* The normal equations of the rows of one week: sum f f', sum f y, and
 * their count. */
struct sums {
	double a[NP * NP], b[NP];
	long   n;
};

struct fc_arpool {
	size_t       n_weeks;
	struct sums *rows;   /* [target][class][week] */
	double      *coef;   /* [target][class][week][NP] */
	unsigned char *ok;   /* [target][class][week]: coef solved */
};

static size_t
cell(const struct fc_arpool *p, int target, int cls, size_t week)
{
	return ((size_t)target * NCLASS + (size_t)cls) * p->n_weeks + week;
}

struct fc_arpool *
fc_arpool_new(size_t n_weeks)
{
	struct fc_arpool *p = calloc(1, sizeof *p);
	size_t n = (size_t)FC_NTARGETS * NCLASS * n_weeks;

	if (p == NULL)
		return NULL;
	p->n_weeks = n_weeks;
	p->rows = calloc(n, sizeof *p->rows);
	p->coef = calloc(n * NP, sizeof *p->coef);
	p->ok = calloc(n, 1);
	if (p->rows == NULL || p->coef == NULL || p->ok == NULL) {
		fc_arpool_free(p);
		return NULL;
	}
	return p;
}

void
fc_arpool_free(struct fc_arpool *p)
{
	if (p == NULL)
		return;
	free(p->rows);
	free(p->coef);
	free(p->ok);
	free(p);
}

void
fc_arpool_add(struct fc_arpool *p, int target, const double *w,
    const double *lead, size_t i)
{
	double f[NP], y;
	int n = fc_ar_row(w, lead, i, f, &y), j, k;
	struct sums *s;

	if (n == 0)
		return;
	/* the class of the week before, the last one known when this
	 * growth was forecast */
	s = &p->rows[cell(p, target, fc_pool_stratum(w[i - 1]), i)];
	for (j = 0; j < n; j++) {
		s->b[j] += f[j] * y;
		for (k = 0; k < n; k++)
			s->a[j * n + k] += f[j] * f[k];
	}
	s->n++;
}

void
fc_arpool_finish(struct fc_arpool *p)
{
	int target, cls, j, k;
	size_t t, i;

	for (target = 0; target < FC_NTARGETS; target++) {
		int n = fc_ar_nparams(target == FC_DEATHS);

		for (cls = 0; cls < NCLASS; cls++)
			for (t = 0; t < p->n_weeks; t++) {
				double a[NP * NP] = { 0 }, b[NP] = { 0 };
				double wt = 1, wsum = 0;
				long rows = 0;

				/* weeks up to t, as a place's fit weighs them */
				for (i = t + 1; i-- > 0 && i + FC_AR_WEEKS > t;
				    wt *= FC_AR_DECAY) {
					const struct sums *s =
					    &p->rows[cell(p, target, cls, i)];

					for (j = 0; j < n * n; j++)
						a[j] += wt * s->a[j];
					for (j = 0; j < n; j++)
						b[j] += wt * s->b[j];
					wsum += wt * (double)s->n;
					rows += s->n;
				}
				if (rows < FC_ARPOOL_MIN)
					continue;
				for (k = 0; k < n; k++)
					a[k * n + k] += FC_ARPOOL_RIDGE * wsum;
				p->ok[cell(p, target, cls, t)] = fc_solve_spd(n,
				    a, b, &p->coef[cell(p, target, cls, t) * NP])
				    == 0;
			}
	}
}

const double *
fc_arpool_coef(const struct fc_arpool *p, int target, double last,
    size_t t)
{
	size_t c = cell(p, target, fc_pool_stratum(last), t);

	return p->ok[c] ? &p->coef[c * NP] : NULL;
}
