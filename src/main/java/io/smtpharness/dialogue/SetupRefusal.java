package io.smtpharness.dialogue;

import io.smtpharness.protocol.Reply;
import io.smtpharness.result.CaseResult;
import io.smtpharness.rules.CommandKind;
import io.smtpharness.rules.Sent;
import io.smtpharness.rules.SessionModel;
import io.smtpharness.rules.SessionState;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Tells a refused setup step from a deviation. A server may refuse our EHLO name, sender or
 * recipient by policy (RFC 5321 §4.3.2 lists 550, 553, 554, 450, 451 for MAIL and RCPT; §4.1.4 550
 * for EHLO): nothing is broken, but a case that needs them accepted cannot reach what it tests.
 * Such a case is {@code skipped}, and the reason names the option that fixes it.
 */
final class SetupRefusal {

    /** Policy and availability refusals; syntax (500-504), parameter (552, 555) and order (503) codes are verdicts. */
    private static final Set<Integer> POLICY_CODES = Set.of(450, 451, 530, 550, 551, 553, 554);
    private static final String PREFIX = CaseResult.SETUP_REFUSED;

    private SetupRefusal() {
    }

    /**
     * The skip reason when {@code reply} refuses, by policy, the run's own EHLO name, sender or
     * recipient in a state where acceptance was due; empty otherwise.
     */
    static Optional<String> of(Sent sent, Reply reply, SessionModel before, Variables variables) {
        if (!POLICY_CODES.contains(reply.code())) {
            return Optional.empty();
        }
        String argument = sent.argument().strip().toLowerCase(Locale.ROOT);
        String quoted = "\"" + reply.summary() + "\"";
        String auth = reply.code() == 530 ? "; the server wants AUTH first (--auth-user)" : "";
        if (sent.kind() == CommandKind.MAIL && before.state() == SessionState.GREETED
                && argument.startsWith(("FROM:<" + variables.get("sender") + ">").toLowerCase(Locale.ROOT))) {
            return Optional.of(PREFIX + "the server refused the sender " + variables.get("sender") + " (" + quoted
                    + ")" + auth + "; pass --sender with an address it accepts");
        }
        if (sent.kind() == CommandKind.RCPT && (before.state() == SessionState.MAIL || before.state() == SessionState.RCPT)
                && argument.startsWith(("TO:<" + variables.get("recipient") + ">").toLowerCase(Locale.ROOT))) {
            return Optional.of(PREFIX + "the server refused the recipient " + variables.get("recipient") + " ("
                    + quoted + ")" + auth + "; pass --recipient with a mailbox it accepts");
        }
        if ((sent.kind() == CommandKind.EHLO || sent.kind() == CommandKind.HELO) && reply.codeClass() == 5
                && argument.equals(variables.get("helo").toLowerCase(Locale.ROOT))) {
            return Optional.of(PREFIX + "the server refused the EHLO name " + variables.get("helo") + " (" + quoted
                    + "); pass --helo with a name it accepts");
        }
        return Optional.empty();
    }
}
