package io.smtpharness.rules;

import io.smtpharness.result.Finding;
import io.smtpharness.result.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
     * The oracles' findings on one reply. A finding is the case's own when the case tests its rule,
     * or when the case cites the state-table cell or the reply-code row of the command answered
     * (those tables judge that reply for it, under their own rule IDs). Any other finding was made on
     * the way and is incidental: reported once per run, never this case's verdict, so one deviation
     * does not fail every case. Reply syntax that reaches server-wide is never incidental: a
     * malformed reply makes the dialogue itself unreliable.
     */
    public List<Finding> reply(Exchange exchange) {
        List<Finding> out = new ArrayList<>();
        for (Finding f : Oracles.judge(exchange)) {
            out.add(owns(f, exchange) ? f : f.asIncidental());
        }
        return out;
    }

    /**
     * The oracles' findings on a reply that answers nothing, apart from its being one: that is the
     * business of the {@link SessionEvent} the dialogue reports for it.
     */
    public List<Finding> unowed(Exchange exchange) {
        return Oracles.judge(exchange).stream().filter(f -> !f.ruleId().equals(ONE_REPLY))
                .map(f -> owns(f, exchange) ? f : f.asIncidental()).toList();
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

    /**
     * A finding on {@code ruleId} that costs what the rule's catalogue level says. The oracles make
     * their findings so; they name a severity only where the rule's row documents a grading.
     */
    public static Finding breach(String ruleId, String message) {
        return new Finding(ruleId, ruleSeverity(ruleId), message);
    }

    /** What breaking a catalogue rule costs, whatever the case says. */
    public static Severity ruleSeverity(String ruleId) {
        return severityOf(levelOf(ruleId));
    }

    /**
     * True when breaking {@code ruleId} may cost {@code severity}: the severity of its level, or one
     * its catalogue row's "how judged" column names (a gray zone failing where it meets a MUST, a
     * MUST whose SHOULD half only warns). The oracles grade a rule only so; a property checks it.
     */
    public static boolean documents(String ruleId, Severity severity) {
        if (severity == ruleSeverity(ruleId)) {
            return true;
        }
        String word = severity.name().toLowerCase(Locale.ROOT);
        return RuleCatalog.standard().find(ruleId)
                .map(r -> r.verdict().toLowerCase(Locale.ROOT).contains(word)).orElse(false);
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

    private boolean owns(Finding finding, Exchange exchange) {
        if (finding.reach() != Finding.Reach.CASE || scope.tests(finding.ruleId())) {
            return true;
        }
        boolean tableFinding = StateTable.judges(finding.ruleId()) || ReplyTable.judges(finding.ruleId());
        return tableFinding && exchange.sent().filter(sent -> citesTableOf(exchange.before().state(), sent)).isPresent();
    }

    /** True when the case cites the state-table cell or the reply-code row of {@code sent} in {@code state}. */
    private boolean citesTableOf(SessionState state, Sent sent) {
        return scope.tests(RuleCatalog.stateCell(state, sent.kind()))
                || ReplyTable.rowOf(sent.kind()).filter(scope::tests).isPresent();
    }

    private static Level levelOf(String ruleId) {
        return RuleCatalog.standard().find(ruleId).map(Rule::level).orElse(Level.MUST);
    }
}
