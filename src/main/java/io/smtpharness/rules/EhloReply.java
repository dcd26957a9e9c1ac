package io.smtpharness.rules;

import io.smtpharness.protocol.Capabilities;
import io.smtpharness.protocol.ReplyLine;
import io.smtpharness.result.Finding;
import io.smtpharness.transcript.Escaping;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The positive EHLO reply format of RFC 5321 §4.1.1.1 ({@code "250" SP Domain [SP ehlo-greet]}
 * first, every further line an ehlo-line: keyword, then parameters of printable ASCII) and the rule
 * that a HELO reply is not an extension list (§3.2). The domain is the first word of the first
 * line, and only it: on a server that offers SMTPUTF8 a non-ASCII one breaks RFC 6531 §3.7.1 (LDH
 * labels or A-labels), any other malformed one the grammar. The ehlo-greet after it may hold any
 * octet 0-127 but CR and LF.
 */
public final class EhloReply implements Oracle {

    private static final String REPLY_FORMAT = "5321-4.1.1.1-REPLY-FORMAT";
    private static final String HELO_PLAIN_REPLY = "5321-3.2-HELO-PLAIN-REPLY";
    private static final String EHLO_ASCII = "6531-3.7.1-EHLO-ASCII-NAMES";
    private static final Set<String> COVERS = Set.of(REPLY_FORMAT, HELO_PLAIN_REPLY, EHLO_ASCII);

    // ehlo-line = ehlo-keyword *( SP ehlo-param ), checked word by word: one pattern with a repeated
    // group recurses once per parameter, and a hostile 1 MB line of them overflows the stack
    private static final Pattern EHLO_KEYWORD = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]*");
    private static final Pattern EHLO_PARAM = Pattern.compile("[\\x21-\\x7e]+");
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

    /** The Domain of an ehlo-ok-rsp's first line: its text up to the first SP (§4.1.1.1). */
    static String domainOf(ReplyLine first) {
        return first.text().split(" ", 2)[0];
    }

    /** The ehlo-greet of an ehlo-ok-rsp's first line: what follows the domain and its SP ("" when nothing does). */
    static String greetOf(ReplyLine first) {
        String[] parts = first.text().split(" ", 2);
        return parts.length > 1 ? parts[1] : "";
    }

    private static void judgeEhlo(Exchange exchange, List<Finding> out) {
        List<ReplyLine> lines = exchange.reply().lines();
        String domain = domainOf(lines.get(0));
        if (lines.get(0).text().isBlank()) {
            out.add(Judge.breach(REPLY_FORMAT,
                    exchange.describe() + ": the first line does not name the server's domain"));
        } else if (ServerName.isDomainOrAddressLiteral(domain)) {
            // a Domain or an address literal, as ehlo-ok-rsp requires
        } else if (domain.chars().anyMatch(c -> c >= 0x80) && offersSmtputf8(exchange)) {
            out.add(Judge.breach(EHLO_ASCII, exchange.describe() + ": the server's domain \""
                    + Escaping.escapeOctets(domain) + "\" holds non-ASCII octets; a server offering SMTPUTF8 names"
                    + " itself in LDH labels or A-labels"));
        } else {
            out.add(Judge.breach(REPLY_FORMAT, exchange.describe() + ": the first word \""
                    + Escaping.escapeOctets(domain) + "\" is neither a Domain nor an address literal"
                    + " (ehlo-ok-rsp: \"250\" SP Domain [SP ehlo-greet])"));
        }
        for (int i = 1; i < lines.size(); i++) {
            if (!isEhloLine(lines.get(i).text())) {
                out.add(Judge.breach(REPLY_FORMAT, exchange.describe()
                        + ": line " + (i + 1) + " \"" + lines.get(i).shown() + "\" is not an ehlo-line (keyword [params])"));
                return;
            }
        }
    }

    private static boolean isEhloLine(String text) {
        String[] words = text.split(" ", -1);
        if (!EHLO_KEYWORD.matcher(words[0]).matches()) {
            return false;
        }
        for (int i = 1; i < words.length; i++) {
            if (!EHLO_PARAM.matcher(words[i]).matches()) {
                return false;
            }
        }
        return true;
    }

    private static boolean offersSmtputf8(Exchange exchange) {
        return exchange.after().advertised("SMTPUTF8");
    }

    private static void judgeHelo(Exchange exchange, List<Finding> out) {
        for (String keyword : Capabilities.of(exchange.reply()).keywords().keySet()) {
            if (EXTENSION_KEYWORDS.contains(keyword)) {
                out.add(Judge.breach(HELO_PLAIN_REPLY,
                        exchange.describe() + ": the HELO reply lists the extension " + keyword));
                return;
            }
        }
    }
}
