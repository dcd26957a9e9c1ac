package io.smtpharness.report;

import io.smtpharness.result.Baseline;
import io.smtpharness.result.CaseResult;
import io.smtpharness.result.FuzzFinding;
import io.smtpharness.result.FuzzReport;
import io.smtpharness.result.LoadReport;
import io.smtpharness.result.Finding;
import io.smtpharness.result.RunWideFinding;
import io.smtpharness.result.RunStop;
import io.smtpharness.result.RunSummary;
import io.smtpharness.result.Status;
import io.smtpharness.transcript.Direction;
import io.smtpharness.transcript.TranscriptEvent;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code index.html}: one self-contained page with the run header, the by-rule matrix and every
 * case with its findings and transcript. No external resource, readable without JS (the script
 * only adds status filters).
 *
 * <p>Rule titles come from a function given by the caller, so this package needs no rules import.
 */
public final class HtmlReport {

    /** The file name inside the report directory. */
    public static final String FILE_NAME = "index.html";

    // the order of the filter bar and the badges: most urgent first
    private static final List<Status> DISPLAY_ORDER =
            List.of(Status.FAILED, Status.ERROR, Status.WARNING, Status.SKIPPED, Status.PASSED);

    private final Function<String, Optional<String>> ruleTitles;

    /** A report without rule titles. */
    public HtmlReport() {
        this(rule -> Optional.empty());
    }

    /** A report that looks up each rule's title with {@code ruleTitles}. */
    public HtmlReport(Function<String, Optional<String>> ruleTitles) {
        this.ruleTitles = Objects.requireNonNull(ruleTitles, "ruleTitles == null");
    }

    /** Writes the page to {@code file} as UTF-8, replacing it. */
    public void write(RunSummary summary, Path file) throws IOException {
        write(summary, Optional.empty(), file);
    }

    /** Writes the page, with the fuzz section when {@code fuzz} is present, to {@code file}, streaming. */
    public void write(RunSummary summary, Optional<FuzzReport> fuzz, Path file) throws IOException {
        write(summary, fuzz, Optional.empty(), file);
    }

    /** Writes the page, with the fuzz or load section when present, to {@code file}, streaming. */
    public void write(RunSummary summary, Optional<FuzzReport> fuzz, Optional<LoadReport> load, Path file)
            throws IOException {
        write(summary, fuzz, load, Optional.empty(), file);
    }

