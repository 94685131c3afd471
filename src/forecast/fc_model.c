/* fc_model: damped-trend smoothing of log weekly totals. */
#include <math.h>

#include "forecast/fc_model.h"

const struct fc_model_params fc_model_default = { 1.0, 0.1, 0.5 };
const struct fc_model_params fc_lead_params = { 1.0, 0.3, 0.85 };

double
fc_log1(double y)
{
	return log1p(y > 0 ? y : 0);
}

void
fc_holt_init(struct fc_holt *s)
{
	s->level = s->trend = 0;
	s->weeks = 0;
}

void
fc_holt_update(struct fc_holt *s, const struct fc_model_params *p, double y)
{
	double x = fc_log1(y), level;

	if (s->weeks == 0) {
		s->level = x;
		s->trend = 0;
	} else {
		level = p->alpha * x + (1 - p->alpha) * (s->level + p->phi * s->trend);
		s->trend = p->beta * (level - s->level) +
		    (1 - p->beta) * p->phi * s->trend;
		s->level = level;
	}
	s->weeks++;
}

double
fc_holt_forecast(const struct fc_holt *s, const struct fc_model_params *p, int h)
{
	double damp = 0, f = 1;
	int i;

	for (i = 0; i < h; i++) {
		f *= p->phi;
		damp += f;
	}
	return s->level + damp * s->trend;
}


struct fc_holt
fc_holt_lead(const struct fc_holt *level_from, const struct fc_holt *trend_from)
{
	struct fc_holt s = *level_from;

	s.trend = trend_from->trend;
	return s;
}
