package io.smtpharness.rules;

import io.smtpharness.protocol.ReplyLine;
import io.smtpharness.result.Finding;
import io.smtpharness.result.Severity;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The positive EHLO reply format of RFC 5321 §4.1.1.1 (first line the server's domain, every
 * further line an ehlo-line: keyword, then parameters of printable ASCII) and the rule that a HELO
 * reply is not an extension list (§3.2).
 */
public final class EhloReply implements Oracle {

    private static final String REPLY_FORMAT = "5321-4.1.1.1-REPLY-FORMAT";
    private static final String HELO_PLAIN_REPLY = "5321-3.2-HELO-PLAIN-REPLY";
    private static final Set<String> COVERS = Set.of(REPLY_FORMAT, HELO_PLAIN_REPLY);

    private static final Pattern EHLO_LINE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]*( [\\x21-\\x7e]+)*");
    /** Keywords that show a HELO reply is really an EHLO extension list. */
    private static final Set<String> EXTENSION_KEYWORDS = Set.of("SIZE", "PIPELINING", "8BITMIME", "STARTTLS",
            "AUTH", "ENHANCEDSTATUSCODES", "DSN", "SMTPUTF8", "CHUNKING", "BINARYMIME", "ETRN", "EXPN", "HELP");

    @Override
    public Set<String> covers() {
        return COVERS;
    }

    @Override
    public void judge(Exchange exchange, List<Finding> out) {
        if (exchange.sent().isEmpty() || !exchange.reply().isPositive()) {
            return;
        }
        CommandKind kind = exchange.sent().get().kind();
        if (kind == CommandKind.EHLO) {
            judgeEhlo(exchange, out);
        } else if (kind == CommandKind.HELO) {
            judgeHelo(exchange, out);
        }
    }

    private static void judgeEhlo(Exchange exchange, List<Finding> out) {
        List<ReplyLine> lines = exchange.reply().lines();
        if (lines.get(0).text().isBlank()) {
            out.add(new Finding(REPLY_FORMAT, Severity.FAILED,
                    exchange.describe() + ": the first line does not name the server's domain"));
        }
        for (int i = 1; i < lines.size(); i++) {
            if (!EHLO_LINE.matcher(lines.get(i).text()).matches()) {
                out.add(new Finding(REPLY_FORMAT, Severity.FAILED, exchange.describe()
                        + ": line " + (i + 1) + " \"" + lines.get(i).shown() + "\" is not an ehlo-line (keyword [params])"));
                return;
            }
        }
    }

    private static void judgeHelo(Exchange exchange, List<Finding> out) {
        List<ReplyLine> lines = exchange.reply().lines();
        for (int i = 1; i < lines.size(); i++) {
            String keyword = lines.get(i).text().split(" ", 2)[0].toUpperCase(Locale.ROOT);
            if (EXTENSION_KEYWORDS.contains(keyword)) {
                out.add(new Finding(HELO_PLAIN_REPLY, Severity.FAILED,
                        exchange.describe() + ": the HELO reply lists the extension " + keyword));
                return;
            }
        }
    }
}
