/**
 * Finding the target like an MTA does (RFC 5321 §5.1, RFC 7505): MX lookup with dnsjava, ordering
 * by preference with seeded shuffling of equal preferences, implicit MX, null MX, and the DNS-side
 * findings (MX pointing to a CNAME or an IP literal).
 *
 * <p>Imports dnsjava and the JDK only: no suites, rules, reports, client or CLI.
 */
package io.smtpharness.dns;
