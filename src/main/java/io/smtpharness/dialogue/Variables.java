package io.smtpharness.dialogue;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code ${name}} variables that suite text may use, fixed per run: {@code helo} (our EHLO
 * name), {@code sender}, {@code recipient} (a mailbox the target accepts), {@code domain} (the
 * recipient's domain). {@code ${repeat:TEXT:N}} expands to TEXT repeated N times, for limit tests.
 * Per session, once an EHLO reply stated a SIZE limit (RFC 1870): {@code ${ehlo.size}} is that limit
 * and {@code ${ehlo.size+N}} / {@code ${ehlo.size-N}} are offsets from it; {@code ${filler:N}} (N a
 * number or one of those size expressions) is message content of exactly N octets once line ends are
 * CRLF: lines of 'x', each at most 78 characters plus CRLF.
 */
public final class Variables {

    /** The names a suite may use. */
    public static final Set<String> NAMES = Set.of("helo", "sender", "recipient", "domain");

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]*)}");
    private static final Pattern REPEAT = Pattern.compile("repeat:(.+):(\\d{1,6})");
    /** {@code ehlo.size}, {@code ehlo.size+N}, {@code ehlo.size-N}: the advertised SIZE limit and offsets. */
    private static final Pattern EHLO_SIZE = Pattern.compile("ehlo\\.size(?:([+-])(\\d{1,9}))?");
    private static final Pattern FILLER = Pattern.compile("filler:(\\d{1,9}|ehlo\\.size(?:[+-]\\d{1,9})?)");
    /** The variable name that holds the advertised SIZE limit, once known. */
    static final String EHLO_SIZE_NAME = "ehlo.size";

    private final Map<String, String> values;

    private Variables(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** Variables for a run; {@code domain} is taken from the recipient. */
    public static Variables of(String helo, String sender, String recipient) {
        Objects.requireNonNull(helo, "helo == null");
        Objects.requireNonNull(sender, "sender == null");
        Objects.requireNonNull(recipient, "recipient == null");
        int at = recipient.lastIndexOf('@');
        String domain = at < 0 ? helo : recipient.substring(at + 1);
        Map<String, String> values = new TreeMap<>();
        values.put("helo", helo);
        values.put("sender", sender);
        values.put("recipient", recipient);
        values.put("domain", domain);
        return new Variables(values);
    }

    /** The defaults: reserved test names only (RFC 2606 / RFC 6761), nothing deliverable outside. */
    public static Variables defaults() {
        return of("client.test", "harness@client.test", "postmaster@test.example");
    }

    /** A copy that knows the SIZE limit the server advertised in this session. */
    public Variables withEhloSize(long limit) {
        Map<String, String> more = new TreeMap<>(values);
        more.put(EHLO_SIZE_NAME, Long.toString(limit));
        return new Variables(more);
    }

    /** True when {@code text} refers to the advertised SIZE limit (an ehlo.size form). */
    public static boolean needsEhloSize(String text) {
        return text.contains("${ehlo.size") || text.contains("${filler:ehlo.size");
    }

    /** The value of one variable. */
    public String get(String name) {
        return values.get(name);
    }

    /** Replaces every reference in {@code text}; an unknown name is left as written. */
    public String expand(String text) {
        if (text.indexOf("${") < 0) {
            return text;
        }
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = resolve(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(replacement == null ? m.group() : replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The problem with a reference, or null when every reference in {@code text} is valid. */
    public static String checkReferences(String text) {
        Matcher m = REFERENCE.matcher(text);
        while (m.find()) {
            String name = m.group(1);
            if (!NAMES.contains(name) && !REPEAT.matcher(name).matches() && !EHLO_SIZE.matcher(name).matches()
                    && !FILLER.matcher(name).matches()) {
                return "unknown variable ${" + name + "}; known: " + new TreeSet<>(NAMES)
                        + ", ${repeat:TEXT:N}, ${ehlo.size}, ${ehlo.size+N}, ${ehlo.size-N} and ${filler:N}";
            }
        }
        return null;
    }

    private String resolve(String name) {
        Matcher repeat = REPEAT.matcher(name);
        if (repeat.matches()) {
            return expand(repeat.group(1)).repeat(Integer.parseInt(repeat.group(2)));
        }
        Matcher size = EHLO_SIZE.matcher(name);
        if (size.matches()) {
            return sizeOf(name);
        }
        Matcher filler = FILLER.matcher(name);
        if (filler.matches()) {
            String octets = filler.group(1).startsWith("ehlo") ? sizeOf(filler.group(1)) : filler.group(1);
            return octets == null ? null : filler(Long.parseLong(octets));
        }
        return values.get(name);
    }

    /** The advertised limit plus or minus an offset, or null while no limit is known. */
    private String sizeOf(String expression) {
        String limit = values.get(EHLO_SIZE_NAME);
        Matcher m = EHLO_SIZE.matcher(expression);
        if (limit == null || !m.matches()) {
            return null;
        }
        long offset = m.group(2) == null ? 0 : Long.parseLong(m.group(2)) * ("-".equals(m.group(1)) ? -1 : 1);
        return Long.toString(Math.max(0, Long.parseLong(limit) + offset));
    }

    /**
     * Content of exactly {@code octets} octets on the wire once each "\n" is sent as CRLF: lines of
     * up to 78 'x' and a line end; an odd remainder of one octet is a last 'x' without a line end.
     */
    static String filler(long octets) {
        if (octets > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("filler too large: " + octets);
        }
        StringBuilder out = new StringBuilder((int) octets);
        long left = octets;
        String line = "x".repeat(78);
        while (left >= 80) {
            out.append(line).append('\n');
            left -= 80;
        }
        if (left >= 2) {
            out.append("x".repeat((int) left - 2)).append('\n');
        } else if (left == 1) {
            out.append('x');
        }
        return out.toString();
    }
}
