package io.smtpharness.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.smtpharness.transcript.Transcript;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Opens {@link SmtpConnection}s over TCP; owns the Netty event loop they share. One per run; close it at
 * the end.
 */
public final class SmtpClient implements Connector, AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final ClientOptions options;
    private final ClientTls tls;
    /** When the next connection may start (System.nanoTime), for the connection rate limit. */
    private long nextConnectNanos = System.nanoTime();
    private volatile int connectionsPerSecond;

    public SmtpClient(ClientOptions options) {
        this(options, TlsSettings.defaults());
    }

    /** A client that does TLS as {@code tls} says (implicit TLS on connect, certificate checks). */
    public SmtpClient(ClientOptions options, TlsSettings tls) {
        this.options = options;
        this.tls = new ClientTls(tls);
        this.connectionsPerSecond = options.connectionsPerSecond();
    }

    @Override
    public TlsSettings tlsSettings() {
        return tls.settings();
    }

    /** Changes the connection rate limit for the connections still to come (0: none). */
    public void limitConnectionRate(int perSecond) {
        if (perSecond < 0) {
            throw new IllegalArgumentException("perSecond < 0: " + perSecond);
        }
        connectionsPerSecond = perSecond;
    }

    @Override
    public ClientOptions options() {
        return options;
    }

    @Override
    public SmtpConnection connect(InetSocketAddress target, Transcript transcript)
            throws TargetUnreachableException {
        Opening opening = open(target, transcript);
        ChannelFuture future = opening.future();
        if (!future.awaitUninterruptibly(options.connectTimeout().toMillis() + 1_000) || !future.isSuccess()) {
            future.cancel(false);
            throw unreachable(target, transcript, future.cause());
        }
        NettyConnection connection = opening.connected();
        if (tls.settings().implicit()) {
            implicitTls(connection, future.channel(), target);
        }
        return connection;
    }

    /**
     * Connects without waiting: {@code then} runs on the connection's event loop once it is up or
     * has failed. With implicit TLS, whose handshake is waited for, it connects on this thread.
     */
    @Override
    public void connectThen(InetSocketAddress target, Transcript transcript,
                            BiConsumer<SmtpConnection, TargetUnreachableException> then) {
        if (tls.settings().implicit()) {
            Connector.super.connectThen(target, transcript, then);
            return;
        }
        Opening opening = open(target, transcript);
        opening.future().addListener(done -> {
            if (done.isSuccess()) {
                then.accept(opening.connected(), null);
            } else {
                then.accept(null, unreachable(target, transcript, done.cause()));
            }
        });
    }

    /** A connection attempt under way, and what its connection will read replies with. */
    private record Opening(ChannelFuture future, BlockingQueue<Received> queue, ReplyCollector collector,
                           Transcript transcript, SmtpClient client) {
        NettyConnection connected() {
            Channel channel = future.channel();
            transcript.note("connected from " + channel.localAddress());
            return new NettyConnection(channel, queue, collector, transcript, client.options, client.tls, false);
        }
    }

    private Opening open(InetSocketAddress target, Transcript transcript) {
        BlockingQueue<Received> queue = new LinkedBlockingQueue<>();
        ReplyCollector collector = new ReplyCollector(options, transcript, queue);
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("framer", new LineFramer(options.maxLineOctets(), options.maxReplyOctets()));
                        ch.pipeline().addLast("replies", collector);
                    }
                });
        pace();
        transcript.note("connecting to " + describe(target));
        return new Opening(bootstrap.connect(target), queue, collector, transcript, this);
    }

    private static TargetUnreachableException unreachable(InetSocketAddress target, Transcript transcript,
                                                          Throwable cause) {
        String why = cause == null ? "connect timed out" : cause.getMessage();
        transcript.note("connect failed: " + why);
        return new TargetUnreachableException("cannot connect to " + describe(target) + ": " + why, cause);
    }

    /** RFC 8314 §3: TLS from the first octet, the greeting comes inside it. */
    private void implicitTls(NettyConnection connection, Channel channel, InetSocketAddress target)
            throws TargetUnreachableException {
        SslHandler handler = tls.newHandler(channel, options.replyTimeout());
        channel.pipeline().addFirst("tls", handler);
        connection.transcript().note("implicit TLS (--tls): handshake before the greeting");
        java.util.Optional<String> failure = connection.awaitHandshake(handler);
        if (failure.isPresent()) {
            throw new TargetUnreachableException("no TLS with " + describe(target) + ": " + failure.get(), null);
        }
        connection.secureNow();
    }

    /** Waits for this connection's slot under the connection rate limit. */
    private void pace() {
        int rate = connectionsPerSecond;
        if (rate == 0) {
            return;
        }
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            long slot = Math.max(now, nextConnectNanos);
            nextConnectNanos = slot + 1_000_000_000L / rate;
            wait = slot - now;
        }
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Stops the event loop; open connections are closed. */
    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    static String describe(InetSocketAddress address) {
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
