package io.smtpharness.dialogue;

import io.smtpharness.result.CaseResult;
import io.smtpharness.result.Finding;
import io.smtpharness.result.Status;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * What one case records as it runs: its findings, why it does not apply to the server, and why the
 * harness could not judge it. Findings are scrubbed of the run's secrets as they are added (a server
 * may echo a password). It decides the case's status and headline, in one place. A listener hears
 * each finding as it is added (the fuzzer checks its invariants so).
 */
final class CaseLog {

    /** A case's status and the line that says why. */
    record Verdict(Status status, String message) {
    }

    private final UnaryOperator<String> scrub;
    private final List<Finding> findings = new ArrayList<>();
    private Consumer<Finding> listener = finding -> { };
    private String skipped;
    private String error;
    private boolean timedOut;

    /** A log whose findings' messages pass through {@code scrub} as they are added. */
    CaseLog(UnaryOperator<String> scrub) {
        this.scrub = scrub;
    }

    void add(Finding finding) {
        Finding scrubbed = finding.withMessage(scrub.apply(finding.message()));
        findings.add(scrubbed);
        listener.accept(scrubbed);
    }

    /** Hands every finding added from now on, scrubbed, to {@code listener} (one listener; it replaces any). */
    void listen(Consumer<Finding> listener) {
        this.listener = listener;
    }

    void addAll(List<Finding> found) {
        found.forEach(this::add);
    }

    /** Every finding so far, in the order made: a live, read-only view. */
    List<Finding> findings() {
        return Collections.unmodifiableList(findings);
    }

    /** How many findings there are so far: a mark for {@link #incidentalFrom}. */
    int size() {
        return findings.size();
    }

    /** Marks the findings made since {@code mark} on rules the case does not test as incidental to it. */
    void incidentalFrom(int mark, Predicate<String> tests) {
        for (int i = mark; i < findings.size(); i++) {
            if (!tests.test(findings.get(i).ruleId())) {
                findings.set(i, findings.get(i).asIncidental());
            }
        }
    }

    /** The case does not apply to this server, for {@code why}. */
    void skip(String why) {
        skipped = why;
    }

    /** Why the case does not apply to this server, or null. */
    String skipped() {
        return skipped;
    }

    /** The harness could not judge the rest of the case, for {@code why}; {@code timedOut} when a reply never came. */
    void error(String why, boolean timedOut) {
        this.error = why;
        this.timedOut |= timedOut;
    }

    /** Why the harness could not judge the case, or null. */
    String error() {
        return error;
    }

    /** True when the error is a reply that did not arrive in time (a hang, to a fuzzer). */
    boolean timedOut() {
        return timedOut;
    }

    /**
     * The case's status and headline. They come from the findings on what the case tests (incidental
     * ones are the run's); a case that turned out not to apply is skipped unless it already failed,
     * and a MUST rule seen broken stays the verdict even if the harness could not judge the rest.
     */
    Verdict verdict() {
        List<Finding> tested = findings.stream().filter(f -> !f.incidental()).toList();
        Status judged = CaseResult.statusOf(tested);
        if (skipped != null) {
            Status status = judged == Status.FAILED ? judged : Status.SKIPPED;
            return new Verdict(status, status == Status.SKIPPED ? skipped : headline(tested, status));
        }
        Status status = error != null && judged != Status.FAILED ? Status.ERROR : judged;
        return new Verdict(status, status == Status.ERROR ? error : headline(tested, status));
    }

    /** The headline: the first finding, in the order made, that gave the case its status. */
    private static String headline(List<Finding> findings, Status status) {
        return findings.stream().filter(f -> f.severity().toStatus() == status).findFirst()
                .map(Finding::toString).orElse("");
    }
}
