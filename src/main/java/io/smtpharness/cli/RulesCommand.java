package io.smtpharness.cli;

import io.smtpharness.coverage.Coverage;
import io.smtpharness.coverage.RuleCoverage;
import io.smtpharness.dialogue.Dialogue;
import io.smtpharness.suite.SuiteLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rules}: the catalogue with what judges each rule; {@code --check} enforces it. */
@Command(name = "rules", mixinStandardHelpOptions = true,
        description = {"List the rule catalogue: for each rule the cases and oracles that judge it, the reason it "
                + "cannot be observed (unobservable.tsv), or UNCOVERED; then totals per RFC.",
                "With --check, print only the totals and the problems, and exit 1 when a MUST rule of a checked RFC (5321 and the extensions with suites) has neither a "
                + "case, an oracle nor a documented reason, when a case or oracle cites an unknown rule, or when "
                + "unobservable.tsv is malformed."})
final class RulesCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--suite", paramLabel = "PATH", description = "Suite files or directories (default: the built-in suites).")
    private List<Path> suites = List.of();

    @Option(names = "--check", description = "Exit 1 on uncovered MUST rules of the checked RFCs, unknown rule IDs or a malformed unobservable.tsv.")
    private boolean check;

    @Override
    public Integer call() {
        SuiteLoader loader = new SuiteLoader();
        List<Dialogue> dialogues = suites.isEmpty() ? loader.loadBuiltIn() : loader.loadAll(suites);
        Coverage coverage = Coverage.standard(dialogues);
        PrintWriter out = spec.commandLine().getOut();
        if (!check) {
            for (RuleCoverage r : coverage.rules()) {
                out.printf("%-40s %-6s %-14s %s%n", r.rule().id(), r.rule().level(), r.rule().section(), r.describe());
            }
            out.println();
        }
        coverage.totals().forEach((rfc, totals) ->
                out.printf("%-10s %s%n", rfc.equals("gray") ? "gray zones" : "RFC " + rfc, totals));
        coverage.warnings().forEach(w -> out.println("warning: " + w));
        if (!check) {
            coverage.errors().forEach(e -> out.println("error: " + e));
            return ExitCodes.OK;
        }
        List<String> problems = coverage.check();
        problems.forEach(out::println);
        out.println(problems.isEmpty()
                ? "check passed: every MUST rule of RFC " + String.join(", ", Coverage.CHECKED_RFCS) + " has a case, an oracle or a documented reason"
                : "check failed: " + coverage.gaps().size() + " uncovered MUST rule(s) of RFC " + String.join(", ", Coverage.CHECKED_RFCS)
                        + ", " + coverage.errors().size() + " error(s)");
        return problems.isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
