package io.smtpharness.fuzz;

import io.smtpharness.dialogue.Dialogue;
import io.smtpharness.dialogue.DialogueExecution;
import io.smtpharness.dialogue.ReplyMatcher;
import io.smtpharness.dialogue.Step;
import io.smtpharness.result.Finding;
import io.smtpharness.result.Severity;
import io.smtpharness.rules.ConnectionClose;
import io.smtpharness.rules.Sent;
import io.smtpharness.rules.SessionState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
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

    private final DialogueExecution execution;
    private final FuzzRun run;
    private final List<Step> steps = new ArrayList<>();
    private final List<FuzzAction> actions = new ArrayList<>();
    /** Findings the execution made that the invariants have not yet looked at, oldest first. */
    private final Deque<Finding> unchecked = new ArrayDeque<>();
    private int commands;
    private boolean lastPipelined;
    /** The server took a bare line end as a line end (G-01): replies no longer pair with commands as modelled. */
    private boolean pairingLost;

    FuzzSession(FuzzRun run) {
        this.run = run;
        Dialogue frame = new Dialogue("fuzz", "generated", "generated dialogue", List.of(ONE_REPLY), List.of(),
                Optional.empty(), List.of(), List.of(), "generated");
        this.execution = new DialogueExecution(frame, run.client(), run.target(), run.runnerOptions());
        execution.onFinding(unchecked::add);
        run.replyWait().ifPresent(execution::limitReplyWait);
        run.opened(this);
        if (!execution.open()) {
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
            if (owed.kind() != io.smtpharness.rules.CommandKind.END_OF_DATA) {
                commands++;
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
        if (execution.timedOut()) {
            throw failure(FuzzFailure.Kind.HANG, ONE_REPLY, execution.error());
        }
        for (Finding f; (f = unchecked.poll()) != null; ) {
            if (f.ruleId().equals(CLOSE_AFTER_ERRORS)) {
                mustStillGreet(f.message() + " (G-20)");
            }
            if (f.severity() != Severity.FAILED) {
                continue;
            }
            boolean unadvertisedPipelining = lastPipelined && !execution.model().advertised("PIPELINING");
            if (CLOSE_RULES.contains(f.ruleId())) {
                if (unadvertisedPipelining) {
                    execution.transcript().note("G-09: closed after pipelined input the server did not advertise");
                    mustStillGreet(f.message() + " after pipelined input the server did not advertise (G-09)");
                    continue;
                }
                throw failure(FuzzFailure.Kind.CRASH, f.ruleId(), f.message());
            }
            if (pairingLost) {
                continue;
            }
            if (f.ruleId().equals(ONE_REPLY) && sentBareLineEnd()) {
                // G-01: the server took a bare LF or CR as a line end (a warning in the suites); replies
                // no longer pair with commands as the model pairs them, so only crashes and hangs count now
                execution.transcript().note("G-01: a reply to a bare line end; the rest of this dialogue is judged"
                        + " for crashes and hangs only");
                pairingLost = true;
                continue;
            }
            if (unadvertisedPipelining) {
                // G-09: a server may reject pipelined input it did not offer PIPELINING for ("improper pipelining")
                execution.transcript().note("G-09: pipelined input the server did not advertise: " + f.message());
                continue;
            }
            throw failure(FuzzFailure.Kind.RULE, f.ruleId(), f.message());
        }
    }

    /** True when a bare LF or a bare CR went out in this dialogue (G-01: a server may take it as a line end). */
    private boolean sentBareLineEnd() {
        return steps.stream().map(s -> s instanceof Step.SendRaw r ? r.text() : s instanceof Step.Send c ? c.line() : "")
                .anyMatch(text -> text.replace("\r\n", "").indexOf('\n') >= 0 || text.replace("\r\n", "").indexOf('\r') >= 0);
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
