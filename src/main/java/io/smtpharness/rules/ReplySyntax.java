package io.smtpharness.rules;

import io.smtpharness.protocol.Deviation;
import io.smtpharness.result.Finding;
import io.smtpharness.result.Severity;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Turns the parser's deviations into findings (RFC 5321 §4.2, §2.3.8, §4.5.3.1.5), one per
 * deviation kind per reply, and flags a reply that answers nothing (§4.2: exactly one reply per
 * command). Octets outside textstring depend on where they are, so {@link ReplyText} judges those.
 *
 * <p>How a server writes replies is the same whatever it answers, so every finding here reaches
 * server-wide: it decides its case and the run lists it once ({@link Finding.Reach#SERVER_WIDE}).
 */
public final class ReplySyntax implements Oracle {

    private static final String ONE_REPLY = "5321-4.2-ONE-REPLY";
    private static final String REPLY_SYNTAX = "5321-4.2-REPLY-SYNTAX";
    private static final String FIRST_DIGIT = "5321-4.2-FIRST-DIGIT";
    private static final String SP_WITHOUT_TEXT = "5321-4.2-SP-WITHOUT-TEXT";
    private static final String MULTILINE_SAME_CODE = "5321-4.2-MULTILINE-SAME-CODE";
    private static final String REPLY_CRLF = "5321-2.3.8-REPLY-CRLF";
    /** Reply lines over 512 octets are common (gray zone G-13), so this costs a warning only. */
    private static final String LONG_REPLY_LINE = "5321-4.5.3.1-REPLYLINE-512";
    private static final Set<String> COVERS = Set.of(ONE_REPLY, REPLY_SYNTAX, FIRST_DIGIT, SP_WITHOUT_TEXT, MULTILINE_SAME_CODE,
            REPLY_CRLF, LONG_REPLY_LINE);

    @Override
    public Set<String> covers() {
        return COVERS;
    }

    /** Reply form only: it holds for a 500 to an over-long line as for any reply. */
    @Override
    public boolean judgesCodeChoice() {
        return false;
    }

    @Override
    public void judge(Exchange exchange, List<Finding> out) {
        // 421 may arrive unprompted when the service shuts down (§3.8)
        if (exchange.sent().isEmpty() && exchange.reply().code() != 421) {
            out.add(Judge.breach(ONE_REPLY,
                    "unsolicited reply \"" + exchange.reply().summary() + "\" in state "
                            + exchange.before().state() + ": no command was waiting for one")
                    .withReach(Finding.Reach.SERVER_WIDE));
        }
        Set<Deviation.Kind> seen = EnumSet.noneOf(Deviation.Kind.class);
        for (Deviation d : exchange.reply().deviations()) {
            if (d.kind() != Deviation.Kind.NON_ASCII_TEXT && seen.add(d.kind())) {
                out.add(new Finding(ruleFor(d.kind()), severityOf(d.kind()),
                        exchange.describe() + ": " + d.detail(), Finding.Reach.SERVER_WIDE));
            }
        }
    }

    private static String ruleFor(Deviation.Kind kind) {
        switch (kind) {
            case BAD_CODE: case BAD_SEPARATOR: return REPLY_SYNTAX;
            case BAD_FIRST_DIGIT: return FIRST_DIGIT;
            case CODE_WITHOUT_SP: return SP_WITHOUT_TEXT;
            case MIXED_CODES: return MULTILINE_SAME_CODE;
            case BARE_LF: case BARE_CR: case UNTERMINATED: return REPLY_CRLF;
            case LINE_TOO_LONG: case LINE_OVER_CAP: return LONG_REPLY_LINE;
            case TOO_MANY_LINES: return ONE_REPLY;
            default: throw new IllegalStateException("unmapped deviation " + kind);
        }
    }

    private static Severity severityOf(Deviation.Kind kind) {
        switch (kind) {
            case CODE_WITHOUT_SP: case LINE_TOO_LONG: case LINE_OVER_CAP:
                return Severity.WARNING;
            default:
                return Severity.FAILED;
        }
    }
}
