package io.smtpharness.client;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import io.smtpharness.protocol.Command;
import io.smtpharness.protocol.MessageContent;
import io.smtpharness.protocol.Reply;
import io.smtpharness.transcript.Transcript;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
    private final ClientTls tls;
    private Received.Closed closed;
    private boolean secure;

    SmtpConnection(Channel channel, BlockingQueue<Received> queue, ReplyCollector collector,
                   Transcript transcript, ClientOptions options, ClientTls tls, boolean secure) {
        this.channel = channel;
        this.queue = queue;
        this.collector = collector;
        this.transcript = transcript;
        this.options = options;
        this.tls = tls;
        this.secure = secure;
    }

    void secureNow() {
        secure = true;
    }

    /** True once TLS is up (implicit, or after {@link #startTls()}). */
    public boolean isSecure() {
        return secure;
    }

    /**
     * Starts TLS on this connection after the server's 220 to STARTTLS (RFC 3207 §4): replies already
     * received in plaintext are taken out of the reply queue (and returned), an incomplete plaintext
     * line is dropped, Netty's SslHandler goes in front of everything, and the handshake gets the
     * reply timeout. The transcript notes the protocol, cipher suite and the server certificate's
     * subject, issuer and validity. From then on every reply read came inside TLS.
     */
    public TlsUpgrade startTls() {
        List<Reply> plaintext = new ArrayList<>();
        int[] dropped = new int[1];
        SslHandler handler;
        try {
            handler = channel.eventLoop().submit(() -> {
                for (Received r; (r = queue.peek()) instanceof Received.Got; ) {
                    queue.poll();
                    plaintext.add(((Received.Got) r).reply());
                }
                ChannelPipeline pipeline = channel.pipeline();
                LineFramer framer = pipeline.get(LineFramer.class);
                if (framer == null || !channel.isActive()) {
                    return null;
                }
                dropped[0] = framer.buffered();
                pipeline.replace(framer, "framer", new LineFramer(options.maxLineOctets(), options.maxReplyOctets()));
                SslHandler ssl = tls.newHandler(channel, options.replyTimeout());
                pipeline.addFirst("tls", ssl);
                return ssl;
            }).get(options.replyTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new TlsUpgrade(Optional.of("interrupted"), false, plaintext, dropped[0]);
        } catch (ExecutionException | TimeoutException e) {
            return new TlsUpgrade(Optional.of("cannot start TLS: " + e), false, plaintext, dropped[0]);
        }
        for (Reply reply : plaintext) {
            transcript.note("reply received in plaintext after the 220, before the TLS handshake: " + reply.summary());
        }
        if (dropped[0] > 0) {
            transcript.note(dropped[0] + " octets of an incomplete plaintext line after the 220 were dropped");
        }
        if (handler == null) {
            transcript.note("TLS not started: the connection is closed");
            return new TlsUpgrade(Optional.of("the connection closed before the TLS handshake"), false, plaintext,
                    dropped[0]);
        }
        transcript.note("TLS handshake started");
        Optional<String> failure = awaitHandshake(handler);
        if (failure.isPresent()) {
            return new TlsUpgrade(failure, certificateRejected(handler.handshakeFuture().cause()), plaintext,
                    dropped[0]);
        }
        secure = true;
        return new TlsUpgrade(Optional.empty(), false, plaintext, dropped[0]);
    }

    /** Waits for the handshake; notes its outcome. Empty when TLS is up. */
    Optional<String> awaitHandshake(SslHandler handler) {
        io.netty.util.concurrent.Future<Channel> done = handler.handshakeFuture();
        if (!done.awaitUninterruptibly(options.replyTimeout().toMillis() + 1_000)) {
            String why = "TLS handshake did not complete within " + options.replyTimeout().toMillis() + " ms";
            transcript.note(why);
            close();
            return Optional.of(why);
        }
        if (!done.isSuccess()) {
            String why = "TLS handshake failed: " + describe(done.cause());
            transcript.note(why);
            close();
            return Optional.of(why);
        }
        ClientTls.describeSession(handler, tls.verify()).forEach(transcript::note);
        return Optional.empty();
    }

    /** The cause in one short line; plaintext where a TLS record belonged is shown as text, not hex. */
    static String describe(Throwable cause) {
        if (cause instanceof io.netty.handler.ssl.NotSslRecordException && cause.getMessage() != null) {
            java.util.regex.Matcher hex = java.util.regex.Pattern.compile("record: ([0-9a-f]{2,120})").matcher(cause.getMessage());
            if (hex.find()) {
                byte[] octets = java.util.HexFormat.of().parseHex(hex.group(1).substring(0, hex.group(1).length() & ~1));
                return "NotSslRecordException: the server sent \""
                        + io.smtpharness.transcript.Escaping.escape(octets) + "...\" where a TLS record belonged";
            }
        }
        String text = cause == null ? "unknown cause" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private static boolean certificateRejected(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }

    /** The transcript this connection writes to. */
    public Transcript transcript() {
        return transcript;
    }

    /** Octets received on this connection so far, complete lines or not (before TLS, if it started). */
    public long octetsReceived() {
        LineFramer framer = channel.pipeline().get(LineFramer.class);
        return framer == null ? 0 : framer.received();
    }

    /** Waits up to the configured reply timeout for one complete reply. */
    public Received readReply() {
        return readReply(options.replyTimeout());
    }

    /** Waits up to {@code timeout} for one complete reply (a deadline for all its lines). */
    public Received readReply(Duration timeout) {
        return readReply(timeout, "no complete reply within " + timeout.toMillis() + " ms");
    }

    /** As {@link #readReply(Duration)}, noting {@code onSilence} (if not null) in the transcript if nothing came in time. */
    public Received readReply(Duration timeout, String onSilence) {
        if (closed != null) {
            return closed;
        }
        try {
            Received received = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (received == null) {
                if (!timeout.isZero() && onSilence != null) { // a zero wait only asks whether something is there
                    transcript.note(onSilence);
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

    /** A reply already received and not yet read, without waiting (and without a transcript note). */
    public Optional<Reply> pollReply() {
        Received head = queue.peek();
        if (head instanceof Received.Got) {
            queue.poll();
            return Optional.of(((Received.Got) head).reply());
        }
        return Optional.empty();
    }

    /** Sends a validated command line and CRLF; false when the connection is already closed. */
    public boolean send(Command command) {
        return sendRaw(command.toWire());
    }

    /**
     * Sends one line of an AUTH exchange (the command with its initial response, or a response):
     * the transcript records it redacted ({@link Transcript#clientAuth}), so credentials never reach
     * a transcript or report.
     */
    public boolean sendAuth(byte[] octets) {
        transcript.clientAuth(octets);
        return write(octets);
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
        return sendRaw(MessageContent.encode(content));
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
