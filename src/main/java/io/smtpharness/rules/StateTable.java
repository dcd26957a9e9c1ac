package io.smtpharness.rules;

import io.smtpharness.result.Finding;
import io.smtpharness.result.Severity;
import java.util.List;
import java.util.Set;

/**
 * The session state table of RFC 5321 §4.1.4 (RFC-RULES.md §1.16): what each command must get in
 * each state. Cites the named rule of each cell; the cell itself ({@code STATE:COMMAND}) is in the
 * message. The reply-code table and the syntax oracle judge everything else.
 */
public final class StateTable implements Oracle {

    private static final String RSET_250 = "5321-4.1.1.5-RSET-250";
    private static final String NOOP_250 = "5321-4.1.1.9-NOOP-250";
    private static final String QUIT_221 = "5321-4.1.1.10-QUIT-221";
    private static final String RCPT_NEEDS_MAIL = "5321-3.3-RCPT-NEEDS-MAIL";
    private static final String DATA_NO_RCPT = "5321-3.3-DATA-NO-RCPT";
    private static final String OUT_OF_ORDER_503 = "5321-4.1.4-OUT-OF-ORDER-503";
    private static final String NOARG_CMDS = "5321-4.1.1-NOARG-CMDS";
    private static final String NONMAIL_NO_EHLO = "5321-4.1.4-NONMAIL-NO-EHLO";
    private static final String REQUIRED_NOT_500 = "5321-4.3.2-REQUIRED-NOT-500";
    private static final String HELP = "5321-4.1.1.8-HELP";
    private static final String CODE_502_VS_500 = "5321-4.2.4-502-VS-500";
    private static final String UNKNOWN_IS_500 = "5321-3.8-UNKNOWN-IS-500";
    private static final String MAIL_BEFORE_EHLO = "G-04";
    private static final String VRFY_DISABLED = "G-05";
    private static final String NESTED_MAIL = "G-16";
    private static final String NOOP_ARGUMENT = "G-17";
    private static final String TRAILING_WS = "5321-4.1.1-TRAILING-WS";
    private static final String AFTER_554_ONLY_QUIT = "5321-3.1-554-THEN-503";
    private static final Set<String> COVERS = Set.of(RSET_250, NOOP_250, QUIT_221, RCPT_NEEDS_MAIL, DATA_NO_RCPT,
            OUT_OF_ORDER_503, NOARG_CMDS, NONMAIL_NO_EHLO, REQUIRED_NOT_500, HELP, CODE_502_VS_500, UNKNOWN_IS_500,
            MAIL_BEFORE_EHLO, VRFY_DISABLED, NESTED_MAIL, NOOP_ARGUMENT, TRAILING_WS,
            AFTER_554_ONLY_QUIT);

    @Override
    public Set<String> covers() {
        return COVERS;
    }

    /** True when this table judges its cells under {@code ruleId}. */
    static boolean judges(String ruleId) {
        return COVERS.contains(ruleId);
    }

    @Override
    public void judge(Exchange exchange, List<Finding> out) {
        if (exchange.sent().isEmpty() || exchange.reply().code() < 0 || exchange.reply().code() == 421) {
            return;
        }
        Sent sent = exchange.sent().get();
        Cell cell = new Cell(exchange, sent, out);
        if (exchange.before().refused() && sent.kind() != CommandKind.QUIT && sent.kind() != CommandKind.GREETING) {
            if (cell.code != 503) {
                cell.add(AFTER_554_ONLY_QUIT, "503: the server greeted with 554 (no service)");
            }
            return;
        }
        switch (sent.kind()) {
            case MAIL: mail(cell); break;
            case RCPT: rcpt(cell); break;
            case DATA: data(cell); break;
            case RSET: mustGet(cell, 250, RSET_250); break;
            case NOOP: mustGet(cell, 250, NOOP_250); break;
            case QUIT: mustGet(cell, 221, QUIT_221); break;
            case HELP: case VRFY: case EXPN: nonMail(cell); break;
            case UNKNOWN: unknown(cell); break;
            default: break;
        }
    }

    /** One reply being judged, with the helpers every cell uses. */
    private static final class Cell {
        final Exchange exchange;
        final Sent sent;
        final SessionState state;
        final int code;
        final List<Finding> out;

        Cell(Exchange exchange, Sent sent, List<Finding> out) {
            this.exchange = exchange;
            this.sent = sent;
            this.state = exchange.before().state();
            this.code = exchange.reply().code();
            this.out = out;
        }

        boolean in(SessionState... states) {
            return List.of(states).contains(state);
        }

