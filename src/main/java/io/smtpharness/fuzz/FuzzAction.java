package io.smtpharness.fuzz;

import io.smtpharness.dialogue.Step;
import java.util.List;
import java.util.Objects;

/**
 * One generated action: what to send, and message content to send only if the server is then
 * reading content (it answered DATA with 354). Replies are not part of it: the session reads as
 * many as the octets sent are owed.
 *
 * @param description how jqwik shows it in a failing chain
 * @param sends       send or send-raw steps, performed in order (each is its own TCP write)
 * @param content     steps performed only when the session is in DATA after {@code sends}
 * @param pipelined   true when one write holds several commands (RFC 2920; gray zone G-09 without it)
 */
record FuzzAction(String description, List<Step> sends, List<Step> content, boolean pipelined) {

    FuzzAction {
        Objects.requireNonNull(description, "description == null");
        sends = List.copyOf(sends);
        content = List.copyOf(content);
    }

    /** One command line, CRLF appended. */
    static FuzzAction send(String line) {
        return new FuzzAction(line, List.of(new Step.Send(line, "")), List.of(), false);
    }

    /** Octets as given, in one write. */
    static FuzzAction raw(String text) {
        return new FuzzAction("raw " + io.smtpharness.suite.SuiteWriter.quote(text),
                List.of(new Step.SendRaw(text, "")), List.of(), false);
    }

    @Override
    public String toString() {
        return description;
    }
}
