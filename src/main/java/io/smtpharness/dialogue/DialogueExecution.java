package io.smtpharness.dialogue;

import io.smtpharness.client.Connector;
import io.smtpharness.client.Received;
import io.smtpharness.protocol.Command;
import io.smtpharness.protocol.MessageContent;
import io.smtpharness.protocol.Reply;
import io.smtpharness.result.Finding;
import io.smtpharness.rules.Judge;
import io.smtpharness.rules.Sent;
import io.smtpharness.rules.SessionEvent;
import io.smtpharness.rules.SessionModel;
import io.smtpharness.rules.SessionState;
import io.smtpharness.rules.SessionTracker;
import io.smtpharness.transcript.Transcript;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * One run of one dialogue: connects, reads the greeting, performs the steps and ends the session with
 * QUIT. It interprets the steps (what to send, what a reply must be); the {@link Conversation} reads,
 * pairs and judges every reply, and the {@link CaseLog} keeps what was found.
 *
 * <p>{@link #run()} does it all for a scripted dialogue. Generated dialogues drive the same
 * execution one step at a time: {@link #open()}, {@link #perform(Step)} as often as needed, hearing
 * each finding as it is made ({@link #onFinding}), then {@link #finish()} and {@link #close()}.
 * Not thread-safe.
 */
public final class DialogueExecution implements AutoCloseable {

    private static final String FLUSH_WHEN_IDLE = "2920-3.2-FLUSH-WHEN-IDLE";

    private final Dialogue dialogue;
    private final ServerTraits traits;
    private final Connector connector;
    private final InetSocketAddress target;
    private final RunnerOptions options;
    private final Transcript transcript = new Transcript();
    private final CaseLog log;
    /** What each reply answers, and the session model the replies moved. */
    private final SessionTracker tracker = new SessionTracker();
    private final Judge judge;
    private final Conversation conv;
    private final SessionEnd ending;
    /** Driven by replies on the event loop ({@link EventDrivenRun}), not by a thread that waits. */
    private boolean eventDriven;
    /** Event-driven: a step decided the dialogue ends; the driver finishes it once that step is done. */
    private boolean endRequested;

    /** An execution of {@code dialogue} (its rules and level apply; its steps only in {@link #run()}). */
    public DialogueExecution(Dialogue dialogue, Connector connector, InetSocketAddress target, RunnerOptions options) {
        this(dialogue, connector, target, options, new ServerTraits());
    }

    /** An execution that learns from, and adds to, what earlier cases of its run saw of the server. */
    DialogueExecution(Dialogue dialogue, Connector connector, InetSocketAddress target, RunnerOptions options,
                      ServerTraits traits) {
        this.traits = traits;
        this.dialogue = dialogue;
        this.connector = connector;
        this.target = target;
        this.options = options;
        this.judge = new Judge(dialogue.scope());
        this.log = new CaseLog(options.credentials().isPresent() ? transcript::scrub : text -> text);
        this.conv = new Conversation(dialogue.suite() + "/" + dialogue.id(), traits, connector, options, transcript, log,
                tracker, judge);
        this.ending = new SessionEnd(this, conv, tracker, traits, judge.scope(), options);
        // from the first event on, whatever step or server utters them: the password and the base64
        // forms auth steps send (PLAIN's NUL user NUL password, LOGIN's password), right and wrong
        options.credentials().map(AuthStep::secrets).orElse(List.of()).forEach(transcript::secret);
    }

    /** Every event of the connection so far. */
    public Transcript transcript() {
        return transcript;
    }

    /**
     * Every judgement so far, scrubbed of every registered secret (a server may echo them): a live,
     * read-only list that grows as steps are performed.
     */
    public List<Finding> findings() {
        return log.findings();
    }

    /** Hands every finding made from now on to {@code listener}, as it is made. */
    public void onFinding(Consumer<Finding> listener) {
        log.listen(listener);
    }

    /** Waits at most {@code wait} for each reply from now on (a fuzzer suspecting a hang early). */
    public void limitReplyWait(Duration wait) {
        conv.limitReplyWait(wait);
    }

    /** The case's status and headline, as its log decides them. */
    CaseLog.Verdict verdict() {
        return log.verdict();
    }

    /** Why the harness could not judge the case, or null. */
    public String error() {
        return log.error();
    }

    /** True when the error is a reply that did not arrive in time (a hang, to a fuzzer). */
    public boolean timedOut() {
        return log.timedOut();
    }

    /** How far the connection got: the run's circuit breaker counts the cases that got no greeting. */
    Contact contact() {
        return tracker.greetingReceived() ? conv.lostAfterGreeting() ? Contact.LOST : Contact.GREETED : Contact.NO_GREETING;
    }

    /** How far a case's connection got with the server. */
    enum Contact {
        /** The case never tried to connect (skipped before it). */
        NOT_TRIED,
        /** Refused, reset or silent: no greeting came. */
        NO_GREETING,
        /** Greeted, and the session ended as sessions do. */
        GREETED,
        /** Greeted, then the server closed or reset the connection where no close was due. */
        LOST
    }

    /** The session model as the replies so far moved it. */
    public SessionModel model() {
        return tracker.model();
    }

    /** True once the connection is over (closed by either side, or the dialogue ended): steps do nothing. */
    public boolean ended() {
        return conv.over() || log.error() != null;
    }

    /**
     * True when the server closes the connection within {@code wait}, nothing sent meanwhile; that
     * close is then taken as due (the caller excuses it: a fuzzer seeing a refusal the server hung
     * up after, gray zone G-20). A reply meanwhile is judged as unasked; silence changes nothing.
     */
    public boolean closesWithin(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!ended()) {
            Received received = conv.connection().readReply(Duration.ofNanos(Math.max(deadline - System.nanoTime(), 0)),
                    "the server had not closed the connection within " + wait.toMillis() + " ms");
            if (received instanceof Received.Closed) {
                conv.closedAsDue();
                return true;
            }
            if (received instanceof Received.TimedOut) {
                return false;
            }
            conv.judgeUnasked(((Received.Got) received).reply());
        }
        return false;
    }

    /** What the oldest reply still owed answers, if any reply is owed. */
    public Optional<Sent> nextOwed() {
        return tracker.owed();
    }

    void run() {
        conv.markScripted();
        long deadline = System.nanoTime() + options.caseTimeout().toNanos();
        if (!open()) {
            return;
        }
        try {
            for (Step step : dialogue.steps()) {
                if (ended() && !(step instanceof Step.ExpectGreeting)) {
                    continue; // the session is over: only a fresh connection can still be asked for its greeting
                }
                if (System.nanoTime() > deadline) {
                    conv.fail("case deadline of " + options.caseTimeout().toSeconds() + " s passed before " + step.origin());
                    break;
                }
                perform(step);
                checkRequirements();
                if (log.skipped() != null) {
                    break; // a refused setup step: what follows would test nothing
                }
            }
            if (!conv.over()) {
                finish();
            }
            checkExtensionsListed();
        } finally {
            conv.connection().close();
        }
    }

    /** A case that requires extensions and never saw them listed is skipped: they could not be confirmed. */
    void checkExtensionsListed() {
        if (log.skipped() == null && log.error() == null && !dialogue.requires().isEmpty() && !tracker.keywordsSeen()) {
            log.skip("no EHLO reply listed the server's extensions, so " + String.join(", ", dialogue.requires())
                    + " could not be confirmed");
        }
    }

    /** From now on the execution is driven by events ({@link EventDrivenRun}): nothing it does may wait. */
    void driveByEvents() {
        eventDriven = true;
        conv.markScripted();
    }

    /** Why the case was found not to apply, or null. */
    String skipped() {
        return log.skipped();
    }

    /** Event-driven: a step decided the dialogue ends here. */
    boolean endRequested() {
        return endRequested;
    }

    Conversation conversation() {
        return conv;
    }

    /** The non-blocking {@link #open}: {@code then} learns whether it connected, once the greeting is judged. */
    void openThen(Consumer<Boolean> then) {
        conv.connectThen(target, connected -> {
            if (!connected) {
                then.accept(false);
                return;
            }
            if (connector.tlsSettings().implicit()) {
                tracker.implicitTls();
            }
            tracker.connected();
            readOneThen(Optional.empty(), ReplyMatcher.ANY, dialogue.origin(), () -> then.accept(true));
        });
    }

    /**
     * Connects and reads and judges the greeting; false (with {@link #error()} set) when the target
     * cannot be reached.
     */
    public boolean open() {
        if (!conv.connect(target)) {
            return false;
        }
        if (connector.tlsSettings().implicit()) {
            tracker.implicitTls(); // RFC 8314: the greeting already came inside TLS
        }
        tracker.connected();
        readOne(Optional.empty(), ReplyMatcher.ANY, dialogue.origin());
        return true;
    }

    /** Drops the connection if it is still open; the session is over. */
    @Override
    public void close() {
        if (conv.connection() != null) {
            conv.connection().close();
        }
        conv.end();
    }

    /** Performs one step, judging every reply it reads; does nothing once the session {@link #ended()}. */
    public void perform(Step step) {
        if (step instanceof Step.ExpectGreeting greeting) {
            OtherConnections.greeting(greeting, conv); // on a fresh connection, whatever became of this one
            return;
        }
        if (ended()) {
            return;
        }
        if (step instanceof Step.Send && model().inData()) {
            // the server took DATA where the script expected a refusal: a command now would be read
            // as message content, so drop the connection instead (that aborts the transaction, §4.1.1.10)
            conv.hangUp("the server is reading message content; the rest of the dialogue is not sent ("
                    + step.origin() + ")");
        } else if (needsUnknownSize(step)) {
            log.skip(tracker.sizeAdvertised() ? "the server's EHLO reply states no fixed SIZE limit, which " + step.origin()
                    + " needs" : "no EHLO reply stated a SIZE limit, which " + step.origin() + " needs");
            transcript.note("case not applicable: " + log.skipped());
            endDialogue();
        } else if (step instanceof Step.Send) {
            Command command = ((Step.Send) step).command(variables());
            conv.send(command.toWire());
        } else if (step instanceof Step.SendRaw) {
            conv.send(((Step.SendRaw) step).bytes(variables()));
        } else if (step instanceof Step.SendData) {
            sendData((Step.SendData) step);
        } else if (step instanceof Step.Expect) {
            Step.Expect expect = (Step.Expect) step;
            readOne(expect.ruleId(), expect.matcher(), expect.origin());
        } else if (step instanceof Step.ExpectNoReply) {
            WaitSteps.expectNoReply((Step.ExpectNoReply) step, conv);
        } else if (step instanceof Step.ExpectClose) {
            Step.ExpectClose close = (Step.ExpectClose) step;
            String id = rule(close.ruleId());
            Optional<String> keptOpen = traits.keptOpenAfterQuit().filter(c -> model().state() == SessionState.CLOSED);
            if (keptOpen.isPresent() && close.within().compareTo(Conversation.KNOWN_SILENCE_WAIT) > 0) {
                // after 221 a server already seen to keep the connection open is given 1 s, not the full wait
                transcript.note("the server kept the connection open after 221 for " + options.closeWait().toMillis()
                        + " ms in case " + keptOpen.get() + "; waiting " + Conversation.KNOWN_SILENCE_WAIT.toMillis() + " ms here");
                WaitSteps.awaitClose(Conversation.KNOWN_SILENCE_WAIT, id, true, close.origin(), conv);
            } else {
                WaitSteps.awaitClose(close.within(), id, true, close.origin(), conv);
            }
        } else if (step instanceof Step.Concurrent) {
            OtherConnections.concurrent((Step.Concurrent) step, conv);
        } else if (step instanceof Step.StartTls) {
            Step.StartTls startTls = (Step.StartTls) step;
            if (StartTlsStep.perform(startTls, startTls.inject().map(variables()::expand).orElse(""), conv)) {
                finish();
            }
        } else if (step instanceof Step.Auth) {
            if (AuthStep.perform((Step.Auth) step, conv, options.credentials())) {
                finish();
            }
        } else if (step instanceof Step.Pause) {
            WaitSteps.pause(((Step.Pause) step).duration(), conv);
        } else if (step instanceof Step.Close) {
            conv.connection().close();
            conv.closedAsDue();
        }
    }

    /**
     * Once an EHLO reply has listed the extensions, a case whose keywords are missing stops there:
     * what follows would test an extension the server never offered.
     */
    void checkRequirements() {
        if (endRequested || conv.over() || log.skipped() != null || model().keywords().isEmpty()) {
            return;
        }
        Requirements.unmet(dialogue, model()).ifPresent(why -> {
            conv.notApplicable(why);
            endDialogue();
        });
    }

    /** True when the step refers to the advertised SIZE limit and the session has none. */
    private boolean needsUnknownSize(Step step) {
        if (variables().get("ehlo.size") != null) {
            return false;
        }
        String text = step instanceof Step.Send s ? s.line() : step instanceof Step.SendRaw r ? r.text()
                : step instanceof Step.SendData d ? d.content() : "";
        return Variables.needsEhloSize(text);
    }

    /** The variables of this session: the run's, plus the SIZE limit once an EHLO reply stated one. */
    private Variables variables() {
        OptionalLong limit = tracker.sizeLimit();
        return limit.isPresent() ? options.variables().withEhloSize(limit.getAsLong()) : options.variables();
    }

    private void sendData(Step.SendData step) {
        if (!model().inData()) {
            transcript.note("message content not sent: the server did not accept DATA (" + step.origin() + ")");
            conv.end();
            endDialogue();
            return;
        }
        conv.send(MessageContent.encode(variables().expand(step.content())));
    }

    /** Reads the next reply, judges it, and checks it against the script's matcher. */
    void readOne(Optional<String> ruleId, ReplyMatcher matcher, String origin) {
        Expectation expectation = new Expectation(ruleId, matcher, origin);
        expectation.check(conv.next(origin, expectation.silence));
    }

    /** The non-blocking {@link #readOne}: {@code then} runs once the reply is judged and checked. */
    void readOneThen(Optional<String> ruleId, ReplyMatcher matcher, String origin, Runnable then) {
        Expectation expectation = new Expectation(ruleId, matcher, origin);
        conv.nextThen(origin, expectation.silence, reply -> {
            expectation.check(reply);
            then.run();
        });
    }

    /** What a step expects of the next reply, and the state of the case before it came. */
    private final class Expectation {
        private final Optional<String> ruleId;
        private final ReplyMatcher matcher;
        private final String origin;
        private final Silence silence;
        private final String skippedBefore = log.skipped();
        private final Sent owed = tracker.owed().orElse(null);
        private final int judgedBefore = log.size();

        Expectation(Optional<String> ruleId, ReplyMatcher matcher, String origin) {
            this.ruleId = ruleId;
            this.matcher = matcher;
            this.origin = origin;
            // RFC 2920 §3.2: once its input is empty a server flushes every pending reply; an expect citing
            // that rule for a pipelined command waits only FLUSH_WAIT, and a missing reply breaks that rule.
            // An expect citing ONE-REPLY (a fuzzer's hang, replayed) makes silence the breach it is.
            this.silence = ruleId.filter(FLUSH_WHEN_IDLE::equals).isPresent() && tracker.owedIsPipelined()
                    ? Silence.FLUSH_BREACH : ruleId.filter(Conversation.ONE_REPLY::equals).isPresent()
                    ? Silence.ONE_REPLY_BREACH : Silence.ERROR;
        }

        /** Checks the judged reply (null: none came) against the matcher. */
        void check(Reply reply) {
            // a reply that just refused a setup step (SetupRefusal) skips the case; it is no mismatch
            boolean refusedSetup = log.skipped() != null && skippedBefore == null;
            Optional<ProbeReply.Verdict> aboutElse = reply == null || owed == null || matcher.matches(reply.code())
                    || refusedSetup ? Optional.empty() : ProbeReply.of(owed, reply, dialogue, rule(ruleId), origin,
                    tracker.verbCaseShown(), model().errors());
            if (aboutElse.isPresent()) {
                aboutElse.get().event().ifPresent(conv::report);
                aboutElse.get().skip().ifPresent(why -> {
                    // the probe is unusable here: what the oracles found on its reply is a trait of the server
                    log.incidentalFrom(judgedBefore, judge.scope()::tests);
                    log.skip(why);
                    transcript.note("case not applicable: " + why);
                    endDialogue();
                });
            } else if (reply != null && !matcher.matches(reply.code()) && !refusedSetup) {
                String id = rule(ruleId);
                conv.report(new SessionEvent.Mismatch(id, "expected " + matcher + " at " + origin + ", got \""
                        + reply.summary() + "\""));
                if (ruleId.filter(r -> r.startsWith("G-")).isPresent() && !conv.over()) {
                    // the server took the other side of a gray zone (an EHLO without a domain accepted, say):
                    // the steps after this one assume the side the script expected, so they would judge a
                    // premise that does not hold; the case ends with the gray zone's warning
                    transcript.note("the server chose the other side of gray zone " + id + "; the rest of the case"
                            + " assumes the expected side and is not run");
                    endDialogue();
                }
            }
        }
    }

    /**
     * The dialogue ends here: at once when driven by a thread; event-driven, once the step that
     * decided it is done ({@link EventDrivenRun} finishes then).
     */
    private void endDialogue() {
        if (eventDriven) {
            endRequested = true;
        } else {
            finish();
        }
    }

    /** Ends the session as a client should: collect owed replies, QUIT, see the server close. */
    public void finish() {
        ending.finish();
    }

    /** The non-blocking {@link #finish}: {@code then} runs at its end. */
    void finishThen(Runnable then) {
        ending.finishThen(then);
    }

    private String rule(Optional<String> ruleId) {
        return judge.scope().ruleFor(ruleId);
    }
}
