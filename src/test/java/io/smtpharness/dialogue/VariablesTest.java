package io.smtpharness.dialogue;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.protocol.MessageContent;
import org.junit.jupiter.api.Test;

class VariablesTest {

    @Test
    void sizeVariablesExpandOnceTheLimitIsKnown() {
        Variables before = Variables.defaults();
        assertThat(before.expand("SIZE=${ehlo.size+1}")).isEqualTo("SIZE=${ehlo.size+1}");
        Variables after = before.withEhloSize(10240000);
        assertThat(after.expand("SIZE=${ehlo.size} ${ehlo.size+1} ${ehlo.size-240000}"))
                .isEqualTo("SIZE=10240000 10240001 10000000");
        assertThat(after.get("recipient")).isEqualTo(before.get("recipient"));
        assertThat(Variables.needsEhloSize("${filler:ehlo.size+5}")).isTrue();
        assertThat(Variables.needsEhloSize("${filler:10}")).isFalse();
    }

    @Test
    void fillerIsExactlyNOctetsOnTheWireInShortLines() {
        for (int n : new int[] {0, 1, 2, 79, 80, 81, 1000, 4099}) {
            String filler = Variables.filler(n);
            int wire = filler.length() + (int) filler.chars().filter(c -> c == '\n').count(); // LF becomes CRLF
            assertThat(wire).as("filler(%d)", n).isEqualTo(n);
            assertThat(filler.split("\n")).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(78));
        }
        byte[] data = MessageContent.encode(Variables.defaults().expand("${filler:800}"));
        assertThat(data.length).isEqualTo(800 + 3); // the content, then ".\r\n"
    }

    @Test
    void theNewReferencesAreKnownToTheLoader() {
        assertThat(Variables.checkReferences("${ehlo.size} ${ehlo.size+1} ${ehlo.size-1} ${filler:12} ${filler:ehlo.size+9}"))
                .isNull();
        assertThat(Variables.checkReferences("${ehlo.sizes}")).contains("unknown variable ${ehlo.sizes}");
        assertThat(Variables.checkReferences("${filler:x}")).contains("unknown variable");
    }
}
