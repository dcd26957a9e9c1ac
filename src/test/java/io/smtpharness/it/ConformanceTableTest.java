package io.smtpharness.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.cli.Main;
import io.smtpharness.report.ReportWriter;
import io.smtpharness.testing.RealServer.Kind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's table of well-known servers is what {@code report compare} makes of the real
 * servers' runs (RealServerConformanceTest's, one run per server): the same servers, the same
 * failed counts and failed rules, the same cells where a server failed a rule others did not.
 * Warnings and passes may move by a case or two between runs (the rules a server varies on,
 * see the pins), so of those only each server's total is compared.
 * {@code src/test/servers/conformance-table.sh} regenerates the block.
 */
class ConformanceTableTest {

    private static final String BEGIN = "<!-- report compare: begin -->";
    private static final String END = "<!-- report compare: end -->";

    @TempDir
    Path tmp;

    @Test
    void theReadmeTableIsWhatReportCompareMakesOfTheRealServers() throws Exception {
        List<String> args = new ArrayList<>(List.of("report", "compare"));
        for (Kind kind : RealServerConformanceTest.pinnedKinds().toList()) {
            Path dir = tmp.resolve(kind.scriptName());
            new ReportWriter(dir).write(RealServerConformanceTest.summary(kind));
            args.add(kind.scriptName() + "=" + dir);
        }
        args.addAll(List.of("--out", tmp.resolve("compare").toString()));
        StringWriter out = new StringWriter();
        assertThat(Main.execute(new PrintWriter(out, true), new PrintWriter(out, true), args.toArray(String[]::new)))
                .as(out.toString()).isZero();
        String generated = Files.readString(tmp.resolve("compare").resolve("compare.md"), StandardCharsets.UTF_8);

        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        assertThat(readme).contains(BEGIN).contains(END);
        String block = readme.substring(readme.indexOf(BEGIN) + BEGIN.length(), readme.indexOf(END));
        String hint = "the README's block against what report compare made now:\n" + generated;
        assertThat(stable(block)).as(hint).isEqualTo(stable(generated));
    }

    /**
     * What must not move between runs: each server row as name, total, failed, error and rules
     * failed; each rule row in which some server failed.
     */
    private static Set<String> stable(String markdown) {
        Set<String> out = new TreeSet<>();
        String[] columns = {};
        for (String line : markdown.split("\n")) {
            String[] cells = line.split("(?<!\\\\)\\|", -1);
            if (line.startsWith("| rule |")) {
                columns = cells;
            }
            if (cells.length == 9 && cells[2].strip().matches("\\d+")) { // | server | 5 counts | rules failed |
                int total = 0;
                for (int i = 2; i <= 6; i++) {
                    total += Integer.parseInt(cells[i].strip());
                }
                out.add("server " + cells[1].strip() + ": " + total + " cases, " + cells[3].strip() + " failed, "
                        + cells[6].strip() + " error, failed rules " + cells[7].strip());
            } else if (line.startsWith("| `") && line.contains("**failed**")) {
                // columns by name: the order of the servers is not part of the table's content
                Set<String> row = new TreeSet<>();
                for (int i = 2; i < cells.length - 1 && i < columns.length; i++) {
                    row.add(columns[i].strip() + "=" + cells[i].strip());
                }
                out.add("rule " + cells[1].strip() + " " + row);
            }
        }
        return out;
    }
}
