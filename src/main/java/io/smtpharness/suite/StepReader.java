package io.smtpharness.suite;

import io.smtpharness.dialogue.ReplyMatcher;
import io.smtpharness.dialogue.Step;
import io.smtpharness.dialogue.Variables;
import io.smtpharness.protocol.Command;
import io.smtpharness.rules.RuleCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/** Reads one item of a case's {@code steps:} list into the {@link Step}s it stands for. */
final class StepReader {

    /** Keys that say what a step does; an item has exactly one (expect alone also counts). */
    private static final List<String> ACTIONS = List.of("send", "send-raw", "data", "expect-none", "expect-close",
            "expect-greeting", "pause", "concurrent", "starttls-inject", "auth");
    private static final List<String> KEYS = List.of("send", "send-raw", "data", "expect", "expect-none",
            "expect-close", "expect-greeting", "pause", "concurrent", "starttls-inject", "auth", "password", "rule");
    /** The SASL mechanisms an auth step can run (RFC 4954 §4). */
    private static final List<String> MECHANISMS = List.of("PLAIN", "LOGIN", "CRAM-MD5");
    /** More parallel connections than this would make a conformance case a load test. */
    private static final int MAX_CONCURRENT = 10;

    private final NodeReader reader;
    private final RuleCatalog catalog;

    StepReader(NodeReader reader, RuleCatalog catalog) {
        this.reader = reader;
        this.catalog = catalog;
    }

    /** The steps one item stands for: a send with its expect is two steps. */
    List<Step> read(Node item) {
        String origin = reader.origin(item);
        if (item instanceof ScalarNode && !NodeReader.isNull(item)) {
            String word = ((ScalarNode) item).getValue();
            if ("starttls".equals(word)) {
                return List.of(new Step.StartTls(Optional.empty(), origin));
            }
            if (!"close".equals(word)) {
                throw reader.fail(item, "unknown step '" + word + "'; the plain-word steps are 'close' and 'starttls'"
                        + " (did you mean '- send: " + word + "'?)");
            }
            return List.of(new Step.Close(origin));
        }
        refuseCloseKey(item);
        Map<String, Node> keys = reader.mapping(item, "a step", KEYS);
        String action = action(item, keys);
        Optional<String> rule = keys.containsKey("rule")
                ? Optional.of(ruleId(keys.get("rule"), "rule")) : Optional.empty();
        Node value = keys.get(action);
        List<Step> steps = new ArrayList<>(2);
        switch (action) {
            case "send":
                steps.add(new Step.Send(commandLine(value), origin));
                steps.add(expect(keys, rule, origin));
                break;
            case "send-raw":
                steps.add(new Step.SendRaw(withVariables(value, reader.text(value, "send-raw")), origin));
                if (keys.containsKey("expect")) {
                    steps.add(expect(keys, rule, origin));
                } else if (rule.isPresent()) {
                    // send-raw reads nothing by itself, so a rule there would never be cited
                    throw reader.fail(keys.get("rule"), "'rule' on a send-raw step needs an 'expect' on the same step");
                }
                break;
            case "data":
                steps.add(new Step.SendData(withVariables(value, content(value)), origin));
                steps.add(expect(keys, rule, origin));
                break;
            case "expect":
                steps.add(expect(keys, rule, origin));
                break;
            case "expect-none":
                steps.add(new Step.ExpectNoReply(duration(value, action), rule, origin));
                break;
            case "expect-close":
                steps.add(new Step.ExpectClose(duration(value, action), rule, origin));
                break;
            case "expect-greeting":
                steps.add(new Step.ExpectGreeting(duration(value, action), rule, origin));
                break;
            case "concurrent":
                steps.add(new Step.Concurrent(connections(value), rule, origin));
                break;
            case "starttls-inject":
                if (rule.isPresent()) {
                    throw reader.fail(keys.get("rule"), "'rule' does not apply to starttls-inject: it always cites"
                            + " 3207-4.2-NO-INJECTION");
                }
                steps.add(new Step.StartTls(Optional.of(withVariables(value, reader.text(value, action))), origin));
                break;
            case "auth":
                steps.add(auth(keys, rule, origin));
                break;
            default: // pause
                if (rule.isPresent()) {
                    throw reader.fail(keys.get("rule"), "'rule' does not apply to a pause step");
                }
                steps.add(new Step.Pause(duration(value, action), origin));
        }
        return steps;
    }

    /** {@code auth: MECHANISM}, optionally {@code password: wrong}, {@code expect} (default 235), {@code rule}. */
    private Step.Auth auth(Map<String, Node> keys, Optional<String> rule, String origin) {
        Node node = keys.get("auth");
        String mechanism = reader.text(node, "auth");
        if (!MECHANISMS.contains(mechanism.toUpperCase(Locale.ROOT))) {
            throw reader.fail(node, "auth takes one of " + String.join(", ", MECHANISMS) + " (any case), not '"
                    + mechanism + "'; other mechanisms can be sent with send");
        }
        boolean wrong = false;
        if (keys.containsKey("password")) {
            String password = reader.text(keys.get("password"), "password");
            if (!password.equals("wrong")) {
                throw reader.fail(keys.get("password"), "password: takes only 'wrong' (a password that surely fails);"
                        + " the real one comes from the command line, never from a suite file");
            }
            wrong = true;
        }
        ReplyMatcher matcher = keys.containsKey("expect") ? matcher(keys.get("expect")) : new ReplyMatcher(List.of("235"));
        return new Step.Auth(mechanism, wrong, matcher, rule, origin);
    }

