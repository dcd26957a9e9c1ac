package io.smtpharness.dialogue;

import io.smtpharness.client.Received;
import io.smtpharness.client.SmtpConnection;
import io.smtpharness.client.TargetUnreachableException;
import io.smtpharness.protocol.Command;
import io.smtpharness.rules.SessionEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Steps on connections other than the case's own: several sessions at once, and whether the server
 * still greets a newcomer after what the case did. Each of them must be greeted.
 */
final class OtherConnections {

    /** How long the greeted fresh connection waits for the 221 before it is dropped. */
    private static final Duration QUIT_WAIT = Duration.ofSeconds(1);

    private OtherConnections() {
    }

    /** Opens the extra connections together, then reads each greeting; a missing one is the step's finding. */
    static void concurrent(Step.Concurrent step, Conversation conv) {
        List<SmtpConnection> extra = new ArrayList<>();
        String id = conv.ruleFor(step.ruleId());
        try {
            for (int i = 0; i < step.connections(); i++) {
                extra.add(conv.connectAnother());
            }
            for (SmtpConnection c : extra) {
                Received greeting = c.readReply();
                if (!(greeting instanceof Received.Got got) || got.reply().codeClass() != 2) {
                    conv.report(new SessionEvent.Mismatch(id, "connection " + (extra.indexOf(c) + 2) + " of "
                            + (step.connections() + 1) + " got no 220 greeting (" + step.origin() + ")"));
                } else {
                    c.send(new Command("QUIT", ""));
                }
            }
        } catch (TargetUnreachableException e) {
            conv.report(new SessionEvent.Mismatch(id, "a further connection was refused while " + extra.size()
                    + " were open: " + e.getMessage() + " (" + step.origin() + ")"));
        } finally {
            extra.forEach(SmtpConnection::close);
        }
    }

    /**
     * Opens a fresh connection and reads its greeting: none within the step's wait, a refused
     * connection or a greeting other than 2yz breaks the cited rule. The server is left with QUIT.
     */
    static void greeting(Step.ExpectGreeting step, Conversation conv) {
        String id = conv.ruleFor(step.ruleId());
        conv.note("a fresh connection must still be greeted within " + step.within().toMillis() + " ms ("
                + step.origin() + ")");
        try (SmtpConnection fresh = conv.connectAnother()) {
            Received greeting = fresh.readReply(step.within(), null);
            if (greeting instanceof Received.Got got && got.reply().codeClass() == 2) {
                fresh.send(new Command("QUIT", ""));
                fresh.readReply(QUIT_WAIT, null);
                return;
            }
            conv.report(new SessionEvent.Mismatch(id, "after the steps above, a fresh connection got "
                    + (greeting instanceof Received.Got got ? "\"" + got.reply().summary() + "\" instead of a greeting"
                    : greeting instanceof Received.Closed ? "closed without a greeting"
                    : "no greeting within " + step.within().toMillis() + " ms") + ": the server no longer serves ("
                    + step.origin() + ")"));
        } catch (TargetUnreachableException e) {
            conv.report(new SessionEvent.Mismatch(id, "after the steps above, a fresh connection was refused: "
                    + e.getMessage() + "; the server no longer serves (" + step.origin() + ")"));
        }
    }
}
