package io.smtpharness.rules;

import io.smtpharness.protocol.Deviation;
import io.smtpharness.protocol.Reply;
import io.smtpharness.protocol.ReplyLine;
import io.smtpharness.result.Finding;
import io.smtpharness.result.Severity;
import java.util.List;
import java.util.Set;

/**
 * The characters of reply text, in context (RFC 5321 §4.2 {@code textstring}: HT and 32-126): the
 * parser marks every line holding other octets, and this oracle judges them by the grammar that
 * applies there. In a positive EHLO reply the first line is {@code Domain [SP ehlo-greet]}, and
 * ehlo-greet allows any octet 0-127 but CR and LF (§4.1.1.1), while the domain and the ehlo-lines
 * after it are {@link EhloReply}'s. One finding per reply at most.
 */
public final class ReplyText implements Oracle {

    private static final String TEXTSTRING = "5321-4.2-TEXTSTRING";
    private static final Set<String> COVERS = Set.of(TEXTSTRING);

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
            if (deviation.kind() != Deviation.Kind.NON_ASCII_TEXT) {
                continue;
            }
            int index = deviation.lineIndex();
            ReplyLine line = reply.lines().get(index);
            if (ehloOk && (index > 0 || EhloReply.greetOf(line).chars().allMatch(c -> c < 0x80))) {
                continue;
            }
            out.add(new Finding(TEXTSTRING, Severity.WARNING, exchange.describe() + ": line " + (index + 1)
                    + " holds octets outside HT and 32-126 (textstring, §4.2)"));
            return;
        }
    }
}
