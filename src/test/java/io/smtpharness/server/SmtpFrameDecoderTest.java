package io.smtpharness.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decoder in an EmbeddedChannel: CRLF-only command lines, the line cap, and DATA framing. */
class SmtpFrameDecoderTest {

    private final SmtpFrameDecoder decoder = new SmtpFrameDecoder(512);
    private final EmbeddedChannel channel = new EmbeddedChannel(decoder);

    private List<Inbound> feed(String... chunks) {
        for (String chunk : chunks) {
            channel.writeInbound(Unpooled.copiedBuffer(chunk, StandardCharsets.ISO_8859_1));
        }
        List<Inbound> frames = new ArrayList<>();
        for (Object frame; (frame = channel.readInbound()) != null; ) {
            frames.add((Inbound) frame);
        }
        return frames;
    }

    private static String content(Inbound frame) {
        return new String(((Inbound.DataEnd) frame).content(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void onlyCrlfEndsACommandLine() {
        assertThat(feed("NOOP\nx\rEHLO a\r", "\nRSET\r\n")).containsExactly(
                new Inbound.CommandLine("NOOP\nx\rEHLO a"), new Inbound.CommandLine("RSET"));
    }

    @Test
    void lineOfExactlyTheCapIsDeliveredAndOneMoreOctetIsTooLong() {
        String ok = "x".repeat(510);
        assertThat(feed(ok + "\r\n")).containsExactly(new Inbound.CommandLine(ok));
        assertThat(feed(ok + "y\r\n", "NOOP\r\n"))
                .containsExactly(new Inbound.LineTooLong(), new Inbound.CommandLine("NOOP"));
    }

    @Test
    void overlongInputIsDiscardedAsItArrives() {
        for (int i = 0; i < 100; i++) {
            assertThat(feed("z".repeat(1000))).isEmpty();
        }
        assertThat(feed("\r", "\nNOOP\r\n"))
                .containsExactly(new Inbound.LineTooLong(), new Inbound.CommandLine("NOOP"));
    }

    @Test
    void dataEndsOnlyAtCrlfDotCrlfAndUnstuffsDots() {
        decoder.startData(1000, false, false);
        List<Inbound> frames = feed("a\n.\nb\r.\rc\r\n.\nd\n.\r\n..e\r\n.", "\r\nQUIT\r\n");
        assertThat(frames).hasSize(2);
        assertThat(content(frames.get(0))).isEqualTo("a\n.\nb\r.\rc\r\n\nd\n.\r\n.e\r\n");
        assertThat(frames.get(1)).isEqualTo(new Inbound.CommandLine("QUIT"));
    }

    @Test
    void dataOverTheLimitIsReadToTheEndAndMarkedOversize() {
        decoder.startData(10, false, false);
        List<Inbound> frames = feed("0123456789abcdef\r\n", ".\r\n");
        assertThat(frames).singleElement().matches(f -> ((Inbound.DataEnd) f).oversize());
        assertThat(content(frames.get(0))).isEqualTo("0123456789");
    }

    @Test
    void dataAtTheLimitIsNotOversize() {
        decoder.startData(5, false, false);
        assertThat(feed("abc\r\n.\r\n")).singleElement().matches(f -> !((Inbound.DataEnd) f).oversize());
    }
}
