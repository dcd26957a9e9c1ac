package io.smtpharness.suite;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.dialogue.Dialogue;
import io.smtpharness.dialogue.ReplyMatcher;
import io.smtpharness.dialogue.Step;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * What {@link SuiteWriter} writes, {@link SuiteLoader} reads back as the same steps (origins aside),
 * raw sends with NUL, bare CR/LF and 8-bit octets included: the guarantee fuzz findings rely on.
 */
class SuiteWriterProperties {

    private final SuiteLoader loader = new SuiteLoader();

    @Property(tries = 300)
    void writtenDialoguesLoadBackAsTheSameSteps(@ForAll("dialogues") List<Step> steps) {
        Dialogue written = new Dialogue("fuzz-x", "case-1", "a \"title\" with \\ and \u00e9",
                List.of("5321-4.1.4-STATE:MAIL:DATA", "5321-3.8-CLOSE-ONLY-IF"), List.of("fuzz"), Optional.of("MUST"),
                List.of("SIZE", "8BITMIME"), steps, "generated");
        String yaml = SuiteWriter.write("fuzz-x", "title", List.of("a comment", "two\nlines"), List.of(written));

        assertThat(yaml).matches("[\\x20-\\x7e\\n]*");
        Dialogue read = loader.parse("finding.yaml", yaml.getBytes(StandardCharsets.UTF_8)).get(0);
        assertThat(read.title()).isEqualTo(written.title());
        assertThat(read.rules()).isEqualTo(written.rules());
        assertThat(read.level()).isEqualTo(written.level());
        assertThat(read.tags()).isEqualTo(written.tags());
        assertThat(read.requires()).isEqualTo(written.requires());
        assertThat(withoutOrigins(read.steps())).isEqualTo(withoutOrigins(written.steps()));
    }

    @Example
    void aSendWithoutItsExpectHasNoSuiteForm() {
        Dialogue d = new Dialogue("s", "c", "t", List.of("G-01"), List.of(), Optional.empty(),
                List.of(), List.of(new Step.Send("NOOP", "")), "");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> SuiteWriter.write("s", "t", List.of(), List.of(d)));
    }

    @Provide
    Arbitrary<List<Step>> dialogues() {
        Arbitrary<List<Step>> item = Arbitraries.oneOf(
                commandLines().map(l -> List.of(new Step.Send(l, ""), expect())),
                rawText().map(t -> List.of(new Step.SendRaw(t, ""))),
                Arbitraries.of(true, false).flatMap(withExpect -> rawText().map(t -> withExpect
                        ? List.of(new Step.SendRaw(t, ""), new Step.Expect(ReplyMatcher.of("2xx", "550"),
                        Optional.of("G-01"), "")) : List.of(new Step.SendRaw(t, "")))),
                rawText().injectNull(0.2).map(t -> List.of(new Step.SendData(t == null ? "" : t, ""),
                        new Step.Expect(ReplyMatcher.of("250"), Optional.empty(), ""))),
                Arbitraries.of(ReplyMatcher.ANY, ReplyMatcher.of("354"), ReplyMatcher.of("4xx", "5x1"))
                        .map(m -> List.of(new Step.Expect(m, Optional.of("5321-4.2-ONE-REPLY"), ""))),
                Arbitraries.longs().between(1, 600_000).map(ms -> List.of(
                        new Step.ExpectNoReply(Duration.ofMillis(ms), Optional.of("5321-4.1.1.4-NO-LF-EOD"), ""),
                        new Step.ExpectClose(Duration.ofMillis(ms), Optional.empty(), ""),
                        new Step.Pause(Duration.ofMillis(ms), ""),
                        new Step.ExpectGreeting(Duration.ofMillis(ms), Optional.of("5321-3.8-CLOSE-ONLY-IF"), ""))),
                Arbitraries.just(List.of(new Step.Concurrent(3, Optional.empty(), ""), new Step.Close(""))));
        return item.list().ofMinSize(1).ofMaxSize(8).map(lists -> {
            List<Step> all = new ArrayList<>();
            lists.forEach(all::addAll);
            return all;
        });
    }

    private static Step.Expect expect() {
        return new Step.Expect(ReplyMatcher.ANY, Optional.empty(), "");
    }

    /** A command line: no CR or LF, no leading space, not empty. */
    private static Arbitrary<String> commandLines() {
        return Arbitraries.strings().withCharRange((char) 0x20, (char) 0x7e).withChars('\u00e9', '\t', '\u0000')
                .ofMinLength(1).ofMaxLength(40)
                .filter(s -> !s.startsWith(" ") && !s.contains("${"));
    }

    /** Any octet, a few chars above U+00FF, and the variables a suite may use. */
    private static Arbitrary<String> rawText() {
        Arbitrary<String> octets = Arbitraries.strings().withCharRange('\u0000', '\u00ff').withChars('\u20ac', '"', '\\')
                .ofMinLength(1).ofMaxLength(30);
        return Arbitraries.oneOf(octets, octets.map(s -> s + "${recipient}"), Arbitraries.just("\r\n.\r\n"))
                .filter(s -> !s.contains("${") || s.endsWith("${recipient}") && s.indexOf("${") == s.length() - 12);
    }

    private static List<String> withoutOrigins(List<Step> steps) {
        return steps.stream().map(s -> s.toString().replaceAll("(, )?origin=[^\\]]*\\]$", "]")).toList();
    }
}
