package io.smtpharness.rules;

import io.smtpharness.result.Finding;
import io.smtpharness.result.Severity;
import io.smtpharness.transcript.Escaping;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the EHLO keyword list promises (RFC 5321 §2.2.2, §3.5.2, §4.1.1.1, §4.2.4): keywords are
 * registered (or private X-keywords); a supported command beyond the required set is advertised;
 * an advertised command is implemented. Judged only in sessions where an EHLO was accepted, since
 * that is where the server stated its list.
 */
public final class ExtensionKeywords implements Oracle {

    private static final String REGISTERED_ONLY = "5321-2.2.2-NO-UNREGISTERED-KW";
    private static final String EXPN_IN_EHLO = "5321-3.5.2-EXPN-IN-EHLO";
    private static final String LIST_COMPLETE = "5321-4.1.1.1-LIST-COMPLETE";
    private static final String NO_ADVERTISE_UNIMPLEMENTED = "5321-4.2.4-NO-ADVERTISE-UNIMPL";
    private static final String HELP_UNLISTED = "G-06";
    private static final String OFFER_8BITMIME = "5321-2.4-8BITMIME-OFFERED";
    private static final String SIZE_IF_LIMITED = "5321-4.5.3.1-SIZE-IF-LIMITED";
    private static final Set<String> COVERS = Set.of(REGISTERED_ONLY, EXPN_IN_EHLO, LIST_COMPLETE,
            NO_ADVERTISE_UNIMPLEMENTED, HELP_UNLISTED, OFFER_8BITMIME, SIZE_IF_LIMITED);

    /**
     * The IANA "SMTP Service Extensions" registry as of this release; a stale list can only make a
     * new keyword look unregistered, which is why that finding is a warning.
     */
    private static final Set<String> REGISTERED = Set.of("SEND", "SOML", "SAML", "VRFY", "EXPN", "HELP", "TURN",
            "8BITMIME", "SIZE", "VERB", "ONEX", "CHUNKING", "BINARYMIME", "CHECKPOINT", "DELIVERBY", "PIPELINING",
            "DSN", "ETRN", "ENHANCEDSTATUSCODES", "STARTTLS", "NO-SOLICITING", "MTRK", "AUTH", "ATRN",
            "FUTURERELEASE", "UTF8SMTP", "SMTPUTF8", "CONPERM", "CONNEG", "RRVS", "REQUIRETLS", "LIMITS",
            "MT-PRIORITY");

    /** Verbs beyond the required set (§4.5.1) and the keyword that announces each. */
    private static final Map<String, String> KEYWORD_OF_VERB = Map.of("EXPN", "EXPN", "HELP", "HELP",
            "ETRN", "ETRN", "TURN", "TURN", "ATRN", "ATRN", "STARTTLS", "STARTTLS", "AUTH", "AUTH",
            "BDAT", "CHUNKING", "VRFY", "VRFY");

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
        if (sent.kind() == CommandKind.EHLO && exchange.reply().isPositive()) {
            judgeKeywords(exchange, out);
        }
        if (exchange.reply().code() == 552 && exchange.before().keywords().isPresent()
                && !exchange.before().advertised("SIZE")
                && (sent.kind() == CommandKind.END_OF_DATA || sent.kind() == CommandKind.MAIL)) {
            out.add(Judge.breach(SIZE_IF_LIMITED, exchange.describe()
                    + ": a server that limits message size should advertise SIZE"));
        }
        String keyword = KEYWORD_OF_VERB.get(sent.verb());
        // a line with a bare CR or LF is not the verb it starts with (what it is, is gray zone G-01)
        if (keyword == null || sent.kind() == CommandKind.MALFORMED || exchange.before().keywords().isEmpty()) {
            return;
        }
        if (keyword.equals("STARTTLS") && exchange.before().tls()) {
            // RFC 3207 §4.2: after the handshake the EHLO reply must not list STARTTLS, so its absence
            // promises nothing; a STARTTLS inside TLS is StartTlsRules' to judge (3207-4.2-*)
            return;
        }
        int code = exchange.reply().code();
        boolean advertised = exchange.before().advertised(keyword);
        boolean works = code / 100 == 2 || code / 100 == 3;
        // 500 to a command with an argument may refuse the argument, not the command (HELP topic)
        if (advertised && (code == 502 || code == 500 && !sent.hasArgument())) {
            out.add(Judge.breach(NO_ADVERTISE_UNIMPLEMENTED, exchange.describe()
                    + ": the EHLO reply advertised " + keyword + ", so " + sent.verb() + " must be implemented"));
        } else if (!advertised && works && sent.kind() != CommandKind.VRFY) {
            out.add(unlisted(exchange, sent.verb(), keyword));
        }
    }

    private static Finding unlisted(Exchange exchange, String verb, String keyword) {
        String message = exchange.describe() + ": " + verb + " works but the EHLO reply does not list " + keyword;
        switch (verb) {
            case "EXPN": return Judge.breach(EXPN_IN_EHLO, message);
            case "HELP": return Judge.breach(HELP_UNLISTED, message + " (common; 5321-4.1.1.1-LIST-COMPLETE)");
            default: return Judge.breach(LIST_COMPLETE, message);
        }
    }

    private static void judgeKeywords(Exchange exchange, List<Finding> out) {
        SessionModel after = exchange.after();
        if (!after.advertised("8BITMIME")) {
            out.add(Judge.breach(OFFER_8BITMIME, exchange.describe()
                    + ": servers should support 8BITMIME"));
        }
        for (String keyword : after.keywords().orElse(Set.of())) {
            if (!keyword.startsWith("X") && !REGISTERED.contains(keyword)) {
                out.add(new Finding(REGISTERED_ONLY, Severity.WARNING, exchange.describe() + ": keyword "
                        + Escaping.escapeOctets(keyword)
                        + " is neither registered with IANA nor a private X-keyword (or this list is stale)"));
            }
        }
    }
}
