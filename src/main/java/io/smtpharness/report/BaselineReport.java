package io.smtpharness.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smtpharness.result.Baseline;
import io.smtpharness.result.CaseDeviation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A run against a baseline, for people and machines: {@code baseline.json} in the report directory
 * (new, still present and fixed deviations) and the lines {@code run --baseline} and
 * {@code report diff} print.
 */
public final class BaselineReport {

    /** The file name inside the report directory. */
    public static final String FILE_NAME = "baseline.json";
    /** Lines printed per list before "and N more". */
    private static final int LINES_SHOWN = 20;
    private static final int EVIDENCE_SHOWN = 240;
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BaselineReport() {
    }

    /** Writes {@code check} to {@code file} as JSON. */
    public static void write(Baseline.Check check, Path file) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("baseline", check.source());
        deviations(root.putArray("new"), check.added());
        deviations(root.putArray("present"), check.present());
        ArrayNode fixed = root.putArray("fixed");
        for (Baseline.Accepted a : check.fixed()) {
            ObjectNode node = fixed.addObject().put("rule", a.ruleId());
            a.caseId().ifPresent(c -> node.put("case", c));
            a.level().ifPresent(l -> node.put("level", l.label()));
            node.put("reason", a.reason());
        }
        MAPPER.writeValue(file.toFile(), root);
    }

    private static void deviations(ArrayNode array, List<CaseDeviation> deviations) {
        deviations.forEach(d -> array.addObject().put("case", d.caseId()).put("rule", d.ruleId())
                .put("level", d.level().label()).put("evidence", d.evidence()));
    }

    /** The headline, then each new deviation (once, with how many cases showed it) and each fixed one, a line each. */
    public static String render(Baseline.Check check) {
        StringBuilder out = new StringBuilder(check.headline()).append('\n');
        List<String> added = CaseDeviation.distinct(check.added()).stream()
                .map(d -> "  new    " + d.level().label() + " " + d.ruleId() + " in " + d.cases().get(0)
                        + (d.cases().size() > 1 ? " and " + (d.cases().size() - 1) + " more" : "") + ": "
                        + shortened(SafeText.oneLine(d.evidence())))
                .toList();
        List<String> fixed = check.fixed().stream().map(a -> "  fixed  " + a.describe()).toList();
        lines(out, added);
        lines(out, fixed);
        return out.toString();
    }

    /** A terminal line per deviation: the evidence of a 1000-octet probe is cut. */
    private static String shortened(String evidence) {
        return evidence.length() <= EVIDENCE_SHOWN ? evidence : evidence.substring(0, EVIDENCE_SHOWN) + "...";
    }

    private static void lines(StringBuilder out, List<String> lines) {
        lines.stream().limit(LINES_SHOWN).forEach(l -> out.append(l).append('\n'));
        if (lines.size() > LINES_SHOWN) {
            out.append("  ... and ").append(lines.size() - LINES_SHOWN).append(" more\n");
        }
    }
}
