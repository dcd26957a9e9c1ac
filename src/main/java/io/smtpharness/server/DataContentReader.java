package io.smtpharness.server;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;

/**
 * Streams DATA content up to CRLF "." CRLF, removing one leading dot from dot-stuffed lines
 * (RFC 5321 §4.1.1.4, §4.5.2).
 *
 * <p>A line starts only after CRLF, so {@code \n.\n}, {@code \r.\r}, {@code \r\n.\n} and {@code \n.\r\n}
 * are content, not the end (no SMTP smuggling). Bare CR and LF are kept as content (gray zone G-01b).
 * Octets past the size limit are counted but not stored, so memory stays bounded.
 */
final class DataContentReader {

    private enum State { TEXT, CR, DOT, DOT_CR }

    private final long maxOctets;
    private final boolean bareLfEndsData;
    private final boolean refuseBareLf;
    private final ByteArrayOutputStream content = new ByteArrayOutputStream();
    private long size;
    private State state = State.TEXT;
    // DATA's own CRLF counts as the line end before the first content line, so ".\r\n" at once is empty.
    private boolean atLineStart = true;

    /**
     * A reader for one DATA phase; {@code bareLfEndsData} is the smuggling-prone misbehaviour,
     * {@code refuseBareLf} the defence of a server that stops at the first bare LF.
     */
    DataContentReader(long maxOctets, boolean bareLfEndsData, boolean refuseBareLf) {
        this.maxOctets = maxOctets;
        this.bareLfEndsData = bareLfEndsData;
        this.refuseBareLf = refuseBareLf;
    }

    /**
     * Consumes octets up to and including the end-of-data line, or up to a refused bare LF; null
     * when neither has arrived yet.
     */
    Inbound next(ByteBuf in) {
        while (in.isReadable()) {
            byte b = in.readByte();
            if (refuseBareLf && b == '\n' && state != State.CR && state != State.DOT_CR) {
                return new Inbound.BareLineFeed();
            }
            if (accept(b)) {
                return new Inbound.DataEnd(content.toByteArray(), size > maxOctets);
            }
        }
        return null;
    }

    /** Feeds one octet; true when it completed the end-of-data line. */
    private boolean accept(byte b) {
        switch (state) {
            case DOT:
                if (b == '\r') {
                    state = State.DOT_CR;
                    return false;
                }
                if (b == '\n' && bareLfEndsData) {
                    return true;
                }
                // The stuffing dot is dropped; the octet after it is ordinary text.
                state = State.TEXT;
                return text(b);
            case DOT_CR:
                if (b == '\n') {
                    return true;
                }
                state = State.TEXT;
                text((byte) '\r');
                return text(b);
            default:
                return text(b);
        }
    }

    private boolean text(byte b) {
        if (atLineStart && b == '.') {
            atLineStart = false;
            state = State.DOT;
            return false;
        }
        boolean crlf = state == State.CR && b == '\n';
        atLineStart = crlf || (bareLfEndsData && b == '\n');
        state = b == '\r' ? State.CR : State.TEXT;
        store(b);
        return false;
    }

    private void store(byte b) {
        size++;
        if (size <= maxOctets) {
            content.write(b);
        }
    }
}
