package io.smtpharness.rules;

import io.smtpharness.protocol.Capabilities;
import io.smtpharness.result.Finding;
import io.smtpharness.result.Severity;
import io.smtpharness.transcript.Escaping;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an accepted EHLO reply says about the extensions of RFC 1870, 2920, 6152, 6531, 2034 and
 * 3030: SIZE's parameter is a number (RFC 1870 §3); PIPELINING, 8BITMIME, SMTPUTF8,
 * ENHANCEDSTATUSCODES and CHUNKING take none (a harmless excess is a warning); SMTPUTF8 comes
 * with 8BITMIME (RFC 6531 §3.1); BINARYMIME comes with CHUNKING (RFC 3030 §3). The server's domain
 * in the reply (RFC 6531 §3.7.1) is {@link EhloReply}'s.
 */
public final class ExtensionParameters implements Oracle {

    static final String SIZE_KEYWORD = "1870-3-KEYWORD";
    static final String NEEDS_8BITMIME = "6531-3.1-NEEDS-8BITMIME";
    static final String BINARYMIME_NEEDS_CHUNKING = "3030-3-BINARYMIME-NEEDS-CHUNKING";
    /** The keywords that take no parameter, and the rule defining each. */
    private static final Map<String, String> NO_PARAMS = Map.of("PIPELINING", "2920-3-KEYWORD",
            "8BITMIME", "6152-2-KEYWORD", "SMTPUTF8", "6531-3.1-KEYWORD", "ENHANCEDSTATUSCODES", "2034-3-KEYWORD",
            "CHUNKING", "3030-2-KEYWORD");
    private static final Set<String> COVERS = Set.of(SIZE_KEYWORD, NEEDS_8BITMIME, BINARYMIME_NEEDS_CHUNKING,
            "2920-3-KEYWORD", "6152-2-KEYWORD", "6531-3.1-KEYWORD", "2034-3-KEYWORD", "3030-2-KEYWORD");

    @Override
    public Set<String> covers() {
        return COVERS;
    }

    @Override
    public void judge(Exchange exchange, List<Finding> out) {
        if (exchange.sent().isEmpty() || exchange.sent().get().kind() != CommandKind.EHLO
                || !exchange.reply().isPositive()) {
            return;
        }
        Capabilities caps = Capabilities.of(exchange.reply());
        caps.malformedSize().ifPresent(p -> out.add(Judge.breach(SIZE_KEYWORD, exchange.describe()
                + ": SIZE takes at most one parameter, a number of octets, not \"" + Escaping.escapeOctets(p) + "\"")));
        NO_PARAMS.forEach((keyword, rule) -> {
            if (!caps.params(keyword).isEmpty()) {
                out.add(new Finding(rule, Severity.WARNING, exchange.describe() + ": " + keyword
                        + " takes no parameters, got \"" + Escaping.escapeOctets(String.join(" ", caps.params(keyword)))
                        + "\""));
            }
        });
        if (caps.has("SMTPUTF8") && !caps.has("8BITMIME")) {
            out.add(Judge.breach(NEEDS_8BITMIME, exchange.describe()
                    + ": a server offering SMTPUTF8 must also offer 8BITMIME"));
        }
        if (caps.has("BINARYMIME") && !caps.has("CHUNKING")) {
            out.add(Judge.breach(BINARYMIME_NEEDS_CHUNKING, exchange.describe()
                    + ": BINARYMIME can only be used with CHUNKING, which is not offered"));
        }
    }
}
