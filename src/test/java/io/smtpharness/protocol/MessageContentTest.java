package io.smtpharness.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Line ends, transparency and the end of data (RFC 5321 §4.1.1.4, §4.5.2). */
class MessageContentTest {

    private static String encoded(String content) {
        return new String(MessageContent.encode(content), StandardCharsets.UTF_8);
    }

    @Test
    void everyLineEndBecomesCrlfAndTheEndOfDataFollows() {
        assertThat(encoded("Subject: x\n\nbody\n")).isEqualTo("Subject: x\r\n\r\nbody\r\n.\r\n");
        assertThat(encoded("a\r\nb")).isEqualTo("a\r\nb\r\n.\r\n");
        assertThat(encoded("a\n\n")).isEqualTo("a\r\n\r\n.\r\n");
    }

    @Test
    void aLineStartingWithADotGetsAnother() {
        assertThat(encoded(".hidden\n..two\nnot.first")).isEqualTo("..hidden\r\n...two\r\nnot.first\r\n.\r\n");
    }

    @Test
    void emptyContentIsTheEndOfDataAlone() {
        assertThat(encoded("")).isEqualTo(".\r\n");
        assertThat(encoded("\n")).isEqualTo(".\r\n");
    }

    @Test
    void aBareCrStaysWhereItIs() {
        assertThat(encoded("a\rb\r")).isEqualTo("a\rb\r\r\n.\r\n");
        assertThat(encoded("abc\r\r\n")).isEqualTo("abc\r\r\n.\r\n");
    }

    @Test
    void utf8ContentIsSentAsUtf8() {
        assertThat(MessageContent.encode("j\u00f6rg")).containsExactly('j', 0xc3, 0xb6, 'r', 'g', '\r', '\n', '.', '\r', '\n');
    }
}
