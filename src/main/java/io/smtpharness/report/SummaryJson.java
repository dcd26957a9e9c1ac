package io.smtpharness.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smtpharness.result.CaseResult;
import io.smtpharness.result.FuzzFinding;
import io.smtpharness.result.FuzzReport;
import io.smtpharness.result.LoadReport;
import io.smtpharness.result.Finding;
import io.smtpharness.result.RunWideFinding;
import io.smtpharness.result.RunStop;
import io.smtpharness.result.RunSummary;
import io.smtpharness.result.Shard;
import io.smtpharness.result.Sharding;
import io.smtpharness.result.Severity;
import io.smtpharness.result.Status;
import io.smtpharness.transcript.Direction;
import io.smtpharness.transcript.TranscriptEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code summary.json}, the machine-readable report of DESIGN.md's contract. Built as a Jackson tree
 * rather than by binding the records, so the field names and order are the contract's and cannot
 * change when a record gains a component.
 *
 * <p>Per case it adds {@code tags} and {@code findings: [{rule, severity, message, incidental?,
 * serverWide?}]} to the contract fields, and at the top {@code serverWide} and {@code incidental},
 * each {@code [{rule, severity, evidence, cases}]}: the deviations in how the server writes replies,
 * and the findings made outside the cases that test them, once each. The top-level {@code findings} holds fuzz findings (empty for {@code run}).
 */
public final class SummaryJson {

    /** The file name inside the report directory. */
    public static final String FILE_NAME = "summary.json";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private SummaryJson() {
    }

    /** The summary as a JSON tree with the contract's fields in the contract's order. */
    public static ObjectNode toTree(RunSummary summary) {
        return toTree(summary, Optional.empty());
    }

    /**
     * The summary with the fuzz run's {@code findings} (contract: id, rules, message, seed, file,
     * transcript, plus kind and commands) and, beyond the contract, {@code fuzz}: seeds, counts and the
     * command × state coverage.
     */
    public static ObjectNode toTree(RunSummary summary, Optional<FuzzReport> fuzz) {
        return toTree(summary, fuzz, Optional.empty(), true);
    }


