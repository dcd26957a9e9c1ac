package io.smtpharness.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ReplyParserProperties {

    @Property(tries = 500)
    void parserNeverThrowsAndEveryLineLandsInAReply(@ForAll("lines") List<ReplyLine> lines) {
        ReplyParser parser = new ReplyParser(50);
        int seen = 0;
        for (ReplyLine line : lines) {
            seen += parser.accept(line).map(r -> r.lines().size()).orElse(0);
        }
        seen += parser.finishPartial().map(r -> r.lines().size()).orElse(0);
        assertThat(seen).isEqualTo(lines.size());
    }

    @Provide
    Arbitrary<List<ReplyLine>> lines() {
        Arbitrary<String> content = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(30),
                Arbitraries.of("250", "250-", "250 ok", "250-x", "5", "421 bye", "354 go"));
        Arbitrary<String> delimiter = Arbitraries.of("\r\n", "\n", "");
        return net.jqwik.api.Combinators.combine(content, delimiter, Arbitraries.of(0L, 1L, 70_000L))
                .as(ReplyLine::new).list().ofMaxSize(20);
    }
}
