package io.smtpharness.fuzz;

import io.smtpharness.dialogue.Dialogue;
import io.smtpharness.dialogue.DialogueExecution;
import io.smtpharness.dialogue.ReplyMatcher;
import io.smtpharness.dialogue.Step;
import io.smtpharness.result.Finding;
import io.smtpharness.result.Severity;
import io.smtpharness.rules.CommandKind;
import io.smtpharness.rules.ConnectionClose;
import io.smtpharness.rules.Sent;
import io.smtpharness.rules.SessionState;
import io.smtpharness.transcript.Direction;
import io.smtpharness.transcript.Transcript;
import io.smtpharness.transcript.TranscriptEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The state of one generated dialogue: a live {@link DialogueExecution} (the runner of scripted
 * suites, so the same oracles judge every reply), the steps performed so far, and the invariants
 * checked after every action on the findings the execution made meanwhile. The session model inside the execution, not a precondition, says
 * what each reply should be: actions are independent of the state, so jqwik can shrink freely.
 */
final class FuzzSession implements AutoCloseable {

    /** The rule a hang cites: every command gets exactly one reply (RFC 5321 §4.2). */
    static final String ONE_REPLY = "5321-4.2-ONE-REPLY";
    private static final Set<String> CLOSE_RULES = new ConnectionClose().covers();
    private static final String CLOSE_ONLY_IF = "5321-3.8-CLOSE-ONLY-IF";
    private static final String CLOSE_AFTER_ERRORS = "G-20";
    /** Exim's default smtp_accept_max_nonmail: a server may stop serving a client that sends this many. */
    private static final int NON_MAIL_BEFORE_DEFENCE = 10;
    private static final Set<CommandKind> MAIL_KINDS = Set.of(CommandKind.MAIL, CommandKind.RCPT, CommandKind.DATA,
            CommandKind.END_OF_DATA, CommandKind.BDAT, CommandKind.QUIT);
    /**
     * RFC 2920 §3.1: these "can only appear as the last command in a group"; and HELO, which starts a
     * session without extensions, so a command after it in the group is pipelined where PIPELINING is
     * not in effect (Exim 4.96 answers "554 SMTP synchronization error" and closes, when the next
     * command is already in its buffer).
     */
    private static final Set<String> GROUP_ENDERS = Set.of("EHLO", "HELO", "DATA", "VRFY", "EXPN", "TURN", "QUIT",
            "NOOP");

    private final DialogueExecution execution;
    private final FuzzRun run;
    private final List<Step> steps = new ArrayList<>();
    private final List<FuzzAction> actions = new ArrayList<>();
    /** Findings the execution made that the invariants have not yet looked at, oldest first. */
    private final Deque<Finding> unchecked = new ArrayDeque<>();
    private int commands;
    /** Commands other than MAIL, RCPT, DATA, BDAT and QUIT (what a server counting a looping client counts). */
    private int nonMailCommands;
    private boolean lastPipelined;
    /** A command went out with a bare LF or CR in it (G-01): replies may no longer pair as modelled. */
    private boolean bareLineEndSent;
    /** A timeout that gray zone G-01 excuses was noted once; later checks pass over it. */
    private boolean silenceExcused;
    /** No hang was confirmed yet and --duration ended the wait before a full --timeout: a hang is only suspected. */
    private final boolean cutByBudget;

    FuzzSession(FuzzRun run) {
        this.run = run;
        Dialogue frame = new Dialogue("fuzz", "generated", "generated dialogue", List.of(ONE_REPLY), List.of(),
                Optional.empty(), List.of(), List.of(), "generated");
        this.execution = new DialogueExecution(frame, run.client(), run.target(), run.runnerOptions());
        execution.onFinding(unchecked::add);
        Optional<Duration> wait = run.replyWait();
        wait.ifPresent(execution::limitReplyWait);
        cutByBudget = wait.isPresent() && !run.hangIsConfirmed();
        run.opened();
        if (!execution.open()) {
            close();
            throw new FuzzFailure(FuzzFailure.Kind.UNREACHABLE, "-", String.valueOf(execution.error()), List.of(), List.of(), 0,
                    List.of());
        }
    }

    /** Performs one action: its sends, the replies they are owed, and content if DATA was accepted. */
    void perform(FuzzAction action) {
        if (ended()) {
            return; // after 221 or 421 there is no session left to talk to
        }
        actions.add(action);
        lastPipelined = action.pipelined();
        bareLineEndSent |= !execution.model().inData() && action.sends().stream().anyMatch(FuzzSession::bareLineEnd);
        action.sends().forEach(this::step);
        drain();
        if (execution.model().inData() && !execution.ended()) {
            if (!run.mayDeliver()) {
                // DESIGN "Safety": no completed message to a non-loopback target without --allow-delivery
                step(new Step.Close(""));
                return;
            }
            action.content().forEach(this::step);
            drain();
        }
    }

