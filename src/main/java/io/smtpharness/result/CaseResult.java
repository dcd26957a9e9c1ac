package io.smtpharness.result;

import io.smtpharness.transcript.TranscriptEvent;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one case with everything a report needs: identity, cited rules, status, the
 * findings behind it, timing and the full transcript.
 *
 * @param suite      the suite name
 * @param id         the case id, unique within its suite
 * @param title      one line for humans
 * @param rules      rule IDs the case is written to check
 * @param tags       free tags from the suite file
 * @param status     the verdict
 * @param message    one line: the worst finding, the skip reason or the error
 * @param findings   every judgement made, notes included
 * @param durationMs wall time of the case
 * @param transcript every octet both ways, escaped
 * @param startedAt  when the case started (cases run at once, so reports that draw a timeline, such
 *                   as Allure's, need it); empty for what was not a timed case (a fuzz finding, a DNS check)
 */
public record CaseResult(String suite, String id, String title, List<String> rules, List<String> tags,
                         Status status, String message, List<Finding> findings, long durationMs,
                         List<TranscriptEvent> transcript, Optional<Instant> startedAt) {

    /**
     * How the message of a case skipped on a refused setup step begins (the server refused our
     * sender, recipient or EHLO name by policy), so reports can say it once for the run.
     */
    public static final String SETUP_REFUSED = "setup refused: ";

    public CaseResult {
        Objects.requireNonNull(suite, "suite == null");
        Objects.requireNonNull(id, "id == null");
        Objects.requireNonNull(title, "title == null");
        rules = List.copyOf(rules);
        tags = List.copyOf(tags);
        Objects.requireNonNull(status, "status == null");
        Objects.requireNonNull(message, "message == null");
        findings = List.copyOf(findings);
        transcript = List.copyOf(transcript);
        Objects.requireNonNull(startedAt, "startedAt == null");
    }

    /** A result with no start time. */
    public CaseResult(String suite, String id, String title, List<String> rules, List<String> tags, Status status,
                      String message, List<Finding> findings, long durationMs, List<TranscriptEvent> transcript) {
        this(suite, id, title, rules, tags, status, message, findings, durationMs, transcript, Optional.empty());
    }

    /** The status that findings alone imply: the worst severity. */
    public static Status statusOf(List<Finding> findings) {
        return findings.stream().map(f -> f.severity().toStatus())
                .max(Comparator.naturalOrder()).orElse(Status.PASSED);
    }

    /** {@code suite/id}, unique within a run. */
    public String qualifiedId() {
        return suite + "/" + id;
    }
}
