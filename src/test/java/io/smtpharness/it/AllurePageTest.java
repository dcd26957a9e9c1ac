package io.smtpharness.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smtpharness.cli.Main;
import io.smtpharness.testing.HeadlessChromium;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Allure page as an Allure user opens it: a run's {@code allure-results/} built with Allure's own
 * command line into the single-file page, rendered in headless Chromium with name lookups switched
 * off. The overview shows the run's own duration, the environment (target, greeting, command) and
 * the CI executor; the Categories tab files each case under MUST violations, SHOULD violations, gray
 * zones or harness errors; the page fetches nothing from the network (Chromium's net log).
 */
class AllurePageTest {

    private static final Path ALLURE = Path.of("target", "allure-commandline", "allure-2.34.1", "bin", "allure");

    @TempDir
    static Path tmp;

    private static Path page;
    private static HeadlessChromium browser;
    private static JsonNode summary;

    /** One case of each kind, against the embedded server; the listening ones overlap in time. */
    @BeforeAll
    static void runAndBuildThePage() throws Exception {
        browser = HeadlessChromium.orSkip(tmp, ALLURE);
        List<String> suite = new ArrayList<>(List.of("suite: kinds", "cases:",
                "  - id: must", "    title: a MUST rule broken", "    rules: [5321-4.1.1.9-NOOP-250]", "    steps:",
                "      - send: NOOP", "        expect: 500", "        rule: 5321-4.1.1.9-NOOP-250",
                "  - id: should", "    title: a SHOULD rule broken", "    rules: [5321-2.4-8BITMIME-OFFERED]", "    steps:",
                "      - send: NOOP", "        expect: 500", "        rule: 5321-2.4-8BITMIME-OFFERED",
                "  - id: gray", "    title: a gray zone", "    rules: [G-02]", "    steps:",
                "      - send: NOOP", "        expect: 500", "        rule: G-02",
                "  - id: unjudged", "    title: no reply comes", "    rules: [5321-4.1.1.9-NOOP-250]", "    steps:",
                "      - send: NOOP", "        expect: 250", "      - expect: 250"));
        for (int i = 1; i <= 4; i++) { // run at once: their durations add up to far more than the run took
            suite.addAll(List.of("  - id: quiet-" + i, "    title: two quiet seconds", "    rules: [5321-4.1.1.9-NOOP-250]",
                    "    steps:", "      - send: NOOP", "        expect: 250", "      - expect-none: 2s",
                    "        rule: 5321-4.1.1.9-NOOP-250"));
        }
        Path suiteFile = Files.write(tmp.resolve("kinds.yaml"), suite);
        Path reports = tmp.resolve("reports");
        Map<String, String> github = Map.of("GITHUB_ACTIONS", "true", "GITHUB_SERVER_URL", "https://github.example",
                "GITHUB_REPOSITORY", "acme/mta", "GITHUB_RUN_NUMBER", "42", "GITHUB_RUN_ID", "9001",
                "GITHUB_WORKFLOW", "conformance");
        StringWriter out = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(out, true), github, "run", "--full-windows",
                "--timeout", "2s", "--suite", suiteFile.toString(), "--report-dir", reports.toString());
        assertThat(code).as(out.toString()).isEqualTo(1);
        summary = new ObjectMapper().readTree(reports.resolve("summary.json").toFile());
        assertThat(summary.get("counts").toString()).as("one case of each verdict the categories sort")
                .contains("\"failed\":1").contains("\"warning\":2").contains("\"error\":1").contains("\"passed\":4");

        Path site = tmp.resolve("allure");
        ProcessBuilder generate = new ProcessBuilder(ALLURE.toString(), "generate", "--single-file",
                reports.resolve("allure-results").toString(), "-o", site.toString(), "--clean").redirectErrorStream(true);
        generate.environment().put("ALLURE_NO_ANALYTICS", "true"); // else the page carries a Google tag
        run(generate, "allure generate");
        page = site.resolve("index.html");
    }

    @Test
    void theOverviewShowsTheRunsDurationEnvironmentAndExecutor() throws Exception {
        String dom = chromium("", "--dump-dom");
        Matcher duration = Pattern.compile("\\((?:(\\d+)s )?(\\d+)ms\\)").matcher(dom);
        assertThat(duration.find()).as("the overview's duration").isTrue();
        long shownMs = (duration.group(1) == null ? 0 : Long.parseLong(duration.group(1)) * 1000)
                + Long.parseLong(duration.group(2));
        long runMs = summary.get("durationMs").asLong();
        long sumOfCases = 0;
        for (JsonNode c : summary.get("cases")) {
            sumOfCases += c.get("durationMs").asLong();
        }
        // the cases ran within the run: its span can only be the run's (a few ms of rounding), never their sum
        assertThat(shownMs).isBetween(2000L, runMs + 50).isLessThan(sumOfCases);
        assertThat(dom).contains("Target").contains("embedded reference server 127.0.0.1:")
                .contains("Greeting").contains("220 reference.test ESMTP")
                .contains("Command").contains("smtp-harness run --full-windows --timeout 2s")
                .contains("Harness").contains("GitHub Actions").contains("conformance #42");

        Path png = tmp.resolve("overview.png");
        chromium("", "--screenshot=" + png);
        BufferedImage shot = ImageIO.read(png.toFile());
        assertThat(shot.getWidth()).isEqualTo(1400);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < shot.getHeight(); y += 4) {
            for (int x = 0; x < shot.getWidth(); x += 4) {
                colours.add(shot.getRGB(x, y));
            }
        }
        assertThat(colours).as("a rendered page, not a blank one").hasSizeGreaterThan(50);
    }

    @Test
    void theCategoriesSortMustShouldGrayZoneAndHarnessErrors() throws Exception {
        String dom = chromium("categories", "--dump-dom");
        assertThat(dom).contains("MUST violations").contains("SHOULD violations").contains("Gray zones")
                .contains("Harness errors");
        String categories = Files.readString(page.getParent().resolve("index.html"));
        assertThat(categories).as("Allure's own default names: nothing fell outside ours")
                .doesNotContain("Product defects").doesNotContain("Test defects");
    }

    @Test
    void thePageFetchesNothingFromTheNetwork() throws Exception {
        assertThat(browser.pageFetches(page.toUri().toString())).isEmpty();
    }

    /** Renders the page at {@code route} ("": the overview) in headless Chromium; returns its output. */
    private static String chromium(String route, String... what) throws Exception {
        return browser.render(page.toUri() + "#" + route, what);
    }

    private static String run(ProcessBuilder builder, String name) throws Exception {
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        // bounds a hang only: each takes a few seconds
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as(name + " ended").isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(name + ": " + text).isZero();
        return text;
    }
}
