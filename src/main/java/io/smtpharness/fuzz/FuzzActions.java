package io.smtpharness.fuzz;

import io.smtpharness.dialogue.Step;
import io.smtpharness.rules.CommandKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * The actions of generated dialogues: every RFC 5321 command with valid and invalid arguments,
 * unknown verbs, and byte-level mutations (over-long lines, control and 8-bit octets, bare CR and
 * LF, commands split across writes, pipelined commands, end-of-data look-alikes in DATA). None
 * depends on the state: what the reply should be is the session model's business, so any action
 * may come in any state and shrinking may drop any of them. Generated lines use the suite
 * variables {@code ${helo}}, {@code ${sender}}, {@code ${recipient}}, so findings replay with the
 * same {@code --helo/--sender/--recipient}.
 */
final class FuzzActions {

    /** The rule an early end of data breaks (RFC 5321 §4.1.1.4). */
    static final String NO_LF_EOD = "5321-4.1.1.4-NO-LF-EOD";
    private static final Duration LOOKALIKE_WAIT = Duration.ofMillis(200);

    /** Commands that are safe to split, mutate or pipeline (no DATA, no QUIT). */
    private static final List<String> POOL = List.of("NOOP", "RSET", "EHLO ${helo}", "HELO ${helo}",
            "MAIL FROM:<${sender}>", "RCPT TO:<${recipient}>", "VRFY postmaster", "HELP", "XYZZY");

    private FuzzActions() {
    }

    /**
     * Any one action, by weight. A dialogue is a list of these: since no action depends on the state,
     * no chain model is needed, and a list can be generated on one thread and performed on another.
     */
    static Arbitrary<FuzzAction> any() {
        return Arbitraries.frequencyOf(List.of(
                weighted(10, mostlyValid("EHLO ${helo}", "ehlo ${helo}", "EHLO", "EHLO [127.0.0.1]",
                        "EHLO bad..name", "EHLO ${helo} (comment)")),
                weighted(3, mostlyValid("HELO ${helo}", "helo ${helo}", "HELO")),
                weighted(10, mostlyValid("MAIL FROM:<${sender}>", "MAIL FROM:<>", "mail from:<${sender}>",
                        "MAIL FROM:<${sender}> SIZE=1000", "MAIL FROM:<${sender}> BODY=8BITMIME",
                        "MAIL FROM:<${sender}> XFOO=1", "MAIL FROM:<${sender}> SIZE=99999999999",
                        "MAIL FROM:${sender}", "MAIL FROM:<a@@b>", "MAIL", "MAIL TO:<${sender}>")),
                weighted(10, mostlyValid("RCPT TO:<${recipient}>", "rcpt to:<${recipient}>", "RCPT TO:<Postmaster>",
                        "RCPT TO:<someone@elsewhere.example>", "RCPT TO:<bad>", "RCPT",
                        "RCPT TO:<${recipient}> NOTIFY=NEVER")),
                weighted(8, data()),
                weighted(2, dataLookalike()),
                weighted(4, Arbitraries.of("RSET", "RSET", "rset", "RSET now").map(FuzzAction::send)),
                weighted(2, Arbitraries.of("VRFY ${recipient}", "VRFY postmaster", "VRFY").map(FuzzAction::send)),
                weighted(1, Arbitraries.of("EXPN staff", "EXPN").map(FuzzAction::send)),
                weighted(2, Arbitraries.of("HELP", "HELP MAIL").map(FuzzAction::send)),
                weighted(4, Arbitraries.of("NOOP", "NOOP", "noop", "NOOP x", "NOOP ").map(FuzzAction::send)),
                weighted(1, Arbitraries.of("QUIT", "QUIT now").map(FuzzAction::send)),
                weighted(2, unknownVerbs()),
                weighted(2, longLines()),
                weighted(2, controlOctets()),
                weighted(2, eightBitOctets()),
                weighted(2, bareCrOrLf()),
                weighted(2, splitWrites()),
                weighted(2, pipelined())));
    }

    private static Tuple.Tuple2<Integer, Arbitrary<FuzzAction>> weighted(int weight, Arbitrary<FuzzAction> actions) {
        return Tuple.of(weight, actions);
    }

