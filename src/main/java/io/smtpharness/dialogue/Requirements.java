package io.smtpharness.dialogue;

import io.smtpharness.rules.SessionModel;
import java.util.List;
import java.util.Optional;

/**
 * Whether a case applies to the server, by the extensions its EHLO reply lists: a case's
 * {@code requires} keywords must be there, its {@code unless} keywords must not.
 */
final class Requirements {

    private Requirements() {
    }

    /** Why {@code dialogue} does not apply to a server whose EHLO reply moved the session to {@code model}; empty when it does. */
    static Optional<String> unmet(Dialogue dialogue, SessionModel model) {
        List<String> excluding = dialogue.unless().stream().filter(model::advertised).toList();
        if (!excluding.isEmpty()) {
            return Optional.of("the server advertises " + String.join(", ", excluding) + ", which changes what this"
                    + " case tests (the case applies only without it)");
        }
        // extensions may change with TLS (RFC 3207 §4.2, RFC 4954 §3): before a starttls step of the
        // case, only STARTTLS itself is checked; the rest on the EHLO reply inside TLS
        boolean tlsAhead = !model.tls() && dialogue.steps().stream().anyMatch(s -> s instanceof Step.StartTls);
        // inside TLS, STARTTLS is rightly gone from the list (RFC 3207 §4.2): it was checked before
        List<String> missing = dialogue.requires().stream()
                .filter(k -> !tlsAhead || k.equalsIgnoreCase("STARTTLS"))
                .filter(k -> !model.tls() || !k.equalsIgnoreCase("STARTTLS"))
                .filter(k -> !model.advertised(k)).toList();
        return missing.isEmpty() ? Optional.empty()
                : Optional.of("the server does not advertise " + String.join(", ", missing) + " in its EHLO reply");
    }
}
