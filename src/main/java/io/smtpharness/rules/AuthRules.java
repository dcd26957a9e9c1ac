package io.smtpharness.rules;

import io.smtpharness.protocol.Capabilities;
import io.smtpharness.result.Finding;
import io.smtpharness.result.Severity;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * AUTH (RFC 4954, RFC-RULES.md §7) as far as single replies show it: no second AUTH and no AUTH
 * inside a transaction, 501 to a cancel, bare base64 in 334 challenges, the codes AUTH gets, and
 * which mechanisms the EHLO reply offers with and without TLS. Credentials never reach a finding:
 * responses are {@link Sent#AUTH_RESPONSE}, and the runner scrubs messages of registered secrets.
 */
public final class AuthRules implements Oracle {


    private static final String SECOND_AUTH_503 = "4954-4-SECOND-AUTH-503";
    private static final String AUTH_IN_TXN = "4954-4-AUTH-IN-TXN";
    private static final String CANCEL_501 = "4954-4-CANCEL-501";
    private static final String BASE64_ONLY = "4954-4-334-BASE64-ONLY";
    private static final String CODES = "4954-6-CODES";
    private static final String NO_PLAINTEXT = "4954-4-NO-PLAINTEXT-CONFIG";
    private static final String PLAIN_OVER_TLS = "4954-4-PLAIN-OVER-TLS";
    private static final String BIG_BUFFER = "4954-4-BIG-BUFFER";
    private static final Set<String> COVERS = Set.of(SECOND_AUTH_503, AUTH_IN_TXN, CANCEL_501, BASE64_ONLY, CODES,
            NO_PLAINTEXT, PLAIN_OVER_TLS, BIG_BUFFER);
    /** RFC 4954 §4 names 12288 octets as enough for a response; a server must read one that long. */
    private static final int BIG_RESPONSE = 12_288;
    /** What a 500 says when it refuses a line for its length rather than its content. */
    private static final Pattern SAYS_LENGTH = Pattern.compile(
            "(?i)too long|longer than|length|exceed|limit|too big|too large|buffer|overflow");
    /** §6 and the RFC 5321 codes any command may get, plus 502/503/504 (unimplemented, sequence, mechanism). */
    private static final Set<Integer> AUTH_CODES = Set.of(235, 334, 432, 454, 534, 535, 500, 530, 538, 501, 502,
            503, 504, 421, 554);
    private static final Pattern BASE64 = Pattern.compile("([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?");

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
        boolean works = code / 100 == 2 || code / 100 == 3;
        if (sent.kind() == CommandKind.EHLO && exchange.reply().isPositive()) {
            mechanisms(exchange, sent, before, out);
            return;
        }
        boolean command = sent.kind() == CommandKind.EXTENSION && sent.verb().equals("AUTH");
        if (!command && !sent.isAuthResponse()) {
            return;
        }
        if (!AUTH_CODES.contains(code)) {
            out.add(new Finding(CODES, Severity.WARNING, exchange.describe() + ": not a code RFC 4954 §6 lists for AUTH"));
        }
        if (code == 334) {
            String text = exchange.reply().lines().get(0).text();
            if (!BASE64.matcher(text).matches()) {
                out.add(Judge.breach(BASE64_ONLY, exchange.describe()
                        + ": a 334 carries only the base64 challenge (or nothing)"));
            }
        }
        if (sent.isAuthResponse() && code == 500 && sent.octets() > Sent.MAX_COMMAND_LINE && sent.octets() <= BIG_RESPONSE
                && SAYS_LENGTH.matcher(exchange.reply().lines().get(0).text()).find()) {
            // a 500 about the content of a response (a malformed PLAIN message) is no buffer matter
            out.add(Judge.breach(BIG_BUFFER, exchange.describe() + ": a " + sent.octets() + "-octet"
                    + " response refused for its length; RFC 4954 §4 lifts the 512-octet line limit for AUTH"
                    + " responses and names 12288 octets as enough"));
        }
        if (sent.equals(Sent.AUTH_CANCEL) && code != 501) {
            out.add(new Finding(CANCEL_501, works ? Severity.FAILED : Severity.WARNING, exchange.describe()
                    + ": a cancelled exchange gets 501"));
        }
        if (command && before.authenticated() && code != 503) {
            out.add(new Finding(SECOND_AUTH_503, works ? Severity.FAILED : Severity.WARNING, exchange.describe()
                    + ": after a successful AUTH, another AUTH gets 503"));
        } else if (command && (before.state() == SessionState.MAIL || before.state() == SessionState.RCPT)
                && code != 503) {
            out.add(new Finding(AUTH_IN_TXN, works ? Severity.FAILED : Severity.WARNING, exchange.describe()
                    + ": AUTH during a mail transaction gets 503"));
        }
    }

    private static void mechanisms(Exchange exchange, Sent sent, SessionModel before, List<Finding> out) {
        Capabilities capabilities = Capabilities.of(exchange.reply());
        if (!capabilities.has("AUTH")) {
            return;
        }
        List<String> offered = capabilities.authMechanisms();
        if (!before.tls() && (offered.contains("PLAIN") || offered.contains("LOGIN"))) {
            out.add(new Finding(NO_PLAINTEXT, Severity.WARNING, exchange.describe()
                    + ": PLAIN/LOGIN offered on a connection without TLS (passwords in the clear)"));
        }
        if (before.tls() && !offered.contains("PLAIN")) {
            out.add(new Finding(PLAIN_OVER_TLS, Severity.WARNING, exchange.describe()
                    + ": over TLS, AUTH should offer PLAIN"));
        }
    }
}
