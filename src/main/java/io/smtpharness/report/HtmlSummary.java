package io.smtpharness.report;

import io.smtpharness.result.Baseline;
import io.smtpharness.result.CaseDeviation;
import io.smtpharness.result.RunSummary;
import io.smtpharness.result.Status;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The top of {@code index.html}, read in ten seconds: for each RFC a bar of its rules by verdict,
 * then each distinct deviation once (with how many cases showed it, marked new or accepted when
 * the run was checked against a baseline), then what the baseline says.
 */
final class HtmlSummary {

    private static final List<Status> BAR_ORDER =
            List.of(Status.FAILED, Status.ERROR, Status.WARNING, Status.SKIPPED, Status.PASSED);
    /** Cases named per deviation before "and N more": a deviation in 100 cases stays one line. */
    private static final int CASES_NAMED = 5;

    private HtmlSummary() {
    }

    static void render(HtmlOut out, RunSummary summary, Optional<Baseline.Check> baseline,
                       Function<String, String> title) {
        out.append("<section id=\"summary\">\n<h2>Summary</h2>\n");
        bars(out, summary);
        deviations(out, CaseDeviation.distinct(CaseDeviation.of(summary)), baseline, title);
        baseline.ifPresent(check -> baselineBlock(out, check));
        out.append("</section>\n");
    }

    /** One bar per RFC: its rules by worst verdict, most urgent first. */
    private static void bars(HtmlOut out, RunSummary summary) {
        out.append("<div class=\"bars\">\n");
        for (RuleMatrix.Group group : RuleMatrix.byRfc(summary)) {
            Map<Status, Integer> counts = new EnumMap<>(Status.class);
            group.rows().forEach(row -> counts.merge(row.worst(), 1, Integer::sum));
            int total = group.rows().size();
            String rules = total + (total == 1 ? " rule" : " rules");
            out.append("<span class=\"rfc\">").append(Html.text(group.rfc())).append("</span><span class=\"bar\" title=\"")
                    .append(rules).append("\">");
            StringBuilder legend = new StringBuilder();
            for (Status status : BAR_ORDER) {
                int n = counts.getOrDefault(status, 0);
                if (n > 0) {
                    out.append("<span class=\"").append(status.label()).append("\" style=\"width:")
                            .append(String.format(Locale.ROOT, "%.2f", 100.0 * n / total)).append("%\" title=\"")
                            .append(n).append(' ').append(status.label()).append("\"></span>");
                    legend.append(legend.length() == 0 ? "" : ", ").append(n).append(' ').append(status.label());
                }
            }
            out.append("</span><span class=\"meta\">").append(rules).append(": ").append(legend).append("</span>\n");
        }
        out.append("</div>\n");
    }

    private static void deviations(HtmlOut out, List<CaseDeviation.Distinct> distinct,
                                   Optional<Baseline.Check> baseline, Function<String, String> title) {
        out.append("<h3>Distinct deviations (").append(distinct.size()).append(")</h3>\n");
        if (distinct.isEmpty()) {
            out.append("<p>None: no case failed or warned.</p>\n");
            return;
        }
        Set<String> added = new HashSet<>();
        baseline.ifPresent(check -> check.added().forEach(d -> added.add(d.level().label() + " " + d.ruleId())));
        out.append("<ol class=\"deviations\">\n");
        for (CaseDeviation.Distinct d : distinct) {
            out.append("<li class=\"").append(d.level().label()).append("\"><span class=\"badge ")
                    .append(d.level().label()).append("\">").append(d.level().label()).append("</span> ");
            if (baseline.isPresent()) {
                boolean isNew = added.contains(d.level().label() + " " + d.ruleId());
                out.append("<span class=\"mark ").append(isNew ? "new" : "accepted").append("\">")
                        .append(isNew ? "new" : "accepted").append("</span> ");
            }
            out.append("<a href=\"#rule-").append(Html.id(d.ruleId())).append("\"><code>").append(Html.text(d.ruleId()))
                    .append("</code></a> ");
            String ruleTitle = title.apply(d.ruleId());
            if (!ruleTitle.isEmpty()) {
                out.append("<strong>").append(Html.text(ruleTitle.replaceAll("[.:]+$", ""))).append("</strong> &mdash; ");
            }
            out.append("<span class=\"evidence\">").append(Html.text(d.evidence())).append("</span> <span class=\"meta\">in ").append(d.cases().size())
                    .append(d.cases().size() == 1 ? " case: " : " cases: ")
                    .append(Html.text(String.join(", ", d.cases().subList(0, Math.min(CASES_NAMED, d.cases().size())))))
                    .append(d.cases().size() > CASES_NAMED ? " and " + (d.cases().size() - CASES_NAMED) + " more" : "")
                    .append("</span></li>\n");
        }
        out.append("</ol>\n");
    }

    private static void baselineBlock(HtmlOut out, Baseline.Check check) {
        out.append("<h3 id=\"baseline\">Against the baseline</h3>\n<p>").append(Html.text(check.headline()))
                .append("</p>\n");
        if (!check.fixed().isEmpty()) {
            out.append("<p>Fixed (accepted, and gone):</p>\n<ul class=\"fixed\">\n");
            check.fixed().forEach(a -> out.append("<li>").append(Html.text(a.describe())).append(" <span class=\"meta\">")
                    .append(Html.text(a.reason())).append("</span></li>\n"));
            out.append("</ul>\n");
        }
    }
}
