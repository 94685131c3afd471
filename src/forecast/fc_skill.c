/* fc_skill: the backtest's summary, accumulated place by place. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "forecast/fc_db.h"
#include "forecast/fc_model.h"
#include "forecast/fc_skill.h"

#define NQUARTERS 48

/* Sums of one model's scores. */
struct sums {
	double wis;
	long   n, c50, c95;
};

/* One scope, target and horizon over all places. */
struct cell {
	double      logratio;   /* sum of log(place ratio) */
	long        places, beats;
	struct sums m[2];       /* [baseline, model] */
};

struct fc_skill {
	long          first_day;
	enum fc_scope scope;
	/* the current place */
	struct sums   place[FC_NTARGETS][FC_HORIZONS + 1][2];
	double        place_q[FC_NTARGETS][NQUARTERS][2];
	long          place_qc95[FC_NTARGETS][NQUARTERS][2];
	/* all places; horizon 0 is every horizon */
	struct cell   cell[FC_NSCOPES][FC_NTARGETS][FC_HORIZONS + 1];
	struct cell   quarter[FC_NTARGETS][NQUARTERS];
};

struct fc_skill *
fc_skill_new(long first_day)
{
	struct fc_skill *s = calloc(1, sizeof *s);

	if (s != NULL)
		s->first_day = first_day;
	return s;
}

void
fc_skill_free(struct fc_skill *s)
{
	free(s);
}

static int
quarter_of(const struct fc_skill *s, long day)
{
	int y0, y, m, d, q;

	date_to_civil(s->first_day, &y0, &m, &d);
	date_to_civil(day, &y, &m, &d);
	q = (y - y0) * 4 + (m - 1) / 3;
	return q < 0 ? 0 : q >= NQUARTERS ? NQUARTERS - 1 : q;
}

void
fc_skill_place_begin(struct fc_skill *s, enum fc_scope scope)
{
	s->scope = scope;
	memset(s->place, 0, sizeof s->place);
	memset(s->place_q, 0, sizeof s->place_q);
	memset(s->place_qc95, 0, sizeof s->place_qc95);
}

static void
add_sums(struct sums *x, const struct fc_score *sc)
{
	x->wis += sc->wis;
	x->n++;
	x->c50 += sc->cover50;
	x->c95 += sc->cover95;
}

void
fc_skill_add(struct fc_skill *s, int target, int h, long origin_day,
    const struct fc_score *baseline, const struct fc_score *model)
{
	int q = quarter_of(s, origin_day);

	add_sums(&s->place[target][h][0], baseline);
	add_sums(&s->place[target][h][1], model);
	s->place_q[target][q][0] += baseline->wis;
	s->place_q[target][q][1] += model->wis;
	s->place_qc95[target][q][0]++;
	s->place_qc95[target][q][1] += model->cover95;
}

/* A place's ratio into a cell; places whose baseline was perfect (a WIS
 * of 0: nothing happened and nothing was forecast) have no ratio. */
static void
add_ratio(struct cell *c, double model, double baseline)
{
	if (model > 0 && baseline > 0) {
		double r = model / baseline;

		c->logratio += log(r);
		c->places++;
		c->beats += r < 1;
	}
}

static void
merge(struct sums *into, const struct sums *x)
{
	into->wis += x->wis;
	into->n += x->n;
	into->c50 += x->c50;
	into->c95 += x->c95;
}

void
fc_skill_place_end(struct fc_skill *s)
{
	int t, h, q, m;

	for (t = 0; t < FC_NTARGETS; t++) {
		for (h = 1; h <= FC_HORIZONS; h++) {
			const struct sums *x = s->place[t][h];
			struct cell *c = &s->cell[s->scope][t][h];
			struct cell *all = &s->cell[s->scope][t][0];

			if (x[0].n == 0)
				continue;
			add_ratio(c, x[1].wis, x[0].wis);
			add_ratio(all, x[1].wis, x[0].wis);
			for (m = 0; m < 2; m++) {
				merge(&c->m[m], &x[m]);
				merge(&all->m[m], &x[m]);
			}
		}
		if (s->scope != FC_SCOPE_COUNTRY)
			continue;
		for (q = 0; q < NQUARTERS; q++) {
			struct cell *c = &s->quarter[t][q];

			if (s->place_qc95[t][q][0] == 0)
				continue;
			add_ratio(c, s->place_q[t][q][1], s->place_q[t][q][0]);
			c->m[1].n += s->place_qc95[t][q][0];
			c->m[1].c95 += s->place_qc95[t][q][1];
		}
	}
}

