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
 *
 * <p>A line longer than the cap keeps its first {@code maxLineOctets} and the rest is skipped
 * without buffering, so even a gigabyte without LF costs only the cap in memory. The cut line is
 * passed on when its LF arrives, counting what was skipped, or once {@code maxSkippedOctets} have
 * been skipped without one: a reader then knows how long the line was, or that it did not end.
 */
final class LineFramer extends ByteToMessageDecoder {

    private final int maxLineOctets;
    private final long maxSkippedOctets;
    /** The kept head of the line being skipped, until its end or the skip limit passes it on. */
    private String cutHead;
    private long skipped;
    private boolean discarding;

    LineFramer(int maxLineOctets, long maxSkippedOctets) {
        this.maxLineOctets = maxLineOctets;
        this.maxSkippedOctets = maxSkippedOctets;
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
                int skip = lf < 0 ? in.readableBytes() : lf + 1 - in.readerIndex();
                skipped += skip;
                in.skipBytes(skip);
                if (lf >= 0) {
                    discarding = false;
                    passOnCut(out);
                } else if (skipped > maxSkippedOctets) {
                    passOnCut(out);
                }
                continue;
            }
            if (lf < 0) {
                if (in.readableBytes() > maxLineOctets) {
                    cutHead = read(in, maxLineOctets);
                    skipped = 0;
                    discarding = true;
                    continue;
                }
                return;
            }
            int length = lf - in.readerIndex();
            if (length > maxLineOctets) {
                out.add(new ReplyLine(read(in, maxLineOctets), "", length + 1 - maxLineOctets));
                in.readerIndex(lf + 1);
                continue;
            }
            boolean crlf = length > 0 && in.getByte(lf - 1) == '\r';
            String content = read(in, crlf ? length - 1 : length);
            in.skipBytes(crlf ? 2 : 1);
            out.add(new ReplyLine(content, crlf ? "\r\n" : "\n", 0));
        }
    }

    /** Passes on the head of a cut line once (a line given up on stays discarded to its end). */
    private void passOnCut(List<Object> out) {
        if (cutHead != null) {
            out.add(new ReplyLine(cutHead, "", Math.max(1, skipped)));
            cutHead = null;
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
        passOnCut(out);
        if (in.isReadable() && !discarding) {
            // the connection ended in the middle of a line: keep what came, with no delimiter
            out.add(new ReplyLine(read(in, in.readableBytes()), "", 0));
        }
    }

    private static String read(ByteBuf in, int length) {
        String s = in.toString(in.readerIndex(), length, StandardCharsets.ISO_8859_1);
        in.skipBytes(length);
        return s;
    }
}
