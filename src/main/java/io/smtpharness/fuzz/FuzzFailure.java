package io.smtpharness.fuzz;

import io.smtpharness.dialogue.Step;
import io.smtpharness.transcript.TranscriptEvent;
import java.util.List;

/**
 * A generated dialogue broke an invariant: the error jqwik sees (so it shrinks the chain), carrying
 * the dialogue as it was performed.
 */
final class FuzzFailure extends AssertionError {

    private static final long serialVersionUID = 1L;

    /** Which invariant broke, each named by the rule it rests on. */
    enum Kind {
        /** A command got no reply in time: 5321-4.2-ONE-REPLY, "every command MUST generate exactly one reply". */
        HANG("hang"),
        /**
         * The server dropped the session without 221 or 421 (5321-3.8-CLOSE-ONLY-IF and the other
         * connection-close rules), or a hang-up a gray zone allows took the server down with it.
         */
        CRASH("crash"),
        /** A reply broke a MUST rule of the catalogue: the failure names it. */
        RULE("rule"),
        /** Not an invariant: the target could not be reached, so nothing was tried. */
        UNREACHABLE("unreachable");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The label findings and their files carry (summary.json's {@code kind}). */
        String label() {
            return label;
        }
    }

    final Kind kind;
    /** The rule broken. */
    final String ruleId;
    /** The steps performed, replies read included. */
    final transient List<Step> steps;
    /** The actions performed, in order. */
    final transient List<FuzzAction> actions;
    /** Command lines sent. */
    final int commands;
    final transient List<TranscriptEvent> transcript;

    FuzzFailure(Kind kind, String ruleId, String message, List<Step> steps, List<FuzzAction> actions, int commands,
                List<TranscriptEvent> transcript) {
        super(kind.label() + " " + ruleId + ": " + message);
        this.kind = kind;
        this.ruleId = ruleId;
        this.steps = List.copyOf(steps);
        this.actions = List.copyOf(actions);
        this.commands = commands;
        this.transcript = List.copyOf(transcript);
    }

    /** The failure in {@code thrown} or its causes (jqwik wraps an invariant's error). */
    static java.util.Optional<FuzzFailure> in(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof FuzzFailure f) {
                return java.util.Optional.of(f);
            }
        }
        return java.util.Optional.empty();
    }

    /** What makes two failures the same finding: kind and rule. */
    String key() {
        return key(kind, ruleId);
    }

    static String key(Kind kind, String ruleId) {
        return kind.label() + " " + ruleId;
    }

    /** The message without the key. */
    String detail() {
        return getMessage().substring(key().length() + 2);
    }
}
