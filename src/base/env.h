/* env: whole numbers from the environment, read and checked one way in
 * every program. */
#ifndef COVID_ENV_H
#define COVID_ENV_H

/*
 * The variable name as a decimal whole number in min..max into *out, or def
 * when it is unset or empty. When it is set to anything else (not a number,
 * trailing bytes, out of range) a log line names the variable, its value
 * and the range, *out is def, and the answer is -1: the caller decides
 * whether that stops the program or the default will do. Else 0.
 */
int env_long(const char *name, long def, long min, long max, long *out);

#endif
