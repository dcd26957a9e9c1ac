package io.smtpharness.suite;

import io.smtpharness.dialogue.Dialogue;
import io.smtpharness.dialogue.Step;
import io.smtpharness.rules.RuleCatalog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads the text of one suite file into its cases; the format is described in test-suites/README.md. */
final class SuiteReader {

    private static final List<String> SUITE_KEYS = List.of("suite", "title", "tags", "cases");
    private static final List<String> CASE_KEYS = List.of("id", "title", "rules", "level", "requires", "unless", "tags",
            "steps");
    private static final List<String> LEVELS = List.of("MUST", "SHOULD", "MAY");

    /** One file's suite: its name and the line it is declared on (for cross-file duplicate errors). */
    record ParsedSuite(String name, int line, List<Dialogue> cases) {
    }

    private final NodeReader reader;
    private final StepReader steps;

    private SuiteReader(String file, RuleCatalog catalog) {
        this.reader = new NodeReader(file);
        this.steps = new StepReader(reader, catalog);
    }

    /** Decodes, composes and checks one file; every problem is a {@link SuiteException}. */
    static ParsedSuite read(String file, byte[] content, RuleCatalog catalog) {
        String text = SourceText.decode(file, content);
        Node root = YamlSource.compose(file, text);
        return new SuiteReader(file, catalog).suite(root);
    }

    private ParsedSuite suite(Node root) {
        Map<String, Node> keys = reader.mapping(root, "the suite file", SUITE_KEYS);
        Node nameNode = reader.require(keys, "suite", root, "the suite file");
        String name = reader.identifier(nameNode, "suite");
        if (keys.containsKey("title")) {
            reader.text(keys.get("title"), "title"); // checked for type; the suite title is for readers only
        }
        List<String> suiteTags = keys.containsKey("tags") ? tags(keys.get("tags")) : List.of();
        Node casesNode = reader.require(keys, "cases", root, "the suite file");
        List<Node> items = reader.list(casesNode, "cases");
        if (items.isEmpty()) {
            throw reader.fail(casesNode, "cases must list at least one case");
        }
        Map<String, Integer> seen = new HashMap<>();
        List<Dialogue> cases = new ArrayList<>();
        for (Node item : items) {
            Dialogue dialogue = dialogue(name, suiteTags, item);
            Integer first = seen.putIfAbsent(dialogue.id(), YamlSource.line(item));
            if (first != null) {
                throw reader.fail(item, "duplicate case id '" + dialogue.id() + "' in suite '" + name
                        + "' (first defined on line " + first + ")");
            }
            cases.add(dialogue);
        }
        return new ParsedSuite(name, YamlSource.line(nameNode), cases);
    }

    private Dialogue dialogue(String suite, List<String> suiteTags, Node item) {
        Map<String, Node> keys = reader.mapping(item, "a case", CASE_KEYS);
        String id = reader.identifier(reader.require(keys, "id", item, "a case"), "case id");
        String what = "case '" + id + "'";
        String title = reader.text(reader.require(keys, "title", item, what), "title");
        List<String> rules = rules(reader.require(keys, "rules", item, what));
        Optional<String> level = keys.containsKey("level") ? Optional.of(level(keys.get("level"))) : Optional.empty();
        List<String> requires = keys.containsKey("requires") ? keywords(keys.get("requires"), "requires") : List.of();
        List<String> unless = keys.containsKey("unless") ? keywords(keys.get("unless"), "unless") : List.of();
        Set<String> tags = new LinkedHashSet<>(suiteTags);
        if (keys.containsKey("tags")) {
            tags.addAll(tags(keys.get("tags")));
        }
        Node stepsNode = reader.require(keys, "steps", item, what);
        List<Node> stepItems = reader.list(stepsNode, "steps");
        if (stepItems.isEmpty()) {
            throw reader.fail(stepsNode, "steps of " + what + " must list at least one step");
        }
        List<Step> out = new ArrayList<>();
        for (Node stepItem : stepItems) {
            out.addAll(steps.read(stepItem));
        }
        return new Dialogue(suite, id, title, rules, List.copyOf(tags), level, requires, unless, out,
                reader.origin(item));
    }

    private List<String> rules(Node node) {
        List<Node> items = reader.list(node, "rules");
        if (items.isEmpty()) {
            throw reader.fail(node, "rules must name at least one rule ID");
        }
        Set<String> ids = new LinkedHashSet<>();
        for (Node item : items) {
            ids.add(steps.ruleId(item, "rules"));
        }
        return List.copyOf(ids);
    }

    private String level(Node node) {
        String level = reader.text(node, "level");
        if (!LEVELS.contains(level)) {
            throw reader.fail(node, "level '" + level + "' must be MUST, SHOULD or MAY (a mismatch then only notes)");
        }
        return level;
    }

    /** EHLO keywords: ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-") (RFC 5321 §4.1.1.1). */
    private List<String> keywords(Node node, String key) {
        Set<String> keywords = new LinkedHashSet<>();
        for (Node item : reader.list(node, key)) {
            String keyword = reader.text(item, "an EHLO keyword");
            if (!keyword.matches("[A-Za-z0-9][A-Za-z0-9-]*")) {
                throw reader.fail(item, "'" + keyword + "' is not an EHLO keyword (letters, digits and '-')");
            }
            keywords.add(keyword.toUpperCase(java.util.Locale.ROOT));
        }
        return List.copyOf(keywords);
    }

    // tags end up in --tags on a command line, so keep them to one plain word each
    private List<String> tags(Node node) {
        List<String> tags = new ArrayList<>();
        for (Node item : reader.list(node, "tags")) {
            String tag = reader.text(item, "a tag");
            if (!tag.matches("[A-Za-z0-9._-]+")) {
                throw reader.fail(item, "tag '" + tag + "' may only use letters, digits, '.', '_' and '-'");
            }
            tags.add(tag);
        }
        return tags;
    }
}
