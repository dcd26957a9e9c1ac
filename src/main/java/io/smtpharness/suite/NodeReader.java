package io.smtpharness.suite;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/** Strict, typed access to the nodes of one file; every failure names the file and the node's line. */
final class NodeReader {

    private final String file;

    NodeReader(String file) {
        this.file = file;
    }

    /** The file name errors carry. */
    String file() {
        return file;
    }

    /** An error at {@code node}'s line. */
    SuiteException fail(Node node, String problem) {
        return new SuiteException(file, YamlSource.line(node), problem);
    }

    /** {@code file:line} of a node, the origin format of steps and cases. */
    String origin(Node node) {
        return file + ":" + YamlSource.line(node);
    }

    /**
     * The entries of a mapping, in file order. Refuses non-text keys, repeated keys (snakeyaml only
     * checks those when constructing objects, and we stop at nodes) and keys outside {@code allowed} (listed in
     * the message in the given order).
     */
    Map<String, Node> mapping(Node node, String what, List<String> allowed) {
        refuseAnchor(node);
        if (!(node instanceof MappingNode)) {
            throw fail(node, what + " must be a mapping of keys to values, not " + kind(node));
        }
        Map<String, Node> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : ((MappingNode) node).getValue()) {
            Node keyNode = tuple.getKeyNode();
            refuseAnchor(keyNode);
            if (!(keyNode instanceof ScalarNode)) {
                throw fail(keyNode, "a key in " + what + " must be plain text, not " + kind(keyNode));
            }
            String key = ((ScalarNode) keyNode).getValue();
            if (!allowed.contains(key)) {
                throw fail(keyNode, "unknown key '" + key + "' in " + what + "; allowed keys: " + String.join(", ", allowed));
            }
            if (entries.putIfAbsent(key, tuple.getValueNode()) != null) {
                throw fail(keyNode, "duplicate key '" + key + "' in " + what);
            }
        }
        return entries;
    }

    /** A required entry of a mapping read by {@link #mapping}. */
    Node require(Map<String, Node> entries, String key, Node owner, String what) {
        Node value = entries.get(key);
        if (value == null) {
            throw fail(owner, what + " is missing the required key '" + key + "'");
        }
        return value;
    }

    /** A scalar as text; null, empty, lists and mappings are refused. */
    String text(Node node, String what) {
        refuseAnchor(node);
        if (!(node instanceof ScalarNode)) {
            throw fail(node, what + " must be a single value, not " + kind(node));
        }
        ScalarNode scalar = (ScalarNode) node;
        if (isNull(scalar) || scalar.getValue().isEmpty()) {
            throw fail(node, what + " needs a value");
        }
        return scalar.getValue();
    }

    /** A sequence's items; a scalar or mapping where a list belongs is refused. */
    List<Node> list(Node node, String what) {
        refuseAnchor(node);
        if (!(node instanceof SequenceNode)) {
            throw fail(node, what + " must be a list (e.g. [a, b] or '- a' lines), not " + kind(node));
        }
        return ((SequenceNode) node).getValue();
    }

    /** A list of texts. */
    List<String> texts(Node node, String what) {
        List<String> out = new ArrayList<>();
        for (Node item : list(node, what)) {
            out.add(text(item, "each entry of " + what));
        }
        return out;
    }

    /** A text matching {@code [a-z0-9-]+}: suite names and case ids, used in reports and file names. */
    String identifier(Node node, String what) {
        String value = text(node, what);
        if (!value.matches("[a-z0-9-]+")) {
            throw fail(node, what + " '" + value + "' may only use a-z, 0-9 and '-'");
        }
        return value;
    }

    /** True for an empty or {@code null} plain value (a key written with nothing after the colon). */
    static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag())
                && ((ScalarNode) node).isPlain();
    }

    // An alias is the same node reached twice; walking it would expand it, which is how alias bombs
    // blow up. Suites have no use for anchors, so refusing them outright is the simplest bound.
    private void refuseAnchor(Node node) {
        if (node.getAnchor().isPresent()) {
            throw fail(node, "YAML anchors and aliases (&" + node.getAnchor().get().getValue()
                    + ") are not supported in suite files; write the value out");
        }
    }

    /** How a node looks, for "must be X, not Y" messages. */
    static String kind(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return isNull(node) ? "an empty value" : "the value '" + ((ScalarNode) node).getValue() + "'";
    }
}
