package io.smtpharness.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Frames the inbound byte stream as command lines, or as DATA content after the session accepted DATA.
 *
 * <p>Emits at most one frame per decode call: ByteToMessageDecoder hands each frame to the session
 * before decoding the next, so a 354 switches the framing before pipelined bytes behind DATA are read.
 */
final class SmtpFrameDecoder extends ByteToMessageDecoder {

    /** RFC 4954 §4: 12 288 octets are enough for the largest SASL responses of common mechanisms. */
    static final int AUTH_LINE_OCTETS = 12_288 + 2;

    private final CommandLineFramer lines;
    private final int maxLineOctets;
    private final int authLineOctets;
    private DataContentReader data;
    private ChunkReader chunk;

    /** A decoder with the given command-line limit (octets incl. CRLF). */
    SmtpFrameDecoder(int maxLineOctets) {
        this(maxLineOctets, Math.max(maxLineOctets, AUTH_LINE_OCTETS), false);
    }

    /**
     * A decoder with the given command-line and AUTH-response limits (octets incl. CRLF), taking a
     * bare LF as the end of a command line too if {@code bareLfEnds}.
     */
    SmtpFrameDecoder(int maxLineOctets, int authLineOctets, boolean bareLfEnds) {
        this.lines = new CommandLineFramer(maxLineOctets, bareLfEnds);
        this.maxLineOctets = maxLineOctets;
        this.authLineOctets = authLineOctets;
    }

    /** While an AUTH exchange waits for a response, lines up to the AUTH-response limit are framed. */
    void authExchange(boolean pending) {
        lines.limit(pending ? authLineOctets : maxLineOctets);
    }

    /** Takes out the octets received but not yet framed (plaintext pipelined behind STARTTLS). */
    ByteBuf takeBuffered() {
        ByteBuf buffered = internalBuffer();
        ByteBuf copy = buffered.copy(buffered.readerIndex(), buffered.readableBytes());
        buffered.skipBytes(buffered.readableBytes());
        return copy;
    }

    /** Switches to DATA framing until the end-of-data line (RFC 5321 §4.1.1.4). */
    void startData(long maxOctets, boolean bareLfEndsData, boolean refuseBareLf) {
        data = new DataContentReader(maxOctets, bareLfEndsData, refuseBareLf);
    }

    /** Reads exactly {@code octets} octets as one BDAT chunk (RFC 3030 §2), keeping at most {@code maxOctets}. */
    void startChunk(long octets, long maxOctets) {
        chunk = new ChunkReader(octets, maxOctets);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (chunk != null) {
            Inbound.Chunk done = chunk.next(in);
            if (done != null) {
                chunk = null;
                out.add(done);
            }
            return;
        }
        if (data != null) {
            Inbound end = data.next(in);
            if (end != null) {
                data = null;
                out.add(end);
            }
            return;
        }
        Inbound line = lines.next(in);
        if (line != null) {
            out.add(line);
        }
    }
}
