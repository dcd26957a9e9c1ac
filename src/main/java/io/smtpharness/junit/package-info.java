/**
 * JUnit 5 integration: run the harness's suites against your own server inside your own
 * {@code mvn test} / {@code gradle test}. {@link io.smtpharness.junit.SmtpConformanceTests} turns
 * every case into a {@link org.junit.jupiter.api.DynamicTest} for a {@code @TestFactory};
 * {@link io.smtpharness.junit.SmtpConformance} configures it on the test class.
 *
 * <p>Verdicts map to JUnit outcomes: {@code passed} and {@code warning} succeed (a warning prints its
 * findings), {@code skipped} aborts the test (an assumption), {@code failed} and {@code error} fail
 * it with {@code RULE-ID: message} and the transcript.
 *
 * <p>Uses the same suite loader, runner and reporters as the command line. Must not import
 * picocli or {@code io.smtpharness.cli}: the command line is one user of the harness, this is another.
 */
package io.smtpharness.junit;
