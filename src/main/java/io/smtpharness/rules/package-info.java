/**
 * The rules: the catalogue of RFC-RULES.md, the immutable session model of RFC 5321 §4.1.4, the
 * command → allowed-codes table of §4.3.2, and the oracles that judge every reply.
 * Must not import Netty, YAML or report formats.
 */
package io.smtpharness.rules;