    private void step(Step step) {
        if (execution.ended()) {
            return;
        }
        execution.perform(step);
        steps.add(step);
    }

    /** Reads every reply the octets sent so far are owed, counting the command × state pairs. */
    private void drain() {
        while (!execution.ended() && execution.nextOwed().isPresent()) {
            Sent owed = execution.nextOwed().get();
            if (owed.kind() != CommandKind.END_OF_DATA) {
                commands++;
            }
            if (!MAIL_KINDS.contains(owed.kind())) {
                nonMailCommands++;
            }
            run.covered(execution.model().state(), owed.kind());
            step(new Step.Expect(ReplyMatcher.ANY, Optional.empty(), "fuzz step " + (steps.size() + 1)));
        }
    }

    /**
     * The invariants ({@link FuzzFailure.Kind}): every command got its reply in time, the server did
     * not drop the session without 221 or 421 (unless gray zone G-09 or G-20 allows it, and it still
     * greets), and no reply broke a MUST rule.
     */
    void check() {
        if (execution.timedOut() && !silenceExcused) {
            if (!bareLineEndSent) {
                throw failure(FuzzFailure.Kind.HANG, ONE_REPLY, execution.error() + (cutByBudget
                        ? " (suspected: --duration ended before a full --timeout could confirm it; the replay waits it)"
                        : ""));
            }
            // G-01: a server that took the bare line end as a line end answers twice and then waits for
            // content the model did not expect (aiosmtpd); one that did not may wait for more (GreenMail)
            execution.transcript().note("G-01: after a bare line end in a command, silence is not judged: "
                    + execution.error());
            silenceExcused = true;
            mustStillGreet(execution.error() + " after a bare line end in a command (G-01)");
        }
        for (Finding f; (f = unchecked.poll()) != null; ) {
            if (f.ruleId().equals(CLOSE_AFTER_ERRORS)) {
                mustStillGreet(f.message() + " (G-20)");
            }
            if (f.severity() != Severity.FAILED) {
                continue;
            }
            boolean improper = improperPipelining();
            if (CLOSE_RULES.contains(f.ruleId())) {
                if (improper || bareLineEndSent) {
                    // the server may count the commands otherwise (Exim: too many unknown ones) or call it
                    // pipelining (OpenSMTPD), and close; still a crash if it took the whole server down
                    String why = improper ? "improper pipelining by the client (G-09)"
                            : "a bare line end in a command (G-01)";
                    execution.transcript().note("closed after " + why);
                    mustStillGreet(f.message() + " after " + why);
                    continue;
                }
                if (!defendedAgainstALoop(f, FuzzFailure.Kind.CRASH)) {
                    throw failure(FuzzFailure.Kind.CRASH, f.ruleId(), f.message());
                }
                continue;
            }
            if (bareLineEndSent) {
                // G-01: a server may take a bare LF or CR in a command as a line end (a warning in the
                // suites); then its replies no longer pair with commands as modelled, so in this dialogue
                // only crashes and hangs count
                execution.transcript().note("G-01: after a bare line end in a command, not judged: " + f.message());
                continue;
            }
            if (improper) {
                // G-09: a server may reject pipelined input it did not offer PIPELINING for, or a group RFC 2920
                // forbids ("improper pipelining", "SMTP synchronization error")
                execution.transcript().note("G-09: improper pipelining by the client: " + f.message());
                continue;
            }
            if (!defendedAgainstALoop(f, FuzzFailure.Kind.RULE)) {
                throw failure(FuzzFailure.Kind.RULE, f.ruleId(), f.message());
            }
        }
    }

    /**
     * G-20: a server defending itself (RFC 5321 §7.8: servers may "take action to defend themselves")
     * against a client that loops may refuse a command it would otherwise answer and hang up (Exim's
     * "554 Too many nonmail commands" to the eleventh EHLO, NOOP or RSET). True, with a note, when
     * {@code breach} is excused so; a crash still if the server then no longer greets. A failure
     * already found is not looked at again (it would not be reported either way): no wait for a close.
     */
    private boolean defendedAgainstALoop(Finding breach, FuzzFailure.Kind kind) {
        if (run.isKnown(FuzzFailure.key(kind, breach.ruleId())) || !refusedAndClosedAfterManyCommands()) {
            return false;
        }
        execution.transcript().note("G-20: after " + nonMailCommands + " commands that moved no mail the server"
                + " refused and closed the connection, an allowed defence (5321-7.8-ATTACK-CLOSE); not judged: "
                + breach.message());
        mustStillGreet(breach.message() + ", after a refusal that closed the connection (G-20)");
        return true;
    }

