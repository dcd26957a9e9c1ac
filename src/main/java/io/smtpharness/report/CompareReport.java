package io.smtpharness.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smtpharness.result.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes a {@link ServerComparison}: {@code compare.html} (one self-contained page, each cell linked
 * to the rule in that server's own report), {@code compare.json}, and {@code compare.md} (the
 * Markdown tables the README's "Conformance of well-known servers" is made of).
 */
public final class CompareReport {

    public static final String HTML = "compare.html";
    public static final String JSON = "compare.json";
    public static final String MARKDOWN = "compare.md";
    private static final List<Status> COUNTED =
            List.of(Status.PASSED, Status.FAILED, Status.WARNING, Status.SKIPPED, Status.ERROR);
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CompareReport() {
    }

    /** Writes the three files into {@code out}, linking cells relative to it. */
    public static void write(ServerComparison comparison, Path out) throws IOException {
        Files.createDirectories(out);
        Files.writeString(out.resolve(MARKDOWN), markdown(comparison), StandardCharsets.UTF_8);
        MAPPER.writeValue(out.resolve(JSON).toFile(), json(comparison));
        Files.writeString(out.resolve(HTML), html(comparison, out), StandardCharsets.UTF_8);
    }

    /** The counts per server, then the rules where they differ and someone failed or warned. */
    public static String markdown(ServerComparison comparison) {
        StringBuilder md = new StringBuilder("| server | passed | failed | warning | skipped | error | rules failed |\n")
                .append("|---|---:|---:|---:|---:|---:|---|\n");
        for (ServerComparison.Server s : comparison.servers()) {
            Map<Status, Integer> counts = s.run().counts();
            md.append("| ").append(cell(s.name()));
            COUNTED.forEach(status -> md.append(" | ").append(counts.get(status)));
            md.append(" | ").append(comparison.failedRules(s.name()).stream().map(r -> "`" + r + "`")
                    .collect(Collectors.joining(" "))).append(" |\n");
        }
        List<ServerComparison.Row> differ = comparison.disagreements().stream()
                .filter(r -> r.cells().values().stream().anyMatch(c -> c.worst() == Status.FAILED
                        || c.worst() == Status.WARNING)).toList();
        md.append("\nWhere the servers differ and one failed or warned (").append(differ.size())
                .append(" rules; skipped: not tested there; `-`: no case cited the rule)")
                .append(":\n\n| rule |");
        comparison.servers().forEach(s -> md.append(' ').append(cell(s.name())).append(" |"));
        md.append("\n|---|").append("---|".repeat(comparison.servers().size())).append('\n');
        for (ServerComparison.Row row : differ) {
            md.append("| `").append(row.ruleId()).append("` |");
            comparison.servers().forEach(s -> {
                ServerComparison.Cell c = row.cells().get(s.name());
                md.append(' ').append(c == null ? "-" : c.worst() == Status.FAILED ? "**failed**" : c.worst().label())
                        .append(" |");
            });
            md.append('\n');
        }
        return md.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    private static ObjectNode json(ServerComparison comparison) {
        ObjectNode root = MAPPER.createObjectNode();
        comparison.servers().forEach(s -> {
            ObjectNode server = root.withArray("servers").addObject().put("name", s.name())
                    .put("target", s.run().target()).put("report", s.report());
            ObjectNode counts = server.putObject("counts");
            s.run().counts().forEach((status, n) -> counts.put(status.label(), n));
        });
        root.putArray("rules");
        for (ServerComparison.Row row : comparison.rows()) {
            ObjectNode rule = root.withArray("rules").addObject().put("rule", row.ruleId()).put("disagree", row.disagree());
            ObjectNode cells = rule.putObject("servers");
            row.cells().forEach((name, c) -> cells.putObject(name).put("worst", c.worst().label()).put("cases", c.cases())
                    .put("evidence", c.evidence()));
        }
        return root;
    }

    private static String html(ServerComparison comparison, Path out) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"")
                .append(HtmlAssets.CONTENT_SECURITY_POLICY).append("\">\n<title>Servers compared</title>\n<style>\n")
                .append(HtmlAssets.CSS).append("</style>\n</head>\n<body>\n<header>\n<h1>Servers compared</h1>\n")
                .append("<table class=\"servers\">\n<thead><tr><th>server</th><th>target</th>");
        COUNTED.forEach(s -> h.append("<th>").append(s.label()).append("</th>"));
        h.append("</tr></thead>\n<tbody>\n");
        for (ServerComparison.Server s : comparison.servers()) {
            h.append("<tr><td><a href=\"").append(Html.text(link(out, s, ""))).append("\">").append(Html.text(s.name()))
                    .append("</a></td><td><code>").append(Html.text(s.run().target())).append("</code></td>");
            COUNTED.forEach(status -> h.append("<td>").append(s.run().counts().get(status)).append("</td>"));
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n</header>\n<section id=\"matrix\">\n<h2>Rule by server</h2>\n")
                .append("<table class=\"matrix compare\">\n<thead><tr><th>rule</th>");
        comparison.servers().forEach(s -> h.append("<th>").append(Html.text(s.name())).append("</th>"));
        h.append("</tr></thead>\n<tbody>\n");
        int columns = comparison.servers().size() + 1;
        boolean agreeing = false;
        h.append("<tr class=\"group\"><th colspan=\"").append(columns).append("\">Where the servers differ (")
                .append(comparison.disagreements().size()).append(" rules)</th></tr>\n");
        for (ServerComparison.Row row : comparison.rows()) {
            if (!row.disagree() && !agreeing) {
                agreeing = true;
                h.append("<tr class=\"group\"><th colspan=\"").append(columns).append("\">Where they agree (")
                        .append(comparison.rows().size() - comparison.disagreements().size()).append(" rules)</th></tr>\n");
            }
            h.append("<tr class=\"rule").append(row.disagree() ? " differ" : "").append("\"><td><code>")
                    .append(Html.text(row.ruleId())).append("</code></td>");
            for (ServerComparison.Server s : comparison.servers()) {
                ServerComparison.Cell c = row.cells().get(s.name());
                if (c == null) {
                    h.append("<td class=\"absent\">-</td>");
                    continue;
                }
                h.append("<td><a class=\"badge ").append(c.worst().label()).append("\" href=\"")
                        .append(Html.text(link(out, s, "#rule-" + Html.id(row.ruleId())))).append("\" title=\"")
                        .append(Html.text(c.cases() + " case(s); " + c.evidence())).append("\">")
                        .append(c.worst().label()).append("</a></td>");
            }
            h.append("</tr>\n");
        }
        return h.append("</tbody>\n</table>\n</section>\n</body>\n</html>\n").toString();
    }

    /** The server's own index.html, relative to the comparison's directory, with {@code fragment}. */
    private static String link(Path out, ServerComparison.Server s, String fragment) {
        Path report = Path.of(s.report()).toAbsolutePath().normalize();
        String relative = out.toAbsolutePath().normalize().relativize(report.resolve(HtmlReport.FILE_NAME)).toString()
                .replace('\\', '/');
        return relative + fragment;
    }
}
