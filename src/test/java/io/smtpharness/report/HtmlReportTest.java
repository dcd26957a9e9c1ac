package io.smtpharness.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.result.CaseResult;
import io.smtpharness.result.RunSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

    private static final RunSummary RUN = ReportFixtures.summary(List.of(ReportFixtures.passed(),
            ReportFixtures.failed(), ReportFixtures.warning(), ReportFixtures.skipped(), ReportFixtures.error(),
            ReportFixtures.hostile()));

    @TempDir
    Path dir;

    @Test
    void containsEveryCaseId() {
        String html = new HtmlReport().render(RUN);

        for (CaseResult c : RUN.cases()) {
            assertThat(html).contains("<code>" + c.suite() + "/" + c.id() + "</code>");
        }
    }

    @Test
    void headerShowsTargetStartDurationAndCounts() {
        String html = new HtmlReport().render(RUN);

        assertThat(html).contains("127.0.0.1:2525").contains("2025-03-14T09:26:53.125Z").contains("31.600 s")
                .contains("<span class=\"badge failed\">2 failed</span>")
                .contains("<span class=\"badge error\">1 error</span>")
                .contains("<span class=\"badge warning\">1 warning</span>")
                .contains("<span class=\"badge skipped\">1 skipped</span>")
                .contains("<span class=\"badge passed\">1 passed</span>");
    }

    @Test
    void hostileTranscriptIsEscaped() {
        String html = new HtmlReport().render(RUN);

        assertThat(html).doesNotContain(ReportFixtures.SCRIPT).doesNotContain("<b>markup")
                .contains("220 &lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("&quot;&#39;");
        // the page's own inline script is the only one
        assertThat(count(html, "<script")).isEqualTo(1);
    }

    @Test
    void controlCharactersInMessagesAreShownEscaped() {
        String html = new HtmlReport().render(RUN);

        assertThat(html).contains("reply had \\x00 NUL, \\x1b[31mESC").doesNotContain("\u0000")
                .doesNotContain("\u001b").doesNotContain("\u0007");
    }

    @Test
    void loadsNothingFromTheNetwork() {
        String html = new HtmlReport().render(RUN);

        Matcher refs = Pattern.compile("(?i)(src|href|action)\\s*=\\s*[\"']?([^\"'>\\s]*)").matcher(html);
        while (refs.find()) {
            assertThat(refs.group(2)).as(refs.group()).startsWith("#");
        }
        assertThat(html).doesNotContain("http://").doesNotContain("https://").doesNotContain("@import")
                .doesNotContain("url(").contains("default-src 'none'");
    }

    @Test
    void escapedBytesInTranscriptsAreMarked() {
        String html = new HtmlReport().render(RUN);

        // a run of escapes is one span
        assertThat(html).contains("250 OK<span class=\"esc\">\\r\\n</span>")
                .contains("<span class=\"esc\">\\x00\\n</span>");
    }

    @Test
    void transcriptIsACollapsibleTableWithTimeDirectionAndText() {
        String html = new HtmlReport().render(RUN);

        assertThat(html).contains("<details><summary>Transcript (5 events)</summary>")
                .contains("<th>t (ms)</th><th>dir</th><th>text</th>")
                .contains("<td class=\"t\">9</td><td class=\"dir\">C</td>")
                .contains("<td class=\"t\">0</td><td class=\"dir\">--</td>");
    }

    @Test
    void theSummaryComesFirstWithABarPerRfcAndEachDistinctDeviationLinkedToItsRule() {
        String html = new HtmlReport().render(RUN);

        int summary = html.indexOf("<section id=\"summary\">");
        assertThat(summary).isPositive().isLessThan(html.indexOf("<section id=\"rules\">"));
        assertThat(html).contains("<span class=\"rfc\">RFC 5321</span>").containsPattern(
                "<span class=\"failed\" style=\"width:[0-9.]+%\" title=\"2 failed\"></span>")
                .contains("<span class=\"meta\">5 rules: 2 failed, 1 error, 2 passed</span>")
                .contains("<span class=\"meta\">1 rule: 1 warning</span>");
        assertThat(html).contains("<h3>Distinct deviations (3)</h3>")
                .contains("<a href=\"#rule-5321-4_1_4-ORDER\"><code>5321-4.1.4-ORDER</code></a>")
                .contains("in 1 case: core/rcpt-before-mail")
                .doesNotContain("class=\"mark "); // no baseline, no new or accepted marks
    }

    @Test
    void ruleMatrixLinksEachRuleToItsCasesWithTitles() {
        String html = new HtmlReport(rule -> rule.equals("5321-4.1.4-ORDER")
                ? Optional.of("Commands <in order>") : Optional.empty()).render(RUN);

        String row = rowOf(html, "5321-4.1.4-ORDER");
        assertThat(row).startsWith("<tr class=\"rule failed\" id=\"rule-5321-4_1_4-ORDER\">").contains("Commands &lt;in order&gt;")
                .contains("<span class=\"badge failed\">failed</span>")
                .contains("href=\"#case-2-core_rcpt-before-mail\"");
        assertThat(html).contains("<article class=\"case failed\" id=\"case-2-core_rcpt-before-mail\">");
        assertThat(rowOf(html, "5321-3.1-VERSION-IN-BANNER")).startsWith("<tr class=\"rule passed\" ");
    }

    @Test
    void caseAnchorsAreUniqueEvenForDuplicateIds() {
        CaseResult a = ReportFixtures.passed();
        CaseResult b = new CaseResult("core", "greeting", a.title(), a.rules(), a.tags(), a.status(),
                a.message(), a.findings(), a.durationMs(), a.transcript());
        String html = new HtmlReport().render(ReportFixtures.summary(List.of(a, b)));

        assertThat(html).contains("id=\"case-1-core_greeting\"").contains("id=\"case-2-core_greeting\"")
                .contains("href=\"#case-1-core_greeting\"").contains("href=\"#case-2-core_greeting\"");
    }

    @Test
    void aServerWideDeviationHasOneEntryNamingItsCases() {
        String html = new HtmlReport().render(ReportFixtures.summary(List.of(ReportFixtures.endlessReply("a"),
                ReportFixtures.endlessReply("b"))));

        String section = html.substring(html.indexOf("<section id=\"server-wide\">"));
        section = section.substring(0, section.indexOf("</section>"));
        assertThat(section).containsOnlyOnce("5321-4.2-ONE-REPLY").contains("in 2 case(s): core/a, core/b");
        assertThat(html).contains("(failed, server-wide)").doesNotContain("<section id=\"incidental\">");
    }

    @Test
    void filtersAreHiddenUntilTheScriptRuns() {
        String html = new HtmlReport().render(RUN);

        assertThat(html).contains("<nav id=\"filters\" class=\"filters\" hidden>")
                .contains("data-status=\"failed\"").contains("data-status=\"passed\"")
                .contains(".hide-failed .case.failed");
    }

    @Test
    void writesUtf8File() throws IOException {
        Path file = dir.resolve("index.html");
        new HtmlReport().write(RUN, file);

        assertThat(Files.readString(file, StandardCharsets.UTF_8)).startsWith("<!DOCTYPE html>")
                .contains("<meta charset=\"utf-8\">").endsWith("</html>\n");
    }

    private static String rowOf(String html, String rule) {
        Matcher m = Pattern.compile("<tr class=\"rule [a-z]+\" id=\"rule-[\\w-]+\"><td><code>" + Pattern.quote(rule) + "</code>.*")
                .matcher(html);
        assertThat(m.find()).as("row for %s", rule).isTrue();
        return m.group();
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
