package io.smtpharness.junit;

import io.smtpharness.result.CaseResult;
import io.smtpharness.result.Finding;
import io.smtpharness.result.RunWideFinding;
import io.smtpharness.result.Severity;
import io.smtpharness.result.Status;
import io.smtpharness.transcript.TranscriptEvent;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.AssertionFailedError;

/**
 * One case result as a JUnit outcome: {@code passed} succeeds; {@code warning} succeeds and prints
 * its findings; {@code skipped} aborts ({@code TestAbortedException}, shown as skipped);
 * {@code failed} and {@code error} throw {@link AssertionFailedError} with the case message
 * ({@code RULE-ID: what was sent, what came back, what was expected}), every failing finding and the
 * transcript. A finding made outside the cases that test it gets a test of its own.
 */
public final class CaseTests {

    private CaseTests() {
    }

    /** A dynamic test named {@code suite/id: title} whose outcome is the verdict; warnings print to {@code System.out}. */
    public static DynamicTest of(CaseResult result) {
        return of(result, System.out);
    }

    /** A dynamic test named {@code suite/id: title} whose outcome is the verdict; warnings print to {@code out}. */
    public static DynamicTest of(CaseResult result, PrintStream out) {
        Objects.requireNonNull(result, "result == null");
        Objects.requireNonNull(out, "out == null");
        return DynamicTest.dynamicTest(result.qualifiedId() + ": " + result.title(), () -> check(result, out));
    }

    /** Returns for passed and warning, aborts for skipped, throws {@link AssertionFailedError} for failed and error. */
    public static void check(CaseResult result, PrintStream out) {
        switch (result.status()) {
            case PASSED -> { }
            case WARNING -> out.print(warningText(result));
            case SKIPPED -> Assumptions.abort(result.qualifiedId() + " skipped: " + result.message());
            case FAILED, ERROR -> throw new AssertionFailedError(failureText(result));
            default -> throw new IllegalStateException("unknown status " + result.status());
        }
    }

    /**
     * A dynamic test for a finding made outside the cases that test it ({@code incidental RULE}):
     * it fails for a failed one (a trait of the server that breaks a MUST, reported once rather
     * than in every case) and prints a warning one.
     */
    public static DynamicTest of(RunWideFinding finding, PrintStream out) {
        Objects.requireNonNull(finding, "finding == null");
        String text = finding.ruleId() + ": " + finding.evidence() + "\n  seen in " + finding.cases().size()
                + " case(s): " + String.join(", ", finding.cases()) + "\n";
        return DynamicTest.dynamicTest("incidental " + finding.ruleId(), () -> {
            if (finding.severity() == Severity.FAILED) {
                throw new AssertionFailedError(text);
            }
            out.print("WARNING incidental " + text);
        });
    }

    /** The failure message: the case message first, then the failing findings and the transcript. */
    public static String failureText(CaseResult result) {
        StringBuilder text = new StringBuilder();
        if (result.status() == Status.ERROR) {
            text.append("error (the harness could not judge): ");
        }
        text.append(result.message()).append('\n');
        text.append("case ").append(result.qualifiedId()).append(": ").append(result.title()).append('\n');
        for (Finding f : result.findings()) {
            if (f.severity() == Severity.FAILED || f.severity() == Severity.WARNING) {
                text.append("  ").append(f.severity().name().toLowerCase(Locale.ROOT)).append(' ')
                        .append(f).append('\n');
            }
        }
        appendTranscript(text, result);
        return text.toString();
    }

    private static String warningText(CaseResult result) {
        StringBuilder text = new StringBuilder("WARNING ").append(result.qualifiedId()).append(": ")
                .append(result.message()).append('\n');
        for (Finding f : result.findings()) {
            if (f.severity() == Severity.WARNING) {
                text.append("  ").append(f).append('\n');
            }
        }
        return text.toString();
    }

    private static void appendTranscript(StringBuilder text, CaseResult result) {
        text.append("transcript:\n");
        for (TranscriptEvent event : result.transcript()) {
            text.append(event).append('\n');
        }
    }
}