    /** Writes the page, marking deviations new or accepted when the run was checked against a baseline. */
    public void write(RunSummary summary, Optional<FuzzReport> fuzz, Optional<LoadReport> load,
                      Optional<Baseline.Check> baseline, Path file) throws IOException {
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            render(summary, fuzz, load, baseline, new HtmlOut(writer));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The whole page. */
    public String render(RunSummary summary) {
        return render(summary, Optional.empty());
    }

    /** The whole page, with a fuzz section (findings, seeds, command × state coverage) when {@code fuzz} is present. */
    public String render(RunSummary summary, Optional<FuzzReport> fuzz) {
        StringWriter page = new StringWriter(8192);
        render(summary, fuzz, Optional.empty(), Optional.empty(), new HtmlOut(page));
        return page.toString();
    }

    private void render(RunSummary summary, Optional<FuzzReport> fuzz, Optional<LoadReport> load,
                        Optional<Baseline.Check> baseline, HtmlOut out) {
        Map<CaseResult, String> anchors = new IdentityHashMap<>();
        List<CaseResult> cases = summary.cases();
        for (int i = 0; i < cases.size(); i++) {
            anchors.put(cases.get(i), "case-" + (i + 1) + "-" + Html.id(cases.get(i).qualifiedId()));
        }
        head(out, summary);
        header(out, summary);
        HtmlSummary.render(out, summary, baseline, this::title);
        runWide(out, "server-wide", "How the server writes replies (each also decided its cases)",
                summary.serverWideFindings());
        runWide(out, "incidental", "Seen outside the cases that test them", summary.incidentalFindings());
        matrix(out, summary, anchors);
        fuzz.ifPresent(f -> fuzzSection(out, f));
        load.ifPresent(l -> loadSection(out, l));
        out.append("<section id=\"cases\">\n<h2>Cases</h2>\n");
        cases.forEach(c -> caseArticle(out, c, anchors.get(c)));
        out.append("</section>\n<script>\n").append(HtmlAssets.JS).append("</script>\n</body>\n</html>\n");
    }

    private static void head(HtmlOut out, RunSummary s) {
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"")
                .append(HtmlAssets.CONTENT_SECURITY_POLICY).append("\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(Html.text(s.tool())).append(" report: ")
                .append(Html.text(s.target())).append("</title>\n<style>\n").append(HtmlAssets.CSS)
                .append("</style>\n</head>\n<body>\n");
    }

    private static void header(HtmlOut out, RunSummary s) {
        out.append("<header>\n<h1>").append(Html.text(s.tool())).append(' ').append(Html.text(s.version()))
                .append(" conformance report</h1>\n<dl class=\"run\">\n")
                .append("<dt>Target</dt><dd><code>").append(Html.text(s.target())).append("</code></dd>\n")
                .append("<dt>Started</dt><dd>").append(Html.text(s.startedAt().toString())).append("</dd>\n")
                .append("<dt>Duration</dt><dd>").append(seconds(s.durationMs())).append("</dd>\n")
                .append("<dt>Cases</dt><dd>").append(s.cases().size()).append("</dd>\n</dl>\n");
        s.stop().ifPresent(stop -> {
            out.append("<p class=\"status-error\"><strong>").append(stop.kind() == RunStop.Kind.TARGET_LOST
                    ? "Target lost" : stop.kind() == RunStop.Kind.PREFLIGHT ? "Not run" : "Incomplete")
                    .append(":</strong> ").append(Html.text(stop.reason())).append('.');
            if (!stop.notRun().isEmpty()) {
                out.append(" Not run (").append(stop.notRun().size()).append("): ")
                        .append(Html.text(stop.notRun().stream().map(RunStop.PlannedCase::qualifiedId)
                                .collect(java.util.stream.Collectors.joining(", "))));
            }
            out.append("</p>\n");
        });
        out.append("<p class=\"counts\">");
        Map<Status, Integer> counts = s.counts();
        for (Status status : DISPLAY_ORDER) {
            out.append(badge(status, counts.get(status) + " " + status.label())).append(' ');
        }
        out.append("</p>\n</header>\n<nav id=\"filters\" class=\"filters\" hidden>Show: ");
        for (Status status : DISPLAY_ORDER) {
            out.append("<label><input type=\"checkbox\" checked data-status=\"").append(status.label())
                    .append("\"> ").append(status.label()).append("</label>");
        }
        out.append("</nav>\n");
    }

    private void matrix(HtmlOut out, RunSummary summary, Map<CaseResult, String> anchors) {
        out.append("<section id=\"rules\">\n<h2>By rule</h2>\n<table class=\"matrix\">\n<thead><tr>")
                .append("<th>Rule</th><th>Title</th><th>Status</th><th>Cases</th></tr></thead>\n<tbody>\n");
        for (RuleMatrix.Group group : RuleMatrix.byRfc(summary)) {
            out.append("<tr class=\"group\"><th colspan=\"4\">").append(Html.text(group.rfc())).append("</th></tr>\n");
            rows(out, group.rows(), anchors);
        }
        out.append("</tbody>\n</table>\n</section>\n");
    }

    private void rows(HtmlOut out, List<RuleMatrix.Row> rows, Map<CaseResult, String> anchors) {
        for (RuleMatrix.Row row : rows) {
            out.append("<tr class=\"rule ").append(row.worst().label()).append("\" id=\"rule-")
                    .append(Html.id(row.ruleId())).append("\"><td><code>")
                    .append(Html.text(row.ruleId())).append("</code></td><td>")
                    .append(Html.text(title(row.ruleId()))).append("</td><td>")
                    .append(badge(row.worst(), row.worst().label())).append("</td><td>");
            String separator = "";
            for (CaseResult c : row.cases()) {
                out.append(separator).append("<a href=\"#").append(anchors.get(c)).append("\" class=\"")
                        .append(c.status().label()).append("\">").append(Html.text(c.qualifiedId()))
                        .append("</a>");
                separator = ", ";
            }
            out.append("</td></tr>\n");
        }
    }

    /** Each deviation of a run-wide kind, once, with the cases where it showed. */
    private static void runWide(HtmlOut out, String id, String heading, List<RunWideFinding> found) {
        if (found.isEmpty()) {
            return;
        }
        out.append("<section id=\"").append(id).append("\">\n<h2>").append(heading).append("</h2>\n<ul class=\"findings\">\n");
        for (RunWideFinding f : found) {
            String severity = f.severity().name().toLowerCase(Locale.ROOT);
            out.append("<li class=\"sev-").append(severity).append("\"><code>").append(Html.text(f.ruleId()))
                    .append("</code> (").append(severity).append(") ").append(Html.text(f.evidence()))
                    .append(" <span class=\"meta\">in ").append(f.cases().size()).append(" case(s): ")
                    .append(Html.text(String.join(", ", f.cases()))).append("</span></li>\n");
        }
        out.append("</ul>\n</section>\n");
    }

    private static void caseArticle(HtmlOut out, CaseResult c, String anchor) {
        out.append("<article class=\"case ").append(c.status().label()).append("\" id=\"").append(anchor)
                .append("\">\n<h3>").append(badge(c.status(), c.status().label())).append(" <code>")
                .append(Html.text(c.qualifiedId())).append("</code> ").append(Html.text(c.title()))
                .append("</h3>\n");
        if (!c.message().isEmpty()) {
            out.append("<p class=\"message\">").append(Html.text(c.message())).append("</p>\n");
        }
        out.append("<p class=\"meta\">rules: <code>").append(Html.text(String.join(" ", c.rules())))
                .append("</code>");
        if (!c.tags().isEmpty()) {
            out.append(" &middot; tags: ").append(Html.text(String.join(", ", c.tags())));
        }
        out.append(" &middot; ").append(c.durationMs()).append(" ms</p>\n");
        if (!c.findings().isEmpty()) {
            out.append("<ul class=\"findings\">\n");
            for (Finding f : c.findings()) {
                String severity = f.severity().name().toLowerCase(Locale.ROOT);
                out.append("<li class=\"sev-").append(severity).append("\"><code>").append(Html.text(f.ruleId()))
                        .append("</code> (").append(severity).append(f.incidental() ? ", incidental" : f.reach() == Finding.Reach.SERVER_WIDE ? ", server-wide" : "").append(") ")
                        .append(Html.text(f.message())).append("</li>\n");
            }
            out.append("</ul>\n");
        }
        transcript(out, c.transcript());
        out.append("</article>\n");
    }

    private static void transcript(HtmlOut out, List<TranscriptEvent> events) {
        out.append("<details><summary>Transcript (").append(events.size()).append(" events)</summary>\n")
                .append("<table class=\"transcript\">\n<thead><tr><th>t (ms)</th><th>dir</th><th>text</th>")
                .append("</tr></thead>\n<tbody>\n");
        for (TranscriptEvent e : events) {
            boolean note = e.direction() == Direction.NOTE;
            // notes are plain text: a backslash there is not one of our escapes
            String text = note ? Html.text(e.text()) : Html.transcript(e.text());
            out.append("<tr class=\"dir-").append(SummaryJson.dirLabel(e.direction())).append("\"><td class=\"t\">")
                    .append(e.tMs()).append("</td><td class=\"dir\">").append(note ? "--" : e.direction().name())
                    .append("</td><td class=\"text\">").append(text).append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n</details>\n");
    }

    private String title(String ruleId) {
        Optional<String> title = ruleTitles.apply(ruleId);
        return title == null ? "" : title.orElse("");
    }

    private static String badge(Status status, String text) {
        return "<span class=\"badge " + status.label() + "\">" + Html.text(text) + "</span>";
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f s", millis / 1000.0);
    }

    /** Sessions per second, sessions by verdict, and each stage's latency percentiles. */
    private static void loadSection(HtmlOut out, LoadReport load) {
        out.append("<section id=\"load\">\n<h2>Load</h2>\n<p>").append(load.sessions()).append(" sessions, ")
                .append(load.concurrency()).append(" at once").append(load.ratePerSecond() > 0
                        ? ", " + load.ratePerSecond() + " started per second (" + load.lateStarts() + " late)" : "")
                .append(": ").append(String.format(Locale.ROOT, "%.1f", load.sessionsPerSecond()))
                .append(" sessions/s; ").append(load.passed()).append(" passed; after ").append(load.warmUp().sessions())
                .append(" warm-up sessions (").append(seconds(load.warmUp().durationMs())).append(")</p>\n")
                .append("<table>\n<thead><tr><th>stage</th><th>count</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th>"
                        + "<th>max ms</th></tr></thead>\n<tbody>\n");
        load.stages().forEach((stage, l) -> out.append("<tr><td>").append(Html.text(stage)).append("</td><td>")
                .append(l.count()).append("</td><td>").append(String.valueOf(l.p50Ms())).append("</td><td>").append(String.valueOf(l.p95Ms()))
                .append("</td><td>").append(String.valueOf(l.p99Ms())).append("</td><td>").append(String.valueOf(l.maxMs())).append("</td></tr>\n"));
        out.append("</tbody>\n</table>\n</section>\n");
    }

    /** Fuzz findings with their files, then which command was sent in which state how often. */
    private static void fuzzSection(HtmlOut out, FuzzReport fuzz) {
        out.append("<section id=\"fuzz\">\n<h2>Fuzzing</h2>\n<p>seed ").append(fuzz.seed()).append(", ")
                .append(fuzz.tries()).append(" generated dialogues (").append(fuzz.dialogues())
                .append(" run with shrinking), ").append(String.format(java.util.Locale.ROOT, "%.0f", fuzz.dialoguesPerSecond()))
                .append(" dialogues/s, batch seeds ").append(Html.text(fuzz.batchSeeds().toString()))
                .append(fuzz.stopped().isEmpty() ? "" : "; stopped early: " + Html.text(fuzz.stopped())).append("</p>\n");
        out.append("<h3>Findings</h3>\n");
        if (fuzz.findings().isEmpty()) {
            out.append("<p>none</p>\n");
        } else {
            out.append("<table>\n<thead><tr><th>finding</th><th>kind</th><th>rules</th><th>commands</th><th>message</th>"
                    + "<th>replay file</th></tr></thead>\n<tbody>\n");
            for (FuzzFinding f : fuzz.findings()) {
                out.append("<tr><td>").append(Html.text(f.id())).append("</td><td>").append(Html.text(f.kind()))
                        .append("</td><td>").append(Html.text(String.join(", ", f.rules()))).append("</td><td>")
                        .append(f.commands()).append("</td><td>").append(Html.text(f.message())).append("</td><td><a href=\"")
                        .append(Html.text(f.file())).append("\">").append(Html.text(f.file())).append("</a></td></tr>\n");
            }
            out.append("</tbody>\n</table>\n");
        }
        List<String> kinds = fuzz.coverage().values().stream().flatMap(m -> m.keySet().stream()).distinct().sorted().toList();
        out.append("<h3>Commands by session state</h3>\n<table class=\"coverage\">\n<thead><tr><th>state</th>");
        kinds.forEach(k -> out.append("<th>").append(Html.text(k)).append("</th>"));
        out.append("</tr></thead>\n<tbody>\n");
        fuzz.coverage().forEach((state, row) -> {
            out.append("<tr><th>").append(Html.text(state)).append("</th>");
            kinds.forEach(k -> out.append("<td>").append(row.getOrDefault(k, 0L)).append("</td>"));
            out.append("</tr>\n");
        });
        out.append("</tbody>\n</table>\n</section>\n");
    }
}
