/**
 * SMTP value types and the reply parser (RFC 5321 §4.1, §4.2).
 *
 * <p>Owns {@link io.smtpharness.protocol.Command}, {@link io.smtpharness.protocol.Reply} and the
 * parser that turns received lines into a reply plus its syntax deviations without ever throwing.
 * Must not import Netty, files, jqwik or report formats.
 */
package io.smtpharness.protocol;
