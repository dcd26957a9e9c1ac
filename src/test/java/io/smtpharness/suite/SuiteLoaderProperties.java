package io.smtpharness.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Whatever text it is given, the loader either loads it or refuses it with a {@link SuiteException};
 * any other exception is a bug. The coverage check makes the property fail if the generators stop
 * producing either outcome, so it cannot pass vacuously.
 */
@PropertyDefaults(tries = 1000)
class SuiteLoaderProperties {

    private static final String NAME = "fuzz/mutated.yaml";
    private static final String VALID = readExample();
    private static final List<String> KEYS = List.of("suite", "title", "tags", "cases", "id", "rules", "level",
            "steps", "send", "send-raw", "data", "expect", "expect-none", "expect-close", "expect-greeting", "pause", "rule", "close", "sned");
    private static final List<String> FRAGMENTS = List.of(": ", "- ", "\n", "  ", "[", "]", "{", "}", "&a ", "*a",
            "\"", "'", "|\n", "#", "${helo}", "${x}", "250", "2xx", "3s", "10m", "11m", "\\x00", "\t", "? ", "---\n");

    private final SuiteLoader loader = new SuiteLoader();

    @Property
    void anyTextEitherLoadsOrIsRefusedWithASuiteException(@ForAll("suiteTexts") byte[] text) {
        String outcome;
        try {
            assertThat(loader.parse(NAME, text)).isNotEmpty();
            outcome = "loaded";
        } catch (SuiteException e) {
            assertThat(e.path()).isEqualTo(NAME);
            assertThat(e.line()).isBetween(0, lineCount(text) + 1);
            assertThat(e.getMessage()).startsWith(e.line() > 0 ? NAME + ":" + e.line() + ": " : NAME + ": ");
            outcome = "refused";
        }
        Statistics.label("outcome").collect(outcome);
        Statistics.label("outcome").coverage(checker -> {
            checker.check("loaded").count(n -> n > 0);
            checker.check("refused").count(n -> n > 0);
        });
    }

    @Provide
    Arbitrary<byte[]> suiteTexts() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(VALID).map(SuiteLoaderProperties::utf8)),
                Tuple.of(3, truncations()),
                Tuple.of(4, keySwaps()),
                Tuple.of(3, lineEdits()),
                Tuple.of(2, insertedFragments()),
                Tuple.of(2, byteFlips()),
                Tuple.of(2, randomText()),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(300)));
    }

    private Arbitrary<byte[]> truncations() {
        return Arbitraries.integers().between(0, VALID.length()).map(n -> utf8(VALID.substring(0, n)));
    }

    /** Replaces the nth occurrence of one known key with another (or a misspelt one). */
    private Arbitrary<byte[]> keySwaps() {
        Arbitrary<String> swapOnce = Combinators.combine(
                Arbitraries.of(KEYS), Arbitraries.of(KEYS), Arbitraries.integers().between(0, 5))
                .as((from, to, nth) -> replaceNth(VALID, from + ":", to + ":", nth));
        return swapOnce.map(SuiteLoaderProperties::utf8);
    }

    /** Deletes, duplicates or re-indents one line. */
    private Arbitrary<byte[]> lineEdits() {
        String[] lines = VALID.split("\n", -1);
        return Combinators.combine(Arbitraries.integers().between(0, lines.length - 1), Arbitraries.integers().between(0, 2))
                .as((index, edit) -> {
                    List<String> out = new ArrayList<>(List.of(lines));
                    if (edit == 0) {
                        out.remove((int) index);
                    } else if (edit == 1) {
                        out.add(index, lines[index]);
                    } else {
                        out.set(index, "  " + lines[index]);
                    }
                    return utf8(String.join("\n", out));
                });
    }

    private Arbitrary<byte[]> insertedFragments() {
        return Combinators.combine(Arbitraries.integers().between(0, VALID.length()), Arbitraries.of(FRAGMENTS))
                .as((at, fragment) -> utf8(VALID.substring(0, at) + fragment + VALID.substring(at)));
    }

    private Arbitrary<byte[]> byteFlips() {
        byte[] valid = utf8(VALID);
        return Combinators.combine(Arbitraries.integers().between(0, valid.length - 1), Arbitraries.bytes())
                .as((at, value) -> {
                    byte[] copy = valid.clone();
                    copy[at] = value;
                    return copy;
                });
    }

    private Arbitrary<byte[]> randomText() {
        return Arbitraries.strings().withCharRange('\u0000', '\u00ff').withChars("ſ€😀").ofMaxLength(200)
                .map(SuiteLoaderProperties::utf8);
    }

    private static String replaceNth(String text, String from, String to, int nth) {
        int at = -1;
        for (int i = 0; i <= nth; i++) {
            at = text.indexOf(from, at + 1);
            if (at < 0) {
                return text;
            }
        }
        return text.substring(0, at) + to + text.substring(at + from.length());
    }

    private static int lineCount(byte[] text) {
        int lines = 1;
        for (byte b : text) {
            if (b == '\n') {
                lines++;
            }
        }
        return lines;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String readExample() {
        try (InputStream in = SuiteLoaderProperties.class.getResourceAsStream("/suites/example.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
