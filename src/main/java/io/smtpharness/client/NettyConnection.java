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
import java.util.function.Consumer;

/**
 * An {@link SmtpConnection} over TCP: blocking reads with deadlines on top of Netty's event loop,
 * which frames the replies into a queue ({@link ReplyCollector}).
 */
final class NettyConnection implements SmtpConnection {

    private final Channel channel;
    private final BlockingQueue<Received> queue;
    private final ReplyCollector collector;
    private final Transcript transcript;
    private final ClientOptions options;
    private final ClientTls tls;
    private Received.Closed closed;
    private boolean secure;
    /** A {@link #whenReply} waiting for the next reply (event loop only), and its deadline. */
    private Consumer<Received> waiter;
    private io.netty.util.concurrent.ScheduledFuture<?> waiterDeadline;

    NettyConnection(Channel channel, BlockingQueue<Received> queue, ReplyCollector collector,
                   Transcript transcript, ClientOptions options, ClientTls tls, boolean secure) {
        this.channel = channel;
        this.queue = queue;
        this.collector = collector;
        this.transcript = transcript;
        this.options = options;
        this.tls = tls;
        this.secure = secure;
        collector.onQueued(this::queued);
    }

    void secureNow() {
        secure = true;
    }

    @Override
    public boolean isSecure() {
        return secure;
    }

    @Override
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

    @Override
    public Transcript transcript() {
        return transcript;
    }

    @Override
    public long octetsReceived() {
        LineFramer framer = channel.pipeline().get(LineFramer.class);
        return framer == null ? 0 : framer.received();
    }

    @Override
    public Received readReply() {
        return readReply(options.replyTimeout());
    }

    @Override
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

    @Override
    public void whenReply(Duration timeout, String onSilence, Consumer<Received> then) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> whenReply(timeout, onSilence, then));
            return;
        }
        if (waiter != null) {
            throw new IllegalStateException("a reply is already awaited on this connection");
        }
        Received ready = readReply(Duration.ZERO, null);
        if (!(ready instanceof Received.TimedOut) || timeout.isZero()) {
            then.accept(ready);
            return;
        }
        waiter = then;
        waiterDeadline = channel.eventLoop().schedule(() -> {
            if (onSilence != null) {
                transcript.note(onSilence);
            }
            handOver(new Received.TimedOut(timeout.toMillis(), collector.partialLines()));
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The collector queued a reply or the close (event loop): a waiting {@link #whenReply} gets it. */
    private void queued() {
        if (waiter == null) {
            return;
        }
        Received received = readReply(Duration.ZERO, null);
        if (!(received instanceof Received.TimedOut)) {
            waiterDeadline.cancel(false);
            handOver(received);
        }
    }

    private void handOver(Received received) {
        Consumer<Received> then = waiter;
        waiter = null;
        then.accept(received);
    }

    @Override
    public Optional<Reply> pollReply() {
        Received head = queue.peek();
        if (head instanceof Received.Got) {
            queue.poll();
            return Optional.of(((Received.Got) head).reply());
        }
        return Optional.empty();
    }

    @Override
    public boolean sendAuth(byte[] octets) {
        transcript.clientAuth(octets);
        return write(octets);
    }

    @Override
    public boolean sendRaw(byte[] octets) {
        transcript.client(octets);
        return write(octets);
    }

    @Override
    public boolean isOpen() {
        return channel.isActive() && closed == null;
    }

    @Override
    public void close() {
        if (channel.isOpen()) {
            collector.closingByClient("closed by the harness");
            io.netty.channel.ChannelFuture closing = channel.close();
            if (!channel.eventLoop().inEventLoop()) { // on the loop it cannot wait for itself; the close is queued
                closing.awaitUninterruptibly(2, TimeUnit.SECONDS);
            }
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
                transcript.note(Transcript.NOT_SENT);
            }
        });
        return true;
    }
}
