package io.smtpharness.result;

import io.smtpharness.transcript.TranscriptEvent;
import java.util.List;
import java.util.Objects;

/**
 * One fuzz finding, shrunk: the contract's {@code findings[]} entry of summary.json.
 *
 * @param id         unique within the run, also the file name ({@code findings/<id>.yaml})
 * @param kind       {@code crash} (the session died without a reply), {@code hang} (no complete reply
 *                   in time) or {@code rule} (a reply broke a rule)
 * @param rules      the rule IDs broken, the first one the finding's
 * @param message    one line: what was sent, what happened, and for a crash whether the server still greets
 * @param seed       the seed of the batch that found it ({@code fuzz --seed} reproduces it)
 * @param file       the replayable suite file, relative to the report directory
 * @param commands   how many command lines the shrunk dialogue sends
 * @param transcript the shrunk dialogue's transcript
 */
public record FuzzFinding(String id, String kind, List<String> rules, String message, long seed, String file,
                          int commands, List<TranscriptEvent> transcript) {

    public FuzzFinding {
        Objects.requireNonNull(id, "id == null");
        Objects.requireNonNull(kind, "kind == null");
        rules = List.copyOf(rules);
        Objects.requireNonNull(message, "message == null");
        Objects.requireNonNull(file, "file == null");
        transcript = List.copyOf(transcript);
    }

    /** The finding its case in a run's report carries: on its first rule, failed, as the fuzz run is. */
    public Finding asFinding() {
        return new Finding(rules.get(0), Severity.FAILED, message);
    }
}
