package io.smtpharness.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The embedded reference SMTP server on 127.0.0.1: RFC 5321 conformant unless its {@link ServerConfig}
 * lists {@link Misbehaviour}s; start it with {@link #start(ServerConfig)} and close it when done.
 */
public final class ReferenceServer implements AutoCloseable {

    private final ServerConfig config;
    private final EventLoopGroup group;
    private final Channel listener;
    private final ChannelGroup sessions;
    private final List<DeliveredMessage> delivered;
    private final AtomicBoolean closeStarted = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);

    private ReferenceServer(ServerConfig config, EventLoopGroup group, Channel listener, ChannelGroup sessions,
            List<DeliveredMessage> delivered) {
        this.config = config;
        this.group = group;
        this.listener = listener;
        this.sessions = sessions;
        this.delivered = delivered;
    }

    /** Binds 127.0.0.1 on {@code config.port()} (0 = a free port) and returns once listening. */
    public static ReferenceServer start(ServerConfig config) {
        Objects.requireNonNull(config, "config");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        ChannelGroup sessions = new DefaultChannelGroup("smtp-sessions", GlobalEventExecutor.INSTANCE);
        List<DeliveredMessage> delivered = new CopyOnWriteArrayList<>();
        try {
            Channel listener = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            sessions.add(ch);
                            SmtpFrameDecoder decoder = new SmtpFrameDecoder(commandLineLimit(config),
                                    authLineLimit(config), config.misbehaves(Misbehaviour.BareLfEndsCommand.class));
                            ch.pipeline().addLast(
                                    new IdleStateHandler(config.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS),
                                    decoder,
                                    new SmtpSessionHandler(config, decoder, delivered::add));
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", config.port()))
                    .syncUninterruptibly()
                    .channel();
            return new ReferenceServer(config, group, listener, sessions, delivered);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new UncheckedIOException(new IOException("cannot listen on 127.0.0.1:" + config.port(), e));
        }
    }

    /** The port the server listens on. */
    public int port() {
        return address().getPort();
    }

    /** The address the server listens on. */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** The configuration the server runs with. */
    public ServerConfig config() {
        return config;
    }

    /** A snapshot of the messages accepted so far, oldest first. */
    public List<DeliveredMessage> messages() {
        return List.copyOf(delivered);
    }

    /**
     * Blocks until the server stops listening: by {@link #close()}, or by a misbehaviour that takes
     * the whole server down ({@link Misbehaviour.DieAfter}).
     */
    public void awaitListenerClosed() throws InterruptedException {
        listener.closeFuture().await();
    }

    /** Blocks until {@link #close()} has finished (for a foreground {@code serve} command). */
    public void awaitClose() throws InterruptedException {
        closed.await();
    }

    /** Stops listening, sends 421 to every open session (RFC 5321 §3.8) and frees the threads; idempotent. */
    @Override
    public void close() {
        if (!closeStarted.compareAndSet(false, true)) {
            return;
        }
        try {
            listener.close().syncUninterruptibly();
            String goodbye = Replies.shuttingDown(config.hostname());
            for (Channel session : sessions) {
                SmtpSessionHandler handler = session.pipeline().get(SmtpSessionHandler.class);
                if (handler != null) {
                    handler.closeWith(goodbye);
                } else {
                    session.close();
                }
            }
            sessions.newCloseFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        } finally {
            closed.countDown();
        }
    }

    /** Tells the state and the port, e.g. {@code ReferenceServer[listening on 127.0.0.1:2525]}. */
    @Override
    public String toString() {
        String state = closeStarted.get() ? "closed" : "listening";
        return "ReferenceServer[" + state + " on " + listener.localAddress() + ", " + delivered.size() + " messages]";
    }

    /** The AUTH-response limit: RFC 4954 §4's 12 288 octets, or a {@link Misbehaviour.AuthLineLimit}. */
    private static int authLineLimit(ServerConfig config) {
        return config.misbehaviour(Misbehaviour.AuthLineLimit.class).map(Misbehaviour.AuthLineLimit::octets)
                .orElse(Math.max(commandLineLimit(config), SmtpFrameDecoder.AUTH_LINE_OCTETS));
    }

    /** The command-line limit the framer enforces: the configured one, or a {@link Misbehaviour.LineLimit}. */
    private static int commandLineLimit(ServerConfig config) {
        return config.misbehaviour(Misbehaviour.LineLimit.class).map(Misbehaviour.LineLimit::octets)
                .orElse(config.maxCommandLine());
    }
}