    /**
     * The first line three times in four (so transactions get far enough to reach RCPT and DATA),
     * else one of the variants (shrinking prefers the first line).
     */
    private static Arbitrary<FuzzAction> mostlyValid(String valid, String... variants) {
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(valid)), Tuple.of(1, Arbitraries.of(variants)))
                .map(FuzzAction::send);
    }

    /** DATA, then (only if it got 354) content: empty, plain, dot-stuffed, 8-bit. */
    private static Arbitrary<FuzzAction> data() {
        Arbitrary<String> content = Arbitraries.of("", "Subject: fuzz\n\nhello\n", ".starts with a dot\n..two\n.\n",
                "Subject: caf\u00e9\n\n8-bit \u00e9\u00f6\n", "no final line end");
        return Arbitraries.oneOf(content.map(c -> new FuzzAction("DATA + " + quoteShort(c),
                        List.of(new Step.Send("DATA", "")), List.of(new Step.SendData(c, "")), false)),
                Arbitraries.just(FuzzAction.send("DATA now")));
    }

    /**
     * DATA, then content holding an end-of-data look-alike: no reply may come before the real
     * CRLF.CRLF (a reply there is SMTP smuggling, {@value #NO_LF_EOD}).
     */
    private static Arbitrary<FuzzAction> dataLookalike() {
        return Arbitraries.of("a\n.\nb\r\n", "a\r.\rb\r\n", "a\r\n.\nb\r\n", "a\n.\r\nb\r\n", "a\r\n.\rb\r\n",
                "a\r\n. \r\nb\r\n").map(lookalike -> new FuzzAction("DATA + look-alike " + quoteShort(lookalike),
                List.of(new Step.Send("DATA", "")),
                List.of(new Step.SendRaw("Subject: fuzz\r\n\r\n" + lookalike, ""),
                        new Step.ExpectNoReply(LOOKALIKE_WAIT, Optional.of(NO_LF_EOD), "an end-of-data look-alike"),
                        new Step.SendRaw(".\r\n", "")), false));
    }

    private static Arbitrary<FuzzAction> unknownVerbs() {
        Arbitrary<String> verb = Arbitraries.strings().withCharRange('A', 'Z').ofMinLength(3).ofMaxLength(8)
                .filter(v -> CommandKind.ofVerb(v) == CommandKind.UNKNOWN);
        return Combinators.combine(verb, Arbitraries.of("", " x", " ${recipient}"))
                .as((v, arg) -> FuzzAction.send(v + arg));
    }

    /** Lines of 400 to 10 000 octets: beyond the 512 a server must take, and beyond most limits. */
    private static Arbitrary<FuzzAction> longLines() {
        return Combinators.combine(Arbitraries.of("NOOP ", "VRFY ", "EHLO ", "MAIL FROM:<", "RCPT TO:<", "XLONG "),
                        Arbitraries.integers().between(400, 10_000))
                .as((prefix, n) -> FuzzAction.send(prefix + "${repeat:a:" + n + "}" + (prefix.endsWith("<") ? "@x.test>" : "")));
    }

    /** A command with one control octet (NUL most often) somewhere in it. */
    private static Arbitrary<FuzzAction> controlOctets() {
        return inserted(Arbitraries.of('\0', '\0', '\u0001', '\u0007', '\b', '\t', '\u000b', '\u000c', '\u001b', '\u007f'));
    }

    private static Arbitrary<FuzzAction> eightBitOctets() {
        return Arbitraries.oneOf(inserted(Arbitraries.chars().range('\u0080', '\u00ff')),
                Arbitraries.of("VRFY j\u00c3\u00b6rg\r\n", "MAIL FROM:<j\u00f6rg@client.test>\r\n",
                        "RCPT TO:<\u00e9@test.example>\r\n", "EHLO \u00ff\r\n").map(FuzzAction::raw));
    }

    /** A pool command with {@code octet} inserted at some position, then CRLF. */
    private static Arbitrary<FuzzAction> inserted(Arbitrary<Character> octet) {
        return Combinators.combine(Arbitraries.of(POOL), octet, Arbitraries.integers().between(0, 40))
                .as((line, c, at) -> {
                    int i = Math.min(at, line.length());
                    return FuzzAction.raw(line.substring(0, i) + c + line.substring(i) + "\r\n");
                });
    }

    /** A bare CR or LF inside or at the end of a command, in the same write or the next. */
    private static Arbitrary<FuzzAction> bareCrOrLf() {
        return Combinators.combine(Arbitraries.of(POOL), Arbitraries.of("\r", "\n"), Arbitraries.integers().between(0, 40),
                        Arbitraries.of(true, false))
                .as((line, bare, at, separate) -> {
                    int i = Math.min(at, line.length());
                    String first = line.substring(0, i) + bare;
                    String rest = line.substring(i) + "\r\n";
                    if (!separate) {
                        return FuzzAction.raw(first + rest);
                    }
                    return new FuzzAction("raw " + quoteShort(first) + " | " + quoteShort(rest),
                            List.of(new Step.SendRaw(first, ""), new Step.SendRaw(rest, "")), List.of(), false);
                });
    }

    /** One command in two or three writes, cut anywhere (between CR and LF too). */
    private static Arbitrary<FuzzAction> splitWrites() {
        return Combinators.combine(Arbitraries.of(POOL), Arbitraries.integers().between(1, 60),
                        Arbitraries.integers().between(1, 60))
                .as((line, a, b) -> {
                    String wire = line + "\r\n";
                    int first = 1 + a % (wire.length() - 1);
                    int second = first + b % (wire.length() - first + 1);
                    List<Step> writes = new ArrayList<>();
                    List<String> parts = new ArrayList<>();
                    for (String part : List.of(wire.substring(0, first), wire.substring(first, second), wire.substring(second))) {
                        if (!part.isEmpty()) {
                            writes.add(new Step.SendRaw(part, ""));
                            parts.add(quoteShort(part));
                        }
                    }
                    return new FuzzAction("split " + String.join(" | ", parts), writes, List.of(), false);
                });
    }

    /** Two to four commands in one write (RFC 2920). */
    private static Arbitrary<FuzzAction> pipelined() {
        return Arbitraries.of(POOL).list().ofMinSize(2).ofMaxSize(4).map(lines -> {
            String wire = String.join("\r\n", lines) + "\r\n";
            return new FuzzAction("pipelined " + String.join(" + ", lines), List.of(new Step.SendRaw(wire, "")),
                    List.of(), true);
        });
    }

    private static String quoteShort(String text) {
        String q = io.smtpharness.suite.SuiteWriter.quote(text);
        return q.length() > 60 ? q.substring(0, 57) + "...\"" : q;
    }
}
