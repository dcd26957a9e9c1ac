/**
 * Rule coverage: which catalogue rules the scripted cases and the oracles judge, which ones a
 * client cannot observe (with the reason, from {@code unobservable.tsv}), and which are left
 * uncovered; the {@code rules} command prints it and {@code rules --check} enforces it.
 * Depends on {@code rules} and {@code dialogue} only; must not import {@code cli}, {@code suite},
 * Netty, YAML or report formats.
 */
package io.smtpharness.coverage;
