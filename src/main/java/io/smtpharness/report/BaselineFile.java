package io.smtpharness.report;

import io.smtpharness.result.Baseline;
import io.smtpharness.result.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads a baseline: a report directory or its {@code summary.json} (every deviation of that run is
 * accepted), or a YAML file of accepted deviations, each with a reason:
 *
 * <pre>
 * accepted:
 *   - rule: 5321-4.1.1.4-NO-LF-EOD
 *     reason: smtpd_forbid_bare_newline stays off until the upgrade
 *   - rule: 2034-4-PREFIX-ALL
 *     case: rfc2034-enhanced-codes/etrn     # optional: only this case (default: any)
 *     level: warning                        # optional: failed or warning (default: both)
 *     reason: ETRN is not used here
 * </pre>
 *
 * A malformed file is an {@link IllegalArgumentException} whose message names the file and line.
 */
public final class BaselineFile {

    private static final long MAX_BYTES = 64L * 1024 * 1024;
    private static final Set<String> KEYS = Set.of("rule", "case", "level", "reason");

    private BaselineFile() {
    }

    /** The baseline in {@code path}. */
    public static Baseline read(Path path) throws IOException {
        Path file = Files.isDirectory(path) ? path.resolve(SummaryJson.FILE_NAME) : path;
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("baseline " + file + " does not exist or is not a file");
        }
        if (Files.size(file) > MAX_BYTES) {
            throw new IllegalArgumentException("baseline " + file + " is larger than " + MAX_BYTES + " bytes");
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.stripLeading().startsWith("{")) {
            try {
                return Baseline.of(SummaryJson.fromTree(SummaryJson.readTree(file)), file.toString());
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("baseline " + file + " is not a readable summary.json: "
                        + e.getMessage(), e);
            }
        }
        return new Baseline(file.toString(), accepted(file.toString(), text));
    }

    private static List<Baseline.Accepted> accepted(String name, String text) {
        Node root;
        try {
            root = new Compose(LoadSettings.builder().setLabel(name).setUseMarks(true).setAllowDuplicateKeys(false)
                    .setMaxAliasesForCollections(0).build()).composeString(text)
                    .orElseThrow(() -> error(name, 0, "empty file; expected 'accepted:' and a list"));
        } catch (MarkedYamlEngineException e) {
            throw error(name, e.getProblemMark().map(m -> m.getLine() + 1).orElse(0), "YAML syntax error: "
                    + e.getProblem());
        } catch (YamlEngineException e) {
            throw error(name, 0, "YAML error: " + e.getMessage());
        }
        Map<String, Node> top = mapping(name, root, Set.of("accepted"));
        Node list = top.get("accepted");
        if (!(list instanceof SequenceNode)) {
            throw error(name, line(list == null ? root : list), "'accepted:' must be a list of deviations");
        }
        List<Baseline.Accepted> out = new ArrayList<>();
        for (Node item : ((SequenceNode) list).getValue()) {
            Map<String, Node> entry = mapping(name, item, KEYS);
            String rule = scalar(name, entry, "rule").orElseThrow(() -> error(name, line(item), "'rule:' is missing"));
            String reason = scalar(name, entry, "reason")
                    .orElseThrow(() -> error(name, line(item), "'reason:' is missing; say why the deviation is accepted"));
            Optional<Status> level = scalar(name, entry, "level").map(l -> switch (l.toLowerCase(Locale.ROOT)) {
                case "failed" -> Status.FAILED;
                case "warning" -> Status.WARNING;
                default -> throw error(name, line(entry.get("level")), "level '" + l + "': expected failed or warning");
            });
            out.add(new Baseline.Accepted(rule, scalar(name, entry, "case"), level, reason));
        }
        return out;
    }

    private static Map<String, Node> mapping(String name, Node node, Set<String> keys) {
        if (!(node instanceof MappingNode)) {
            throw error(name, line(node), "expected a mapping with " + String.join(", ", keys.stream().sorted().toList()));
        }
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple tuple : ((MappingNode) node).getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode)) {
                throw error(name, line(tuple.getKeyNode()), "a key must be plain text");
            }
            String key = ((ScalarNode) tuple.getKeyNode()).getValue();
            if (!keys.contains(key)) {
                throw error(name, line(tuple.getKeyNode()), "unknown key '" + key + "'; expected one of "
                        + String.join(", ", keys.stream().sorted().toList()));
            }
            out.put(key, tuple.getValueNode());
        }
        return out;
    }

    private static Optional<String> scalar(String name, Map<String, Node> entry, String key) {
        Node value = entry.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof ScalarNode) || ((ScalarNode) value).getValue().isBlank()) {
            throw error(name, line(value), "'" + key + ":' must be non-empty text");
        }
        return Optional.of(((ScalarNode) value).getValue().strip());
    }

    private static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    private static IllegalArgumentException error(String name, int line, String message) {
        return new IllegalArgumentException(name + (line > 0 ? ":" + line : "") + ": " + message);
    }
}
