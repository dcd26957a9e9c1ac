package io.smtpharness.it;

import io.smtpharness.result.Severity;
import io.smtpharness.testing.RealServer.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The verdicts of every suite on one real server, examined by hand and pinned in
 * {@code src/test/resources/io/smtpharness/it/real-server-verdicts/<Kind.scriptName()>.txt}, read by
 * {@link RealServerConformanceTest}. One pin a line, its fields separated by white space:
 *
 * <pre>
 * failed      suite/case-id  RULE        # the case ended failed; RULE is its first failed finding
 * warning     RULE           COUNT       # COUNT warning cases have RULE as their first warning finding
 * incidental  RULE           SEVERITY    # RunSummary.incidentalFindings() has RULE at warning or failed
 * varies      RULE           warning     # the server's own behaviour makes RULE a first warning in some
 *                                         # runs only (how TCP splits a long line, say): not compared
 * fuzz        KIND           RULE        # RealServerFuzzTest may find a KIND (rule, crash, hang) finding
 *                                         # on RULE: an examined deviation of the server
 * </pre>
 *
 * <p>Incidental findings (made on the way, on a rule the case does not test) never
 * count as a case's first finding. {@code #} at the start of a line or after white space begins a
 * comment that runs to the end of the line; blank lines are ignored. By convention the comments at
 * the top describe the server and its configuration, and a comment above a group of pins gives
 * their reason: what the server did, and whether it is a genuine deviation or an effect of our test
 * configuration.
 *
 * @param failed     {@code suite/case-id} → rule of the case's first failed, non-incidental finding
 * @param warnings   rule → number of warning cases whose first warning (non-incidental) finding it is
 * @param incidental rule → severity of its entry in {@code RunSummary.incidentalFindings()}
 * @param varying    warning rules left out of the comparison: the server varies, not the harness
 * @param fuzz       {@code "KIND RULE"} of each fuzz finding examined and accepted as the server's
 */
