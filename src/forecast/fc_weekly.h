/* fc_weekly: weekly totals (epidemiological weeks, Sunday to Saturday) of
 * new counts from a place's cumulative counts as reported day by day. */
#ifndef COVID_FC_WEEKLY_H
#define COVID_FC_WEEKLY_H

#include <stddef.h>

/* The Saturday on or before day (days since 1970-01-01, a Thursday). */
long fc_saturday_on_or_before(long day);

/* Weekly new counts on a grid of n_weeks Saturdays from first_sat
 * (week i ends on first_sat + 7 i) from cumulative counts cum[] reported on
 * days day[] (ascending, n of them):
 *   the cumulative count at a Saturday S is the last report dated S-6..S
 *   (none in that week: unknown), and week i's total is the count at its
 *   Saturday minus the count at the Saturday before (unknown when either
 *   is). A report whose count is NAN says nothing. Unknown weeks are NAN. A downward correction stays negative.
 * Reports after the grid's last Saturday are not read: a week's total uses
 * only reports dated up to its own Saturday. */
void fc_weekly(const long *day, const double *cum, size_t n, long first_sat,
    size_t n_weeks, double *out);

#endif
