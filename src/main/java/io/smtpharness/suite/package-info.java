/**
 * Scripted suites: loading {@code test-suites/*.yaml} (and any file or directory the user names)
 * into {@link io.smtpharness.dialogue.Dialogue}s, strictly, with every problem reported as one
 * {@link io.smtpharness.suite.SuiteException} that names file and line; finding the default suites
 * on disk or in the jar; and selecting cases by tag. The format is documented in test-suites/README.md.
 *
 * <p>It reads YAML at the node level (snakeyaml-engine's Compose API) so that every node keeps its
 * line. Depends on {@code dialogue}, {@code rules} and {@code protocol} only.
 * Must not import Netty, jqwik or report formats.
 */
package io.smtpharness.suite;
