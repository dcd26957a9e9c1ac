package io.smtpharness.rules;

import io.smtpharness.protocol.Capabilities;
import io.smtpharness.protocol.Reply;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What each reply of one connection answers, and the session model it moves: the client's half of
 * the pairing. Every octet sent goes through {@link #sent}, which says (by {@link ClientStream})
 * which replies it is owed; every reply read goes through {@link #answer} or {@link #unowed}, which
 * give it its context as an {@link Exchange}. The EHLO facts a session needs later (the last
 * accepted reply's capabilities, its SIZE limit) are kept here too. Pure: no I/O, and times are
 * passed in. Mutable, one per connection, not thread-safe.
 */
public final class SessionTracker {

    private final ClientStream stream = new ClientStream();
    private final Deque<Sent> pending = new ArrayDeque<>();
    /** Commands sent in one write with others (RFC 2920): a reply missing for one is lost input. */
    private final Set<Sent> pipelined = Collections.newSetFromMap(new IdentityHashMap<>());
    /** When each owed command went out, for telling a stray reply from an answer. */
    private final Map<Sent, Long> sentAt = new IdentityHashMap<>();
    /** A write larger than this takes a while to go through: a reply after it times the transfer too. */
    private static final int LARGE_WRITE = 64 * 1024;
    /** When octets last went out (a command, or content after a pause): a reply's delay counts from there. */
    private long lastSentNanos = Long.MIN_VALUE;
    private boolean lastSentLarge;
    private SessionModel model = SessionModel.connected();
    /** The last command that got its reply, and that reply's code: a stray reply is one too many to it. */
    private Sent lastAnswered;
    private int lastAnsweredCode;
    private boolean greetingReceived;
    /** The server accepted a verb not written in upper case: verbs are case-insensitive to it. */
    private boolean verbCaseShown;
    /** Whether any EHLO reply of this session listed extensions (the model forgets them after TLS). */
    private boolean keywordsSeen;
    /** The last accepted EHLO reply's extensions, until TLS makes them void (RFC 3207 §4.2). */
    private Capabilities lastEhlo;
    private boolean sizeAdvertised;
    private OptionalLong sizeLimit = OptionalLong.empty();

    /** The connection runs inside TLS from its first octet (RFC 8314): the greeting comes inside it. */
    public void implicitTls() {
        model = model.withImplicitTls();
    }

    /** The connection is open: the greeting is owed. */
    public void connected() {
        pending.add(Sent.GREETING);
    }

    /**
     * Octets went out at {@code nanos}: the replies they are owed join the queue, in order. Commands
     * completed by one write together count as pipelined.
     */
    public List<Sent> sent(byte[] octets, long nanos) {
        List<Sent> owed = stream.feed(octets);
        owed.forEach(sent -> sentAt.put(sent, nanos));
        lastSentNanos = nanos;
        lastSentLarge = octets.length > LARGE_WRITE;
        if (owed.size() > 1) {
            pipelined.addAll(owed);
        }
        pending.addAll(owed);
        return owed;
    }

    /** A line sent outside the command stream (an AUTH line, whose text is not kept) is owed a reply. */
    public void sentLine(Sent owed) {
        pending.add(owed);
    }

    /** What the oldest reply still owed answers, if any is owed. */
    public Optional<Sent> owed() {
        return Optional.ofNullable(pending.peek());
    }

    /** True when the oldest owed reply is to a command sent pipelined with others. */
    public boolean owedIsPipelined() {
        return pending.peek() != null && pipelined.contains(pending.peek());
    }

    /** True when any command of this connection went out pipelined. */
    public boolean anyPipelined() {
        return !pipelined.isEmpty();
    }

    /** The least a server may take to answer the oldest owed command (RFC 5321 §4.5.3.2). */
    public Duration rfcReplyWait() {
        return ReplyWaits.minimumFor(pending.peek());
    }

    /**
     * True when a reply received at {@code receivedNanos} was there before the command it would be
     * paired with was sent: it cannot answer that command, so it is one reply too many to an earlier
     * one. Arrival times, not the moment the harness reads, decide, so verdicts do not hang on
     * thread timing.
     */
    public boolean arrivedBeforeItsCommand(long receivedNanos) {
        Long sent = pending.peek() == null ? null : sentAt.get(pending.peek());
        return lastAnswered != null && sent != null && receivedNanos < sent;
    }

    /**
     * How long the server took with a reply that arrived at {@code receivedNanos} and answers the
     * oldest owed command line: from the last octets sent before it (a command's own line, or the
     * content a case sent after a pause), so the harness's own pauses do not count. Empty for the
     * greeting, AUTH lines, a reply with nothing owed and one after a large write (its time is
     * mostly the transfer's).
     */
    public OptionalLong delayOfReplyAt(long receivedNanos) {
        Long commandSent = pending.peek() == null ? null : sentAt.get(pending.peek());
        if (commandSent == null || receivedNanos < commandSent || lastSentLarge) {
            return OptionalLong.empty();
        }
        long from = lastSentNanos <= receivedNanos ? Math.max(commandSent, lastSentNanos) : commandSent;
        return OptionalLong.of(receivedNanos - from);
    }

    /**
     * Pairs {@code reply} with the oldest owed command (none if nothing is owed) and moves the model.
     * After a 334, the line the client sent answers the challenge: it is no command, and its text is
     * not kept.
     */
    public Exchange answer(Reply reply) {
        Sent sent = pending.poll();
        if (sent == null) {
            return unowed(reply);
        }
        if (model.inAuthExchange() && !sent.isAuthResponse()) {
            sent = sent.text().equals("*") ? Sent.AUTH_CANCEL : Sent.authResponse(sent.octets());
        }
        Exchange exchange = new Exchange(model, Optional.of(sent), reply, model.after(sent, reply),
                pipelined.contains(sent));
        take(exchange, sent);
        return exchange;
    }

    /** A reply no command is paired with: judged where the session is, it moves nothing. */
    public Exchange unowed(Reply reply) {
        return new Exchange(model, Optional.empty(), reply, model, false);
    }

    private void take(Exchange exchange, Sent sent) {
        Reply reply = exchange.reply();
        greetingReceived |= sent.kind() == CommandKind.GREETING;
        lastAnswered = sent;
        lastAnsweredCode = reply.code();
        verbCaseShown |= reply.isPositive() && !sent.verb().isEmpty() && !sent.text().startsWith(sent.verb());
        model = exchange.after();
        keywordsSeen |= model.keywords().isPresent();
        if (sent.kind() == CommandKind.EHLO && reply.isPositive()) {
            lastEhlo = Capabilities.of(reply);
            sizeAdvertised = lastEhlo.has("SIZE");
            sizeLimit = lastEhlo.sizeLimit();
        }
        if (model.inData() && !stream.inData()) {
            stream.startData();
        }
    }

    /** The server showed it read the sent octets differently (an early reply): pair afresh from here. */
    public void resync() {
        stream.resync();
    }

    /** The TLS handshake completed: nothing sent before it is owed a reply, and the session starts over. */
    public void tlsEstablished() {
        pending.clear();
        stream.resync();
        model = model.afterTlsHandshake();
        lastEhlo = null;
    }

    /** The connection is over, or the server announced it is closing (421, RFC 5321 §3.8). */
    public void closed() {
        model = model.closed();
    }

    /** The session model as the replies so far moved it. */
    public SessionModel model() {
        return model;
    }

    /** The last command that got its reply, if any. */
    public Optional<Sent> lastAnswered() {
        return Optional.ofNullable(lastAnswered);
    }

    /** The code of the reply {@link #lastAnswered()} got. */
    public int lastAnsweredCode() {
        return lastAnsweredCode;
    }

    /** True once the greeting came. */
    public boolean greetingReceived() {
        return greetingReceived;
    }

    /** True once the server accepted a verb not written in upper case. */
    public boolean verbCaseShown() {
        return verbCaseShown;
    }

    /** True once any EHLO reply of the session listed extensions. */
    public boolean keywordsSeen() {
        return keywordsSeen;
    }

    /** The SASL mechanisms of the last accepted EHLO reply in the current TLS state (empty if none). */
    public List<String> authMechanisms() {
        return lastEhlo == null ? List.of() : lastEhlo.authMechanisms();
    }

    /** True once an accepted EHLO reply listed SIZE, with a limit or without. */
    public boolean sizeAdvertised() {
        return sizeAdvertised;
    }

    /** The fixed SIZE limit of the last accepted EHLO reply (RFC 1870 §3), if it stated one. */
    public OptionalLong sizeLimit() {
        return sizeLimit;
    }
}
