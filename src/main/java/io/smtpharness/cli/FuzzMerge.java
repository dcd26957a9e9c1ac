package io.smtpharness.cli;

import io.smtpharness.result.FuzzFinding;
import io.smtpharness.result.FuzzReport;
import io.smtpharness.result.Shard;
import io.smtpharness.transcript.Direction;
import io.smtpharness.transcript.TranscriptEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Joins the reports of the shards of one fuzz run ({@code fuzz --shard i/n}, one seed) into the
 * whole run's: the batch seeds of all shards, their tries, dialogues, time and coverage added up,
 * and every finding once. Two shards that found the same thing (same kind, rules and shrunk
 * dialogue: the lines the client sent) give one finding; each kept finding's replay file is copied
 * into the merged report, renamed only where two shards gave different findings the same id.
 */
final class FuzzMerge {

    /** One shard's report: its directory (where its finding files are), its shard and its fuzz run. */
    record Input(Path dir, Shard shard, FuzzReport fuzz) {
    }

    private FuzzMerge() {
    }

    /** Refuses, naming them, shards that were fuzzed from different seeds: they are not parts of one run. */
    static void check(List<Input> inputs) {
        Input first = inputs.get(0);
        for (Input input : inputs) {
            if (input.fuzz().seed() != first.fuzz().seed()) {
                throw new UsageException("cannot merge: " + input.dir() + " was fuzzed with --seed " + input.fuzz().seed()
                        + " and " + first.dir() + " with --seed " + first.fuzz().seed() + "; the shards of one fuzz run"
                        + " share its seed");
            }
        }
    }

    /** The whole run's fuzz report; the kept findings' files are copied under {@code out}. */
    static FuzzReport merge(List<Input> inputs, Path out) throws IOException {
        check(inputs);
        List<Long> batchSeeds = new ArrayList<>();
        long tries = 0;
        long dialogues = 0;
        long durationMs = 0;
        Map<String, Map<String, Long>> coverage = new LinkedHashMap<>();
        List<String> stopped = new ArrayList<>();
        List<FuzzFinding> kept = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (Input input : inputs) {
            FuzzReport fuzz = input.fuzz();
            batchSeeds.addAll(fuzz.batchSeeds());
            tries += fuzz.tries();
            dialogues += fuzz.dialogues();
            durationMs += fuzz.durationMs();
            fuzz.coverage().forEach((state, row) -> row.forEach((kind, n) ->
                    coverage.computeIfAbsent(state, s -> new LinkedHashMap<>()).merge(kind, n, Long::sum)));
            if (!fuzz.stopped().isEmpty()) {
                stopped.add("shard " + input.shard() + ": " + fuzz.stopped());
            }
            for (FuzzFinding finding : fuzz.findings()) {
                if (seen.add(sameness(finding))) {
                    kept.add(copied(finding, input, out, ids));
                }
            }
        }
        return new FuzzReport(inputs.get(0).fuzz().seed(), batchSeeds, tries, dialogues, durationMs, kept, coverage,
                String.join("; ", stopped));
    }

    /** What makes two findings one: kind, rules and the shrunk dialogue's client lines. */
    private static String sameness(FuzzFinding finding) {
        List<String> sent = finding.transcript().stream().filter(e -> e.direction() == Direction.C)
                .map(TranscriptEvent::text).toList();
        return finding.kind() + "\n" + finding.rules() + "\n" + String.join("\n", sent);
    }

    private static FuzzFinding copied(FuzzFinding finding, Input input, Path out, Set<String> ids) throws IOException {
        String id = ids.contains(finding.id()) ? finding.id() + "-shard" + input.shard().index() : finding.id();
        ids.add(id);
        Path source = input.dir().resolve(finding.file());
        if (!Files.isRegularFile(source)) {
            throw new UsageException("cannot merge: " + input.dir() + " lists the finding " + finding.id()
                    + " but its replay file " + source + " is missing");
        }
        String file = "findings/" + id + ".yaml";
        Files.createDirectories(out.resolve("findings"));
        Files.copy(source, out.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        return new FuzzFinding(id, finding.kind(), finding.rules(), finding.message(), finding.seed(), file,
                finding.commands(), finding.transcript());
    }
}
