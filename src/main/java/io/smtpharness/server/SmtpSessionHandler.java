package io.smtpharness.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.smtpharness.server.Misbehaviour.BareLfEndsData;
import io.smtpharness.server.Misbehaviour.CloseNotifyThenWait;
import io.smtpharness.server.Misbehaviour.CloseOn;
import io.smtpharness.server.Misbehaviour.CrashAfter;
import io.smtpharness.server.Misbehaviour.DelayReply;
import io.smtpharness.server.Misbehaviour.DieAfter;
import io.smtpharness.server.Misbehaviour.DieOnLongLine;
import io.smtpharness.server.Misbehaviour.DropReply;
import io.smtpharness.server.Misbehaviour.HangOnNul;
import io.smtpharness.server.Misbehaviour.HangUpAfterErrors;
import io.smtpharness.server.Misbehaviour.Reply;
import io.smtpharness.server.Misbehaviour.StartTlsInjection;
import io.smtpharness.server.Misbehaviour.ReplyInState;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
    private static final java.util.Set<String> MAIL_VERBS = java.util.Set.of("MAIL", "RCPT", "DATA", "BDAT", "QUIT");
    // Once a closing reply is queued, later pipelined input must not be answered.
    private boolean closing;
    /** The BDAT line whose chunk is being read (RFC 3030 §2), or null. */
    private String bdatLine;
    /** A reply held back by {@link DelayReply}, written after the next one. */
    private String delayed;
    // HangOnNul: once hung, nothing more is answered.
    private boolean hung;
    // HangUpAfterErrors: 5yz replies sent so far.
    private int errorReplies;
    // NonMailLimit: commands so far that moved no mail.
    private int nonMailCommands;
    // NonMailLimit.closeAtNextCommand: refused, and the next line only gets the close.
    private boolean refusedAsNonMail;
    private static final long CLOSE_AFTER_REFUSAL_MS = 100;
    // CrashAfter: how many of its verbs have arrived, in order.
    private int crashProgress;

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
        if (closing || hung) {
            return;
        }
        if (frame instanceof Inbound.CommandLine line) {
            onCommand(line.text());
        } else if (frame instanceof Inbound.DataEnd end) {
            write(commands.endOfData(end).reply());
        } else if (frame instanceof Inbound.BareLineFeed) {
            closing = true;
            write("421 4.5.0 Bare linefeed (LF) not allowed\r\n").addListener(ChannelFutureListener.CLOSE);
        } else if (frame instanceof Inbound.Chunk chunk) {
            String line = bdatLine;
            bdatLine = null;
            answer(SmtpCommands.verbOf(line), commands.bdat(line, chunk).reply());
        } else if (commands.inAuthExchange()) {
            write(commands.authLineTooLong());
            decoder.authExchange(false);
        } else {
            write(Replies.S500_LINE_TOO_LONG);
        }
    }

    private boolean overNonMailLimit(String verb) {
        Optional<Misbehaviour.NonMailLimit> limit = config.misbehaviour(Misbehaviour.NonMailLimit.class);
        return limit.isPresent() && !MAIL_VERBS.contains(verb.toUpperCase(java.util.Locale.ROOT))
                && ++nonMailCommands > limit.get().commands();
    }

    private void onCommand(String line) {
        Optional<HangUpAfterErrors> hangUp = config.misbehaviour(HangUpAfterErrors.class);
        if (hangUp.isPresent() && errorReplies >= hangUp.get().errors()) {
            if (hangUp.get().with421()) {
                closing = true;
                write("421 4.7.0 " + config.hostname() + " too many errors, closing\r\n")
                        .addListener(ChannelFutureListener.CLOSE);
            } else {
                closeWithoutReply();
            }
            return;
        }
        if (refusedAsNonMail) {
            // NonMailLimit.closeAtNextCommand: the 554 said it all; a line still unread when Exim closes
            // makes its kernel reset the connection, so reset it too
            ctx.channel().config().setOption(io.netty.channel.ChannelOption.SO_LINGER, 0);
            closeWithoutReply();
            return;
        }
        String verb = SmtpCommands.verbOf(line);
        if (overNonMailLimit(verb)) {
            ChannelFuture refused = write("554 5.7.0 Too many nonmail commands\r\n");
            if (config.misbehaviour(Misbehaviour.NonMailLimit.class).orElseThrow().closeAtNextCommand()) {
                refusedAsNonMail = true; // the close comes with the next line, or a moment later
                ctx.executor().schedule(this::closeWithoutReply, CLOSE_AFTER_REFUSAL_MS, TimeUnit.MILLISECONDS);
            } else {
                closing = true;
                refused.addListener(ChannelFutureListener.CLOSE);
            }
            return;
        }
        boolean crashed = crashes(verb);
        if (crashed && config.misbehaves(DieAfter.class) || diesOn(verb, line)) {
            dieWithoutReply();
            return;
        }
        if (crashed || config.misbehaviours().stream().anyMatch(m -> m instanceof CloseOn c
                && c.verb().equalsIgnoreCase(verb))) {
            closeWithoutReply();
            return;
        }
        if (line.indexOf('\0') >= 0 && config.misbehaves(HangOnNul.class)) {
            hung = true;
            return;
        }
        long chunkSize = SmtpCommands.chunkSize(line);
        if (chunkSize > 0) {
            // the chunk is read (and discarded if refused) before the reply (RFC 3030 §2)
            bdatLine = line;
            decoder.startChunk(chunkSize, config.maxMessageSize());
            return;
        }
        if (chunkSize == 0) {
            answer(verb, commands.bdat(line, new Inbound.Chunk(new byte[0], false)).reply());
            return;
        }
        String state = commands.state();
        Outcome outcome = commands.handle(line);
        String reply = replyOverride(verb).or(() -> replyInState(verb, state)).orElse(outcome.reply());
        if (outcome.next() == Outcome.Next.DATA) {
            decoder.startData(config.maxMessageSize(), config.misbehaves(BareLfEndsData.class),
                    config.misbehaves(Misbehaviour.RefuseBareLf.class));
        }
        decoder.authExchange(commands.inAuthExchange());
        if (outcome.next() == Outcome.Next.TLS) {
            // what the client pipelined behind STARTTLS arrived in plaintext: never run it inside TLS
            ByteBuf pipelined = decoder.takeBuffered();
            write(reply);
            startTls(pipelined);
            return;
        }
        crashSequence().filter(verbs -> verbs.get(crashProgress).equalsIgnoreCase(verb + "!")
                && (reply.startsWith("4") || reply.startsWith("5"))).ifPresent(refused -> crashProgress++);
        ChannelFuture written = answer(verb, reply);
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        if (outcome.next() == Outcome.Next.CLOSE && tls != null && config.misbehaves(CloseNotifyThenWait.class)) {
            closing = true;
            written.addListener(done -> tls.closeOutbound()); // TCP stays up until the client's close_notify
        } else if (outcome.next() == Outcome.Next.CLOSE) {
            closing = true;
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Writes the reply to {@code verb}, unless a {@link DropReply} or {@link DelayReply} says otherwise. */
    private ChannelFuture answer(String verb, String reply) {
        if (config.misbehaviours().stream().anyMatch(m -> m instanceof DropReply d && d.verb().equalsIgnoreCase(verb))) {
            return ctx.newSucceededFuture();
        }
        if (config.misbehaviours().stream().anyMatch(m -> m instanceof DelayReply d && d.verb().equalsIgnoreCase(verb))) {
            String before = delayed;
            delayed = reply;
            return before == null ? ctx.newSucceededFuture() : write(before);
        }
        String extra = config.misbehaviours().stream()
                .filter(m -> m instanceof Misbehaviour.ExtraReply e && e.verb().equalsIgnoreCase(verb))
                .map(m -> ((Misbehaviour.ExtraReply) m).rawReply()).findFirst().orElse("");
        ChannelFuture written = write(reply + extra);
        if (delayed != null) {
            written = write(delayed);
            delayed = null;
        }
        return written;
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

    /** {@link DieOnLongLine}: true when this line takes the server down. */
    private boolean diesOn(String verb, String line) {
        return config.misbehaviour(DieOnLongLine.class)
                .filter(d -> d.verb().equalsIgnoreCase(verb) && line.length() > d.octets()).isPresent();
    }

    private Optional<List<String>> crashSequence() {
        return config.misbehaviour(CrashAfter.class).map(CrashAfter::verbs)
                .or(() -> config.misbehaviour(DieAfter.class).map(DieAfter::verbs));
    }

    /** Counts {@link CrashAfter}'s verbs as they arrive; true when the last one just did. */
    private boolean crashes(String verb) {
        Optional<List<String>> crash = crashSequence();
        if (crash.isEmpty()) {
            return false;
        }
        List<String> verbs = crash.get();
        if (verbs.get(crashProgress).equalsIgnoreCase(verb)) {
            crashProgress++;
        }
        return crashProgress == verbs.size();
    }

    private Optional<String> replyInState(String verb, String state) {
        return config.misbehaviour(ReplyInState.class)
                .filter(r -> r.verb().equalsIgnoreCase(verb) && r.state().equals(state))
                .map(ReplyInState::rawReply);
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

    /**
     * The whole server dies: the listener closes first and this session only after it, so a client
     * that sees the session end and connects again is refused, as by a dead process, not greeted
     * by a listener that had not gone yet.
     */
    private void dieWithoutReply() {
        closing = true;
        io.netty.channel.Channel listener = ctx.channel().parent();
        if (listener == null) {
            ctx.close();
            return;
        }
        listener.close().addListener(gone -> ctx.close());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            closeWith(Replies.idleTimeout(config.hostname()));
        } else if (event instanceof SslCloseCompletionEvent && config.misbehaves(CloseNotifyThenWait.class)) {
            ctx.close();
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
        if (text.startsWith("5")) {
            errorReplies++;
        }
        ByteBuf buf = ctx.alloc().buffer(text.length());
        buf.writeCharSequence(text, StandardCharsets.ISO_8859_1);
        return ctx.writeAndFlush(buf);
    }
}