    /** The tree; without {@code withCases} its {@code cases} array is left empty, for {@link #write} to stream. */
    private static ObjectNode toTree(RunSummary summary, Optional<FuzzReport> fuzz, Optional<LoadReport> load,
                                     boolean withCases) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("tool", summary.tool());
        root.put("version", summary.version());
        root.put("target", summary.target());
        root.put("startedAt", summary.startedAt().toString()); // Instant prints ISO-8601 in UTC
        root.put("durationMs", summary.durationMs());
        root.put("complete", summary.complete()); // false: some planned case has no verdict
        summary.stop().ifPresent(stop -> {
            // beyond the contract: why the run stopped short, and what it did not run
            ObjectNode node = root.putObject("stop").put("kind", stop.kind().name().toLowerCase(Locale.ROOT))
                    .put("reason", stop.reason());
            ArrayNode notRun = node.putArray("notRun");
            for (RunStop.PlannedCase planned : stop.notRun()) {
                ObjectNode c = notRun.addObject().put("suite", planned.suite()).put("id", planned.id())
                        .put("title", planned.title());
                ArrayNode rules = c.putArray("rules");
                planned.rules().forEach(rules::add);
            }
        });
        summary.sharding().ifPresent(part -> {
            // beyond the contract: the part of a whole run this was (run --shard), for report merge
            ObjectNode node = root.putObject("shard").put("index", part.shard().index())
                    .put("total", part.shard().total());
            ArrayNode whole = node.putArray("wholeRun");
            part.wholeRun().forEach(whole::add);
        });
        ObjectNode counts = root.putObject("counts");
        // contract order, not enum order
        for (Status s : List.of(Status.PASSED, Status.FAILED, Status.WARNING, Status.SKIPPED, Status.ERROR)) {
            counts.put(s.label(), summary.counts().get(s));
        }
        ArrayNode cases = root.putArray("cases");
        if (withCases) {
            summary.cases().forEach(c -> cases.add(caseNode(c)));
        }
        // beyond the contract: each server-wide deviation and each one seen outside the cases that test it, once
        runWide(root.putArray("serverWide"), summary.serverWideFindings());
        runWide(root.putArray("incidental"), summary.incidentalFindings());
        ArrayNode findings = root.putArray("findings");
        fuzz.ifPresent(f -> {
            for (FuzzFinding finding : f.findings()) {
                ObjectNode node = findings.addObject();
                node.put("id", finding.id());
                ArrayNode rules = node.putArray("rules");
                finding.rules().forEach(rules::add);
                node.put("message", finding.message());
                node.put("seed", finding.seed());
                node.put("file", finding.file());
                node.put("kind", finding.kind());
                node.put("commands", finding.commands());
                transcript(node.putArray("transcript"), finding.transcript());
            }
            ObjectNode stats = root.putObject("fuzz");
            stats.put("seed", f.seed());
            ArrayNode seeds = stats.putArray("batchSeeds");
            f.batchSeeds().forEach(seeds::add);
            stats.put("tries", f.tries());
            stats.put("dialogues", f.dialogues());
            stats.put("durationMs", f.durationMs());
            stats.put("dialoguesPerSecond", Math.round(f.dialoguesPerSecond() * 10) / 10.0);
            stats.put("stopped", f.stopped());
            ObjectNode coverage = stats.putObject("coverage");
            f.coverage().forEach((state, row) -> {
                ObjectNode r = coverage.putObject(state);
                row.forEach(r::put);
            });
        });
        load.ifPresent(l -> loadNode(root.putObject("load"), l));
        return root;
    }

    private static void loadNode(ObjectNode node, LoadReport load) {
        node.put("sessions", load.sessions()).put("concurrency", load.concurrency())
                .put("ratePerSecond", load.ratePerSecond()).put("lateStarts", load.lateStarts())
                .put("durationMs", load.durationMs())
                .put("sessionsPerSecond", Math.round(load.sessionsPerSecond() * 10) / 10.0);
        node.putObject("warmUp").put("sessions", load.warmUp().sessions()).put("durationMs", load.warmUp().durationMs())
                .put("jitSettled", load.warmUp().settled());
        ObjectNode statuses = node.putObject("sessionsByStatus");
        for (Status s : List.of(Status.PASSED, Status.FAILED, Status.WARNING, Status.SKIPPED, Status.ERROR)) {
            statuses.put(s.label(), load.statuses().getOrDefault(s, 0));
        }
        ObjectNode stages = node.putObject("stages");
        load.stages().forEach((stage, l) -> stages.putObject(stage).put("count", l.count()).put("p50Ms", l.p50Ms())
                .put("p95Ms", l.p95Ms()).put("p99Ms", l.p99Ms()).put("maxMs", l.maxMs()));
    }

    /** The pretty-printed UTF-8 JSON text. */
    public static String toJson(RunSummary summary) {
        try {
            return MAPPER.writeValueAsString(toTree(summary));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a tree of strings and numbers always serialises
        }
    }

    /** Writes the JSON to {@code out} as UTF-8, leaving the stream open. */
    public static void write(RunSummary summary, OutputStream out) throws IOException {
        write(summary, Optional.empty(), out);
    }

    /**
     * Streams the JSON to {@code out}, leaving it open: the run's own fields as a tree, then the cases
     * one at a time (each case's tree made, written and dropped), so the memory it takes does not grow
     * with the run's transcripts.
     */
    public static void write(RunSummary summary, Optional<FuzzReport> fuzz, OutputStream out) throws IOException {
        write(summary, fuzz, Optional.empty(), out);
    }

    /** As {@link #write(RunSummary, Optional, OutputStream)}, with a {@code load} run's measurements when present. */
    public static void write(RunSummary summary, Optional<FuzzReport> fuzz, Optional<LoadReport> load, OutputStream out)
            throws IOException {
        ObjectNode top = toTree(summary, fuzz, load, false);
        try (JsonGenerator json = MAPPER.getFactory().createGenerator(out)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            for (Iterator<Map.Entry<String, JsonNode>> fields = top.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                json.writeFieldName(field.getKey());
                if (field.getKey().equals("cases")) {
                    json.writeStartArray();
                    for (CaseResult c : summary.cases()) {
                        MAPPER.writeTree(json, caseNode(c));
                    }
                    json.writeEndArray();
                } else {
                    MAPPER.writeTree(json, field.getValue());
                }
            }
            json.writeEndObject();
        }
    }

    /** Writes the JSON to {@code file}, replacing it. */
    public static void write(RunSummary summary, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(summary, out);
        }
    }

    /** Reads a summary.json as a tree, for tools and tests that check single fields. */
    public static JsonNode readTree(Path file) throws IOException {
        return MAPPER.readTree(file.toFile());
    }

    /** Reads a summary.json back into a {@link RunSummary}; the inverse of {@link #write}. */
    public static RunSummary read(Path file) throws IOException {
        return fromTree(readTree(file));
    }

    /** Rebuilds a {@link RunSummary} from a tree; fields we added beyond the contract are optional. */
    public static RunSummary fromTree(JsonNode root) {
        List<CaseResult> cases = new ArrayList<>();
        root.path("cases").forEach(c -> cases.add(caseFrom(c)));
        JsonNode stop = root.path("stop");
        if (stop.isObject()) {
            List<RunStop.PlannedCase> notRun = new ArrayList<>();
            stop.path("notRun").forEach(c -> {
                List<String> rules = new ArrayList<>();
                c.path("rules").forEach(r -> rules.add(r.asText()));
                notRun.add(new RunStop.PlannedCase(c.path("suite").asText(), c.path("id").asText(),
                        c.path("title").asText(), rules));
            });
            return withSharding(new RunSummary(root.path("tool").asText(), root.path("version").asText(),
                    root.path("target").asText(), Instant.parse(root.path("startedAt").asText()),
                    root.path("durationMs").asLong(), cases, Optional.of(new RunStop(
                    RunStop.Kind.valueOf(stop.path("kind").asText().toUpperCase(Locale.ROOT)),
                    stop.path("reason").asText(), notRun))), root);
        }
        return withSharding(new RunSummary(root.path("tool").asText(), root.path("version").asText(),
                root.path("target").asText(), Instant.parse(root.path("startedAt").asText()),
                root.path("durationMs").asLong(), cases, root.path("complete").asBoolean(true)), root);
    }

    /** The part of a whole run a summary tree says it was, if it says so. */
    private static RunSummary withSharding(RunSummary summary, JsonNode root) {
        JsonNode shard = root.path("shard");
        if (!shard.isObject()) {
            return summary;
        }
        List<String> whole = new ArrayList<>();
        shard.path("wholeRun").forEach(id -> whole.add(id.asText()));
        return summary.withSharding(new Sharding(new Shard(shard.path("index").asInt(), shard.path("total").asInt()),
                whole));
    }

    private static ObjectNode caseNode(CaseResult c) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("suite", c.suite());
        node.put("id", c.id());
        node.put("title", c.title());
        ArrayNode rules = node.putArray("rules");
        c.rules().forEach(rules::add);
        ArrayNode tags = node.putArray("tags");
        c.tags().forEach(tags::add);
        node.put("status", c.status().label());
        node.put("message", c.message());
        node.put("durationMs", c.durationMs());
        c.startedAt().ifPresent(at -> node.put("startedAt", at.toString()));
        ArrayNode findings = node.putArray("findings");
        for (Finding f : c.findings()) {
            ObjectNode finding = findings.addObject().put("rule", f.ruleId())
                    .put("severity", f.severity().name().toLowerCase(Locale.ROOT))
                    .put("message", f.message());
            if (f.reach() != Finding.Reach.CASE) {
                finding.put(f.incidental() ? "incidental" : "serverWide", true);
            }
        }
        transcript(node.putArray("transcript"), c.transcript());
        return node;
    }

    private static void runWide(ArrayNode out, List<RunWideFinding> found) {
        for (RunWideFinding f : found) {
            ObjectNode node = out.addObject().put("rule", f.ruleId())
                    .put("severity", f.severity().name().toLowerCase(Locale.ROOT)).put("evidence", f.evidence());
            ArrayNode where = node.putArray("cases");
            f.cases().forEach(where::add);
        }
    }

    private static void transcript(ArrayNode out, List<TranscriptEvent> events) {
        for (TranscriptEvent e : events) {
            out.addObject().put("t_ms", e.tMs()).put("dir", dirLabel(e.direction())).put("text", e.text());
        }
    }

    /** Writes the JSON with the fuzz run's findings and statistics to {@code file}, replacing it. */
    public static void write(RunSummary summary, Optional<FuzzReport> fuzz, Path file) throws IOException {
        write(summary, fuzz, Optional.empty(), file);
    }

    /** Writes the JSON, with a fuzz or a load run's section when present, to {@code file}, replacing it. */
    public static void write(RunSummary summary, Optional<FuzzReport> fuzz, Optional<LoadReport> load, Path file)
            throws IOException {
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file))) {
            write(summary, fuzz, load, out);
        }
    }

    /**
     * The fuzz run a summary tree holds ({@code fuzz} and {@code findings}), if it is a fuzz run's;
     * the inverse of what {@link #write} writes for one.
     */
    public static Optional<FuzzReport> fuzzFromTree(JsonNode root) {
        JsonNode stats = root.path("fuzz");
        if (!stats.isObject()) {
            return Optional.empty();
        }
        List<FuzzFinding> findings = new ArrayList<>();
        root.path("findings").forEach(f -> findings.add(new FuzzFinding(f.path("id").asText(), f.path("kind").asText(),
                strings(f.path("rules")), f.path("message").asText(), f.path("seed").asLong(), f.path("file").asText(),
                f.path("commands").asInt(), transcriptFrom(f.path("transcript")))));
        List<Long> seeds = new ArrayList<>();
        stats.path("batchSeeds").forEach(seed -> seeds.add(seed.asLong()));
        Map<String, Map<String, Long>> coverage = new LinkedHashMap<>();
        stats.path("coverage").fields().forEachRemaining(state -> {
            Map<String, Long> row = new LinkedHashMap<>();
            state.getValue().fields().forEachRemaining(kind -> row.put(kind.getKey(), kind.getValue().asLong()));
            coverage.put(state.getKey(), row);
        });
        return Optional.of(new FuzzReport(stats.path("seed").asLong(), seeds, stats.path("tries").asLong(),
                stats.path("dialogues").asLong(), stats.path("durationMs").asLong(), findings, coverage,
                stats.path("stopped").asText()));
    }

    private static List<TranscriptEvent> transcriptFrom(JsonNode events) {
        List<TranscriptEvent> transcript = new ArrayList<>();
        events.forEach(e -> transcript.add(new TranscriptEvent(e.path("t_ms").asLong(), direction(e.path("dir").asText()),
                e.path("text").asText())));
        return transcript;
    }

    private static CaseResult caseFrom(JsonNode c) {
        List<Finding> findings = new ArrayList<>();
        c.path("findings").forEach(f -> findings.add(new Finding(f.path("rule").asText(),
                Severity.valueOf(f.path("severity").asText().toUpperCase(Locale.ROOT)),
                f.path("message").asText(), f.path("incidental").asBoolean(false) ? Finding.Reach.INCIDENTAL
                        : f.path("serverWide").asBoolean(false) ? Finding.Reach.SERVER_WIDE : Finding.Reach.CASE)));
        List<TranscriptEvent> transcript = transcriptFrom(c.path("transcript"));
        return new CaseResult(c.path("suite").asText(), c.path("id").asText(), c.path("title").asText(),
                strings(c.path("rules")), strings(c.path("tags")),
                Status.valueOf(c.path("status").asText().toUpperCase(Locale.ROOT)),
                c.path("message").asText(), findings, c.path("durationMs").asLong(), transcript,
                c.hasNonNull("startedAt") ? Optional.of(Instant.parse(c.path("startedAt").asText())) : Optional.empty());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The contract's spelling of a direction: {@code C}, {@code S} or {@code note}. */
    static String dirLabel(Direction d) {
        return d == Direction.NOTE ? "note" : d.name();
    }

    private static Direction direction(String label) {
        return "note".equals(label) ? Direction.NOTE : Direction.valueOf(label);
    }
}
