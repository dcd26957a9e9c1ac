package io.smtpharness.server;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;

/**
 * Reads one BDAT chunk: exactly the announced number of octets, taken verbatim (no dot-stuffing, no
 * end-of-data line, RFC 3030 §2). Octets past {@code maxOctets} are counted, not stored.
 */
final class ChunkReader {

    private final long maxOctets;
    private final ByteArrayOutputStream content = new ByteArrayOutputStream();
    private long left;
    private long size;

    ChunkReader(long octets, long maxOctets) {
        this.left = octets;
        this.maxOctets = maxOctets;
    }

    /** Consumes octets of the chunk; the chunk once all of it has arrived, else null. */
    Inbound.Chunk next(ByteBuf in) {
        int take = (int) Math.min(left, in.readableBytes());
        long room = Math.max(0, Math.min(take, maxOctets + 1 - size));
        byte[] kept = new byte[(int) room];
        in.readBytes(kept);
        content.write(kept, 0, kept.length);
        in.skipBytes(take - (int) room);
        size += take;
        left -= take;
        return left == 0 ? new Inbound.Chunk(content.toByteArray(), size > maxOctets) : null;
    }
}
