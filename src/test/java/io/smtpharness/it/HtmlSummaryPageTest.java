package io.smtpharness.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.cli.Main;
import io.smtpharness.server.Misbehaviour;
import io.smtpharness.server.ReferenceServer;
import io.smtpharness.server.ServerConfig;
import io.smtpharness.testing.HeadlessChromium;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report a person opens, as Chromium shows it: {@code index.html} of a run against a baseline
 * opens with the ten-second summary (a bar per RFC, each distinct deviation once, marked new or
 * accepted), and {@code compare.html} puts servers side by side; neither fetches anything.
 */
class HtmlSummaryPageTest {

    private static final String SUITE = "test-suites/rfc5321-core.yaml";
    private static final String RCPT_RULE = "5321-3.3-RCPT-NEEDS-MAIL";
    private static final String NOOP_RULE = "5321-4.1.1.9-NOOP-250";
    /** {@code --failed} in HtmlAssets: the colour of failed bars and badges. */
    private static final int FAILED_RGB = 0xc62828;

    @TempDir
    static Path tmp;

    private static HeadlessChromium browser;
    private static Path report;
    private static Path compare;

    private static void run(ServerConfig config, Path dir, String... extra) throws Exception {
        try (ReferenceServer server = ReferenceServer.start(config)) {
            StringWriter out = new StringWriter();
            String[] base = {"run", "--target", "127.0.0.1:" + server.port(), "--suite", SUITE, "-q", "--report-dir",
                dir.toString()};
            String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(extra))
                    .toArray(String[]::new);
            int code = Main.execute(new PrintWriter(out, true), new PrintWriter(out, true), args);
            assertThat(code).as(out.toString()).isIn(0, 1);
        }
    }

    @BeforeAll
    static void runTwoVersionsAndCompare() throws Exception {
        browser = HeadlessChromium.orSkip(tmp);
        Path v1 = tmp.resolve("v1");
        run(ServerConfig.defaults().withMisbehaviours(new Misbehaviour.AcceptRcptWithoutMail()), v1);
        report = tmp.resolve("v2");
        run(ServerConfig.defaults().withMisbehaviours(new Misbehaviour.AcceptRcptWithoutMail(),
                new Misbehaviour.Reply("NOOP", "500 5.5.1 no NOOP here\r\n")), report, "--baseline", v1.toString());
        compare = tmp.resolve("cmp");
        StringWriter out = new StringWriter();
        assertThat(Main.execute(new PrintWriter(out, true), new PrintWriter(out, true), "report", "compare",
                v1.toString(), report.toString(), "--out", compare.toString())).as(out.toString()).isZero();
    }

    @Test
    void theSummaryIsTheFirstThingOnThePage() throws Exception {
        String dom = browser.render(report.resolve("index.html").toUri().toString(), "--dump-dom");
        int summary = dom.indexOf("<section id=\"summary\">");
        assertThat(summary).as("summary section").isPositive();
        assertThat(dom.indexOf("<section", dom.indexOf("</header>"))).as("the first section after the header")
                .isEqualTo(summary);
        assertThat(summary).isLessThan(dom.indexOf("<section id=\"rules\">"));
        assertThat(dom).containsPattern("<span class=\"rfc\">RFC 5321</span><span class=\"bar\"[^>]*>"
                + "<span class=\"failed\" style=\"width:\\s*[0-9.]+%;?\"");
        String deviations = dom.substring(dom.indexOf("<ol class=\"deviations\">"), dom.indexOf("</ol>", summary));
        assertThat(deviations).containsPattern("<span class=\"mark new\">new</span> <a href=\"#rule-[\\w-]+\"><code>"
                + NOOP_RULE + "</code>")
                .containsPattern("<span class=\"mark accepted\">accepted</span> <a href=\"#rule-[\\w-]+\"><code>"
                + RCPT_RULE + "</code>");
        assertThat(dom).contains("id=\"baseline\"").containsPattern(": [1-9][0-9]* new \\(in [0-9]+ cases\\), [1-9][0-9]* still present, 0 fixed");
    }

    @Test
    void theBarsAreDrawn() throws Exception {
        Path png = tmp.resolve("summary.png");
        browser.render(report.resolve("index.html").toUri().toString(), "--screenshot=" + png);
        BufferedImage shot = ImageIO.read(png.toFile());
        assertThat(shot.getWidth()).isEqualTo(1400);
        Set<Integer> colours = new HashSet<>();
        int failedPixels = 0;
        for (int y = 0; y < shot.getHeight(); y += 2) {
            for (int x = 0; x < shot.getWidth(); x += 2) {
                int rgb = shot.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                failedPixels += rgb == FAILED_RGB ? 1 : 0;
            }
        }
        assertThat(colours).as("a rendered page, not a blank one").hasSizeGreaterThan(50);
        // the failed part of the RFC 5321 bar and the failed badges, in the first screen
        assertThat(failedPixels).as("pixels in the failed colour").isGreaterThan(100);
    }

    @Test
    void theComparisonShowsWhereTheServersDiffer() throws Exception {
        String dom = browser.render(compare.resolve("compare.html").toUri().toString(), "--dump-dom");
        assertThat(dom).contains("Where the servers differ (").containsPattern("<code>" + NOOP_RULE
                + "</code></td><td><a class=\"badge passed\" href=\"../v1/index.html#rule-[\\w-]+\"[^>]*>passed</a></td>"
                + "<td><a class=\"badge failed\"");
    }

    @Test
    void neitherPageFetchesAnything() throws Exception {
        assertThat(browser.pageFetches(report.resolve("index.html").toUri().toString())).isEmpty();
        assertThat(browser.pageFetches(compare.resolve("compare.html").toUri().toString())).isEmpty();
    }
}
