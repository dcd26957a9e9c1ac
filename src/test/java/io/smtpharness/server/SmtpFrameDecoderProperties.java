package io.smtpharness.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** However the input is cut into TCP reads, the decoder yields the same frames. */
class SmtpFrameDecoderProperties {

    @Property(tries = 300)
    void framesDoNotDependOnHowInputIsSplit(@ForAll("smtpish") String input, @ForAll("cuts") List<Integer> cuts) {
        assertThat(render(decode(input, cuts))).isEqualTo(render(decode(input, List.of())));
    }

    @Provide
    Arbitrary<String> smtpish() {
        Arbitrary<String> piece = Arbitraries.of("NOOP", "DATA", "\r\n", "\r", "\n", ".", "..", "x",
                "\r\n.\r\n", "y".repeat(300));
        return piece.list().ofMaxSize(40).map(list -> String.join("", list));
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(0, 5000).list().ofMaxSize(10);
    }

    // "DATA" lines switch to content framing, as the session does after a 354.
    private static List<Inbound> decode(String input, List<Integer> cuts) {
        SmtpFrameDecoder decoder = new SmtpFrameDecoder(512);
        List<Inbound> frames = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                frames.add((Inbound) msg);
                if (msg instanceof Inbound.CommandLine line && line.text().equals("DATA")) {
                    decoder.startData(1000, false, false);
                }
            }
        });
        byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
        List<Integer> points = cuts.stream().map(c -> bytes.length == 0 ? 0 : c % bytes.length).sorted().toList();
        int from = 0;
        for (int point : points) {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes, from, point - from));
            from = point;
        }
        channel.writeInbound(Unpooled.wrappedBuffer(bytes, from, bytes.length - from));
        channel.finishAndReleaseAll();
        return frames;
    }

    private static List<String> render(List<Inbound> frames) {
        return frames.stream().map(f -> f instanceof Inbound.DataEnd d
                ? "DataEnd[" + new String(d.content(), StandardCharsets.ISO_8859_1) + "," + d.oversize() + "]"
                : f.toString()).toList();
    }
}
