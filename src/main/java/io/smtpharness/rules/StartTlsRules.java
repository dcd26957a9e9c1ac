package io.smtpharness.rules;

import io.smtpharness.result.Finding;
import io.smtpharness.result.Severity;
import java.util.List;
import java.util.Set;

/**
 * STARTTLS (RFC 3207, RFC-RULES.md §6) as far as single replies show it: the codes STARTTLS gets,
 * no success with an argument or inside TLS, no STARTTLS keyword after TLS, and a session that
 * forgot its plaintext EHLO. The handshake itself and command injection are judged by the dialogue
 * runner, which sees the TLS layer ({@code 3207-4-HANDSHAKE-AFTER-220}, {@code 3207-4.2-NO-INJECTION}).
 */
public final class StartTlsRules implements Oracle {

    private static final String REPLIES = "3207-4-REPLIES";
    private static final String NO_ARGS_501 = "3207-4-NO-ARGS-501";
    private static final String SECOND_STARTTLS = "3207-4.2-SECOND-STARTTLS";
    private static final String NO_STARTTLS_AFTER_TLS = "3207-4.2-NO-STARTTLS-AFTER-TLS";
    private static final String DISCARD_KNOWLEDGE = "3207-4.2-DISCARD-KNOWLEDGE";
    private static final Set<String> COVERS = Set.of(REPLIES, NO_ARGS_501, SECOND_STARTTLS, NO_STARTTLS_AFTER_TLS,
            DISCARD_KNOWLEDGE);
    /** 220, 501, 454 (§4), and the context codes of gray zone G-10. */
    private static final Set<Integer> STARTTLS_CODES = Set.of(220, 501, 454, 503, 554, 530, 502, 500, 421);

    @Override
    public Set<String> covers() {
        return COVERS;
    }

    @Override
    public void judge(Exchange exchange, List<Finding> out) {
        if (exchange.sent().isEmpty() || exchange.reply().code() < 0) {
            return;
        }
        Sent sent = exchange.sent().get();
        SessionModel before = exchange.before();
        int code = exchange.reply().code();
        if (sent.kind() == CommandKind.EXTENSION && sent.verb().equals("STARTTLS")) {
            starttls(exchange, sent, before, code, out);
        } else if (sent.kind() == CommandKind.EHLO && exchange.reply().isPositive() && before.tls()) {
            if (exchange.after().advertised("STARTTLS")) {
                out.add(Judge.breach(NO_STARTTLS_AFTER_TLS, exchange.describe()
                        + ": inside TLS the EHLO reply must not list STARTTLS"));
            }
        } else if (sent.kind() == CommandKind.MAIL && exchange.reply().isPositive() && before.tls()
                && !before.greeted() && before.security().ehloRequired()) {
            out.add(Judge.breach(DISCARD_KNOWLEDGE, exchange.describe() + ": the server refused MAIL"
                    + " before EHLO in this session, yet accepts it after the TLS handshake without a new EHLO, so"
                    + " it kept what it learned before TLS"));
        }
    }

    private static void starttls(Exchange exchange, Sent sent, SessionModel before, int code, List<Finding> out) {
        boolean success = code / 100 == 2;
        if (success && sent.hasArgument()) {
            out.add(Judge.breach(NO_ARGS_501, exchange.describe()
                    + ": STARTTLS takes no argument; expected 501"));
        } else if (success && before.tls()) {
            out.add(Judge.breach(SECOND_STARTTLS, exchange.describe()
                    + ": TLS is already active; a second STARTTLS cannot succeed (503, 454 or 554, G-10)"));
        } else if (!STARTTLS_CODES.contains(code)) {
            out.add(new Finding(REPLIES, Severity.WARNING, exchange.describe()
                    + ": STARTTLS is answered 220, 501 or 454 (or 503/554/530 in context, G-10)"));
        }
    }
}