        /** A finding on {@code ruleId} that costs what the rule's catalogue level says. */
        void add(String ruleId, String expectation) {
            add(ruleId, Judge.ruleSeverity(ruleId), expectation);
        }

        /** A finding graded as the rule's catalogue row documents. */
        void add(String ruleId, Severity severity, String expectation) {
            out.add(new Finding(ruleId, severity, exchange.describe() + "; expected " + expectation
                    + " (state cell " + state + ":" + sent.kind() + ")"));
        }
    }

    private static void mail(Cell c) {
        if (c.code / 100 != 2) {
            return;
        }
        if (c.in(SessionState.CONNECTED)) {
            c.add(MAIL_BEFORE_EHLO, "503 before HELO/EHLO (5321-4.1.4-EHLO-BEFORE-MAIL)");
        } else if (c.in(SessionState.MAIL, SessionState.RCPT)) {
            c.add(NESTED_MAIL, "503 for MAIL inside an open transaction (5321-4.1.4-NESTED-MAIL)");
        }
    }

    private static void rcpt(Cell c) {
        if (!c.in(SessionState.CONNECTED, SessionState.GREETED)) {
            return;
        }
        if (c.code / 100 == 2 || c.code / 100 == 3) {
            c.add(RCPT_NEEDS_MAIL, "503: no MAIL was accepted");
        } else if (c.code != 503 && c.code != 500 && c.code != 501) {
            c.add(RCPT_NEEDS_MAIL, Severity.WARNING, "503: no MAIL was accepted");
        }
    }

    private static void data(Cell c) {
        if (!c.in(SessionState.CONNECTED, SessionState.GREETED, SessionState.MAIL)) {
            return;
        }
        if (c.code / 100 == 2 || c.code / 100 == 3) {
            c.add(DATA_NO_RCPT, "503 or 554: no recipient was accepted");
        } else if (c.code != 503 && c.code != 554 && c.code != 500 && c.code != 501) {
            c.add(OUT_OF_ORDER_503, Severity.WARNING, "503 or 554: no recipient was accepted");
        }
    }

    /**
     * RSET, NOOP and QUIT have exactly one right answer in every state. Only NOOP's 503 before
     * HELO/EHLO is a SHOULD matter (§4.1.4); RSET's 250 is a MUST in every state, CONNECTED
     * included (§4.1.1.5, cell CONNECTED:RSET), and so is QUIT's 221.
     */
    private static void mustGet(Cell c, int expected, String ruleId) {
        if (c.code == expected) {
            if (c.sent.hasArgument() && c.sent.kind() != CommandKind.NOOP) {
                c.add(NOARG_CMDS, Severity.NOTE, "501 for an argument (accepted instead)");
            }
            return;
        }
        if (c.in(SessionState.CONNECTED) && c.code == 503 && c.sent.kind() == CommandKind.NOOP) {
            c.add(NONMAIL_NO_EHLO, expected + ": it needs no HELO/EHLO first");
        } else if (c.sent.hasOnlyTrailingSpace() && (c.code == 501 || c.code == 500)) {
            c.add(TRAILING_WS, expected + ": trailing white space should be tolerated");
        } else if (c.sent.hasArgument() && (c.code == 501 || c.code == 500)) {
            // refusing the argument as a syntax error (500 or 501) is not failing to know the verb
            if (c.sent.kind() == CommandKind.NOOP) {
                c.add(NOOP_ARGUMENT, "250: NOOP's argument should be ignored (5321-4.1.1.9-NOOP-250)");
            }
        } else if (c.code == 500) {
            c.add(REQUIRED_NOT_500, expected + ": " + c.sent.kind()
                    + " is a required command");
        } else {
            c.add(ruleId, String.valueOf(expected));
        }
    }

    private static void nonMail(Cell c) {
        if (c.in(SessionState.CONNECTED) && c.code == 503) {
            c.add(NONMAIL_NO_EHLO, "no 503: it needs no HELO/EHLO first");
        } else if (c.sent.kind() == CommandKind.HELP && (c.code == 500 || c.code == 502)) {
            c.add(HELP, "211 or 214: servers should support HELP");
        } else if (c.sent.kind() == CommandKind.VRFY && (c.code == 500 || c.code == 502)) {
            c.add(VRFY_DISABLED, "252 when VRFY is disabled (5321-3.5.2-SUPPORT, 5321-7.3-DISABLED-252)");
        }
    }

    private static void unknown(Cell c) {
        if (c.code == 500) {
            return;
        }
        if (c.code == 502) {
            c.add(CODE_502_VS_500, "500: the verb is not recognised, not just unimplemented");
        } else {
            c.add(UNKNOWN_IS_500, Severity.WARNING, "500 for a verb no RFC defines");
        }
    }
}
