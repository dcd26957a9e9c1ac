/**
 * Renders a finished run into the files of the report directory (DESIGN.md, "Contract"):
 * {@code summary.json}, {@code junit.xml}, {@code index.html} and {@code allure-results/}, plus the
 * end-of-run text for the terminal.
 *
 * <p>Owns the writers ({@link io.smtpharness.report.SummaryJson},
 * {@link io.smtpharness.report.JunitXml}, {@link io.smtpharness.report.HtmlReport},
 * {@link io.smtpharness.report.AllureResults}, {@link io.smtpharness.report.TerminalSummary}) and {@link io.smtpharness.report.ReportWriter},
 * the {@link io.smtpharness.result.RunListener} that writes them all in one directory.
 *
 * <p>Reads only {@code io.smtpharness.result} and {@code io.smtpharness.transcript}. Must not import
 * Netty, jqwik, {@code rules}, {@code dialogue} or {@code client}: a report shows what was decided,
 * never how. Rule titles arrive as a plain function for the same reason.
 *
 * <p>Everything shown here may come from a hostile server, so every writer escapes for its own
 * format: XML 1.0 forbidden characters never reach {@code junit.xml}, HTML is escaped in
 * {@code index.html}, and control characters never reach the terminal raw.
 */
package io.smtpharness.report;
