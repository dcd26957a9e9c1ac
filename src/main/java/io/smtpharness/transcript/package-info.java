/**
 * The one home of transcripts: timed events in both directions with non-printable bytes escaped,
 * and redaction of secrets. Must not import Netty, rules or report formats.
 */
package io.smtpharness.transcript;
