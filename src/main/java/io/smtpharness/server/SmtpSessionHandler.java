package io.smtpharness.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.smtpharness.server.Misbehaviour.BareLfEndsData;
import io.smtpharness.server.Misbehaviour.CloseOn;
import io.smtpharness.server.Misbehaviour.Reply;
import io.smtpharness.server.Misbehaviour.StartTlsInjection;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Connects one channel to its {@link SmtpCommands}: writes the greeting, answers each frame in order,
 * switches the decoder to DATA framing after 354, and closes only after 221, 421 or a silent-close
 * misbehaviour (RFC 5321 §3.8).
 *
 * <p>This is where the wire-level misbehaviours ({@link CloseOn}, {@link Reply}, {@link BareLfEndsData})
 * are consulted; the command-level ones live in {@link SmtpCommands}.
 */
final class SmtpSessionHandler extends SimpleChannelInboundHandler<Inbound> {

    private final ServerConfig config;
    private final SmtpFrameDecoder decoder;
    private final SmtpCommands commands;
    private ChannelHandlerContext ctx;
    // Once a closing reply is queued, later pipelined input must not be answered.
    private boolean closing;

    /** A handler for one connection, switching {@code decoder} into DATA mode when needed. */
    SmtpSessionHandler(ServerConfig config, SmtpFrameDecoder decoder, Consumer<DeliveredMessage> delivery) {
        this.config = config;
        this.decoder = decoder;
        this.commands = new SmtpCommands(config, delivery);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        write(commands.greeting());
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Inbound frame) {
        if (closing) {
            return;
        }
        if (frame instanceof Inbound.CommandLine line) {
            onCommand(line.text());
        } else if (frame instanceof Inbound.DataEnd end) {
            write(commands.endOfData(end).reply());
        } else if (commands.inAuthExchange()) {
            write(commands.authLineTooLong());
            decoder.authExchange(false);
        } else {
            write(Replies.S500_LINE_TOO_LONG);
        }
    }

    private void onCommand(String line) {
        String verb = SmtpCommands.verbOf(line);
        if (config.misbehaviours().stream().anyMatch(m -> m instanceof CloseOn c && c.verb().equalsIgnoreCase(verb))) {
            closeWithoutReply();
            return;
        }
        Outcome outcome = commands.handle(line);
        String reply = replyOverride(verb).orElse(outcome.reply());
        if (outcome.next() == Outcome.Next.DATA) {
            decoder.startData(config.maxMessageSize(), config.misbehaves(BareLfEndsData.class));
        }
        decoder.authExchange(commands.inAuthExchange());
        if (outcome.next() == Outcome.Next.TLS) {
            // what the client pipelined behind STARTTLS arrived in plaintext: never run it inside TLS
            ByteBuf pipelined = decoder.takeBuffered();
            write(reply);
            startTls(pipelined);
            return;
        }
        ChannelFuture written = write(reply);
        if (outcome.next() == Outcome.Next.CLOSE) {
            closing = true;
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * Puts TLS in front of everything once the 220 is on its way (RFC 3207 §4); after the handshake
     * the session starts afresh. {@code pipelined} is dropped, unless the injection misbehaviour
     * feeds it to the session as if it had come inside TLS.
     */
    private void startTls(ByteBuf pipelined) {
        SslHandler tls = config.tls().orElseThrow().serverContext().newHandler(ctx.alloc());
        ctx.pipeline().addFirst("tls", tls);
        tls.handshakeFuture().addListener(done -> {
            if (!done.isSuccess()) {
                pipelined.release();
                closeWithoutReply(); // RFC 3207 §4.1: a failed handshake ends the connection
                return;
            }
            commands.tlsStarted();
            if (config.misbehaves(StartTlsInjection.class) && pipelined.isReadable()) {
                ctx.pipeline().context(tls).fireChannelRead(pipelined);
            } else {
                pipelined.release();
            }
        });
    }

    private Optional<String> replyOverride(String verb) {
        return config.misbehaviours().stream()
                .filter(m -> m instanceof Reply r && r.verb().equalsIgnoreCase(verb))
                .map(m -> ((Reply) m).rawReply())
                .findFirst();
    }

    /** Sends {@code reply} (a 421) and closes, from any thread (RFC 5321 §3.8). */
    void closeWith(String reply) {
        ctx.executor().execute(() -> {
            if (closing) {
                return;
            }
            closing = true;
            write(reply).addListener(ChannelFutureListener.CLOSE);
        });
    }

    private void closeWithoutReply() {
        closing = true;
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            closeWith(Replies.idleTimeout(config.hostname()));
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // An I/O error (usually a reset by the client) ends the session; an open transaction is dropped.
        closeWithoutReply();
    }

    private ChannelFuture write(String text) {
        ByteBuf buf = ctx.alloc().buffer(text.length());
        buf.writeCharSequence(text, StandardCharsets.ISO_8859_1);
        return ctx.writeAndFlush(buf);
    }
}
