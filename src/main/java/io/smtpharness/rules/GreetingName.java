package io.smtpharness.rules;

import io.smtpharness.result.Finding;
import io.smtpharness.result.Severity;
import io.smtpharness.transcript.Escaping;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The name at the start of greeting-type replies (RFC 5321 §4.2, §4.3.1): the 220 greeting starts
 * its text with the server's domain or an address literal; 221 and 421 should too. This is reply
 * grammar, not wording: only the first token is read, after an enhanced status code if present.
 */
public final class GreetingName implements Oracle {

    private static final Pattern WHITE_SPACE = Pattern.compile("\\s+");

    private static final String GREETING_SYNTAX = "5321-4.2-GREETING-SYNTAX";
    private static final String GREETING_NAME = "5321-4.3.1-GREETING-NAME";
    private static final Set<String> COVERS = Set.of(GREETING_SYNTAX, GREETING_NAME);
    private static final Pattern ENHANCED_STATUS = Pattern.compile("[245]\\.\\d{1,3}\\.\\d{1,3}");

    @Override
    public Set<String> covers() {
        return COVERS;
    }

    @Override
    public void judge(Exchange exchange, List<Finding> out) {
        int code = exchange.reply().code();
        boolean greeting = exchange.sent().map(s -> s.kind() == CommandKind.GREETING).orElse(false) && code == 220;
        if (!greeting && code != 221 && code != 421) {
            return;
        }
        String[] tokens = WHITE_SPACE.split(exchange.reply().lines().get(0).text().trim());
        int first = tokens.length > 1 && ENHANCED_STATUS.matcher(tokens[0]).matches() ? 1 : 0;
        String name = tokens.length > first ? tokens[first] : "";
        if (ServerName.isDomainOrAddressLiteral(name)) {
            return;
        }
        if (greeting) {
            out.add(new Finding(GREETING_SYNTAX, Severity.WARNING, exchange.describe()
                    + ": the greeting should start with the server's domain or an address literal, not \""
                    + Escaping.escapeOctets(name) + "\""));
        } else {
            // many servers answer QUIT with "221 2.0.0 Bye": worth knowing, not worth a warning
            out.add(new Finding(GREETING_NAME, Severity.NOTE, exchange.describe()
                    + ": " + code + " text does not start with the server's name"));
        }
    }
}
