package io.smtpharness.suite;

import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Composes suite text into a node tree. We use the node level (not the object constructor) because
 * every node keeps its start mark, which is what lets each error name its line.
 */
final class YamlSource {

    /** Suites need no aliases at all (they are refused later); a low cap keeps the composer cheap. */
    private static final int MAX_ALIASES = 20;

    private YamlSource() {
    }

    /** The single document in {@code text}; any YAML error becomes a {@link SuiteException}. */
    static Node compose(String name, String text) {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(name)
                .setUseMarks(true)
                .setAllowDuplicateKeys(false)
                .setAllowRecursiveKeys(false)
                .setMaxAliasesForCollections(MAX_ALIASES)
                .setCodePointLimit(SourceText.MAX_BYTES)
                .build();
        Optional<Node> root;
        try {
            root = new Compose(settings).composeString(text);
        } catch (MarkedYamlEngineException e) {
            throw new SuiteException(name, line(e), "YAML syntax error: " + describe(e), e);
        } catch (YamlEngineException e) {
            throw new SuiteException(name, 0, "YAML error: " + e.getMessage(), e);
        }
        return root.orElseThrow(() -> new SuiteException(name, 0,
                "file holds no YAML document; a suite needs at least 'suite:' and 'cases:'"));
    }

    /** The 1-based line of a node, or 0 when the parser kept no mark. */
    static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    private static int line(MarkedYamlEngineException e) {
        Optional<Mark> mark = e.getProblemMark().isPresent() ? e.getProblemMark() : e.getContextMark();
        return mark.map(m -> m.getLine() + 1).orElse(0);
    }

    // snakeyaml's own message repeats the location with a snippet over several lines; ours is one line
    private static String describe(MarkedYamlEngineException e) {
        String problem = e.getProblem() == null ? "" : e.getProblem();
        String context = e.getContext() == null ? "" : e.getContext();
        String text = context.isEmpty() ? problem : problem.isEmpty() ? context : problem + " (" + context + ")";
        return text.isEmpty() ? String.valueOf(e.getMessage()).lines().findFirst().orElse("") : text;
    }
}
