package io.smtpharness.dialogue;

import io.smtpharness.client.Connector;
import io.smtpharness.client.Received;
import io.smtpharness.client.SmtpConnection;
import io.smtpharness.client.TargetUnreachableException;
import io.smtpharness.protocol.Reply;
import io.smtpharness.result.Finding;
import io.smtpharness.rules.CommandKind;
import io.smtpharness.rules.Exchange;
import io.smtpharness.rules.Judge;
import io.smtpharness.rules.Sent;
import io.smtpharness.rules.SessionEvent;
import io.smtpharness.rules.SessionModel;
import io.smtpharness.rules.SessionState;
import io.smtpharness.rules.SessionTracker;
import io.smtpharness.transcript.Transcript;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The live session a case talks through. It sends, and {@link #next} reads the next reply, pairs it
 * with what it answers ({@link SessionTracker}), has the case's {@link Judge} judge it and records
 * the findings in the {@link CaseLog}. Replies nothing asked for, the server's close and a reply that
 * makes going on pointless end up here too; what a step expects of a reply is the execution's.
 */
final class Conversation {

    /** Replies no command asked for that a case judges before it hangs up on the flood. */
    private static final int MAX_STRAY_REPLIES = 20;
    /** After a pipelined group, how long finishing waits for replies beyond those owed. */
    static final Duration STRAY_SETTLE = Duration.ofMillis(200);
    /** RFC-RULES 2920-3.2-FLUSH-WHEN-IDLE: replies to a pipelined group that ends must come within 5 s. */
    static final Duration FLUSH_WAIT = Duration.ofSeconds(5);
    /** The wait for a reply to a command that the server already left unanswered for a full deadline in this run. */
    static final Duration KNOWN_SILENCE_WAIT = Duration.ofSeconds(1);

    /** RFC 5321 §4.2: "every command MUST generate exactly one reply". */
    static final String ONE_REPLY = "5321-4.2-ONE-REPLY";

    private final String caseId;
    private final ServerTraits traits;
    private final Connector connector;
    private final RunnerOptions options;
    private final Transcript transcript;
    private final CaseLog log;
    private final SessionTracker tracker;
    private final Judge judge;
    private InetSocketAddress target;
    private SmtpConnection connection;
    private boolean ended;
    /** A scripted case, not a generated dialogue driven step by step. */
    private boolean scripted;
    /** True while a starttls step reads its 220: that step, and only it, goes on to the handshake. */
    private boolean startingTls;
    /** Replies no command asked for, so far. */
    private int strays;
    /** After the greeting, the server closed or reset the connection where no close was due. */
    private boolean lostAfterGreeting;
    /** Event-driven: what a harness bug in a callback comes to (it cannot reach a waiting thread); else null. */
    private Consumer<RuntimeException> onBug;
    /** The wait for each reply when the driver sets one (a fuzzer that suspects a hang early); else null. */
    private Duration replyWait;

    Conversation(String caseId, ServerTraits traits, Connector connector, RunnerOptions options, Transcript transcript,
                 CaseLog log, SessionTracker tracker, Judge judge) {
        this.caseId = caseId;
        this.traits = traits;
        this.connector = connector;
        this.options = options;
        this.transcript = transcript;
        this.log = log;
        this.tracker = tracker;
        this.judge = judge;
    }

    /** Connects; false, with the log's error set, when the target cannot be reached. */
    boolean connect(InetSocketAddress target) {
        this.target = target;
        try {
            connection = connector.connect(target, transcript);
        } catch (TargetUnreachableException e) {
            log.error(e.getMessage(), false);
            ended = true;
            return false;
        }
        return true;
    }

    /**
     * Event-driven: a harness bug in a callback goes to {@code handler}, once, instead of up into
     * the event loop, where no one would hear of it and the case would never end.
     */
    void onBug(Consumer<RuntimeException> handler) {
        onBug = handler;
    }

    /** Runs a callback's body under {@link #onBug}. */
    void guarded(Runnable body) {
        try {
            body.run();
        } catch (RuntimeException bug) {
            Consumer<RuntimeException> handler = onBug;
            if (handler == null) {
                throw bug;
            }
            onBug = null;
            handler.accept(bug);
        }
    }

    /** The non-blocking {@link #connect}: {@code then} learns whether it connected, on the connection's event loop. */
    void connectThen(InetSocketAddress target, Consumer<Boolean> then) {
        this.target = target;
        connector.connectThen(target, transcript, (opened, unreachable) -> guarded(() -> {
            if (unreachable != null) {
                log.error(unreachable.getMessage(), false);
                ended = true;
                then.accept(false);
            } else {
                connection = opened;
                then.accept(true);
            }
        }));
    }

    /** Another connection to the same target, sharing this case's transcript. */
    SmtpConnection connectAnother() throws TargetUnreachableException {
        return connector.connect(target, transcript);
    }

    /** The connection, once {@link #connect} succeeded. */
    SmtpConnection connection() {
        return connection;
    }

    /** True once the connection is over, closed by either side. */
    boolean over() {
        return ended;
    }

    /** The session is over: nothing more is sent or read. */
    void end() {
        ended = true;
    }

    /** The connection closed where a close was due (after 221, or a step closed it): no finding. */
    void closedAsDue() {
        tracker.closed();
        ended = true;
    }

    /** Marks a scripted case, whose refused setup steps skip it and whose pipelined groups are settled. */
    void markScripted() {
        scripted = true;
    }

    boolean scripted() {
        return scripted;
    }

    /** Set while a starttls step reads its 220, which that step follows with the handshake. */
    void expectingTls(boolean expecting) {
        startingTls = expecting;
    }

    /** Every reply from now on is waited for {@code wait} at most (flush checks aside). */
    void limitReplyWait(Duration wait) {
        replyWait = wait;
    }

    /** After the greeting, the server closed or reset the connection where no close was due. */
    boolean lostAfterGreeting() {
        return lostAfterGreeting;
    }

    /** Sends one AUTH line (redacted in the transcript) owing {@code owed} and reads its reply. */
    Reply sendAuth(String line, Sent owed, String origin) {
        tracker.sentLine(owed);
        if (!connection.sendAuth((line + "\r\n").getBytes(StandardCharsets.UTF_8))) {
            transcript.note(Transcript.NOT_SENT);
        }
        return next(origin);
    }

    /** The session model as the replies so far moved it. */
    SessionModel model() {
        return tracker.model();
    }

    /** The pairing of replies with commands, and what the EHLO replies said. */
    SessionTracker tracker() {
        return tracker;
    }

    /** The rule a step's finding goes on: the one it cites, else its case's first. */
    String ruleFor(Optional<String> cited) {
        return judge.scope().ruleFor(cited);
    }

    /** The case does not apply to this server, for {@code why}; the transcript says so. */
    void notApplicable(String why) {
        log.skip(why);
        transcript.note("case not applicable: " + why);
    }

    /** A note in the transcript. */
    void note(String text) {
        transcript.note(text);
    }

    void send(byte[] octets) {
        tracker.sent(octets, System.nanoTime());
        if (!connection.sendRaw(octets)) {
            transcript.note(Transcript.NOT_SENT);
        }
    }

    /** Reads and judges the next reply; null (the case ended: timeout or close) when none came. */
    Reply next(String origin) {
        return next(origin, Silence.ERROR);
    }

    Reply next(String origin, Silence silence) {
        ReplyRead read = new ReplyRead(this, origin, silence);
        Received received = connection.readReply(read.waitFor());
        while (!read.took(received)) {
            received = connection.readReply(read.waitFor());
        }
        return read.reply();
    }

    /**
     * The non-blocking {@link #next(String, Silence)}: {@code then} gets the reply (null when none
     * came) once it is judged, on the connection's event loop.
     */
    void nextThen(String origin, Silence silence, Consumer<Reply> then) {
        ReplyRead read = new ReplyRead(this, origin, silence);
        connection.whenReply(read.waitFor(), read.onSilence(), new Consumer<>() {
            @Override
            public void accept(Received received) {
                Consumer<Received> again = this;
                guarded(() -> {
                    if (read.took(received)) {
                        then.accept(read.reply());
                    } else {
                        connection.whenReply(read.waitFor(), read.onSilence(), again);
                    }
                });
            }
        });
    }

    /** How long a reply is waited for: the flush check's, the driver's, the RFC's or the configured wait. */
    Duration plannedWait(boolean flushCheck) {
        return flushCheck ? FLUSH_WAIT : replyWait != null ? replyWait
                : options.rfcReplyWaits() ? tracker.rfcReplyWait() : connector.options().replyTimeout();
    }

    /** True when replies are waited for as long as RFC 5321 §4.5.3.2 says. */
    boolean rfcReplyWaits() {
        return options.rfcReplyWaits();
    }

    /**
     * How long to listen for a reply that may not come, where the suite wrote {@code written}: cut
     * against a server that has shown it answers at once (the transcript says so), unless the
     * options ask for full windows.
     */
    Duration quietWindow(Duration written) {
        if (options.fullWindows()) {
            return written;
        }
        Optional<ReplyPace.Cut> cut = traits.replyPace().cut(written, System.nanoTime());
        cut.ifPresent(c -> transcript.note(c.note()));
        return cut.map(ReplyPace.Cut::window).orElse(written);
    }

    ServerTraits traits() {
        return traits;
    }

    /** Pairs a reply with what it answers and judges it; what it answered, if anything. */
    Optional<Sent> judgeAnswer(Reply reply) {
        return judge(tracker.answer(reply));
    }

    /** The command the oldest owed reply answers, or null. */
    Sent owed() {
        return tracker.owed().orElse(null);
    }

    String caseId() {
        return caseId;
    }

    /**
     * Reads the replies beyond those owed that arrive within {@code wait} of each other: without the
     * wait they would be paired with the next command in some runs and not in others.
     */
    void settleStrays(Duration wait) {
        for (Received early; !ended && (early = connection.readReply(wait, null)) instanceof Received.Got; ) {
            strayReply(((Received.Got) early).reply());
        }
    }

    /** The non-blocking {@link #settleStrays}: {@code then} runs once the strays have settled. */
    void settleStraysThen(Duration wait, Runnable then) {
        if (ended) {
            then.run();
            return;
        }
        connection.whenReply(wait, null, early -> guarded(() -> {
            if (early instanceof Received.Got got) {
                strayReply(got.reply());
                settleStraysThen(wait, then);
            } else {
                then.run();
            }
        }));
    }

    /**
     * A reply read while waiting for a close or idling: it answers the oldest owed command, if any;
     * one that answers nothing counts towards the flood a case hangs up on.
     */
    void judgeUnasked(Reply reply) {
        boolean stray = tracker.owed().isEmpty();
        judge(tracker.answer(reply));
        if (stray) {
            countStray();
        }
    }

    /**
     * Each stray is a finding; past a few dozen they are a flood, and only hanging up ends it. True
     * when this stray is one too many (the harness has hung up).
     */
    private boolean countStray() {
        if (++strays <= MAX_STRAY_REPLIES) {
            return false;
        }
        if (!ended) {
            hangUp("more than " + MAX_STRAY_REPLIES + " replies that no command asked for: a flood; the"
                    + " harness hangs up");
        }
        return true;
    }

    /** A reply no command was waiting for: blamed on the last command answered, if any (RFC 5321 §4.2). */
    void strayReply(Reply reply) {
        if (countStray()) {
            return;
        }
        Sent lastAnswered = tracker.lastAnswered().orElse(null);
        if (lastAnswered == null || reply.code() == 421) {
            judge(tracker.unowed(reply));
            if (reply.code() == 421) {
                tracker.closed(); // the server announced it is closing (§3.8); its close is no surprise
            }
            return;
        }
        log.addAll(judge.unowed(tracker.unowed(reply)));
        report(new SessionEvent.StrayReply(lastAnswered, tracker.lastAnsweredCode(), reply));
    }

    /**
     * Judges one reply in context and acts on what it tells the dialogue: a refused setup step skips
     * the case, a 220 to a plain STARTTLS or a 2yz to DATA ends it. Returns what the reply answered.
     */
    private Optional<Sent> judge(Exchange exchange) {
        Reply reply = exchange.reply();
        log.addAll(judge.reply(exchange));
        if (exchange.sent().isEmpty()) {
            return Optional.empty();
        }
        Sent sent = exchange.sent().get();
        if (log.skipped() == null && scripted) {
            SetupRefusal.of(sent, reply, exchange.before(), options.variables()).ifPresent(why -> {
                log.skip(why);
                transcript.note("case not applicable: " + why);
            });
        }
        if (!startingTls && reply.code() == 220 && sent.kind() == CommandKind.EXTENSION
                && sent.verb().equals("STARTTLS")) {
            // RFC 3207 §4: after a 220 the client "MUST start the TLS negotiation before giving any
            // other SMTP commands", or abort. A plain send step starts none, so the session ends
            // here; the 220 itself is what StartTlsRules judged
            hangUp("the server answered 220 to " + sent.text() + " and now expects a TLS handshake,"
                    + " which this step does not start: the harness closes the connection");
        }
        if (sent.kind() == CommandKind.DATA && reply.codeClass() == 2) {
            // a broken premise (RFC 5321 §4.1.1.4 answers DATA 354 before the content): whether what
            // follows is read as content or as commands is anyone's guess, so the rest of the
            // script would test nothing it was written for and wait on replies that never come
            hangUp("the server answered DATA with " + reply.code() + " instead of 354; the rest of the"
                    + " case assumes message content is being read and is not run");
        }
        return exchange.sent();
    }

    /**
     * What the judge makes of a reply's syntax alone, for a reply whose being there at all is a
     * step's finding: the caller records it after that finding.
     */
    List<Finding> syntaxOf(Reply reply) {
        return judge.unowed(tracker.unowed(reply));
    }

    /** Records findings made outside the judging of a reply. */
    void record(List<Finding> findings) {
        log.addAll(findings);
    }

    /** Adds what the judge makes of one event between replies. */
    void report(SessionEvent event) {
        log.addAll(judge.event(event));
    }

    void serverClosed() {
        if (!ended) {
            log.addAll(judge.close(model(), tracker.owed()));
            lostAfterGreeting |= tracker.greetingReceived() && model().state() != SessionState.CLOSED;
        }
        tracker.closed();
        ended = true;
    }

    /** The harness ends the session: it says why, drops the connection, and nothing more is owed. */
    void hangUp(String why) {
        transcript.note(why);
        connection.close();
        tracker.closed();
        ended = true;
    }

    void fail(String why) {
        fail(false, why);
    }

    void fail(boolean timedOut, String why) {
        log.error(why, timedOut);
        transcript.note("harness error: " + why);
        ended = true;
    }
}
