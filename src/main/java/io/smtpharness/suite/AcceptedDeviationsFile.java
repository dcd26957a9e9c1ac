package io.smtpharness.suite;

import io.smtpharness.result.Baseline;
import io.smtpharness.result.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads a file of accepted deviations, hand-written YAML like the suites and held to the same strict
 * reading (every error names the file and line, as a {@link SuiteException}):
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
 */
public final class AcceptedDeviationsFile {

    private static final List<String> KEYS = List.of("rule", "case", "level", "reason");

    private AcceptedDeviationsFile() {
    }

    /** The accepted deviations in {@code file}; bounded like a suite file. */
    public static List<Baseline.Accepted> read(Path file) throws IOException {
        String name = file.toString();
        if (Files.size(file) > SourceText.MAX_BYTES) {
            throw SourceText.tooLarge(name);
        }
        byte[] bytes = Files.readAllBytes(file);
        NodeReader reader = new NodeReader(name);
        Node root = YamlSource.compose(name, SourceText.decode(name, bytes));
        Node list = reader.require(reader.mapping(root, "the file", List.of("accepted")), "accepted", root, "the file");
        List<Baseline.Accepted> out = new ArrayList<>();
        for (Node item : reader.list(list, "'accepted:'")) {
            Map<String, Node> entry = reader.mapping(item, "an accepted deviation", KEYS);
            String rule = optional(reader, entry, "rule").orElseThrow(() -> reader.fail(item, "'rule:' is missing"));
            String reason = optional(reader, entry, "reason")
                    .orElseThrow(() -> reader.fail(item, "'reason:' is missing; say why the deviation is accepted"));
            Optional<Status> level = optional(reader, entry, "level").map(l -> switch (l.toLowerCase(Locale.ROOT)) {
                case "failed" -> Status.FAILED;
                case "warning" -> Status.WARNING;
                default -> throw reader.fail(entry.get("level"), "level '" + l + "': expected failed or warning");
            });
            out.add(new Baseline.Accepted(rule, optional(reader, entry, "case"), level, reason));
        }
        return out;
    }

    private static Optional<String> optional(NodeReader reader, Map<String, Node> entry, String key) {
        Node value = entry.get(key);
        return value == null ? Optional.empty() : Optional.of(reader.text(value, "'" + key + ":'").strip());
    }
}
