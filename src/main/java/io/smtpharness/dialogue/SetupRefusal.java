package io.smtpharness.dialogue;

import io.smtpharness.protocol.EnhancedStatus;
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
 * Such a case is {@code skipped}, and the reason names the option that fixes it. A MAIL or RCPT
 * that carries parameters carries what the case tests, so its refusal is setup only when the reply
 * is about the address: 553 ("mailbox name not allowed") or an enhanced code of subject 1
 * (addressing) or 7 (security and policy). {@code 550 Message too big!} to {@code SIZE=} over the
 * limit is a finding on the SIZE rule (RFC 1870 §6.1 asks for 552), not a refused setup.
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
        if (argument.matches("(from|to):<[^>]*> .*") && !aboutTheAddress(reply)) {
            return Optional.empty();
        }
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

    /** 553, or an enhanced status code about addressing (X.1.Y) or policy (X.7.Y) (RFC 3463 §3). */
    private static boolean aboutTheAddress(Reply reply) {
        return reply.code() == 553 || EnhancedStatus.leadOf(reply.lines().get(0).text()).flatMap(EnhancedStatus.Lead::status)
                .map(s -> s.subject() == 1 || s.subject() == 7).orElse(false);
    }
}
