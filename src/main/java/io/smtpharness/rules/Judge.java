package io.smtpharness.rules;

import io.smtpharness.result.Finding;
import io.smtpharness.result.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Judges everything one case sees: each reply in context (the {@link Oracles}), the close of the
 * connection, and the {@link SessionEvent}s between replies. It costs a script mismatch by the case's
 * {@link Scope} and decides which findings are the case's own and which are incidental to it. The
 * dialogue reports what happened; it makes no finding itself.
 */
public final class Judge {

    private static final String ONE_REPLY = "5321-4.2-ONE-REPLY";

    private final Scope scope;

    public Judge(Scope scope) {
        this.scope = scope;
    }

    /** The case this judge judges for. */
    public Scope scope() {
        return scope;
    }

    /**
     * The oracles' findings on one reply. The greeting and the EHLO/HELO reply are the same in every
     * session, so what they break is a trait of the server: a finding on them is incidental (reported
     * once per run, not this case's verdict) unless the case tests its rule. Reply syntax is never
     * incidental: a malformed reply makes the dialogue itself unreliable.
     */
    public List<Finding> reply(Exchange exchange) {
        boolean sessionLevel = exchange.sent().map(Sent::kind)
                .filter(k -> k == CommandKind.GREETING || k == CommandKind.EHLO || k == CommandKind.HELO).isPresent();
        List<Finding> out = new ArrayList<>();
        for (Finding f : Oracles.judge(exchange)) {
            boolean incidental = sessionLevel && !scope.tests(f.ruleId()) && f.reach() == Finding.Reach.CASE;
            out.add(incidental ? f.asIncidental() : f);
        }
        return out;
    }

    /**
     * The oracles' findings on a reply that answers nothing, apart from its being one: that is the
     * business of the {@link SessionEvent} the dialogue reports for it.
     */
    public List<Finding> unowed(Exchange exchange) {
        return Oracles.judge(exchange).stream().filter(f -> !f.ruleId().equals(ONE_REPLY)).toList();
    }

    /** The server closed the connection while the session was in {@code model}, leaving {@code unanswered}. */
    public List<Finding> close(SessionModel model, Optional<Sent> unanswered) {
        return Oracles.judgeClose(model, unanswered);
    }

    /** What one event between replies breaks or notes. */
    public List<Finding> event(SessionEvent event) {
        return SessionEvents.judge(event, this);
    }

    /**
     * What a script's expectation on {@code ruleId} costs when it is not met: the case's level, or
     * else the rule's; a gray zone never costs more than a warning, whatever the case says.
     */
    public Severity costOf(String ruleId) {
        Level ruleLevel = levelOf(ruleId);
        return severityOf(ruleLevel == Level.GRAY ? Level.GRAY : scope.level().orElse(ruleLevel));
    }

    /** What breaking a catalogue rule costs, whatever the case says. */
    public static Severity ruleSeverity(String ruleId) {
        return severityOf(levelOf(ruleId));
    }

    /**
     * The one mapping from a rule's level to what breaking it costs: a MUST (or a definition the
     * server "will" follow) fails, a SHOULD or a gray zone warns, a MAY notes.
     */
    public static Severity severityOf(Level level) {
        switch (level) {
            case MUST: case DEF: return Severity.FAILED;
            case SHOULD: case GRAY: return Severity.WARNING;
            default: return Severity.NOTE;
        }
    }

    private static Level levelOf(String ruleId) {
        return RuleCatalog.standard().find(ruleId).map(Rule::level).orElse(Level.MUST);
    }
}
