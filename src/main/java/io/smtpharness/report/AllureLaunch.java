package io.smtpharness.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smtpharness.result.CaseResult;
import io.smtpharness.result.RunSummary;
import io.smtpharness.transcript.Direction;
import io.smtpharness.transcript.TranscriptEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The files Allure reads about a launch as a whole, next to the results: {@code environment.properties}
 * (the Environment widget: target, the server's greeting, harness version, command line, Java),
 * {@code executor.json} when run by a CI service it knows (the Executors widget, and the build order
 * its history trend sorts by) and {@code categories.json} (the Categories tab: MUST violations,
 * SHOULD violations, gray zones, harness errors).
 *
 * <p>How the categories find cases: {@link AllureResults} maps {@code failed} (a MUST rule broken)
 * to Allure's failed, {@code error} to broken, and a {@code warning} to passed with one trace line
 * {@code warning <rule>: ...} per finding; gray-zone rules are the ones whose IDs begin {@code G-}.
 */
public final class AllureLaunch {

    static final String ENVIRONMENT = "environment.properties";
    static final String EXECUTOR = "executor.json";
    static final String CATEGORIES = "categories.json";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private AllureLaunch() {
    }

    /** Writes the three files (executor.json only in a known CI) into the results {@code directory}. */
    public static void write(RunSummary summary, Invocation invocation, Path directory) throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve(ENVIRONMENT), properties(environment(summary, invocation)),
                StandardCharsets.ISO_8859_1);
        Path executor = directory.resolve(EXECUTOR);
        Optional<ObjectNode> ci = executor(invocation.environment());
        if (ci.isPresent()) {
            MAPPER.writeValue(executor.toFile(), ci.get());
        } else {
            Files.deleteIfExists(executor); // an earlier run's, from CI, would describe the wrong build
        }
        MAPPER.writeValue(directory.resolve(CATEGORIES).toFile(), categories());
    }

    /** What the Environment widget lists, in this order. */
    static Map<String, String> environment(RunSummary summary, Invocation invocation) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("Target", summary.target());
        greeting(summary).ifPresent(g -> env.put("Greeting", g));
        env.put("Harness", summary.tool() + " " + summary.version());
        if (!invocation.command().isEmpty()) {
            env.put("Command", "smtp-harness " + invocation.command());
        }
        summary.sharding().ifPresent(s -> env.put("Shard", s.shard().toString()));
        env.put("Java", System.getProperty("java.vendor", "") + " " + System.getProperty("java.version", ""));
        return env;
    }

    /** The server's greeting: the lines the first case that met one got before it sent anything. */
    static Optional<String> greeting(RunSummary summary) {
        for (CaseResult c : summary.cases()) {
            List<String> lines = new ArrayList<>();
            for (TranscriptEvent e : c.transcript()) {
                if (e.direction() == Direction.C) {
                    break;
                }
                if (e.direction() == Direction.S) {
                    lines.add(e.text().replaceFirst("\\\\r\\\\n$", "")); // the transcript shows the line end escaped
                }
            }
            if (!lines.isEmpty()) {
                return Optional.of(String.join(" / ", lines));
            }
        }
        return Optional.empty();
    }

    /**
     * Java properties text, one {@code key=value} line each; everything outside printable ASCII,
     * and the backslash, escaped as {@code \\uXXXX}, so a hostile greeting stays one line of data.
     */
    static String properties(Map<String, String> values) {
        StringBuilder out = new StringBuilder();
        values.forEach((key, value) -> {
            out.append(key).append('=');
            for (char ch : value.toCharArray()) {
                if (ch < 0x20 || ch > 0x7e || ch == '\\') {
                    out.append(String.format("\\u%04x", (int) ch));
                } else {
                    out.append(ch);
                }
            }
            out.append('\n');
        });
        return out.toString();
    }

    /** The CI build this runs in, as GitHub Actions, GitLab CI or Jenkins describe it; empty elsewhere. */
    static Optional<ObjectNode> executor(Map<String, String> env) {
        ObjectNode node = MAPPER.createObjectNode();
        if ("true".equals(env.get("GITHUB_ACTIONS"))) {
            String repository = env.getOrDefault("GITHUB_SERVER_URL", "https://github.com") + "/"
                    + env.getOrDefault("GITHUB_REPOSITORY", "");
            node.put("name", "GitHub Actions").put("type", "github").put("url", repository + "/actions");
            order(node, env.get("GITHUB_RUN_NUMBER"));
            node.put("buildName", env.getOrDefault("GITHUB_WORKFLOW", "workflow") + " #"
                    + env.getOrDefault("GITHUB_RUN_NUMBER", "?"));
            if (env.containsKey("GITHUB_RUN_ID")) {
                node.put("buildUrl", repository + "/actions/runs/" + env.get("GITHUB_RUN_ID"));
            }
        } else if ("true".equals(env.get("GITLAB_CI"))) {
            node.put("name", "GitLab CI").put("type", "gitlab")
                    .put("url", env.getOrDefault("CI_PROJECT_URL", "") + "/-/pipelines");
            order(node, env.get("CI_PIPELINE_IID"));
            node.put("buildName", "pipeline #" + env.getOrDefault("CI_PIPELINE_IID", "?")
                    + (env.containsKey("CI_JOB_NAME") ? ", job " + env.get("CI_JOB_NAME") : ""));
            if (env.containsKey("CI_JOB_URL")) {
                node.put("buildUrl", env.get("CI_JOB_URL"));
            }
        } else if (env.containsKey("JENKINS_URL")) {
            node.put("name", "Jenkins").put("type", "jenkins").put("url", env.get("JENKINS_URL"));
            order(node, env.get("BUILD_NUMBER"));
            node.put("buildName", env.getOrDefault("JOB_NAME", "job") + " #" + env.getOrDefault("BUILD_NUMBER", "?"));
            if (env.containsKey("BUILD_URL")) {
                node.put("buildUrl", env.get("BUILD_URL"));
            }
        } else {
            return Optional.empty();
        }
        node.put("reportName", "smtp-harness");
        return Optional.of(node);
    }

    /** Allure sorts its history trend by the build order, a number. */
    private static void order(ObjectNode node, String number) {
        if (number != null && number.matches("\\d{1,18}")) {
            node.put("buildOrder", Long.parseLong(number));
        }
    }

    /** The categories; Allure tries each on every result and files it under all that match. */
    static ArrayNode categories() {
        ArrayNode list = MAPPER.createArrayNode();
        category(list, "MUST violations", "failed", null);
        // (?m) so ^ finds the finding lines inside the trace; Allure matches the whole trace (DOTALL)
        category(list, "SHOULD violations", "passed", "(?m).*^warning (?!G-).*");
        category(list, "Gray zones", "passed", "(?m).*^warning G-.*");
        category(list, "Harness errors", "broken", null);
        return list;
    }

    private static void category(ArrayNode list, String name, String status, String traceRegex) {
        ObjectNode category = list.addObject().put("name", name);
        category.putArray("matchedStatuses").add(status);
        if (traceRegex != null) {
            category.put("traceRegex", traceRegex);
        }
    }
}
