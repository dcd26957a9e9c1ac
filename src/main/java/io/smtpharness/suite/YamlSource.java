package io.smtpharness.suite;

import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
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
                // accepted here only so NodeReader can refuse them with a line number
                .setAllowNonScalarKeys(true)
                .setMaxAliasesForCollections(MAX_ALIASES)
                .setCodePointLimit(SourceText.MAX_BYTES)
                .build();
        Optional<Node> root;
        try {
            root = new Compose(settings).composeString(text);
        } catch (MarkedYamlEngineException e) {
            throw new SuiteException(name, line(e), "YAML syntax error: " + describe(e), e);
        } catch (ReaderException e) {
            // a character YAML forbids (NUL, most C0 controls): the position is a code point index
            throw new SuiteException(name, lineAt(text, e.getPosition()), String.format(
                    "character U+%04X is not allowed in a YAML file; write it as an escape (\\x%02x) in a"
                            + " double-quoted string", e.getCodePoint(), e.getCodePoint() & 0xff), e);
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

    private static int lineAt(String text, int codePointIndex) {
        int line = 1;
        int[] codePoints = text.codePoints().limit(Math.max(0, codePointIndex)).toArray();
        for (int cp : codePoints) {
            if (cp == '\n') {
                line++;
            }
        }
        return line;
    }

    private static int line(MarkedYamlEngineException e) {
        Optional<Mark> mark = e.getProblemMark().isPresent() ? e.getProblemMark() : e.getContextMark();
        return mark.map(m -> m.getLine() + 1).orElse(0);
    }

    // snakeyaml's own message repeats the location with a snippet over several lines; ours is one line
    private static String describe(MarkedYamlEngineException e) {
        String problem = e.getProblem() == null ? "" : e.getProblem();
        String context = e.getContext() == null ? "" : e.getContext();
        String text = context.isEmpty() ? problem : problem.isEmpty() ? context
                : problem.startsWith("but ") ? context + ", " + problem : problem + " (" + context + ")";
        return text.isEmpty() ? String.valueOf(e.getMessage()).lines().findFirst().orElse("") : text;
    }
}
