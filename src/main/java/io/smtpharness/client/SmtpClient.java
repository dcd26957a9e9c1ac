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
import io.smtpharness.transcript.Transcript;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Opens {@link SmtpConnection}s; owns the Netty event loop they share. One per run; close it at
 * the end.
 */
public final class SmtpClient implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final ClientOptions options;
    /** When the next connection may start (System.nanoTime), for the connection rate limit. */
    private long nextConnectNanos = System.nanoTime();
    private volatile int connectionsPerSecond;

    public SmtpClient(ClientOptions options) {
        this.options = options;
        this.connectionsPerSecond = options.connectionsPerSecond();
    }

    /** Changes the connection rate limit for the connections still to come (0: none). */
    public void limitConnectionRate(int perSecond) {
        if (perSecond < 0) {
            throw new IllegalArgumentException("perSecond < 0: " + perSecond);
        }
        connectionsPerSecond = perSecond;
    }

    /** The limits every connection of this client uses. */
    public ClientOptions options() {
        return options;
    }

    /** Connects; the greeting is then the first reply to read. */
    public SmtpConnection connect(InetSocketAddress target, Transcript transcript)
            throws TargetUnreachableException {
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
                        ch.pipeline().addLast(new LineFramer(options.maxLineOctets()), collector);
                    }
                });
        pace();
        transcript.note("connecting to " + describe(target));
        ChannelFuture future = bootstrap.connect(target);
        if (!future.awaitUninterruptibly(options.connectTimeout().toMillis() + 1_000) || !future.isSuccess()) {
            future.cancel(false);
            Throwable cause = future.cause();
            String why = cause == null ? "connect timed out" : cause.getMessage();
            transcript.note("connect failed: " + why);
            throw new TargetUnreachableException("cannot connect to " + describe(target) + ": " + why, cause);
        }
        Channel channel = future.channel();
        transcript.note("connected from " + channel.localAddress());
        return new SmtpConnection(channel, queue, collector, transcript, options);
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