    /**
     * Gray zone G-20 by volume: after at least {@value #NON_MAIL_BEFORE_DEFENCE} commands that moved no
     * mail, the server's last reply refused (4yz or 5yz) and it closed the connection right after,
     * answering nothing sent after the refusal (a line, the harness's QUIT say, may cross the close).
     * One bad command that gets a refusal and a close is not this (OpenSMTPD's 500 to a long line).
     */
    private boolean refusedAndClosedAfterManyCommands() {
        if (nonMailCommands < NON_MAIL_BEFORE_DEFENCE) {
            return false;
        }
        List<TranscriptEvent> events = execution.transcript().events();
        boolean closed = false;
        boolean unsent = false;
        for (int i = events.size() - 1; i >= 0; i--) {
            TranscriptEvent e = events.get(i);
            if (e.direction() == Direction.C) {
                if (closed || unsent) {
                    // a line that crossed the close (the QUIT ending the dialogue, say) and was hung up on,
                    // or one that never left (the next action, tried after the close)
                    unsent = false;
                    continue;
                }
                return false;
            }
            if (e.direction() == Direction.NOTE) {
                closed |= e.text().startsWith("closed by the server") || resetByServer(e.text());
                unsent |= e.text().equals(Transcript.NOT_SENT);
                continue;
            }
            boolean refusal = e.text().startsWith("4") || e.text().startsWith("5");
            // a close already in the transcript may not have been read yet: closesWithin reads it, so
            // the session ends here and the next action does not find the connection gone (a crash)
            return refusal && (closed && execution.ended() || execution.closesWithin(run.closeWait()));
        }
        return false;
    }

    /**
     * A reset is how Exim's close looks when our next line is still unread in its buffer (its kernel
     * sends RST, not FIN). Runs keep it a failed connection (a crashing server resets too), but after
     * a refusal for too many commands it is the defence's close; {@link #mustStillGreet} still
     * catches a server that went down.
     */
    private static boolean resetByServer(String note) {
        return note.startsWith("connection failed") && note.contains("Connection reset");
    }

    /**
     * True when the last action pipelined where the client may not (gray zone G-09): to a server that
     * did not advertise PIPELINING, or with a command that RFC 2920 §3.1 allows only at the end of a
     * group followed by more.
     */
    private boolean improperPipelining() {
        if (!lastPipelined) {
            return false;
        }
        if (!execution.model().advertised("PIPELINING")) {
            return true;
        }
        List<String> lines = actions.get(actions.size() - 1).sends().stream().map(FuzzSession::octets)
                .flatMap(text -> List.of(text.split("\r\n")).stream()).filter(l -> !l.isEmpty()).toList();
        return lines.subList(0, Math.max(0, lines.size() - 1)).stream()
                .map(l -> l.split(" ", 2)[0].toUpperCase(Locale.ROOT)).anyMatch(GROUP_ENDERS::contains);
    }

    /** What a send step puts on the wire, as text (a send's line with its CRLF; nothing for other steps). */
    private static String octets(Step send) {
        return send instanceof Step.SendRaw r ? r.text() : send instanceof Step.Send c ? c.line() + "\r\n" : "";
    }

    /** A bare LF or a bare CR in a command's octets (G-01: a server may take it as a line end). */
    private static boolean bareLineEnd(Step send) {
        String withoutCrlf = octets(send).replace("\r\n", "");
        return withoutCrlf.indexOf('\n') >= 0 || withoutCrlf.indexOf('\r') >= 0;
    }

    /**
     * A hang-up that a gray zone allows is still a crash when it took the whole server down: the
     * next connection must get a greeting.
     */
    private void mustStillGreet(String what) {
        if (!run.stillGreets()) {
            throw failure(FuzzFailure.Kind.CRASH, CLOSE_ONLY_IF, what + ", and then the server stopped accepting connections");
        }
    }

    /** Ends the session as a client should (QUIT), then checks the invariants once more. */
    void finishAndCheck() {
        if (!execution.ended()) {
            execution.finish();
        }
        check();
    }

    private FuzzFailure failure(FuzzFailure.Kind kind, String ruleId, String message) {
        return new FuzzFailure(kind, ruleId, message, steps, actions, commands, execution.transcript().events());
    }

    /** The steps performed so far. */
    List<Step> steps() {
        return List.copyOf(steps);
    }

    /** True when the session ended before the dialogue did. */
    boolean ended() {
        return execution.ended() || execution.model().state() == SessionState.CLOSED;
    }

    @Override
    public void close() {
        run.closed();
        execution.close();
        if (!execution.timedOut()) {
            run.observe(execution.transcript().events());
        }
    }

    @Override
    public String toString() {
        return "FuzzSession[" + steps.size() + " steps, state " + execution.model().state() + "]";
    }
}
