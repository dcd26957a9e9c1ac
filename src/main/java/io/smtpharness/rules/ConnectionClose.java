package io.smtpharness.rules;

import io.smtpharness.result.Finding;
import io.smtpharness.result.Severity;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Judges the server closing the connection (RFC 5321 §3.8: a server closes only after 221, 421 or
 * a timeout, and never because it did not understand a command). Not an {@link Oracle}: it judges
 * an end of connection, not a reply; it declares its rules the same way.
 */
public final class ConnectionClose {

    private static final String CLOSE_ONLY_IF = "5321-3.8-CLOSE-ONLY-IF";
    private static final String UNKNOWN_IS_500 = "5321-3.8-UNKNOWN-IS-500";
    private static final String WAIT_FOR_QUIT_AFTER_554 = "5321-3.1-554-WAIT-QUIT";
    /** Hanging up after several errors is allowed attack defence (§7.8), gray zone G-20. */
    private static final String CLOSE_AFTER_ERRORS = "G-20";
    /** How many 5yz replies make a hang-up look like defence rather than a broken server. */
    public static final int ERRORS_BEFORE_DEFENCE = 3;
    private static final Set<String> COVERS = Set.of(CLOSE_ONLY_IF, UNKNOWN_IS_500, WAIT_FOR_QUIT_AFTER_554,
            CLOSE_AFTER_ERRORS);

    /** Every rule ID a finding of {@link #judge} can cite. */
    public Set<String> covers() {
        return COVERS;
    }

    /**
     * Judges the server closing the connection while the session was in {@code model}, with
     * {@code unanswered} the command it left without a reply, if any.
     */
    public List<Finding> judge(SessionModel model, Optional<Sent> unanswered) {
        if (model.state() == SessionState.CLOSED) {
            return List.of();
        }
        String when = unanswered.map(s -> "instead of answering " + s.text())
                .orElse("with no command pending");
        if (model.errors() >= ERRORS_BEFORE_DEFENCE) {
            return List.of(new Finding(CLOSE_AFTER_ERRORS, Severity.NOTE, "the server closed the connection " + when
                    + " after " + model.errors() + " error replies: allowed defence (5321-7.8-ATTACK-CLOSE)"));
        }
        if (model.refused()) {
            return List.of(Judge.breach(WAIT_FOR_QUIT_AFTER_554,
                    "the server greeted with 554, then closed the connection " + when
                            + "; it must keep it open until QUIT"));
        }
        if (unanswered.isPresent() && unanswered.get().kind() == CommandKind.UNKNOWN) {
            return List.of(Judge.breach(UNKNOWN_IS_500,
                    "the server closed the connection " + when + " in state " + model.state()
                            + "; an unknown verb gets 500 and the session goes on"));
        }
        return List.of(Judge.breach(CLOSE_ONLY_IF,
                "the server closed the connection " + when + " in state " + model.state()
                        + " without 221 or 421"));
    }
}
