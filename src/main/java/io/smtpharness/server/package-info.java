/**
 * The embedded reference SMTP server (Netty): conformant to RFC 5321 by construction, with a small
 * {@link io.smtpharness.server.Misbehaviour} seam so the project's own tests can make it misbehave.
 *
 * <p>Owns the server bootstrap, command-line framing, DATA framing (RFC 5321 §4.1.1.4, §4.5.2), the
 * per-connection session state and the canned replies. Must not import {@code io.smtpharness.rules},
 * {@code .suite} or {@code .dialogue}: the server must not be graded by the code that grades it.
 */
package io.smtpharness.server;
