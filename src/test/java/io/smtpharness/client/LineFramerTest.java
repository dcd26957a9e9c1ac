package io.smtpharness.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.smtpharness.protocol.ReplyLine;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LineFramerTest {

    private static EmbeddedChannel channel(int cap) {
        return new EmbeddedChannel(new LineFramer(cap, 1 << 20));
    }

    private static void write(EmbeddedChannel ch, String octets) {
        ch.writeInbound(Unpooled.copiedBuffer(octets, StandardCharsets.ISO_8859_1));
    }

    @Test
    void keepsCrlfAndBareLfApart() {
        EmbeddedChannel ch = channel(1024);
        write(ch, "250-a\r\n250 b\n");
        assertThat((ReplyLine) ch.readInbound()).isEqualTo(new ReplyLine("250-a", "\r\n", 0));
        assertThat((ReplyLine) ch.readInbound()).isEqualTo(new ReplyLine("250 b", "\n", 0));
        assertThat((Object) ch.readInbound()).isNull();
    }

    @Test
    void reassemblesALineSplitAcrossReads() {
        EmbeddedChannel ch = channel(1024);
        write(ch, "2");
        write(ch, "50 O");
        write(ch, "K\r");
        assertThat((Object) ch.readInbound()).isNull();
        write(ch, "\n");
        assertThat((ReplyLine) ch.readInbound()).isEqualTo(ReplyLine.of("250 OK"));
    }

    @Test
    void bareCrStaysInsideTheLine() {
        EmbeddedChannel ch = channel(1024);
        write(ch, "250 a\rb\r\n");
        assertThat(((ReplyLine) ch.readInbound()).content()).isEqualTo("250 a\rb");
    }

    @Test
    void overlongLineIsPassedOnAtItsEndWithItsHeadAndWhatWasSkipped() {
        EmbeddedChannel ch = channel(600);
        write(ch, "250 " + "x".repeat(5000));
        assertThat((Object) ch.readInbound()).as("held until its end").isNull();
        write(ch, "y".repeat(5000) + "\r\n250 next\r\n");
        ReplyLine cut = ch.readInbound();
        assertThat(cut.truncated()).isTrue();
        assertThat(cut.content()).hasSize(600);
        assertThat(cut.octets()).isEqualTo(4 + 5000 + 5000 + 2);
        assertThat((ReplyLine) ch.readInbound()).isEqualTo(ReplyLine.of("250 next"));
    }

    @Test
    void overlongLineInOneReadIsCutToo() {
        EmbeddedChannel ch = channel(600);
        write(ch, "250 " + "x".repeat(1000) + "\r\n");
        ReplyLine cut = ch.readInbound();
        assertThat(cut.content()).hasSize(600);
        assertThat(cut.octets()).isEqualTo(4 + 1000 + 2);
    }

    @Test
    void aLineWithNoEndInSightIsPassedOnOnceTheSkipLimitIsPassed() {
        EmbeddedChannel ch = new EmbeddedChannel(new LineFramer(600, 10_000));
        write(ch, "250 " + "x".repeat(8_000));
        assertThat((Object) ch.readInbound()).isNull();
        write(ch, "x".repeat(8_000));
        ReplyLine cut = ch.readInbound();
        assertThat(cut.content()).startsWith("250 xxx").hasSize(600);
        assertThat(cut.skipped()).isGreaterThan(10_000);
        write(ch, "x".repeat(100_000) + "\r\n250 next\r\n");
        assertThat((ReplyLine) ch.readInbound()).as("passed on once only").isEqualTo(ReplyLine.of("250 next"));
    }

    @Test
    void aCutLineIsPassedOnWhenTheConnectionEndsInIt() {
        EmbeddedChannel ch = channel(600);
        write(ch, "250 " + "x".repeat(5000));
        ch.finish();
        ReplyLine cut = ch.readInbound();
        assertThat(cut.truncated()).isTrue();
        assertThat(cut.delimiter()).isEmpty();
    }

    @Test
    void partialLineAtCloseIsEmittedWithoutDelimiter() {
        EmbeddedChannel ch = channel(1024);
        write(ch, "421 going");
        ch.finish();
        assertThat((ReplyLine) ch.readInbound()).isEqualTo(new ReplyLine("421 going", "", 0));
    }
}
