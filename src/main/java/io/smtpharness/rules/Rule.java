package io.smtpharness.rules;

import java.util.Objects;

/**
 * One row of the catalogue.
 *
 * @param id      stable ID such as {@code 5321-3.3-RCPT-NEEDS-MAIL} or {@code G-04}
 * @param level   what breaking it costs
 * @param text    the rule in one line
 * @param section the RFC section(s), e.g. {@code §3.3}
 * @param rfc     the RFC number as text ({@code 5321}), or {@code gray} for gray zones
 * @param verdict how the harness judges it (the catalogue's "how judged" or "verdict" column), where
 *                a rule judged milder or harder than its level in some cases says so
 */
public record Rule(String id, Level level, String text, String section, String rfc, String verdict) {

    public Rule {
        Objects.requireNonNull(id, "id == null");
        Objects.requireNonNull(level, "level == null");
        Objects.requireNonNull(text, "text == null");
        Objects.requireNonNull(section, "section == null");
        Objects.requireNonNull(rfc, "rfc == null");
        Objects.requireNonNull(verdict, "verdict == null");
    }

    /** A rule whose catalogue row says nothing on how it is judged. */
    public Rule(String id, Level level, String text, String section, String rfc) {
        this(id, level, text, section, rfc, "");
    }
}
