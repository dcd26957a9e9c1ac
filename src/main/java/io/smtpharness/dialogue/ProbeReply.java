package io.smtpharness.dialogue;

import io.smtpharness.protocol.Reply;
import io.smtpharness.rules.CommandKind;
import io.smtpharness.rules.Sent;
import io.smtpharness.rules.SessionEvent;
import java.util.Optional;
import java.util.Set;

/**
 * Tells a reply to a probe that says nothing about the rule the probe checks from a deviation of that
 * rule. Many steps send a bare NOOP or RSET only to probe the session (is the server still there and
 * in step after what the case did?); when the reply is about something else, the finding goes on the
 * rule that reply breaks, so a user reading the rule reads the right one.
 * <ul>
 *   <li>A 500 or 502 says the server does not implement a command every server implements (§4.5.1).
 *       That is one deviation of the server, which the oracles judge on the reply (5321-4.3.2-REQUIRED-
 *       NOT-500 for the 500); it is reported once for the run (incidental), and the case, whose probe is
 *       unusable, ends {@code skipped} saying so.
 *   <li>A 421 announces that the server is closing (RFC 5321 §4.2.2: "This may be a reply to any
 *       command if the service knows it must shut down"). What it breaks is the case's premise that
 *       the session goes on after what the case did, so the finding is on the case's own rule, not on
 *       one the probe step cites for the probe command (NOOP-250); a warning at most, since §3.8 allows a
 *       close after 421; after several errors, gray zone G-20 (allowed defence).
 * </ul>
 */
final class ProbeReply {

    private static final String REQUIRED_CMDS = "5321-4.5.1-REQUIRED-CMDS";
    private static final String REQUIRED_NOT_500 = "5321-4.3.2-REQUIRED-NOT-500";
    /** Commands the suites send as probes; both required by §4.5.1 and valid in every state. */
    private static final Set<CommandKind> PROBES = Set.of(CommandKind.NOOP, CommandKind.RSET);

    /**
     * The event that replaces the step's mismatch, if any, and the skip reason when the case cannot
     * go on (its probe is unusable: what the oracles found on the reply is then a trait of the server).
     */
    record Verdict(Optional<SessionEvent> event, Optional<String> skip) {
    }

    private ProbeReply() {
    }

    /**
     * What {@code reply} to {@code sent}, which the step at {@code origin} citing {@code stepRule} did
     * not expect, is about; empty: the step's rule. {@code verbCaseShown}: the server already accepted
     * a verb not written in upper case in this session, so a refused {@code noop} is not about letter
     * case (5321-2.4-VERB-CASE); {@code errors}: the error replies of the session so far.
     */
    static Optional<Verdict> of(Sent sent, Reply reply, Dialogue dialogue, String stepRule, String origin,
                                boolean verbCaseShown, int errors) {
        // the bare verb: "NOOP " (trailing white space, 5321-4.1.1-TRAILING-WS) is no probe
        boolean bare = sent.text().length() == sent.verb().length();
        boolean caseNoMatter = verbCaseShown || sent.text().equals(sent.verb());
        if (!PROBES.contains(sent.kind()) || !bare || !caseNoMatter || testsCommand(dialogue, sent.verb())) {
            return Optional.empty();
        }
        String got = sent.text() + " got \"" + reply.summary() + "\" at " + origin;
        if (reply.code() == 421) {
            String rule = dialogue.rules().contains(stepRule) || dialogue.rules().isEmpty() ? stepRule : dialogue.rules().get(0);
            return Optional.of(new Verdict(Optional.of(new SessionEvent.ProbeClosing(rule, got, errors)), Optional.empty()));
        }
        if (reply.code() == 500 || reply.code() == 502) {
            return Optional.of(new Verdict(Optional.empty(), Optional.of("the server does not implement "
                    + sent.verb() + " (\"" + reply.summary() + "\"), which this case sends at " + origin + " to check"
                    + " what it tests; every server implements it (§4.5.1), and that is reported once for the run")));
        }
        return Optional.empty();
    }

    /** True when the case is about {@code verb} itself: a rule naming it, or the required-commands rules. */
    private static boolean testsCommand(Dialogue dialogue, String verb) {
        return dialogue.rules().stream().anyMatch(rule -> rule.equals(REQUIRED_CMDS) || rule.equals(REQUIRED_NOT_500)
                || rule.contains("-" + verb + "-") || rule.endsWith("-" + verb) || rule.endsWith(":" + verb));
    }
}
