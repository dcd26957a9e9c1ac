package io.smtpharness.suite;

import io.smtpharness.dialogue.Dialogue;
import io.smtpharness.dialogue.ReplyMatcher;
import io.smtpharness.dialogue.Step;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Writes dialogues back out as suite YAML that {@link SuiteLoader} reads into the same steps (fuzz
 * findings, so that {@code run --suite findings/ID.yaml} replays them). The inverse of the loader
 * up to origins ({@code file:line}), which the written file gives anew.
 *
 * <p>Every text is a YAML double-quoted scalar: octets outside printable ASCII are written as
 * {@code \xNN} escapes (NUL, bare CR and LF, 8-bit octets), chars above U+00FF as {@code \\uXXXX}, so
 * the file is plain ASCII and a raw send survives octet for octet. A {@code ${...}} reference is kept
 * as written: it is a variable to the loader (the format has no escape for it).
 */
public final class SuiteWriter {

    private SuiteWriter() {
    }

    /**
     * The suite text of {@code cases} under the name {@code suite}, with {@code header} lines as
     * YAML comments on top. Each case's {@code suite} is replaced by {@code suite}.
     *
     * @throws IllegalArgumentException when a step sequence has no suite form: a {@code send} or
     *     {@code data} step must be followed by its {@code expect}, as the loader pairs them
     */
    public static String write(String suite, String title, List<String> header, List<Dialogue> cases) {
        StringBuilder out = new StringBuilder();
        for (String line : header) {
            for (String part : line.split("\n", -1)) {
                out.append("# ").append(part.replace("\r", "")).append('\n');
            }
        }
        out.append("suite: ").append(suite).append('\n');
        out.append("title: ").append(quote(title)).append('\n');
        out.append("cases:\n");
        for (Dialogue d : cases) {
            writeCase(out, d);
        }
        return out.toString();
    }

    private static void writeCase(StringBuilder out, Dialogue d) {
        out.append("  - id: ").append(d.id()).append('\n');
        out.append("    title: ").append(quote(d.title())).append('\n');
        out.append("    rules: [").append(String.join(", ", d.rules().stream().map(SuiteWriter::quote).toList())).append("]\n");
        d.level().ifPresent(level -> out.append("    level: ").append(level).append('\n'));
        if (!d.requires().isEmpty()) {
            out.append("    requires: [").append(String.join(", ", d.requires())).append("]\n");
        }
        if (!d.unless().isEmpty()) {
            out.append("    unless: [").append(String.join(", ", d.unless())).append("]\n");
        }
        if (!d.tags().isEmpty()) {
            out.append("    tags: [").append(String.join(", ", d.tags())).append("]\n");
        }
        out.append("    steps:\n");
        List<Step> steps = d.steps();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            Step.Expect paired = i + 1 < steps.size() && steps.get(i + 1) instanceof Step.Expect e ? e : null;
            if (step instanceof Step.Send send) {
                item(out, "send", quote(send.line()));
                i += expectOf(out, paired, "send");
            } else if (step instanceof Step.SendData data) {
                item(out, "data", quote(data.content()));
                i += expectOf(out, paired, "data");
            } else if (step instanceof Step.SendRaw raw) {
                item(out, "send-raw", quote(raw.text()));
                if (paired != null) {
                    out.append("        expect: ").append(matcher(paired.matcher())).append('\n');
                    rule(out, paired.ruleId());
                    i++;
                }
            } else if (step instanceof Step.Expect expect) {
                item(out, "expect", matcher(expect.matcher()));
                rule(out, expect.ruleId());
            } else if (step instanceof Step.ExpectNoReply none) {
                item(out, "expect-none", duration(none.within()));
                rule(out, none.ruleId());
            } else if (step instanceof Step.ExpectClose close) {
                item(out, "expect-close", duration(close.within()));
                rule(out, close.ruleId());
            } else if (step instanceof Step.ExpectGreeting greeting) {
                item(out, "expect-greeting", duration(greeting.within()));
                rule(out, greeting.ruleId());
            } else if (step instanceof Step.Concurrent concurrent) {
                item(out, "concurrent", String.valueOf(concurrent.connections()));
                rule(out, concurrent.ruleId());
            } else if (step instanceof Step.Pause pause) {
                item(out, "pause", duration(pause.duration()));
            } else if (step instanceof Step.Close) {
                out.append("      - close\n");
            }
        }
    }

    /** Writes the expect that the loader pairs with a send or data step; returns how many steps it used. */
    private static int expectOf(StringBuilder out, Step.Expect paired, String action) {
        if (paired == null) {
            throw new IllegalArgumentException("a " + action + " step must be followed by its expect step");
        }
        if (!paired.matcher().equals(ReplyMatcher.ANY)) {
            out.append("        expect: ").append(matcher(paired.matcher())).append('\n');
        }
        rule(out, paired.ruleId());
        return 1;
    }

    private static void item(StringBuilder out, String key, String value) {
        out.append("      - ").append(key).append(": ").append(value).append('\n');
    }

    private static void rule(StringBuilder out, Optional<String> ruleId) {
        ruleId.ifPresent(id -> out.append("        rule: ").append(quote(id)).append('\n'));
    }

    private static String matcher(ReplyMatcher matcher) {
        return matcher.patterns().size() == 1 ? matcher.patterns().get(0) : "[" + String.join(", ", matcher.patterns()) + "]";
    }

    /** A duration in the loader's syntax; whole milliseconds (at least 1). */
    private static String duration(Duration d) {
        return Math.max(1, d.toMillis()) + "ms";
    }

    /** A YAML double-quoted scalar holding exactly {@code text}, in printable ASCII. */
    public static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        text.codePoints().forEach(cp -> {
            if (cp == '"' || cp == '\\') {
                out.append('\\').append((char) cp);
            } else if (cp >= 0x20 && cp < 0x7f) {
                out.append((char) cp);
            } else if (cp == '\r') {
                out.append("\\r");
            } else if (cp == '\n') {
                out.append("\\n");
            } else if (cp == '\t') {
                out.append("\\t");
            } else if (cp <= 0xff) {
                out.append(String.format("\\x%02X", cp));
            } else if (cp <= 0xffff) {
                out.append(String.format("\\u%04X", cp));
            } else {
                out.append(String.format("\\U%08X", cp));
            }
        });
        return out.append('"').toString();
    }
}
