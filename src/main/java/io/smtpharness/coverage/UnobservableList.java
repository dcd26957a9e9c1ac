package io.smtpharness.coverage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules a client cannot observe, each with its reason: {@code unobservable.tsv}, next to
 * RFC-RULES.md in the {@code rules} resources. One rule per line, {@code ID<TAB>reason}; lines
 * starting with {@code #} and blank lines are skipped. Malformed lines do not throw: they are kept
 * as {@link #problems()} so that {@code rules --check} can report every one of them.
 */
public final class UnobservableList {

    /** Where the list shipped with this version lives on the class path. */
    public static final String RESOURCE = "/io/smtpharness/rules/unobservable.tsv";
    private static final Pattern ID = Pattern.compile("\\d{4}-[0-9.]+-[A-Z0-9-]+|G-\\d{2}b?");

    /** One listed rule. */
    public record Entry(String ruleId, String reason, String origin) {
        public Entry {
            Objects.requireNonNull(ruleId, "ruleId == null");
            Objects.requireNonNull(reason, "reason == null");
            Objects.requireNonNull(origin, "origin == null");
        }
    }

    private final Map<String, Entry> entries;
    private final List<String> problems;

    private UnobservableList(Map<String, Entry> entries, List<String> problems) {
        this.entries = Collections.unmodifiableMap(entries);
        this.problems = List.copyOf(problems);
    }

    /** The list shipped with this version. */
    public static UnobservableList standard() {
        try (InputStream in = UnobservableList.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return new UnobservableList(Map.of(), List.of(RESOURCE + " missing from the class path"));
            }
            return parse("unobservable.tsv", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads list text; {@code name} prefixes the {@code name:line} of problems and origins. */
    public static UnobservableList parse(String name, String text) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String origin = name + ":" + (i + 1);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int tab = line.indexOf('\t');
            if (tab < 0) {
                problems.add(origin + ": expected <rule ID><TAB><reason>, got '" + line + "'");
                continue;
            }
            String id = line.substring(0, tab).trim();
            String reason = line.substring(tab + 1).trim();
            if (!ID.matcher(id).matches()) {
                problems.add(origin + ": '" + id + "' is not a rule ID");
            } else if (reason.isEmpty()) {
                problems.add(origin + ": " + id + " has no reason");
            } else if (entries.containsKey(id)) {
                problems.add(origin + ": " + id + " is listed twice (first at " + entries.get(id).origin() + ")");
            } else {
                entries.put(id, new Entry(id, reason, origin));
            }
        }
        return new UnobservableList(entries, problems);
    }

    /** The well-formed entries, in file order. */
    public List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    /** The entry for {@code ruleId}, if listed. */
    public Optional<Entry> find(String ruleId) {
        return Optional.ofNullable(entries.get(ruleId));
    }

    /** Malformed lines, as {@code name:line: what is wrong}; empty when the file is valid. */
    public List<String> problems() {
        return problems;
    }
}
