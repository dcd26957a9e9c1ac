package io.smtpharness.rules;

import io.smtpharness.protocol.EnhancedStatus;
import io.smtpharness.protocol.ReplyLine;
import io.smtpharness.result.Finding;
import io.smtpharness.result.Severity;
import io.smtpharness.transcript.Escaping;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * ENHANCEDSTATUSCODES (RFC 2034 §4, RFC 3463 §2): once an EHLO reply advertised it, every 2yz,
 * 4yz and 5yz reply of the session, except the greeting and the replies to HELO/EHLO (gray zone
 * G-11), starts each line with the same {@code class.subject.detail} code, whose class is the
 * reply code's first digit, with no white space and no leading zeros inside. 3yz replies are
 * exempt. After a HELO (rather than EHLO) a missing code is a warning only (G-11). On a server that
 * offers SMTPUTF8, a UTF-8 mailbox sent without it and refused with 550/553 should carry X.6.7
 * (RFC 6531 §3.5; other codes are a warning, G-14).
 */
public final class EnhancedCodes implements Oracle {

    static final String PREFIX_ALL = "2034-4-PREFIX-ALL";
    static final String SYNTAX = "2034-4-SYNTAX";
    static final String CLASS_MATCH = "2034-4-CLASS-MATCH";
    static final String MULTILINE_SAME = "2034-4-MULTILINE-SAME";
    static final String REGARDLESS_OF_EHLO = "2034-4-REGARDLESS-OF-EHLO";
    static final String NO_WHITESPACE = "3463-2-NO-WHITESPACE";
    static final String NO_LEADING_ZERO = "3463-2-NO-LEADING-ZERO";
    static final String REGISTERED_ONLY = "3463-2-REGISTERED-ONLY";
    static final String SUBJECTS = "3463-3-SUBJECTS";
    static final String UTF8_REFUSAL = "G-14";
    private static final Set<String> COVERS = Set.of(PREFIX_ALL, SYNTAX, CLASS_MATCH, MULTILINE_SAME,
            REGARDLESS_OF_EHLO, NO_WHITESPACE, NO_LEADING_ZERO, REGISTERED_ONLY, SUBJECTS, UTF8_REFUSAL);

    /** RFC 3463 §3: the subjects a reply code usually goes with (5.5.x for protocol errors, ...). */
    private static final Map<Integer, Set<Integer>> USUAL_SUBJECTS = Map.of(500, Set.of(5), 501, Set.of(5, 1),
            502, Set.of(5), 503, Set.of(5), 504, Set.of(5), 555, Set.of(5), 552, Set.of(2, 3));

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
        int code = exchange.reply().code();
        if (!applies(exchange) || code < 0 || code / 100 == 3) {
            return;
        }
        List<ReplyLine> lines = exchange.reply().lines();
        Optional<EnhancedStatus.Lead> first = EnhancedStatus.leadOf(lines.get(0).text());
        if (first.isEmpty()) {
            boolean viaHelo = exchange.before().viaHelo();
            out.add(new Finding(viaHelo ? REGARDLESS_OF_EHLO : PREFIX_ALL,
                    viaHelo ? Severity.WARNING : Severity.FAILED, exchange.describe()
                    + ": the server advertised ENHANCEDSTATUSCODES, so the reply must start with class.subject.detail"
                    + (viaHelo ? " (after HELO too; some servers tie the codes to EHLO, G-11)" : "")));
            return;
        }
        EnhancedStatus.Lead lead = first.get();
        judgeLead(exchange, lead, out);
        for (ReplyLine line : lines.subList(1, lines.size())) {
            Optional<EnhancedStatus.Lead> other = EnhancedStatus.leadOf(line.text());
            if (other.isEmpty() || !other.get().raw().equals(lead.raw())) {
                out.add(Judge.breach(MULTILINE_SAME, exchange.describe() + ": line \""
                        + line.shown() + "\" does not start with the first line's status code "
                        + Escaping.escapeOctets(lead.raw())));
                break;
            }
        }
    }

    private static boolean applies(Exchange exchange) {
        if (!exchange.before().advertised("ENHANCEDSTATUSCODES")) {
            return false;
        }
        if (exchange.sent().isEmpty()) {
            return exchange.reply().code() == 421; // a shutdown notice, the only reply that may come unasked
        }
        Sent sent = exchange.sent().get();
        CommandKind kind = sent.kind();
        // a line with a bare CR/LF that starts with EHLO or HELO is answered as one (G-01): exempt too
        boolean greeting = kind == CommandKind.MALFORMED && (sent.verb().equals("EHLO") || sent.verb().equals("HELO"));
        return kind != CommandKind.GREETING && kind != CommandKind.EHLO && kind != CommandKind.HELO && !greeting;
    }

    private static void judgeLead(Exchange exchange, EnhancedStatus.Lead lead, List<Finding> out) {
        String what = exchange.describe() + ": status code \"" + Escaping.escapeOctets(lead.raw()) + "\"";
        if (lead.hasWhitespace()) {
            out.add(Judge.breach(NO_WHITESPACE, what + " holds white space"));
            return;
        }
        if (lead.hasLeadingZero()) {
            out.add(Judge.breach(NO_LEADING_ZERO, what + " has a sub-code with a leading zero"));
            return;
        }
        if (lead.status().isEmpty()) {
            out.add(Judge.breach(SYNTAX, what + " is not class \".\" 1*3digit \".\" 1*3digit"
                    + " with class 2, 4 or 5, followed by a space"));
            return;
        }
        EnhancedStatus status = lead.status().get();
        int code = exchange.reply().code();
        if (status.codeClass() != code / 100) {
            out.add(Judge.breach(CLASS_MATCH, what + " has class " + status.codeClass()
                    + ", but the reply code is " + code + " (class " + code / 100 + ")"));
        }
        if (status.subject() > 7) {
            out.add(Judge.breach(REGISTERED_ONLY, what + ": subject " + status.subject()
                    + " is not one RFC 3463 defines (0 to 7)"));
        }
        if ((code == 550 || code == 553) && exchange.before().advertised("SMTPUTF8")
                && isUtf8WithoutSmtputf8(exchange) && (status.subject() != 6 || status.detail() != 7)) {
            out.add(Judge.breach(UTF8_REFUSAL, what + ": a UTF-8 mailbox sent without SMTPUTF8"
                    + " is refused with X.6.7 (RFC 6531 §3.5)"));
        }
        Set<Integer> usual = USUAL_SUBJECTS.get(code);
        if (usual != null && !usual.contains(status.subject())) {
            out.add(new Finding(SUBJECTS, Severity.NOTE, what + ": subject " + status.subject()
                    + " is unusual for " + code + " (RFC 3463 §3 suggests " + new TreeSet<>(usual) + ")"));
        }
    }

    /**
     * A MAIL without the SMTPUTF8 parameter, or a RCPT in a transaction whose MAIL had none, whose
     * argument holds non-ASCII octets (RFC 6531 §3.4: the parameter goes on MAIL only).
     */
    private static boolean isUtf8WithoutSmtputf8(Exchange exchange) {
        Sent sent = exchange.sent().orElse(null);
        if (sent == null || sent.argument().chars().noneMatch(c -> c >= 0x80)) {
            return false;
        }
        return sent.kind() == CommandKind.MAIL && !sent.hasSmtputf8Parameter()
                || sent.kind() == CommandKind.RCPT && !exchange.before().utf8Mail();
    }
}
