/* log: one-line messages to stderr with syslog priority prefixes.
 * journald reads the "<N>" prefix and keeps the level, so the same lines are
 * readable on a terminal and filterable with `journalctl -p`. */
#ifndef COVID_LOG_H
#define COVID_LOG_H

#define LOG_PRI_ERR     3
#define LOG_PRI_WARNING 4
#define LOG_PRI_NOTICE  5
#define LOG_PRI_INFO    6

void log_msg(int priority, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_err(...)    log_msg(LOG_PRI_ERR, __VA_ARGS__)
#define log_warn(...)   log_msg(LOG_PRI_WARNING, __VA_ARGS__)
#define log_notice(...) log_msg(LOG_PRI_NOTICE, __VA_ARGS__)
#define log_info(...)   log_msg(LOG_PRI_INFO, __VA_ARGS__)

#endif
