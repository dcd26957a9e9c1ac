package io.smtpharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import picocli.CommandLine;

/**
 * The CI recipes in docs/ci/ are YAML their runners accept in shape, and every harness command in
 * them parses with this harness's options: a sharded job per shard, then a merge of all of them.
 */
class CiRecipesTest {

    private static final Path DIR = Path.of("docs/ci");

    private static List<Object> documents(String file) throws IOException {
        Iterable<Object> all = new Load(LoadSettings.builder().build()).loadAllFromString(Files.readString(DIR.resolve(file)));
        return StreamSupport.stream(all.spliterator(), false).collect(Collectors.toList());
    }

    @SuppressWarnings("unchecked")
    private static <T> T at(Object node, Object... path) {
        Object here = node;
        for (Object key : path) {
            here = key instanceof Integer i ? ((List<Object>) here).get(i) : ((Map<String, Object>) here).get(key);
        }
        return (T) here;
    }

    /** Every harness command line in a recipe (a line that runs the jar), CI variables given sample values. */
    private static List<List<String>> harnessCommands(Object node, Map<String, String> samples) {
        List<List<String>> commands = new ArrayList<>();
        collect(node, samples, commands);
        return commands;
    }

    private static void collect(Object node, Map<String, String> samples, List<List<String>> commands) {
        if (node instanceof Map<?, ?> map) {
            map.values().forEach(v -> collect(v, samples, commands));
        } else if (node instanceof List<?> list) {
            list.forEach(v -> collect(v, samples, commands));
        } else if (node instanceof String text) {
            for (String line : text.split("\n")) {
                int jar = line.indexOf("smtp-harness.jar ");
                if (jar >= 0 && !line.contains(" serve ")) {
                    String args = line.substring(jar + "smtp-harness.jar ".length());
                    for (Map.Entry<String, String> sample : samples.entrySet()) {
                        args = args.replace(sample.getKey(), sample.getValue());
                    }
                    commands.add(List.of(args.trim().split("\\s+")));
                }
            }
        }
    }

    /** Parses a command line as the harness would; what it parsed, for the options asked for. */
    private static CommandLine.ParseResult parsed(List<String> args) {
        return Main.commandLine(Map.of()).parseArgs(args.toArray(String[]::new)).subcommand();
    }

    @Test
    void gitHubActionsRunsOneShardPerMatrixEntryThenMergesThemAll() throws IOException {
        Object workflow = documents("github-actions-sharded.yml").get(0);
        List<Integer> shards = at(workflow, "jobs", "conformance", "strategy", "matrix", "shard");
        assertThat(shards).containsExactly(1, 2, 3, 4);
        assertThat((Boolean) at(workflow, "jobs", "conformance", "strategy", "fail-fast")).isFalse();
        assertThat((String) at(workflow, "jobs", "merge", "needs")).isEqualTo("conformance");
        assertThat((String) at(workflow, "jobs", "merge", "if")).isEqualTo("always()");

        List<List<String>> commands = harnessCommands(workflow, Map.of("${{ matrix.shard }}", "3"));
        assertThat(commands).hasSize(2);
        CommandLine.ParseResult run = parsed(commands.get(0));
        assertThat(run.commandSpec().name()).isEqualTo("run");
        assertThat(run.matchedOptionValue("--shard", "")).isEqualTo("3/4");
        CommandLine.ParseResult merge = parsed(commands.get(1)).subcommand();
        assertThat(merge.commandSpec().name()).isEqualTo("merge");
        assertThat(merge.matchedPositionalValue(0, List.<Path>of())).hasSize(shards.size());
    }

    @Test
    void gitLabRunsParallelJobsThatFindTheirShardThenMergesThemAll() throws IOException {
        Object pipeline = documents("gitlab-ci-sharded.yml").get(0);
        int parallel = at(pipeline, "smtp-conformance", "parallel");
        assertThat(parallel).isEqualTo(4);
        assertThat((List<String>) at(pipeline, "smtp-conformance-merge", "needs")).containsExactly("smtp-conformance");
        assertThat((String) at(pipeline, "smtp-conformance-merge", "when")).isEqualTo("always");

        List<List<String>> commands = harnessCommands(pipeline, Map.of("$CI_NODE_INDEX", "2"));
        assertThat(commands).hasSize(2);
        CommandLine.ParseResult run = parsed(commands.get(0));
        assertThat(run.matchedOptionValue("--shard", "")).isEqualTo("auto");
        assertThat(run.matchedOptionValue("--report-dir", Path.of(""))).isEqualTo(Path.of("reports/shard-2"));
        List<Path> merged = parsed(commands.get(1)).subcommand().matchedPositionalValue(0, List.of());
        assertThat(merged).hasSize(parallel).contains(Path.of("reports/shard-2"));
    }

    @Test
    void kubernetesRunsAnIndexedJobWhoseTotalMatchesItsCompletionsThenMerges() throws IOException {
        List<Object> documents = documents("kubernetes-indexed-job.yml");
        assertThat(documents).hasSize(2);
        Object job = documents.get(0);
        assertThat((String) at(job, "spec", "completionMode")).isEqualTo("Indexed");
        int completions = at(job, "spec", "completions");
        assertThat(completions).isEqualTo(4);
        Object container = at(job, "spec", "template", "spec", "containers", 0);
        assertThat((String) at(container, "env", 0, "name")).isEqualTo(ShardOptions.TOTAL);
        assertThat(Integer.parseInt(at(container, "env", 0, "value"))).isEqualTo(completions);

        List<List<String>> commands = harnessCommands(job, Map.of("$JOB_COMPLETION_INDEX", "0"));
        assertThat(commands).hasSize(1);
        CommandLine.ParseResult run = parsed(commands.get(0));
        assertThat(run.matchedOptionValue("--shard", "")).isEqualTo("auto");
        assertThat(ShardOptions.fromEnvironment(Map.of("JOB_COMPLETION_INDEX", "0", ShardOptions.TOTAL,
                at(container, "env", 0, "value")), java.util.Optional.empty())).hasToString("1/4");
        List<Path> merged = parsed(harnessCommands(documents.get(1), Map.of()).get(0)).subcommand()
                .matchedPositionalValue(0, List.of());
        assertThat(merged).hasSize(completions).contains(Path.of("/reports/shard-0"), Path.of("/reports/shard-3"));
    }
}
