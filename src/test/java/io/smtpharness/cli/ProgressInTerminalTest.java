package io.smtpharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.testing.Tmux;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user sees while a run goes on: in a real terminal (tmux) one progress line, redrawn, then
 * the summary in its place; with --verbose each verdict as a line; with --quiet and --verbose, a usage error.
 */
class ProgressInTerminalTest {

    @TempDir
    Path tmp;

    /** One case answered at once, one that listens for 4 s of silence: long enough to see the line. */
    private Path suite() throws Exception {
        return Files.writeString(tmp.resolve("two.yaml"), String.join("\n",
                "suite: two",
                "cases:",
                "  - id: quick",
                "    title: answered at once",
                "    rules: [5321-4.1.1.9-NOOP-250]",
                "    steps:",
                "      - send: NOOP",
                "        expect: 250",
                "  - id: listening",
                "    title: a quiet window",
                "    rules: [5321-4.1.1.9-NOOP-250]",
                "    steps:",
                "      - send: NOOP",
                "        expect: 250",
                "      - expect-none: 4s",
                "        rule: 5321-4.1.1.9-NOOP-250",
                ""));
    }

    @Test
    void aRunInTmuxShowsTheProgressLineThenTheSummary() throws Exception {
        Path script = Files.writeString(tmp.resolve("run.sh"), String.join("\n",
                "cd '" + tmp + "'",
                "'" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -cp '"
                        + System.getProperty("java.class.path") + "' io.smtpharness.cli.Main run --full-windows"
                        + " --suite '" + suite() + "' --report-dir '" + tmp.resolve("reports") + "'",
                "echo \"exit=$?\"",
                "sleep 600", ""));
        try (Tmux terminal = Tmux.start(150, "bash '" + script + "'")) {
            String during = terminal.waitFor(pane -> pane.contains("running two/listening"));
            assertThat(during).containsPattern("run: 1/2 cases, 0 failed · running two/listening \\(\\d+\\.\\d s\\) · \\d+:\\d\\d");
            String after = terminal.waitFor(pane -> pane.contains("exit="));
            assertThat(after).contains("2 cases in").contains("2 passed, 0 failed").contains("exit=0")
                    .as("the progress line is cleared, not left above the summary").doesNotContain("running two/");
        }
    }

    @Test
    void verboseShowsEachVerdictAndQuietExcludesIt() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), Map.of(), "run", "--verbose",
                "--suite", suite().toString(), "--report-dir", tmp.resolve("v").toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString().lines().filter(l -> l.startsWith("PASSED  two/")).toList())
                .containsExactlyInAnyOrder("PASSED  two/quick [5321-4.1.1.9-NOOP-250] (" + ms(out, "quick") + " ms)",
                        "PASSED  two/listening [5321-4.1.1.9-NOOP-250] (" + ms(out, "listening") + " ms)");
        assertThat(err.toString()).as("no progress when neither a terminal nor CI").doesNotContain("run: ");

        StringWriter usage = new StringWriter();
        assertThat(Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(usage, true), Map.of(),
                "run", "-q", "-v", "--suite", suite().toString())).isEqualTo(2);
        assertThat(usage.toString()).contains("--quiet and --verbose exclude each other");
    }

    private static String ms(StringWriter out, String id) {
        return out.toString().lines().filter(l -> l.startsWith("PASSED  two/" + id + " ")).findFirst()
                .map(l -> l.replaceAll(".*\\((\\d+) ms\\)$", "$1")).orElse("?");
    }
}
