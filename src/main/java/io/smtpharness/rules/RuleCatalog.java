package io.smtpharness.rules;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rule catalogue, read from the copy of RFC-RULES.md packed with the tool, so that the
 * document people read and the IDs the code cites cannot drift apart. Table rows whose first cell
 * is an ID become rules; the §1.16 state cells are IDs of the form
 * {@code 5321-4.1.4-STATE:<STATE>:<COMMAND>} and are known without a row.
 */
public final class RuleCatalog {

    private static final Pattern RULE_ID = Pattern.compile("\\d{4}-(?:[0-9.]+|GZ)-[A-Z0-9-]+|G-\\d{2}b?");
    private static final String CELL_PREFIX = "5321-4.1.4-STATE:";
    private static final Pattern STATE_CELL = Pattern.compile("5321-4\\.1\\.4-STATE:[A-Z]+:[A-Z.-]+");
    private static final String RESOURCE = "RFC-RULES.md";
    private static final RuleCatalog STANDARD = load();

    private final Map<String, Rule> rules;

    private RuleCatalog(Map<String, Rule> rules) {
        this.rules = Collections.unmodifiableMap(rules);
    }

    /** The catalogue shipped with this version. */
    public static RuleCatalog standard() {
        return STANDARD;
    }

    /** Every rule in document order. */
    public Collection<Rule> all() {
        return rules.values();
    }

    /** The rule with this ID; state cells resolve to a synthetic MUST rule of §4.1.4. */
    public Optional<Rule> find(String id) {
        Rule rule = rules.get(id);
        if (rule == null && STATE_CELL.matcher(id).matches()) {
            rule = new Rule(id, Level.MUST, "state table cell " + id.substring(CELL_PREFIX.length()),
                    "§4.1.4", "5321");
        }
        return Optional.ofNullable(rule);
    }

    /** The ID of the state-table cell of {@code kind} in {@code state}, e.g. {@code 5321-4.1.4-STATE:GREETED:VRFY}. */
    static String stateCell(SessionState state, CommandKind kind) {
        return CELL_PREFIX + state + ":" + kind;
    }

    /** True when {@code id} names a catalogue row or a state cell. */
    public boolean isKnown(String id) {
        return find(id).isPresent();
    }

    /** The rule, or an exception naming the ID: for IDs the code itself cites. */
    public Rule require(String id) {
        return find(id).orElseThrow(() -> new IllegalArgumentException("rule " + id + " is not in the catalogue"));
    }

    /**
     * A catalogue read from markdown text in the format of RFC-RULES.md: for tests and tools that
     * check a catalogue other than the shipped one.
     */
    public static RuleCatalog parse(String markdown) {
        try {
            return parse(new BufferedReader(new StringReader(markdown)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RuleCatalog load() {
        try (InputStream in = RuleCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " missing from the class path");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RuleCatalog parse(BufferedReader reader) throws IOException {
        Map<String, Rule> rules = new LinkedHashMap<>();
        String line;
        while ((line = reader.readLine()) != null) {
            if (!line.startsWith("| ")) {
                continue;
            }
            String[] cells = line.substring(1).split("\\s\\|\\s?", -1);
            String id = cells[0].trim();
            if (!RULE_ID.matcher(id).matches() || cells.length < 4) {
                continue;
            }
            Rule rule = toRule(id, cells);
            if (rules.putIfAbsent(id, rule) != null) {
                throw new IllegalStateException("duplicate rule ID " + id + " in " + RESOURCE);
            }
        }
        return new RuleCatalog(rules);
    }

    private static Rule toRule(String id, String[] cells) {
        if (id.startsWith("G-") || id.contains("-GZ-")) {
            // | G-xx | Topic | Accepted behaviours | Verdict |
            boolean catalogueGray = id.startsWith("G-");
            return new Rule(id, Level.GRAY, cells[catalogueGray ? 1 : 2].trim(), "gray zone",
                    catalogueGray ? "gray" : id.substring(0, 4), cells[3].trim());
        }
        String rfc = id.substring(0, 4);
        String section = "§" + id.substring(5, id.indexOf('-', 5));
        if (id.startsWith("5321-4.3.2-") && id.endsWith("-CODES")) {
            // | ID | Command | S | I | E |: the reply-code table of §4.3.2
            return new Rule(id, Level.MUST, "allowed replies to " + cells[1].trim() + " (§4.3.2 table)", section, rfc);
        }
        return new Rule(id, Level.parse(cells[1]), cells[2].trim(), section, rfc, cells[3].trim());
    }
}
