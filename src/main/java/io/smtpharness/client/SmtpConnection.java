package io.smtpharness.client;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.smtpharness.protocol.Command;
import io.smtpharness.transcript.Transcript;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One open SMTP connection, used by one thread at a time: blocking reads with deadlines on top of
 * Netty's event loop. Server behaviour never throws here; it comes back as {@link Received}.
 */
public final class SmtpConnection implements AutoCloseable {

    private final Channel channel;
    private final BlockingQueue<Received> queue;
    private final ReplyCollector collector;
    private final Transcript transcript;
    private final ClientOptions options;
    private Received.Closed closed;

    SmtpConnection(Channel channel, BlockingQueue<Received> queue, ReplyCollector collector,
                   Transcript transcript, ClientOptions options) {
        this.channel = channel;
        this.queue = queue;
        this.collector = collector;
        this.transcript = transcript;
        this.options = options;
    }

    /** The transcript this connection writes to. */
    public Transcript transcript() {
        return transcript;
    }

    /** Waits up to the configured reply timeout for one complete reply. */
    public Received readReply() {
        return readReply(options.replyTimeout());
    }

    /** Waits up to {@code timeout} for one complete reply (a deadline for all its lines). */
    public Received readReply(Duration timeout) {
        if (closed != null) {
            return closed;
        }
        try {
            Received received = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (received == null) {
                if (!timeout.isZero()) { // a zero wait only asks whether something is there
                    transcript.note("no complete reply within " + timeout.toMillis() + " ms");
                }
                return new Received.TimedOut(timeout.toMillis(), collector.partialLines());
            }
            if (received instanceof Received.Closed) {
                closed = (Received.Closed) received;
            }
            return received;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Received.TimedOut(0, collector.partialLines());
        }
    }

    /** Sends a validated command line and CRLF; false when the connection is already closed. */
    public boolean send(Command command) {
        return sendRaw(command.toWire());
    }

    /** Sends octets exactly as given (bare CR/LF, NUL, partial commands); false when closed. */
    public boolean sendRaw(byte[] octets) {
        transcript.client(octets);
        return write(octets);
    }

    /**
     * Sends message content: every line end becomes CRLF, a line starting with "." gets another
     * (RFC 5321 §4.5.2), and the end-of-data line follows.
     */
    public boolean sendMessage(String content) {
        return sendRaw(encodeMessage(content));
    }

    /** The octets {@link #sendMessage} sends. */
    public static byte[] encodeMessage(String content) {
        String normalized = content.replace("\r\n", "\n");
        if (normalized.endsWith("\n")) {
            normalized = normalized.substring(0, normalized.length() - 1);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(normalized.length() + 16);
        if (!normalized.isEmpty()) {
            for (String line : normalized.split("\n", -1)) {
                byte[] bytes = ((line.startsWith(".") ? "." : "") + line + "\r\n").getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        out.write('.');
        out.write('\r');
        out.write('\n');
        return out.toByteArray();
    }

    /** True while the TCP connection is open. */
    public boolean isOpen() {
        return channel.isActive() && closed == null;
    }

    /** Drops the connection (no QUIT) and waits briefly for Netty to finish. */
    @Override
    public void close() {
        if (channel.isOpen()) {
            collector.closingByClient("closed by the harness");
            channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }

    private boolean write(byte[] octets) {
        if (!channel.isActive()) {
            return false;
        }
        // not awaited (that would cost a thread hand-off per command): a write that fails because
        // the connection went away meanwhile says so in the transcript, and readReply reports why
        channel.writeAndFlush(Unpooled.wrappedBuffer(octets)).addListener(future -> {
            if (!future.isSuccess()) {
                transcript.note("not sent: the connection is closed");
            }
        });
        return true;
    }
}
