package io.smtpharness.rules;

import io.smtpharness.protocol.Deviation;
import io.smtpharness.protocol.Reply;
import io.smtpharness.protocol.ReplyLine;
import io.smtpharness.result.Finding;
import io.smtpharness.result.Severity;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * The characters of reply text, in context. RFC 5321 §4.2 {@code textstring} is HT and 32-126; the
 * parser marks every line holding other octets, and this oracle judges them by the grammar that
 * applies there. In a positive EHLO reply the first line is {@code Domain [SP ehlo-greet]}, and
 * ehlo-greet allows any octet 0-127 but CR and LF (§4.1.1.1), while the domain and the ehlo-lines
 * after it are {@link EhloReply}'s. A server that offers SMTPUTF8 is judged by RFC 6531 §3.7.4
 * instead of textstring for UTF-8: allowed in the mailbox of a 251/551 after {@code MAIL ...
 * SMTPUTF8} (§3.7.4.1) and in replies to VRFY/EXPN sent with the SMTPUTF8 parameter (§3.7.4.2),
 * "MUST NOT" anywhere else; elsewhere inside an SMTPUTF8 transaction (the mailbox echoed in a 250)
 * it is gray zone G-23. One finding per reply at most.
 */
public final class ReplyText implements Oracle {

    private static final String TEXTSTRING = "5321-4.2-TEXTSTRING";
    private static final String UTF8_REPLIES = "6531-3.7.4-UTF8-REPLIES";
    private static final String UTF8_IN_TRANSACTION = "G-23";
    private static final Set<String> COVERS = Set.of(TEXTSTRING, UTF8_REPLIES, UTF8_IN_TRANSACTION);

    @Override
    public Set<String> covers() {
        return COVERS;
    }

    /** The characters of the text, not the code: they hold for a 500 to an over-long line too. */
    @Override
    public boolean judgesCodeChoice() {
        return false;
    }

    @Override
    public void judge(Exchange exchange, List<Finding> out) {
        Reply reply = exchange.reply();
        boolean ehloOk = exchange.sent().map(s -> s.kind() == CommandKind.EHLO).orElse(false) && reply.isPositive();
        for (Deviation deviation : reply.deviations()) {
            int index = deviation.lineIndex();
            if (deviation.kind() != Deviation.Kind.NON_ASCII_TEXT || ehloOk && index > 0) {
                continue;
            }
            Finding finding = judgeLine(exchange, index, ehloOk);
            if (finding != null) {
                out.add(finding);
                return;
            }
        }
    }

    /** The finding for line {@code index}, or null when its octets are allowed where they are. */
    private static Finding judgeLine(Exchange exchange, int index, boolean ehloOk) {
        ReplyLine line = exchange.reply().lines().get(index);
        String text = ehloOk ? EhloReply.greetOf(line) : line.text();
        boolean controls = !ehloOk && text.chars().anyMatch(c -> c < 32 && c != '\t' && c != '\r' || c == 127);
        boolean nonAscii = text.chars().anyMatch(c -> c >= 0x80);
        String where = exchange.describe() + ": line " + (index + 1);
        if (nonAscii && offersSmtputf8(exchange, ehloOk) && isUtf8(text)) {
            return utf8(exchange, where, controls);
        }
        if (nonAscii || controls) {
            return new Finding(TEXTSTRING, Severity.WARNING, where + " holds octets outside HT and 32-126 (textstring, §4.2)");
        }
        return null;
    }

    /** UTF-8 from a server that offers SMTPUTF8 (RFC 6531 §3.7.4); null when it is allowed there. */
    private static Finding utf8(Exchange exchange, String where, boolean controls) {
        if (utf8Allowed(exchange)) {
            return controls ? new Finding(TEXTSTRING, Severity.WARNING, where + " holds control octets"
                    + " (textstring, §4.2)") : null;
        }
        // §3.7.4.2 gives VRFY and EXPN their own opt-in, which an SMTPUTF8 transaction does not replace
        boolean vrfyOrExpn = exchange.sent().map(s -> s.kind() == CommandKind.VRFY || s.kind() == CommandKind.EXPN)
                .orElse(false);
        if (inSmtputf8Transaction(exchange) && !vrfyOrExpn) {
            return Judge.breach(UTF8_IN_TRANSACTION, where + " holds UTF-8; the client sent"
                    + " MAIL with SMTPUTF8, but RFC 6531 §3.7.4 allows UTF-8 only in the mailbox of a 251/551 (and"
                    + " in VRFY/EXPN replies the client asked for with SMTPUTF8)");
        }
        return Judge.breach(UTF8_REPLIES, where + " holds UTF-8, which a server offering SMTPUTF8"
                + " uses only where the client allowed it: a 251/551 after MAIL with SMTPUTF8, or VRFY/EXPN with"
                + " the SMTPUTF8 parameter (RFC 6531 §3.7.4)");
    }

    /**
     * The reply belongs to a transaction the client opened with {@code MAIL ... SMTPUTF8}: one already
     * open, or the one this very MAIL opens (a server echoing {@code 250 <jörg@exämple.test> ok} to it).
     */
    private static boolean inSmtputf8Transaction(Exchange exchange) {
        return exchange.before().utf8Mail() || exchange.sent()
                .map(s -> s.kind() == CommandKind.MAIL && s.hasSmtputf8Parameter()).orElse(false);
    }

    /** §3.7.4.1: a 251/551 to RCPT in an SMTPUTF8 transaction; §3.7.4.2: VRFY/EXPN with the parameter. */
    private static boolean utf8Allowed(Exchange exchange) {
        Sent sent = exchange.sent().orElse(null);
        if (sent == null) {
            return false;
        }
        int code = exchange.reply().code();
        return sent.kind() == CommandKind.RCPT && (code == 251 || code == 551) && exchange.before().utf8Mail()
                || (sent.kind() == CommandKind.VRFY || sent.kind() == CommandKind.EXPN) && sent.hasSmtputf8Parameter();
    }

    /** The server offers SMTPUTF8: in the EHLO reply being judged, or in the last one accepted. */
    private static boolean offersSmtputf8(Exchange exchange, boolean ehloOk) {
        return (ehloOk ? exchange.after() : exchange.before()).advertised("SMTPUTF8");
    }

    /** True when the octets (one char each) are well-formed UTF-8. */
    private static boolean isUtf8(String octets) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(octets.getBytes(StandardCharsets.ISO_8859_1)));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
