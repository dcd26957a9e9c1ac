package io.smtpharness.dialogue;

import io.smtpharness.client.Received;
import io.smtpharness.client.SmtpConnection;
import io.smtpharness.client.TargetUnreachableException;
import io.smtpharness.protocol.Command;
import io.smtpharness.rules.SessionEvent;
import java.util.ArrayList;
import java.util.List;

/** Further connections opened while the case's own stays open: each must be greeted. */
final class ConcurrentStep {

    private ConcurrentStep() {
    }

    /** Opens the extra connections together, then reads each greeting; a missing one is the step's finding. */
    static void perform(Step.Concurrent step, Conversation conv) {
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
}
