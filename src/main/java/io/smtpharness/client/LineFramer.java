package io.smtpharness.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.smtpharness.protocol.ReplyLine;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Splits received octets into {@link ReplyLine}s at LF and keeps the delimiter, so a line ended
 * by a bare LF is told apart from one ended by CRLF (Netty's LineBasedFrameDecoder would hide it).
 * A line longer than the cap is emitted truncated and the rest of it is skipped without buffering,
 * so even a gigabyte without LF costs only the cap in memory.
 */
final class LineFramer extends ByteToMessageDecoder {

    private final int maxLineOctets;
    private boolean discarding;

    LineFramer(int maxLineOctets) {
        this.maxLineOctets = maxLineOctets;
    }

    /** When the read now being framed began: every line framed from it arrived then. */
    private long readNanos = System.nanoTime();

    /** Octets this framer has been given, whole lines or not. */
    private volatile long received;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        readNanos = System.nanoTime();
        if (msg instanceof ByteBuf buf) {
            received += buf.readableBytes();
        }
        super.channelRead(ctx, msg);
    }

    /** The {@link System#nanoTime()} at which the octets being framed were read (event loop only). */
    long readNanos() {
        return readNanos;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
            if (discarding) {
                if (lf < 0) {
                    in.skipBytes(in.readableBytes());
                    return;
                }
                in.readerIndex(lf + 1);
                discarding = false;
                continue;
            }
            if (lf < 0) {
                if (in.readableBytes() > maxLineOctets) {
                    out.add(new ReplyLine(read(in, maxLineOctets), "", true));
                    discarding = true;
                }
                return;
            }
            int length = lf - in.readerIndex();
            if (length > maxLineOctets) {
                out.add(new ReplyLine(read(in, maxLineOctets), "", true));
                in.readerIndex(lf + 1);
                continue;
            }
            boolean crlf = length > 0 && in.getByte(lf - 1) == '\r';
            String content = read(in, crlf ? length - 1 : length);
            in.skipBytes(crlf ? 2 : 1);
            out.add(new ReplyLine(content, crlf ? "\r\n" : "\n", false));
        }
    }

    /** Octets received so far, lines or not (what a silent-looking server did send). */
    long received() {
        return received;
    }

    /** Octets of an incomplete line held so far (dropped when TLS starts, RFC 3207 §4.2). */
    int buffered() {
        return actualReadableBytes();
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        decode(ctx, in, out);
        if (in.isReadable() && !discarding) {
            // the connection ended in the middle of a line: keep what came, with no delimiter
            out.add(new ReplyLine(read(in, in.readableBytes()), "", false));
        }
    }

    private static String read(ByteBuf in, int length) {
        String s = in.toString(in.readerIndex(), length, StandardCharsets.ISO_8859_1);
        in.skipBytes(length);
        return s;
    }
}