    private int connections(Node node) {
        String text = reader.text(node, "concurrent");
        if (!text.matches("\\d{1,2}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > MAX_CONCURRENT) {
            throw reader.fail(node, "concurrent takes a number of connections from 1 to " + MAX_CONCURRENT
                    + ", not '" + text + "'");
        }
        return Integer.parseInt(text);
    }

    /** A rule ID that must be in the catalogue. */
    String ruleId(Node node, String what) {
        String id = reader.text(node, what);
        if (!catalog.isKnown(id)) {
            throw reader.fail(node, "unknown rule ID '" + id + "' in " + what + "; rule IDs are listed by the"
                    + " 'rules' command (RFC-RULES.md)");
        }
        return id;
    }

    private String action(Node item, Map<String, Node> keys) {
        List<String> present = new ArrayList<>();
        for (String key : ACTIONS) {
            if (keys.containsKey(key)) {
                present.add(key);
            }
        }
        if (present.size() > 1) {
            throw reader.fail(item, "a step has one action, but this one has '" + present.get(0) + "' and '"
                    + present.get(1) + "'; split it into two steps");
        }
        if (present.isEmpty()) {
            if (keys.containsKey("expect")) {
                return "expect";
            }
            throw reader.fail(item, "a step needs one of " + String.join(", ", ACTIONS)
                    + ", expect, or a plain step (close, starttls)");
        }
        String action = present.get(0);
        if (keys.containsKey("password") && !action.equals("auth")) {
            throw reader.fail(keys.get("password"), "'password' goes only with 'auth'");
        }
        boolean takesExpect = action.equals("send") || action.equals("send-raw") || action.equals("data")
                || action.equals("auth");
        if (!takesExpect && keys.containsKey("expect")) {
            throw reader.fail(item, "'expect' cannot go with '" + action + "' in one step; use two steps");
        }
        return action;
    }

    private Step.Expect expect(Map<String, Node> keys, Optional<String> rule, String origin) {
        Node node = keys.get("expect");
        ReplyMatcher matcher = node == null ? ReplyMatcher.ANY : matcher(node);
        return new Step.Expect(matcher, rule, origin);
    }

    private ReplyMatcher matcher(Node node) {
        List<Node> items = node instanceof SequenceNode ? reader.list(node, "expect") : List.of(node);
        if (items.isEmpty()) {
            throw reader.fail(node, "expect needs at least one reply code");
        }
        List<String> patterns = new ArrayList<>();
        for (Node item : items) {
            String pattern = reader.text(item, "expect").toLowerCase(Locale.ROOT);
            if (!ReplyMatcher.isValidPattern(pattern)) {
                throw reader.fail(item, "'" + pattern + "' is not a reply code pattern; write a code (250),"
                        + " a class (2xx), a pattern (55x) or a list of them [250, 251]");
            }
            patterns.add(pattern);
        }
        return new ReplyMatcher(patterns);
    }

    private String commandLine(Node node) {
        String line = withVariables(node, reader.text(node, "send"));
        if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
            throw reader.fail(node, "send takes one command line without CR or LF; use send-raw for exact octets");
        }
        try {
            Command.parse(line);
        } catch (IllegalArgumentException e) {
            throw reader.fail(node, "send: '" + line + "' is not a command line: " + e.getMessage());
        }
        return line;
    }

    // an empty message is a fair test, so data (unlike the other texts) may be ""
    private String content(Node node) {
        if (node instanceof ScalarNode && !NodeReader.isNull(node) && ((ScalarNode) node).getValue().isEmpty()) {
            return "";
        }
        return reader.text(node, "data");
    }

    private String withVariables(Node node, String text) {
        String problem = Variables.checkReferences(text);
        if (problem != null) {
            throw reader.fail(node, problem);
        }
        return text;
    }

    private Duration duration(Node node, String key) {
        String text = reader.text(node, key);
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw reader.fail(node, key + ": " + e.getMessage());
        }
    }

    private void refuseCloseKey(Node item) {
        if (item instanceof MappingNode) {
            for (NodeTuple tuple : ((MappingNode) item).getValue()) {
                Node key = tuple.getKeyNode();
                if (key instanceof ScalarNode && "close".equals(((ScalarNode) key).getValue())) {
                    throw reader.fail(key, "close is a plain step: write '- close' with no colon");
                }
                if (key instanceof ScalarNode && "starttls".equals(((ScalarNode) key).getValue())) {
                    throw reader.fail(key, "starttls is a plain step: write '- starttls' with no colon"
                            + " (or 'starttls-inject: TEXT' for the injection probe)");
                }
            }
        }
    }
}
