package io.smtpharness.rules;

import io.smtpharness.result.Finding;
import io.smtpharness.result.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every oracle that applies to every reply of every dialogue, plus the judgement of a connection
 * that ends (RFC 5321 §3.8: a server closes only after 221, 421 or a timeout).
 */
public final class Oracles {

    private static final List<Oracle> STANDARD = List.of(new ReplySyntax(), new ReplyTable(), new EhloReply(),
            new StateTable());

    private Oracles() {
    }

    /** All findings the standard oracles make about one reply. */
    public static List<Finding> judge(Exchange exchange) {
        List<Finding> out = new ArrayList<>();
        for (Oracle oracle : STANDARD) {
            oracle.judge(exchange, out);
        }
        return out;
    }

    /**
     * Judges the server closing the connection while the session was in {@code model}, with
     * {@code unanswered} the command it left without a reply, if any.
     */
    public static List<Finding> judgeClose(SessionModel model, Optional<Sent> unanswered) {
        if (model.state() == SessionState.CLOSED) {
            return List.of();
        }
        String when = unanswered.map(s -> "instead of answering " + s.text())
                .orElse("with no command pending");
        if (unanswered.isPresent() && unanswered.get().kind() == CommandKind.UNKNOWN) {
            return List.of(new Finding("5321-3.8-UNKNOWN-IS-500", Severity.FAILED,
                    "the server closed the connection " + when + " in state " + model.state()
                            + "; an unknown verb gets 500 and the session goes on"));
        }
        return List.of(new Finding("5321-3.8-CLOSE-ONLY-IF", Severity.FAILED,
                "the server closed the connection " + when + " in state " + model.state()
                        + " without 221 or 421"));
    }
}
