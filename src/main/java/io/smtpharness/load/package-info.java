/**
 * {@code load}: many full sessions against a target, every reply judged as in {@code run}, with
 * sessions per second and per-stage latency percentiles. Sits beside {@code fuzz}, above
 * {@code dialogue}; it knows nothing of suites, reports or the CLI.
 */
package io.smtpharness.load;
