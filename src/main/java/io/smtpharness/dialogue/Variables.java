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
 */
public final class Variables {

    /** The names a suite may use. */
    public static final Set<String> NAMES = Set.of("helo", "sender", "recipient", "domain");

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]*)}");
    private static final Pattern REPEAT = Pattern.compile("repeat:(.+):(\\d{1,6})");

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
            if (!NAMES.contains(name) && !REPEAT.matcher(name).matches()) {
                return "unknown variable ${" + name + "}; known: " + new TreeSet<>(NAMES)
                        + " and ${repeat:TEXT:N}";
            }
        }
        return null;
    }

    private String resolve(String name) {
        Matcher repeat = REPEAT.matcher(name);
        if (repeat.matches()) {
            return expand(repeat.group(1)).repeat(Integer.parseInt(repeat.group(2)));
        }
        return values.get(name);
    }
}
