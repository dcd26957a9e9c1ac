/**
 * The Netty SMTP client: connect, framing that keeps line delimiters (so a bare CR or LF in a
 * reply stays visible), reply assembly through {@link io.smtpharness.protocol.ReplyParser}, timeouts,
 * hard caps against hostile servers, a validated {@code send} and an explicit {@code sendRaw}, and
 * transcript capture of every octet. Must not import rules, suites, jqwik or reports.
 */
package io.smtpharness.client;
