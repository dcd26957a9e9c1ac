package io.smtpharness.server;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Cuts command lines at CRLF only (RFC 5321 §2.3.8): a bare LF or bare CR stays inside the line,
 * unless the server is told to misbehave as many do and end a line at a bare LF too.
 *
 * <p>Netty's LineBasedFrameDecoder is not used because it treats a lone LF as a line end, which would
 * make the reference server answer {@code NOOP\n} (gray zone G-01). Over-long lines are discarded as
 * they arrive, so memory stays bounded by the limit.
 */
final class CommandLineFramer {

    private int maxLineOctets;
    private final boolean bareLfEnds;
    private boolean discarding;

    /** A framer for lines of at most {@code maxLineOctets} octets including CRLF, ended by a bare LF too if {@code bareLfEnds}. */
    CommandLineFramer(int maxLineOctets, boolean bareLfEnds) {
        this.maxLineOctets = maxLineOctets;
        this.bareLfEnds = bareLfEnds;
    }

    /** Changes the limit for the lines still to come (an AUTH exchange allows longer ones, RFC 4954 §4). */
    void limit(int octets) {
        maxLineOctets = octets;
    }

    /** Consumes at most one line from {@code in}; null when more input is needed. */
    Inbound next(ByteBuf in) {
        int lf = bareLfEnds ? in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n') : indexOfCrlfEnd(in);
        if (discarding) {
            if (lf < 0) {
                skipKeepingTrailingCr(in);
                return null;
            }
            in.readerIndex(lf + 1);
            discarding = false;
            return new Inbound.LineTooLong();
        }
        if (lf < 0) {
            // No CRLF among more than max octets: even if the last one is a CR, the line is too long.
            if (in.readableBytes() > maxLineOctets) {
                discarding = true;
                skipKeepingTrailingCr(in);
            }
            return null;
        }
        int lineOctets = lf + 1 - in.readerIndex();
        if (lineOctets > maxLineOctets) {
            in.readerIndex(lf + 1);
            return new Inbound.LineTooLong();
        }
        int ending = lf > in.readerIndex() && in.getByte(lf - 1) == '\r' ? 2 : 1;
        String text = in.toString(in.readerIndex(), lineOctets - ending, StandardCharsets.ISO_8859_1);
        in.readerIndex(lf + 1);
        return new Inbound.CommandLine(text);
    }

    /** The index of the LF of the first CRLF, or -1. */
    private static int indexOfCrlfEnd(ByteBuf in) {
        int from = in.readerIndex() + 1;
        int end = in.writerIndex();
        while (from < end) {
            int lf = in.indexOf(from, end, (byte) '\n');
            if (lf < 0) {
                return -1;
            }
            if (in.getByte(lf - 1) == '\r') {
                return lf;
            }
            from = lf + 1;
        }
        return -1;
    }

    // A CR at the very end may be the first half of the CRLF that ends the discarded line.
    private static void skipKeepingTrailingCr(ByteBuf in) {
        int keep = in.isReadable() && in.getByte(in.writerIndex() - 1) == '\r' ? 1 : 0;
        in.skipBytes(in.readableBytes() - keep);
    }
}
