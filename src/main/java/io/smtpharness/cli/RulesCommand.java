package io.smtpharness.cli;

import io.smtpharness.dialogue.Dialogue;
import io.smtpharness.rules.Rule;
import io.smtpharness.rules.RuleCatalog;
import io.smtpharness.suite.SuiteLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rules}: the catalogue, with the cases that cite each rule. */
@Command(name = "rules", mixinStandardHelpOptions = true,
        description = "List the rule catalogue and which cases cover each rule.")
final class RulesCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--suite", paramLabel = "PATH", description = "Suite files or directories (default: the built-in suites).")
    private List<Path> suites = List.of();

    @Override
    public Integer call() {
        SuiteLoader loader = new SuiteLoader();
        List<Dialogue> dialogues = suites.isEmpty() ? loader.loadBuiltIn() : loader.loadAll(suites);
        Map<String, List<String>> casesByRule = new TreeMap<>();
        for (Dialogue d : dialogues) {
            for (String rule : d.rules()) {
                casesByRule.computeIfAbsent(rule, k -> new ArrayList<>()).add(d.suite() + "/" + d.id());
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        Map<String, int[]> perRfc = new TreeMap<>();
        for (Rule rule : RuleCatalog.standard().all()) {
            List<String> cases = casesByRule.getOrDefault(rule.id(), List.of());
            out.printf("%-40s %-6s %-12s %s%n", rule.id(), rule.level(), rule.section(),
                    cases.isEmpty() ? "-" : String.join(", ", cases));
            int[] counts = perRfc.computeIfAbsent(rule.rfc(), k -> new int[2]);
            counts[0]++;
            counts[1] += cases.isEmpty() ? 0 : 1;
        }
        out.println();
        perRfc.forEach((rfc, c) -> out.printf("RFC %-5s %3d of %3d rules cited by a case%n", rfc, c[1], c[0]));
        return ExitCodes.OK;
    }
}