void
fc_skill_get(const struct fc_skill *s, enum fc_scope scope, int target, int h,
    struct fc_skill_row *out)
{
	const struct cell *c = &s->cell[scope][target][h];
	int m;

	out->places = c->places;
	out->forecasts = c->m[1].n;
	out->rel_wis = c->places ? exp(c->logratio / (double)c->places) : NAN;
	out->rel_wis_pooled = c->m[0].wis > 0 ? c->m[1].wis / c->m[0].wis : NAN;
	out->beats = c->places ? (double)c->beats / (double)c->places : NAN;
	for (m = 0; m < 2; m++) {
		double n = (double)c->m[m].n;

		out->cover50[m] = n > 0 ? (double)c->m[m].c50 / n : NAN;
		out->cover95[m] = n > 0 ? (double)c->m[m].c95 / n : NAN;
		out->mean_wis[m] = n > 0 ? c->m[m].wis / n : NAN;
	}
}

static const char *const scope_name[FC_NSCOPES] = { "country", "province" };
static const char *const target_name[FC_NTARGETS] = { "inc case", "inc death" };

void
fc_skill_print(const struct fc_skill *s, FILE *out)
{
	struct fc_skill_row r;
	int sc, t, h;

	fprintf(out, "scope     target     h  places  forecasts  relWIS  pooled  "
	    "beats  cov50  cov95  (baseline cov50 cov95)\n");
	for (sc = 0; sc < FC_NSCOPES; sc++)
		for (t = 0; t < FC_NTARGETS; t++)
			for (h = 0; h <= FC_HORIZONS; h++) {
				fc_skill_get(s, (enum fc_scope)sc, t, h, &r);
				fprintf(out, "%-9s %-9s  %d  %6ld  %9ld  %6.3f  %6.3f  "
				    "%5.2f  %5.3f  %5.3f  (%5.3f %5.3f)\n",
				    scope_name[sc], target_name[t], h, r.places,
				    r.forecasts, r.rel_wis, r.rel_wis_pooled, r.beats,
				    r.cover50[1], r.cover95[1], r.cover50[0],
				    r.cover95[0]);
			}
}

static long
quarter_start(const struct fc_skill *s, int q)
{
	int y0, m, d;

	date_to_civil(s->first_day, &y0, &m, &d);
	return date_from_civil(y0 + q / 4, (q % 4) * 3 + 1, 1);
}

int
fc_skill_store(const struct fc_skill *s, struct fc_db *d)
{
	struct fc_skill_row r;
	int sc, t, h, q;

	if (fc_db_skill_clear(d) != 0)
		return -1;
	for (sc = 0; sc < FC_NSCOPES; sc++)
		for (t = 0; t < FC_NTARGETS; t++)
			for (h = 0; h <= FC_HORIZONS; h++) {
				fc_skill_get(s, (enum fc_scope)sc, t, h, &r);
				if (r.forecasts == 0)
					continue;
				if (fc_db_skill_put(d, 1, t, scope_name[sc], h,
				    r.places, r.forecasts, 1, 1, NAN, r.cover50[0],
				    r.cover95[0], r.mean_wis[0]) != 0 ||
				    fc_db_skill_put(d, 2, t, scope_name[sc], h,
				    r.places, r.forecasts, r.rel_wis,
				    r.rel_wis_pooled, r.beats, r.cover50[1],
				    r.cover95[1], r.mean_wis[1]) != 0)
					return -1;
			}
	for (t = 0; t < FC_NTARGETS; t++)
		for (q = 0; q < NQUARTERS; q++) {
			const struct cell *c = &s->quarter[t][q];

			if (c->places == 0)
				continue;
			if (fc_db_skill_time_put(d, 2, t, quarter_start(s, q),
			    c->places, exp(c->logratio / (double)c->places),
			    (double)c->m[1].c95 / (double)c->m[1].n) != 0)
				return -1;
		}
	return 0;
}
