package io.smtpharness.dialogue;

import io.smtpharness.client.Received;
import io.smtpharness.client.SmtpClient;
import io.smtpharness.client.SmtpConnection;
import io.smtpharness.client.TargetUnreachableException;
import io.smtpharness.protocol.Capabilities;
import io.smtpharness.protocol.Command;
import io.smtpharness.protocol.Reply;
import io.smtpharness.result.Finding;
import io.smtpharness.result.Severity;
import io.smtpharness.rules.ClientStream;
import io.smtpharness.rules.Exchange;
import io.smtpharness.rules.Level;
import io.smtpharness.rules.Oracles;
import io.smtpharness.rules.ReplyWaits;
import io.smtpharness.rules.RuleCatalog;
import io.smtpharness.rules.Sent;
import io.smtpharness.rules.SessionModel;
import io.smtpharness.rules.SessionState;
import io.smtpharness.transcript.Transcript;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One run of one dialogue: connects, reads the greeting, performs the steps, ends the session with
 * QUIT, and judges every reply with the standard oracles as it goes. The session model advances
 * only on replies; the {@link ClientStream} says which replies the sent octets are owed.
 *
 * <p>{@link #run()} does it all for a scripted dialogue. Generated dialogues drive the same
 * execution one step at a time: {@link #open()}, {@link #perform(Step)} as often as needed, checking
 * {@link #findings()} in between, then {@link #finish()} and {@link #close()}. Not thread-safe.
 */
public final class DialogueExecution implements AutoCloseable {

    /** RFC 5321 §4.5.3.2.7: a server should wait at least this long for the next command. */
    private static final Duration SERVER_IDLE_MINIMUM = Duration.ofMinutes(5);
    private static final String FLUSH_WHEN_IDLE = "2920-3.2-FLUSH-WHEN-IDLE";
    /** RFC-RULES 2920-3.2-FLUSH-WHEN-IDLE: replies to a pipelined group that ends must come within 5 s. */
    private static final Duration FLUSH_WAIT = Duration.ofSeconds(5);

    private final Dialogue dialogue;
    private final SmtpClient client;
    private final InetSocketAddress target;
    private final RunnerOptions options;
    private final Transcript transcript = new Transcript();
    private final List<Finding> findings = new ArrayList<>();
    private final Deque<Sent> pending = new ArrayDeque<>();
    private final ClientStream stream = new ClientStream();
    /** Commands sent in one write with others (pipelined, RFC 2920): a reply missing for one is lost input. */
    private final Set<Sent> pipelined = Collections.newSetFromMap(new IdentityHashMap<>());
    private SessionModel model = SessionModel.connected();
    /** The variables of this session: the run's, plus the SIZE limit once an EHLO reply stated one. */
    private Variables variables;
    private boolean sizeAdvertised;
    private SmtpConnection connection;
    private String error;
    private boolean timedOut;
    private String skipped;
    private boolean ended;

    /** An execution of {@code dialogue} (its rules and level apply; its steps only in {@link #run()}). */
    public DialogueExecution(Dialogue dialogue, SmtpClient client, InetSocketAddress target, RunnerOptions options) {
        this.dialogue = dialogue;
        this.client = client;
        this.target = target;
        this.options = options;
        this.variables = options.variables();
    }

    /** Every event of the connection so far. */
    public Transcript transcript() {
        return transcript;
    }

    /** Every judgement so far (a live list: it grows as steps are performed). */
    public List<Finding> findings() {
        return findings;
    }

    /** Why the case does not apply to this server (a required EHLO keyword is missing), or null. */
    String skipped() {
        return skipped;
    }

    /** Why the harness could not judge the case, or null. */
    public String error() {
        return error;
    }

    /** True when the error is a reply that did not arrive in time (a hang, to a fuzzer). */
    public boolean timedOut() {
        return timedOut;
    }

    /** The session model as the replies so far moved it. */
    public SessionModel model() {
        return model;
    }

    /** True once the connection is over (closed by either side, or the dialogue ended): steps do nothing. */
    public boolean ended() {
        return ended || error != null;
    }

    /** What the oldest reply still owed answers, if any reply is owed. */
    public Optional<Sent> nextOwed() {
        return Optional.ofNullable(pending.peek());
    }

    void run() {
        long deadline = System.nanoTime() + options.caseTimeout().toNanos();
        if (!open()) {
            return;
        }
        try {
            for (Step step : dialogue.steps()) {
                if (ended) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    fail("case deadline of " + options.caseTimeout().toSeconds() + " s passed before " + step.origin());
                    break;
                }
                perform(step);
                checkRequirements();
            }
            if (!ended) {
                finish();
            }
            if (skipped == null && error == null && !dialogue.requires().isEmpty() && model.keywords().isEmpty()) {
                skipped = "no EHLO reply listed the server's extensions, so " + String.join(", ", dialogue.requires())
                        + " could not be confirmed";
            }
        } finally {
            connection.close();
        }
    }

    /**
     * Connects and reads and judges the greeting; false (with {@link #error()} set) when the target
     * cannot be reached.
     */
    public boolean open() {
        try {
            connection = client.connect(target, transcript);
        } catch (TargetUnreachableException e) {
            error = e.getMessage();
            ended = true;
            return false;
        }
        pending.add(Sent.GREETING);
        readOne(Optional.empty(), ReplyMatcher.ANY, dialogue.origin());
        return true;
    }

    /** Drops the connection if it is still open; the session is over. */
    @Override
    public void close() {
        if (connection != null) {
            connection.close();
        }
        ended = true;
    }

    /** Performs one step, judging every reply it reads; does nothing once the session {@link #ended()}. */
    public void perform(Step step) {
        if (ended()) {
            return;
        }
        if (step instanceof Step.Send && model.inData()) {
            // the server took DATA where the script expected a refusal: a command now would be read
            // as message content, so drop the connection instead (that aborts the transaction, §4.1.1.10)
            transcript.note("the server is reading message content; the rest of the dialogue is not sent ("
                    + step.origin() + ")");
            connection.close();
            model = model.closed();
            ended = true;
        } else if (needsUnknownSize(step)) {
            skipped = sizeAdvertised ? "the server's EHLO reply states no fixed SIZE limit, which " + step.origin()
                    + " needs" : "no EHLO reply stated a SIZE limit, which " + step.origin() + " needs";
            transcript.note("case not applicable: " + skipped);
            finish();
        } else if (step instanceof Step.Send) {
            Command command = ((Step.Send) step).command(variables);
            send(command.toWire());
        } else if (step instanceof Step.SendRaw) {
            send(((Step.SendRaw) step).bytes(variables));
        } else if (step instanceof Step.SendData) {
            sendData((Step.SendData) step);
        } else if (step instanceof Step.Expect) {
            Step.Expect expect = (Step.Expect) step;
            readOne(expect.ruleId(), expect.matcher(), expect.origin());
        } else if (step instanceof Step.ExpectNoReply) {
            expectNoReply((Step.ExpectNoReply) step);
        } else if (step instanceof Step.ExpectClose) {
            Step.ExpectClose close = (Step.ExpectClose) step;
            awaitClose(close.within(), rule(close.ruleId()), close.origin());
        } else if (step instanceof Step.Concurrent) {
            concurrent((Step.Concurrent) step);
        } else if (step instanceof Step.Pause) {
            pause(((Step.Pause) step).duration());
        } else if (step instanceof Step.Close) {
            connection.close();
            model = model.closed();
            ended = true;
        }
    }

    /**
     * Once an EHLO reply has listed the extensions, a case whose keywords are missing stops there:
     * what follows would test an extension the server never offered.
     */
    private void checkRequirements() {
        if (ended || skipped != null || dialogue.requires().isEmpty() || model.keywords().isEmpty()) {
            return;
        }
        List<String> missing = dialogue.requires().stream().filter(k -> !model.advertised(k)).toList();
        if (!missing.isEmpty()) {
            skipped = "the server does not advertise " + String.join(", ", missing) + " in its EHLO reply";
            transcript.note("case not applicable: " + skipped);
            finish();
        }
    }

    /** True when the step refers to the advertised SIZE limit and the session has none. */
    private boolean needsUnknownSize(Step step) {
        if (variables.get("ehlo.size") != null) {
            return false;
        }
        String text = step instanceof Step.Send s ? s.line() : step instanceof Step.SendRaw r ? r.text()
                : step instanceof Step.SendData d ? d.content() : "";
        return Variables.needsEhloSize(text);
    }

    private void send(byte[] octets) {
        List<Sent> owed = stream.feed(octets);
        if (owed.size() > 1) {
            pipelined.addAll(owed);
        }
        pending.addAll(owed);
        if (!connection.sendRaw(octets)) {
            transcript.note("not sent: the connection is closed");
        }
    }

    private void sendData(Step.SendData step) {
        if (!model.inData()) {
            transcript.note("message content not sent: the server did not accept DATA (" + step.origin() + ")");
            ended = true;
            finish();
            return;
        }
        send(SmtpConnection.encodeMessage(variables.expand(step.content())));
    }

    /** Reads the next reply, judges it, and checks it against the script's matcher. */
    private void readOne(Optional<String> ruleId, ReplyMatcher matcher, String origin) {
        // RFC 2920 §3.2: once its input is empty a server flushes every pending reply; an expect citing
        // that rule for a pipelined command waits only FLUSH_WAIT, and a missing reply breaks that rule
        boolean flushCheck = ruleId.filter(FLUSH_WHEN_IDLE::equals).isPresent() && pipelined.contains(pending.peek());
        Received received = flushCheck ? connection.readReply(FLUSH_WAIT)
                : options.rfcReplyWaits() ? connection.readReply(ReplyWaits.minimumFor(pending.peek()))
                : connection.readReply();
        if (received instanceof Received.Got) {
            Reply reply = ((Received.Got) received).reply();
            judge(pending.poll(), reply);
            if (!matcher.matches(reply.code())) {
                String id = rule(ruleId);
                findings.add(new Finding(id, mismatchSeverity(id), "expected " + matcher + " at " + origin
                        + ", got \"" + reply.summary() + "\""));
            }
        } else if (received instanceof Received.TimedOut && pipelined.contains(pending.peek())
                && model.advertised("PIPELINING")) {
            // RFC 2920 §3.2: the server must not discard input; a pipelined command left unanswered was
            findings.add(new Finding(flushCheck ? FLUSH_WHEN_IDLE : "2920-3.2-KEEP-INPUT", Severity.FAILED,
                    "no reply to " + pending.peek().text()
                    + ", sent pipelined with other commands, within " + ((Received.TimedOut) received).waitedMs()
                    + " ms (" + origin + "): the server discarded or never answered pipelined input"));
            transcript.note("a pipelined command went unanswered; the rest of the dialogue is not judged");
            connection.close();
            model = model.closed();
            ended = true;
        } else if (received instanceof Received.TimedOut) {
            Sent waiting = pending.peek();
            timedOut = true;
            fail("no complete reply to " + (waiting == null ? "anything" : waiting.text()) + " within "
                    + ((Received.TimedOut) received).waitedMs() + " ms" + (options.rfcReplyWaits()
                    ? ", the RFC 5321 §4.5.3.2 minimum" : "") + " (" + origin + ")");
        } else {
            serverClosed();
        }
    }

    private void expectNoReply(Step.ExpectNoReply step) {
        Received received = connection.readReply(step.within());
        if (received instanceof Received.Got) {
            Reply reply = ((Received.Got) received).reply();
            String id = rule(step.ruleId());
            // an answer while message content is still being sent: the server found an end of data
            // where there is none, and ran what followed as commands (SMTP smuggling)
            String smuggling = model.inData() ? "SMTP smuggling: the server ended the message data before"
                    + " CRLF.CRLF and answered; what followed would run as commands. " : "";
            findings.add(new Finding(id, mismatchSeverity(id), smuggling + "a reply arrived where none may ("
                    + step.origin() + "): \"" + reply.summary() + "\" in state " + model.state()));
            // judged for syntax, but its being there at all is the step's finding, not ONE-REPLY's
            Oracles.judge(new Exchange(model, Optional.empty(), reply)).stream()
                    .filter(f -> !f.ruleId().equals("5321-4.2-ONE-REPLY")).forEach(findings::add);
            if (model.inData()) {
                // the server ended the data where we did not: what we sent after that point it read
                // as commands, so no later reply can be paired with what it answers
                transcript.note("the server left DATA early; the rest of the dialogue is not judged");
                connection.close();
                model = model.closed();
                ended = true;
                return;
            }
            stream.resync();
        } else if (received instanceof Received.Closed) {
            serverClosed();
        }
    }

    /** Opens the extra connections together, then reads each greeting; a missing one is the step's finding. */
    private void concurrent(Step.Concurrent step) {
        List<SmtpConnection> extra = new ArrayList<>();
        String id = rule(step.ruleId());
        try {
            for (int i = 0; i < step.connections(); i++) {
                extra.add(client.connect(target, transcript));
            }
            for (SmtpConnection c : extra) {
                Received greeting = c.readReply();
                if (!(greeting instanceof Received.Got) || ((Received.Got) greeting).reply().codeClass() != 2) {
                    findings.add(new Finding(id, mismatchSeverity(id), "connection " + (extra.indexOf(c) + 2)
                            + " of " + (step.connections() + 1) + " got no 220 greeting (" + step.origin() + ")"));
                } else {
                    c.send(new Command("QUIT", ""));
                }
            }
        } catch (TargetUnreachableException e) {
            findings.add(new Finding(id, mismatchSeverity(id), "a further connection was refused while "
                    + extra.size() + " were open: " + e.getMessage() + " (" + step.origin() + ")"));
        } finally {
            extra.forEach(SmtpConnection::close);
        }
    }

    /** Reads until the server closes; replies meanwhile are judged as unsolicited. */
    private void awaitClose(Duration within, String ruleId, String origin) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Received received = connection.readReply(Duration.ofNanos(Math.max(left, 0)));
            if (received instanceof Received.Closed) {
                model = model.closed();
                ended = true;
                return;
            }
            if (received instanceof Received.TimedOut) {
                findings.add(new Finding(ruleId, mismatchSeverity(ruleId), "the server did not close the connection within "
                        + within.toMillis() + " ms (" + origin + ")"));
                return;
            }
            judge(pending.poll(), ((Received.Got) received).reply());
        }
    }

    /** Ends the session as a client should: collect owed replies, QUIT, see the server close. */
    public void finish() {
        while (!pending.isEmpty() && !ended && error == null) {
            readOne(Optional.empty(), ReplyMatcher.ANY, "end of dialogue");
        }
        if (ended || error != null || !connection.isOpen() || model.state() == SessionState.CLOSED) {
            return;
        }
        Received early = connection.readReply(Duration.ZERO);
        if (early instanceof Received.Got) {
            judge(null, ((Received.Got) early).reply());
        }
        if (model.inData() || !connection.isOpen()) {
            return;
        }
        send(new Command("QUIT", "").toWire());
        readOne(Optional.empty(), ReplyMatcher.ANY, "closing QUIT");
        if (model.state() == SessionState.CLOSED && !ended) {
            awaitClose(options.closeWait(), "5321-4.1.1.10-QUIT-221", "after 221 to QUIT");
        }
        ended = true;
    }

    private void judge(Sent sent, Reply reply) {
        findings.addAll(Oracles.judge(new Exchange(model, Optional.ofNullable(sent), reply)));
        if (sent != null && sent.kind() == io.smtpharness.rules.CommandKind.EHLO && reply.isPositive()) {
            Capabilities capabilities = Capabilities.of(reply);
            OptionalLong limit = capabilities.sizeLimit();
            sizeAdvertised = capabilities.has("SIZE");
            variables = limit.isPresent() ? options.variables().withEhloSize(limit.getAsLong()) : options.variables();
        }
        if (sent != null) {
            model = model.after(sent, reply);
            if (model.inData() && !stream.inData()) {
                stream.startData();
            }
        }
    }

    private void serverClosed() {
        if (!ended) {
            findings.addAll(Oracles.judgeClose(model, Optional.ofNullable(pending.peek())));
        }
        model = model.closed();
        ended = true;
    }

    private void fail(String why) {
        error = why;
        transcript.note("harness error: " + why);
        ended = true;
    }

    /**
     * Stays idle, watching the connection: a server may close after its own timeout (§3.8), but
     * not before 5 minutes of idleness (§4.5.3.2.7, a SHOULD); a 421 may arrive unprompted.
     */
    private void pause(Duration duration) {
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        while (!ended) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Received received = connection.readReply(Duration.ofNanos(Math.min(left, Duration.ofSeconds(1).toNanos())));
            if (received instanceof Received.Got) {
                judge(pending.poll(), ((Received.Got) received).reply());
            } else if (received instanceof Received.Closed) {
                long idleMs = (System.nanoTime() - start) / 1_000_000;
                if (model.state() != SessionState.CLOSED && idleMs < SERVER_IDLE_MINIMUM.toMillis()) {
                    findings.add(new Finding("5321-4.5.3.2-SERVER-5MIN", Severity.WARNING, "the server closed the"
                            + " connection after " + idleMs / 1000 + " s idle in state " + model.state()
                            + "; it should wait at least 5 minutes (G-21)"));
                } else if (model.state() != SessionState.CLOSED) {
                    findings.add(new Finding("5321-4.5.3.2-TIMEOUT-CLOSE", Severity.NOTE, "the server closed the"
                            + " connection after " + idleMs / 1000 + " s idle"));
                }
                model = model.closed();
                ended = true;
            }
        }
    }

    private String rule(Optional<String> ruleId) {
        return ruleId.orElse(dialogue.rules().isEmpty() ? "5321-4.2-ONE-REPLY" : dialogue.rules().get(0));
    }

    /**
     * A script's expectation costs what the case's level, or else the cited rule's level, says; a
     * gray zone never costs more than a warning, whatever the case says.
     */
    private Severity mismatchSeverity(String ruleId) {
        Level ruleLevel = RuleCatalog.standard().find(ruleId).map(r -> r.level()).orElse(Level.MUST);
        Level level = ruleLevel == Level.GRAY ? Level.GRAY : dialogue.level().map(Level::parse).orElse(ruleLevel);
        switch (level) {
            case MUST: case DEF: return Severity.FAILED;
            case SHOULD: case GRAY: return Severity.WARNING;
            default: return Severity.NOTE;
        }
    }
}
