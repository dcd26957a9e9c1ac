package io.smtpharness.dialogue;

import io.smtpharness.client.Received;
import io.smtpharness.client.SmtpClient;
import io.smtpharness.client.SmtpConnection;
import io.smtpharness.client.TargetUnreachableException;
import io.smtpharness.client.TlsUpgrade;
import io.smtpharness.protocol.Command;
import io.smtpharness.protocol.MessageContent;
import io.smtpharness.protocol.Reply;
import io.smtpharness.protocol.Sasl;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One run of one dialogue: connects, reads the greeting, performs the steps, ends the session with
 * QUIT, and judges every reply with the standard oracles as it goes. The session model advances
 * only on replies; the {@link SessionTracker} pairs each reply with what it answers.
 *
 * <p>{@link #run()} does it all for a scripted dialogue. Generated dialogues drive the same
 * execution one step at a time: {@link #open()}, {@link #perform(Step)} as often as needed, checking
 * {@link #findings()} in between, then {@link #finish()} and {@link #close()}. Not thread-safe.
 */
public final class DialogueExecution implements AutoCloseable {


    /** How long a reply to a command injected behind STARTTLS may take to show up inside TLS. */
    private static final Duration INJECTION_WINDOW = Duration.ofSeconds(1);
    /** Appended to the password by {@code auth} steps with {@code password: wrong}. */
    private static final String WRONG_PASSWORD_SUFFIX = "-wrong-7f3c";

    /** After a refusal inside DATA, how long replies to the smuggled lines may take to show they ran. */
    private static final Duration SMUGGLED_REPLY_WINDOW = Duration.ofSeconds(1);
    private static final int MAX_REPLIES_AFTER_REFUSAL = 8;
    /** Replies no command asked for that a case judges before it hangs up on the flood. */
    private static final int MAX_STRAY_REPLIES = 20;
    /** After a pipelined group, how long finishing waits for replies beyond those owed. */
    private static final Duration STRAY_SETTLE = Duration.ofMillis(200);
    private static final String QUIT_CLOSE = "5321-4.1.1.10-QUIT-221";
    private static final String FLUSH_WHEN_IDLE = "2920-3.2-FLUSH-WHEN-IDLE";
    /** RFC-RULES 2920-3.2-FLUSH-WHEN-IDLE: replies to a pipelined group that ends must come within 5 s. */
    private static final Duration FLUSH_WAIT = Duration.ofSeconds(5);
    /** The wait for a reply to a command that the server already left unanswered for a full deadline in this run. */
    private static final Duration KNOWN_SILENCE_WAIT = Duration.ofSeconds(1);

    private final Dialogue dialogue;
    private final ServerTraits traits;
    private final SmtpClient client;
    private final InetSocketAddress target;
    private final RunnerOptions options;
    private final Transcript transcript = new Transcript();
    private final CaseLog log;
    /** What each reply answers, and the session model the replies moved. */
    private final SessionTracker tracker = new SessionTracker();
    private final Judge judge;
    private SmtpConnection connection;
    private boolean ended;
    /** A scripted case ({@link #run()}), not a generated dialogue driven step by step. */
    private boolean scripted;
    /** True while a starttls step reads its 220: that step, and only it, goes on to the handshake. */
    private boolean startingTls;
    /** Replies no command asked for, so far. */
    private int strays;
    /** After the greeting, the server closed or reset the connection where no close was due. */
    private boolean lostAfterGreeting;

    /** An execution of {@code dialogue} (its rules and level apply; its steps only in {@link #run()}). */
    public DialogueExecution(Dialogue dialogue, SmtpClient client, InetSocketAddress target, RunnerOptions options) {
        this(dialogue, client, target, options, new ServerTraits());
    }

    /** An execution that learns from, and adds to, what earlier cases of its run saw of the server. */
    DialogueExecution(Dialogue dialogue, SmtpClient client, InetSocketAddress target, RunnerOptions options,
                      ServerTraits traits) {
        this.traits = traits;
        this.dialogue = dialogue;
        this.client = client;
        this.target = target;
        this.options = options;
        this.judge = new Judge(dialogue.scope());
        this.log = new CaseLog(options.credentials().isPresent() ? transcript::scrub : text -> text);
        // from the first event on, whatever step or server utters them: the password and the base64
        // forms auth steps send (PLAIN's NUL user NUL password, LOGIN's password), right and wrong
        options.credentials().ifPresent(account -> {
            for (String password : List.of(account.password(), account.password() + WRONG_PASSWORD_SUFFIX)) {
                transcript.secret(password);
                transcript.secret(Sasl.base64(password));
                transcript.secret(Sasl.plain(account.user(), password));
            }
        });
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
        return tracker.greetingReceived() ? lostAfterGreeting ? Contact.LOST : Contact.GREETED : Contact.NO_GREETING;
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
        return ended || log.error() != null;
    }

    /** What the oldest reply still owed answers, if any reply is owed. */
    public Optional<Sent> nextOwed() {
        return tracker.owed();
    }

    void run() {
        scripted = true;
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
                if (log.skipped() != null) {
                    break; // a refused setup step: what follows would test nothing
                }
            }
            if (!ended) {
                finish();
            }
            if (log.skipped() == null && log.error() == null && !dialogue.requires().isEmpty()
                    && !tracker.keywordsSeen()) {
                log.skip("no EHLO reply listed the server's extensions, so " + String.join(", ", dialogue.requires())
                        + " could not be confirmed");
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
            log.error(e.getMessage(), false);
            ended = true;
            return false;
        }
        if (client.tlsSettings().implicit()) {
            tracker.implicitTls(); // RFC 8314: the greeting already came inside TLS
        }
        tracker.connected();
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
        if (step instanceof Step.Send && model().inData()) {
            // the server took DATA where the script expected a refusal: a command now would be read
            // as message content, so drop the connection instead (that aborts the transaction, §4.1.1.10)
            hangUp("the server is reading message content; the rest of the dialogue is not sent ("
                    + step.origin() + ")");
        } else if (needsUnknownSize(step)) {
            log.skip(tracker.sizeAdvertised() ? "the server's EHLO reply states no fixed SIZE limit, which " + step.origin()
                    + " needs" : "no EHLO reply stated a SIZE limit, which " + step.origin() + " needs");
            transcript.note("case not applicable: " + log.skipped());
            finish();
        } else if (step instanceof Step.Send) {
            Command command = ((Step.Send) step).command(variables());
            send(command.toWire());
        } else if (step instanceof Step.SendRaw) {
            send(((Step.SendRaw) step).bytes(variables()));
        } else if (step instanceof Step.SendData) {
            sendData((Step.SendData) step);
        } else if (step instanceof Step.Expect) {
            Step.Expect expect = (Step.Expect) step;
            readOne(expect.ruleId(), expect.matcher(), expect.origin());
        } else if (step instanceof Step.ExpectNoReply) {
            expectNoReply((Step.ExpectNoReply) step);
        } else if (step instanceof Step.ExpectClose) {
            Step.ExpectClose close = (Step.ExpectClose) step;
            String id = rule(close.ruleId());
            Optional<String> keptOpen = traits.keptOpenAfterQuit().filter(c -> model().state() == SessionState.CLOSED);
            if (keptOpen.isPresent() && close.within().compareTo(KNOWN_SILENCE_WAIT) > 0) {
                // after 221 a server already seen to keep the connection open is given 1 s, not the full wait
                transcript.note("the server kept the connection open after 221 for " + options.closeWait().toMillis()
                        + " ms in case " + keptOpen.get() + "; waiting " + KNOWN_SILENCE_WAIT.toMillis() + " ms here");
                awaitClose(KNOWN_SILENCE_WAIT, id, true, close.origin());
            } else {
                awaitClose(close.within(), id, true, close.origin());
            }
        } else if (step instanceof Step.Concurrent) {
            concurrent((Step.Concurrent) step);
        } else if (step instanceof Step.StartTls) {
            startTls((Step.StartTls) step);
        } else if (step instanceof Step.Auth) {
            auth((Step.Auth) step);
        } else if (step instanceof Step.Pause) {
            pause(((Step.Pause) step).duration());
        } else if (step instanceof Step.Close) {
            connection.close();
            tracker.closed();
            ended = true;
        }
    }

    /**
     * Once an EHLO reply has listed the extensions, a case whose keywords are missing stops there:
     * what follows would test an extension the server never offered.
     */
    private void checkRequirements() {
        if (ended || log.skipped() != null || model().keywords().isEmpty()) {
            return;
        }
        List<String> excluding = dialogue.unless().stream().filter(model()::advertised).toList();
        if (!excluding.isEmpty()) {
            log.skip("the server advertises " + String.join(", ", excluding) + ", which changes what this case"
                    + " tests (the case applies only without it)");
            transcript.note("case not applicable: " + log.skipped());
            finish();
            return;
        }
        if (dialogue.requires().isEmpty()) {
            return;
        }
        // extensions may change with TLS (RFC 3207 §4.2, RFC 4954 §3): before a starttls step of the
        // case, only STARTTLS itself is checked; the rest on the EHLO reply inside TLS
        boolean tlsAhead = !model().tls() && dialogue.steps().stream().anyMatch(s -> s instanceof Step.StartTls);
        // inside TLS, STARTTLS is rightly gone from the list (RFC 3207 §4.2): it was checked before
        List<String> missing = dialogue.requires().stream()
                .filter(k -> !tlsAhead || k.equalsIgnoreCase("STARTTLS"))
                .filter(k -> !model().tls() || !k.equalsIgnoreCase("STARTTLS"))
                .filter(k -> !model().advertised(k)).toList();
        if (!missing.isEmpty()) {
            log.skip("the server does not advertise " + String.join(", ", missing) + " in its EHLO reply");
            transcript.note("case not applicable: " + log.skipped());
            finish();
        }
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

    private void send(byte[] octets) {
        tracker.sent(octets, System.nanoTime());
        if (!connection.sendRaw(octets)) {
            transcript.note("not sent: the connection is closed");
        }
    }

    private void sendData(Step.SendData step) {
        if (!model().inData()) {
            transcript.note("message content not sent: the server did not accept DATA (" + step.origin() + ")");
            ended = true;
            finish();
            return;
        }
        send(MessageContent.encode(variables().expand(step.content())));
    }

    /** Reads the next reply, judges it, and checks it against the script's matcher. */
    private void readOne(Optional<String> ruleId, ReplyMatcher matcher, String origin) {
        // RFC 2920 §3.2: once its input is empty a server flushes every pending reply; an expect citing
        // that rule for a pipelined command waits only FLUSH_WAIT, and a missing reply breaks that rule
        boolean flushCheck = ruleId.filter(FLUSH_WHEN_IDLE::equals).isPresent() && tracker.owedIsPipelined();
        String skippedBefore = log.skipped();
        Sent owed = tracker.owed().orElse(null);
        int judgedBefore = log.size();
        Reply reply = readJudged(origin, flushCheck);
        // a reply that just refused a setup step (SetupRefusal) skips the case; it is no mismatch
        boolean refusedSetup = log.skipped() != null && skippedBefore == null;
        Optional<ProbeReply.Verdict> aboutElse = reply == null || owed == null || matcher.matches(reply.code())
                || refusedSetup ? Optional.empty() : ProbeReply.of(owed, reply, dialogue, rule(ruleId), origin,
                tracker.verbCaseShown(), model().errors());
        if (aboutElse.isPresent()) {
            aboutElse.get().event().ifPresent(this::report);
            aboutElse.get().skip().ifPresent(why -> {
                // the probe is unusable here: what the oracles found on its reply is a trait of the server
                log.incidentalFrom(judgedBefore, judge.scope()::tests);
                log.skip(why);
                transcript.note("case not applicable: " + why);
                finish();
            });
        } else if (reply != null && !matcher.matches(reply.code()) && !refusedSetup) {
            String id = rule(ruleId);
            report(new SessionEvent.Mismatch(id, "expected " + matcher + " at " + origin + ", got \""
                    + reply.summary() + "\""));
            if (ruleId.filter(r -> r.startsWith("G-")).isPresent() && !ended) {
                // the server took the other side of a gray zone (an EHLO without a domain accepted, say):
                // the steps after this one assume the side the script expected, so they would judge a
                // premise that does not hold; the case ends with the gray zone's warning
                transcript.note("the server chose the other side of gray zone " + id + "; the rest of the case"
                        + " assumes the expected side and is not run");
                finish();
            }
        }
    }

    /** Reads and judges the next reply; null (the case ended: timeout or close) when none came. */
    private Reply readJudged(String origin) {
        return readJudged(origin, false);
    }

    private Reply readJudged(String origin, boolean flushCheck) {
        Duration wait = flushCheck ? FLUSH_WAIT : options.rfcReplyWaits() ? tracker.rfcReplyWait()
                : client.options().replyTimeout();
        // a command the server already left unanswered in this run costs its full wait only once
        Optional<String> knownSilent = flushCheck ? Optional.empty() : silenceKey(owed()).flatMap(traits::leftUnanswered);
        if (knownSilent.isPresent() && wait.compareTo(KNOWN_SILENCE_WAIT) > 0) {
            wait = KNOWN_SILENCE_WAIT;
        }
        Received received = connection.readReply(wait);
        if (received instanceof Received.Got && arrivedBeforeItsCommand((Received.Got) received)) {
            strayReply(((Received.Got) received).reply());
            return ended ? null : readJudged(origin, flushCheck);
        }
        if (received instanceof Received.Got) {
            Reply reply = ((Received.Got) received).reply();
            Optional<Sent> sent = judge(tracker.answer(reply));
            if (scripted && sent.filter(s -> s.kind() == CommandKind.BDAT).isPresent() && reply.codeClass() >= 4
                    && tracker.owed().isEmpty()) {
                settleStrays(STRAY_SETTLE); // a server that ran the refused chunk as commands answers it now, or soon
            }
            return reply;
        } else if (received instanceof Received.TimedOut && tracker.owedIsPipelined()
                && model().advertised("PIPELINING")) {
            report(new SessionEvent.PipelinedUnanswered(owed().text(), ((Received.TimedOut) received).waitedMs(),
                    origin, flushCheck));
            hangUp("a pipelined command went unanswered; the rest of the dialogue is not judged");
        } else if (received instanceof Received.TimedOut && knownSilent.isPresent()) {
            fail(true, "no complete reply to " + owed().text() + " within " + ((Received.TimedOut) received).waitedMs()
                    + " ms (" + origin + "); the server already left " + silenceKey(owed()).orElseThrow()
                    + " unanswered for a full deadline in case " + knownSilent.get() + ", so this case did not wait"
                    + " that long again");
        } else if (received instanceof Received.TimedOut) {
            Sent waiting = owed();
            silenceKey(waiting).ifPresent(key -> traits.leftUnanswered(key, caseId()));
            fail(true, "no complete reply to " + (waiting == null ? "anything" : waiting.text()) + " within "
                    + ((Received.TimedOut) received).waitedMs() + " ms" + (options.rfcReplyWaits()
                    ? ", the RFC 5321 §4.5.3.2 minimum" : "") + " (" + origin + ")");
        } else {
            serverClosed();
        }
        return null;
    }

    /**
     * What a command left unanswered is known by: its verb, or the end of data; none for the
     * greeting (a target that stops greeting is the run's circuit breaker's business).
     */
    private static Optional<String> silenceKey(Sent waiting) {
        if (waiting == null || waiting.kind() == CommandKind.GREETING) {
            return Optional.empty();
        }
        return Optional.of(waiting.verb().isEmpty() ? waiting.text() : waiting.verb());
    }

    /** The command the oldest owed reply answers, or null. */
    private Sent owed() {
        return tracker.owed().orElse(null);
    }

    private String caseId() {
        return dialogue.suite() + "/" + dialogue.id();
    }

    /**
     * STARTTLS, the handshake, and the fresh session inside TLS (RFC 3207 §4, §4.2). What was
     * pipelined behind STARTTLS is owed no reply any more: a reply to it in plaintext before the
     * handshake is noted, one inside TLS is command injection (CVE-2011-0411).
     */
    private void startTls(Step.StartTls step) {
        String text = "STARTTLS\r\n" + step.inject().map(variables()::expand).orElse("");
        send(Step.Octets.fromText(text));
        startingTls = true;
        Reply reply = readJudged(step.origin());
        startingTls = false;
        if (reply == null) {
            return;
        }
        if (reply.code() == 454) {
            log.skip("the server answered STARTTLS with 454 (TLS not available now, 3207-4-454-TEMP)");
            transcript.note("case not applicable: " + log.skipped());
            finish();
            return;
        }
        if (reply.code() != 220) {
            if (model().advertised("STARTTLS")) {
                report(new SessionEvent.StartTlsRefused(reply, step.origin()));
            } else {
                log.skip("the server does not offer STARTTLS (it answered \"" + reply.summary() + "\")");
                transcript.note("case not applicable: " + log.skipped());
            }
            finish();
            return;
        }
        TlsUpgrade upgrade = connection.startTls();
        tracker.tlsEstablished();
        if (!upgrade.plaintextReplies().isEmpty()) {
            transcript.note("the server answered " + upgrade.plaintextReplies().size() + " command(s) pipelined"
                    + " behind STARTTLS in plaintext, before the handshake; they were not run inside TLS");
        }
        if (!upgrade.established()) {
            String why = upgrade.failure().orElseThrow();
            if (!upgrade.plaintextReplies().isEmpty()) {
                why = "the server sent plaintext after the 220 where the TLS handshake belonged (\""
                        + upgrade.plaintextReplies().get(0).summary() + "\"" + (upgrade.plaintextReplies().size() > 1
                        ? " and " + (upgrade.plaintextReplies().size() - 1) + " more" : "") + "); " + why;
            }
            if (upgrade.certificateRejected()) {
                fail(why + " (the certificate was checked because of --tls-verify) at " + step.origin());
            } else {
                report(new SessionEvent.HandshakeFailed(why, step.origin()));
                tracker.closed();
                ended = true;
            }
            return;
        }
        if (step.inject().isEmpty()) {
            // nothing was pipelined, yet a reply already there came inside TLS unasked
            connection.pollReply().ifPresent(r -> report(new SessionEvent.ReplyInsideTls(r, step.origin(), false)));
        } else {
            Received early = connection.readReply(INJECTION_WINDOW);
            if (early instanceof Received.Got) {
                Reply injected = ((Received.Got) early).reply();
                report(new SessionEvent.ReplyInsideTls(injected, step.origin(), true));
                for (Received more; (more = connection.readReply(Duration.ofMillis(200))) instanceof Received.Got; ) {
                    transcript.note("another injected reply: " + ((Received.Got) more).reply().summary());
                }
            } else if (early instanceof Received.Closed) {
                serverClosed();
            }
        }
    }

    /**
     * One AUTH exchange (RFC 4954 §4) with the run's credentials: the command (PLAIN with its
     * initial response), each 334 answered as the mechanism says, the final reply matched. Every
     * form of the secret is registered with the transcript first, so none can appear in it.
     */
    private void auth(Step.Auth step) {
        if (options.credentials().isEmpty()) {
            log.skip("no AUTH credentials were given (--auth-user with SMTP_HARNESS_AUTH_PASSWORD or"
                    + " --auth-password-file)");
            transcript.note("case not applicable: " + log.skipped());
            finish();
            return;
        }
        String mechanism = step.mechanism().toUpperCase(Locale.ROOT);
        List<String> offered = tracker.authMechanisms();
        if (!offered.contains(mechanism)) {
            log.skip("the server does not offer AUTH " + mechanism + " (offered: "
                    + (offered.isEmpty() ? "none" : String.join(" ", offered)) + ")");
            transcript.note("case not applicable: " + log.skipped());
            finish();
            return;
        }
        AuthCredentials account = options.credentials().get();
        String user = account.user();
        String password = step.wrongPassword() ? account.password() + WRONG_PASSWORD_SUFFIX : account.password();
        Reply reply;
        switch (mechanism) {
            case "PLAIN":
                reply = authLine("AUTH " + step.mechanism() + " " + Sasl.plain(user, password), Sent.ofLine("AUTH " + step.mechanism()), step);
                break;
            case "LOGIN":
                reply = authLine("AUTH " + step.mechanism(), Sent.ofLine("AUTH " + step.mechanism()), step);
                if (reply != null && reply.code() == 334) {
                    reply = authLine(Sasl.base64(user), Sent.AUTH_RESPONSE, step);
                }
                if (reply != null && reply.code() == 334) {
                    reply = authLine(Sasl.base64(password), Sent.AUTH_RESPONSE, step);
                }
                break;
            default: // CRAM-MD5 (RFC 2195)
                reply = authLine("AUTH " + step.mechanism(), Sent.ofLine("AUTH " + step.mechanism()), step);
                if (reply != null && reply.code() == 334) {
                    String challenge = Sasl.decodeLenient(reply.lines().get(0).text());
                    reply = authLine(Sasl.cramMd5(user, password, challenge), Sent.AUTH_RESPONSE, step);
                }
        }
        if (reply != null && !step.matcher().matches(reply.code())) {
            String id = rule(step.ruleId());
            report(new SessionEvent.Mismatch(id, "expected " + step.matcher() + " at the end of AUTH " + mechanism
                    + " (" + step.origin() + "), got \"" + reply.summary() + "\""));
        }
    }

    /** Sends one AUTH line (redacted in the transcript) owing {@code owed} and reads its reply. */
    private Reply authLine(String line, Sent owed, Step.Auth step) {
        tracker.sentLine(owed);
        if (!connection.sendAuth((line + "\r\n").getBytes(StandardCharsets.UTF_8))) {
            transcript.note("not sent: the connection is closed");
        }
        return readJudged(step.origin());
    }

    private void expectNoReply(Step.ExpectNoReply step) {
        Received received = connection.readReply(step.within());
        if (received instanceof Received.Got) {
            Reply reply = ((Received.Got) received).reply();
            String id = rule(step.ruleId());
            // judged for syntax, but its being there at all is the step's finding, not ONE-REPLY's
            List<Finding> syntax = judge.unowed(tracker.unowed(reply));
            if (model().inData()) {
                replyInsideData(id, reply, step.origin());
                log.addAll(syntax);
                return;
            }
            report(new SessionEvent.Mismatch(id, "a reply arrived where none may (" + step.origin() + "): \""
                    + reply.summary() + "\" in state " + model().state()));
            log.addAll(syntax);
            tracker.resync();
        } else if (received instanceof Received.Closed) {
            serverClosed();
        }
    }

    /**
     * A reply while message content is still being sent, after an end-of-data look-alike: after a
     * refusal, the replies to the lines that followed are read too (they show those lines ran as
     * commands). Either way the rest of the dialogue cannot be paired with replies, so the
     * connection is dropped.
     */
    private void replyInsideData(String ruleId, Reply reply, String origin) {
        boolean refusal = SessionEvent.ReplyInsideData.refuses(reply);
        List<Reply> after = new ArrayList<>();
        boolean closed = false;
        while (refusal && after.size() < MAX_REPLIES_AFTER_REFUSAL) {
            Received next = connection.readReply(SMUGGLED_REPLY_WINDOW, "no reply to the lines after the refusal"
                    + " within " + SMUGGLED_REPLY_WINDOW.toMillis() + " ms");
            if (!(next instanceof Received.Got)) {
                closed = next instanceof Received.Closed;
                break;
            }
            after.add(((Received.Got) next).reply());
        }
        report(new SessionEvent.ReplyInsideData(ruleId, reply, after, closed, origin));
        hangUp("the server answered inside DATA; the rest of the dialogue is not sent");
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
                    report(new SessionEvent.Mismatch(id, "connection " + (extra.indexOf(c) + 2) + " of "
                            + (step.connections() + 1) + " got no 220 greeting (" + step.origin() + ")"));
                } else {
                    c.send(new Command("QUIT", ""));
                }
            }
        } catch (TargetUnreachableException e) {
            report(new SessionEvent.Mismatch(id, "a further connection was refused while " + extra.size()
                    + " were open: " + e.getMessage() + " (" + step.origin() + ")"));
        } finally {
            extra.forEach(SmtpConnection::close);
        }
    }

    /** Reads until the server closes; replies meanwhile are judged as unsolicited. */
    private void awaitClose(Duration within, String ruleId, boolean scripted, String origin) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!ended) {
            long left = deadline - System.nanoTime();
            Received received = connection.readReply(Duration.ofNanos(Math.max(left, 0)),
                    "the server had not closed the connection within " + within.toMillis() + " ms (" + origin + ")");
            if (received instanceof Received.Closed) {
                tracker.closed();
                ended = true;
                return;
            }
            if (received instanceof Received.TimedOut) {
                report(new SessionEvent.NotClosed(ruleId, within.toMillis(), origin, scripted));
                return;
            }
            judgeUnasked(((Received.Got) received).reply());
        }
    }

    /** Ends the session as a client should: collect owed replies, QUIT, see the server close. */
    public void finish() {
        while (tracker.owed().isPresent() && !ended && log.error() == null) {
            readOne(Optional.empty(), ReplyMatcher.ANY, "end of dialogue");
        }
        if (ended || log.error() != null || !connection.isOpen() || model().state() == SessionState.CLOSED) {
            return;
        }
        // replies beyond those owed: after a pipelined group they may still be on their way, so wait
        // a little for them, or they would be paired with the QUIT in some runs and not in others
        // (scripted cases only: a fuzzer pipelines nearly every dialogue and cannot pay that per try)
        settleStrays(!tracker.anyPipelined() || !scripted ? Duration.ZERO : STRAY_SETTLE);
        if (model().inData() || !connection.isOpen()) {
            return;
        }
        send(new Command("QUIT", "").toWire());
        readOne(Optional.empty(), ReplyMatcher.ANY, "closing QUIT");
        if (model().state() == SessionState.CLOSED && !ended) {
            awaitCloseAfterQuit();
        }
        ended = true;
    }

    /**
     * After 221 to the harness's own closing QUIT (not a step of the case) the server must close
     * (RFC 5321 §4.1.1.10). The rule's level, whatever the case's; outside the cases that test it the
     * finding is incidental (one entry per run, listing its cases), and once a case of the run has
     * waited in full for a close that never came, later cases do not wait again.
     */
    private void awaitCloseAfterQuit() {
        boolean tested = judge.scope().tests(QUIT_CLOSE);
        Optional<String> known = traits.keptOpenAfterQuit();
        if (known.isPresent() && !tested) {
            transcript.note("not waiting for the close after 221: the server kept the connection open after 221"
                    + " for " + options.closeWait().toMillis() + " ms in case " + known.get());
            report(new SessionEvent.KeptOpenAfterQuit(known.get()));
            return;
        }
        awaitClose(options.closeWait(), QUIT_CLOSE, false, "after 221 to QUIT");
        if (!ended) {
            traits.keptOpenAfterQuit(caseId());
        }
    }

    /**
     * True when the reply was already there before the command it would be paired with was sent:
     * it cannot answer that command, so it is one reply too many to an earlier one. Arrival times,
     * not the moment the harness reads, decide, so the verdict does not depend on thread timing.
     */
    private boolean arrivedBeforeItsCommand(Received.Got got) {
        return tracker.arrivedBeforeItsCommand(got.receivedNanos());
    }

    /**
     * Reads the replies beyond those owed that arrive within {@code wait} of each other: without the
     * wait they would be paired with the next command in some runs and not in others.
     */
    private void settleStrays(Duration wait) {
        for (Received early; !ended && (early = connection.readReply(wait, null)) instanceof Received.Got; ) {
            strayReply(((Received.Got) early).reply());
        }
    }

    /**
     * A reply read while waiting for a close or idling: it answers the oldest owed command, if any;
     * one that answers nothing counts towards the flood a case hangs up on.
     */
    private void judgeUnasked(Reply reply) {
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
    private void strayReply(Reply reply) {
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

    /** Adds what the judge makes of one event between replies. */
    private void report(SessionEvent event) {
        log.addAll(judge.event(event));
    }

    private void serverClosed() {
        if (!ended) {
            log.addAll(judge.close(model(), tracker.owed()));
            lostAfterGreeting |= tracker.greetingReceived() && model().state() != SessionState.CLOSED;
        }
        tracker.closed();
        ended = true;
    }

    /** The harness ends the session: it says why, drops the connection, and nothing more is owed. */
    private void hangUp(String why) {
        transcript.note(why);
        connection.close();
        tracker.closed();
        ended = true;
    }

    private void fail(String why) {
        fail(false, why);
    }

    private void fail(boolean timedOut, String why) {
        log.error(why, timedOut);
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
                judgeUnasked(((Received.Got) received).reply());
            } else if (received instanceof Received.Closed) {
                report(new SessionEvent.IdleClose(model().state(), (System.nanoTime() - start) / 1_000_000));
                tracker.closed();
                ended = true;
            }
        }
    }

    private String rule(Optional<String> ruleId) {
        return judge.scope().ruleFor(ruleId);
    }
}