record PinnedVerdicts(Map<String, String> failed, Map<String, Long> warnings, Map<String, Severity> incidental,
                      java.util.Set<String> varying, java.util.SortedSet<String> fuzz) {

    /** Where the files are, relative to this class on the class path. */
    static final String RESOURCE_DIR = "real-server-verdicts/";
    private static final java.util.Set<String> FUZZ_KINDS = java.util.Set.of("rule", "crash", "hang");
    /** Where the files are in the source tree, for messages. */
    static final String SOURCE_DIR = "src/test/resources/io/smtpharness/it/" + RESOURCE_DIR;

    PinnedVerdicts {
        failed = sorted(failed);
        warnings = sorted(warnings);
        incidental = sorted(incidental);
        varying = java.util.Set.copyOf(varying);
        fuzz = Collections.unmodifiableSortedSet(new java.util.TreeSet<>(fuzz));
    }

    /** Pins without varying rules or fuzz findings. */
    PinnedVerdicts(Map<String, String> failed, Map<String, Long> warnings, Map<String, Severity> incidental) {
        this(failed, warnings, incidental, java.util.Set.of(), new java.util.TreeSet<>());
    }

    /** The file name of a kind's pins, e.g. {@code postfix.txt}. */
    static String fileName(Kind kind) {
        return kind.scriptName() + ".txt";
    }

    /**
     * The pins of this server, or empty when it has no file (its verdicts are not pinned yet).
     *
     * @throws IllegalArgumentException on a malformed line, naming {@code file:line}
     */
    static Optional<PinnedVerdicts> load(Kind kind) {
        String name = fileName(kind);
        try (InputStream in = PinnedVerdicts.class.getResourceAsStream(RESOURCE_DIR + name)) {
            if (in == null) {
                return Optional.empty();
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Optional.of(parse(SOURCE_DIR + name, text.lines().toList()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SOURCE_DIR + name, e);
        }
    }

    /**
     * The pins in {@code lines}.
     *
     * @param source what to call the file in messages
     * @throws IllegalArgumentException on a malformed line, as {@code source:line: what is wrong: the line}
     */
    static PinnedVerdicts parse(String source, List<String> lines) {
        Map<String, String> failed = new HashMap<>();
        Map<String, Long> warnings = new HashMap<>();
        Map<String, Severity> incidental = new HashMap<>();
        java.util.Set<String> varying = new java.util.HashSet<>();
        java.util.SortedSet<String> fuzz = new java.util.TreeSet<>();
        Map<String, Integer> firstLine = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int number = i + 1;
            String line = lines.get(i);
            String content = withoutComment(line).strip();
            if (content.isEmpty()) {
                continue;
            }
            String[] fields = content.split("\\s+");
            Function<String, IllegalArgumentException> error =
                    problem -> new IllegalArgumentException(source + ":" + number + ": " + problem + ": " + line);
            if (fields.length != 3) {
                throw error.apply("expected 3 fields (failed suite/case RULE, warning RULE COUNT or incidental"
                        + " RULE SEVERITY), found " + fields.length);
            }
            String kind = fields[0];
            String key = fields[1];
            String pin = kind.equals("fuzz") ? content.replaceAll("\\s+", " ") : kind + " " + key;
            Integer earlier = firstLine.putIfAbsent(pin, number);
            if (earlier != null) {
                throw error.apply(pin + " is pinned twice (first at line " + earlier + ")");
            }
            switch (kind) {
                case "failed" -> {
                    if (key.indexOf('/') <= 0 || key.endsWith("/")) {
                        throw error.apply("expected suite/case-id, found '" + key + "'");
                    }
                    failed.put(key, fields[2]);
                }
                case "warning" -> warnings.put(key, count(fields[2], error));
                case "incidental" -> incidental.put(key, severity(fields[2], error));
                case "varies" -> {
                    if (!fields[2].equals("warning")) {
                        throw error.apply("a varying pin is a warning rule, found '" + fields[2] + "'");
                    }
                    varying.add(key);
                }
                case "fuzz" -> {
                    if (!FUZZ_KINDS.contains(key)) {
                        throw error.apply("a fuzz pin's kind is rule, crash or hang, found '" + key + "'");
                    }
                    fuzz.add(key + " " + fields[2]);
                }
                default -> throw error.apply("unknown pin '" + kind + "' (failed, warning, incidental, varies or fuzz)");
            }
        }
        return new PinnedVerdicts(failed, warnings, incidental, varying, fuzz);
    }

    /** {@code failed} lines for these cases, aligned, ready to paste into a file. */
    static String failedLines(Map<String, String> failed) {
        return lines("failed", failed, Function.identity());
    }

    /** {@code warning} lines for these counts, aligned, ready to paste into a file. */
    static String warningLines(Map<String, Long> warnings) {
        return lines("warning", warnings, String::valueOf);
    }

    /** {@code fuzz} lines for these {@code "KIND RULE"} findings, ready to paste into a file. */
    static String fuzzLines(java.util.Collection<String> findings) {
        return findings.isEmpty() ? "(no fuzz lines)" : new java.util.TreeSet<>(findings).stream()
                .map(f -> String.format("%-12s%-7s%s", "fuzz", f.split(" ")[0], f.split(" ")[1]))
                .collect(Collectors.joining("\n"));
    }

    /** {@code incidental} lines for these rules, aligned, ready to paste into a file. */
    static String incidentalLines(Map<String, Severity> incidental) {
        return lines("incidental", incidental, PinnedVerdicts::label);
    }

    /** How the files write a severity: {@code warning}, {@code failed}. */
    static String label(Severity severity) {
        return severity.name().toLowerCase(Locale.ROOT);
    }

    private static <V> String lines(String kind, Map<String, V> map, Function<V, String> value) {
        if (map.isEmpty()) {
            return "(no " + kind + " lines)";
        }
        int width = map.keySet().stream().mapToInt(String::length).max().orElse(0);
        return new TreeMap<>(map).entrySet().stream()
                .map(e -> String.format("%-12s%-" + width + "s  %s", kind, e.getKey(), value.apply(e.getValue())))
                .collect(Collectors.joining("\n"));
    }

    private static String withoutComment(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static long count(String field, Function<String, IllegalArgumentException> error) {
        try {
            long n = Long.parseLong(field);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error.apply("expected a count of cases (a positive number), found '" + field + "'");
    }

    private static Severity severity(String field, Function<String, IllegalArgumentException> error) {
        for (Severity s : List.of(Severity.WARNING, Severity.FAILED)) {
            if (label(s).equals(field)) {
                return s;
            }
        }
        throw error.apply("expected severity warning or failed, found '" + field + "'");
    }

    private static <V> SortedMap<String, V> sorted(Map<String, V> map) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(map));
    }
}
