package io.smtpharness.client;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.smtpharness.protocol.Deviation;
import io.smtpharness.protocol.Reply;
import io.smtpharness.protocol.ReplyLine;
import io.smtpharness.protocol.ReplyParser;
import io.smtpharness.transcript.Transcript;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;

/**
 * Runs on the event loop: records every framed line in the transcript, assembles replies and
 * hands them to the reading thread through a queue. The end of the connection is queued as a
 * {@link Received.Closed} after the last reply, so a reader sees replies and close in order.
 */
final class ReplyCollector extends SimpleChannelInboundHandler<ReplyLine> {

    private final ReplyParser parser;
    private final Transcript transcript;
    private final BlockingQueue<Received> queue;
    private final int maxQueuedReplies;
    private final int maxLineOctets;
    private final int maxReplyLines;
    private final long maxReplyOctets;
    private volatile int partialLines;
    /** Octets of the reply being read, skipped parts of its cut lines included (event loop only). */
    private long replyOctets;
    /** Set when the harness hangs up on a flood: lines already buffered are then neither parsed nor queued. */
    private boolean hangingUp;
    private static final String CLOSED_BY_SERVER = "closed by the server";
    private volatile String closeReason = CLOSED_BY_SERVER;
    /** Told, on the event loop, each time a reply or the close has been queued. */
    private Runnable onQueued = () -> { };

    ReplyCollector(ClientOptions options, Transcript transcript, BlockingQueue<Received> queue) {
        this.parser = new ReplyParser(options.maxReplyLines());
        this.transcript = transcript;
        this.queue = queue;
        this.maxQueuedReplies = options.maxQueuedReplies();
        this.maxLineOctets = options.maxLineOctets();
        this.maxReplyLines = options.maxReplyLines();
        this.maxReplyOctets = options.maxReplyOctets();
    }

    /** Lines of a reply that has begun but not ended. */
    int partialLines() {
        return partialLines;
    }

    /** Runs {@code listener} on the event loop each time a reply or the close has been queued. */
    void onQueued(Runnable listener) {
        onQueued = listener;
    }

    /** Marks the coming close as ours, so the transcript does not blame the server. */
    void closingByClient(String reason) {
        closeReason = reason;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ReplyLine line) {
        if (hangingUp) {
            // the rest of what one read brought after we hung up: not a reply to anything we send next
            return;
        }
        transcript.server(line.content() + line.delimiter());
        replyOctets = (partialLines == 0 ? 0 : replyOctets) + line.octets();
        if (line.truncated()) {
            // a note of its own: the transcript cuts long events, and a cut line is always long
            transcript.note("the line above was cut at " + maxLineOctets + " octets; " + line.skipped()
                    + (line.skipped() > maxReplyOctets ? " more were skipped unread and it had not ended"
                    : " more, to its end, were skipped unread"));
        }
        LineFramer framer = ctx.pipeline().get(LineFramer.class);
        // what was skipped counts too: a reply is cut off by the octets it took on the wire, not those kept
        Optional<Reply> complete = replyOctets > maxReplyOctets ? Optional.of(parser.cutOff(line, replyOctets))
                : parser.accept(line);
        complete.ifPresentOrElse(reply -> deliver(ctx, framer, reply), () -> partialLines++);
    }

    private void deliver(ChannelHandlerContext ctx, LineFramer framer, Reply reply) {
        partialLines = 0;
        if (queue.size() >= maxQueuedReplies) {
            closeReason = "closed by the harness: more than " + maxQueuedReplies + " unread replies (flood)";
            hangingUp = true;
            ctx.close();
            return;
        }
        queue.add(new Received.Got(reply, framer == null ? System.nanoTime() : framer.readNanos()));
        if (reply.has(Deviation.Kind.TOO_MANY_LINES)) {
            // nothing sensible follows a reply this long; stop reading rather than parse forever
            closeReason = "closed by the harness: a reply of more than " + reply.lines().size() + " lines"
                    + (reply.lines().size() < maxReplyLines ? " and " + maxReplyOctets + " octets" : "");
            hangingUp = true;
            ctx.close();
        }
        onQueued.run();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        parser.finishPartial().ifPresent(reply -> queue.add(new Received.Got(reply)));
        transcript.note(closeReason);
        queue.add(new Received.Closed(closeReason));
        onQueued.run();
        ctx.fireChannelInactive();
    }

    /**
     * A TLS close_notify from the server is the server closing (RFC 8446 §6.1): answer it and close
     * TCP, rather than wait for a TCP close that a server waiting for our close_notify never sends
     * (Python's asyncio ssl transport, so aiosmtpd with STARTTLS, does exactly that after 221).
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslCloseCompletionEvent && ((SslCloseCompletionEvent) event).isSuccess()
                && closeReason.equals(CLOSED_BY_SERVER)) {
            closeReason = "closed by the server (TLS close_notify, answered with ours)";
            ctx.close();
        }
        ctx.fireUserEventTriggered(event);
    }

    private static boolean tlsCause(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        closeReason = cause instanceof io.netty.handler.ssl.NotSslRecordException
                ? "connection failed: " + NettyConnection.describe(cause)
                : tlsCause(cause) ? "connection failed: the TLS session broke (the server closed it or sent what TLS"
                        + " could not read: " + rootMessage(cause) + ")"
                : "connection failed: " + cause.getMessage();
        ctx.close();
    }
}
