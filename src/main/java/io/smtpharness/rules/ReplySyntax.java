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
 * command).
 */
public final class ReplySyntax implements Oracle {

    @Override
    public void judge(Exchange exchange, List<Finding> out) {
        if (exchange.sent().isEmpty()) {
            out.add(new Finding("5321-4.2-ONE-REPLY", Severity.FAILED,
                    "unsolicited reply \"" + exchange.reply().summary() + "\" in state "
                            + exchange.before().state() + ": no command was waiting for one"));
        }
        Set<Deviation.Kind> seen = EnumSet.noneOf(Deviation.Kind.class);
        for (Deviation d : exchange.reply().deviations()) {
            if (seen.add(d.kind())) {
                out.add(new Finding(ruleFor(d.kind()), severityOf(d.kind()),
                        exchange.describe() + ": " + d.detail()));
            }
        }
    }

    private static String ruleFor(Deviation.Kind kind) {
        switch (kind) {
            case BAD_CODE: case BAD_SEPARATOR: return "5321-4.2-REPLY-SYNTAX";
            case CODE_WITHOUT_SP: return "5321-4.2-SP-WITHOUT-TEXT";
            case MIXED_CODES: return "5321-4.2-MULTILINE-SAME-CODE";
            case BARE_LF: case BARE_CR: case UNTERMINATED: return "5321-2.3.8-REPLY-CRLF";
            case LINE_TOO_LONG: case LINE_OVER_CAP: return "G-13";
            case NON_ASCII_TEXT: return "5321-4.2-TEXTSTRING";
            case TOO_MANY_LINES: return "5321-4.2-ONE-REPLY";
            default: throw new IllegalStateException("unmapped deviation " + kind);
        }
    }

    private static Severity severityOf(Deviation.Kind kind) {
        switch (kind) {
            case CODE_WITHOUT_SP: case LINE_TOO_LONG: case LINE_OVER_CAP: case NON_ASCII_TEXT:
                return Severity.WARNING;
            default:
                return Severity.FAILED;
        }
    }
}
