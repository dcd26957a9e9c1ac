package io.smtpharness.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.protocol.Command;
import io.smtpharness.protocol.Reply;
import io.smtpharness.result.Finding;
import io.smtpharness.result.Severity;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The EnhancedCodes and ExtensionParameters oracles, each rule shown broken and kept. */
class ExtensionOraclesTest {

    private static final SessionModel ENHANCED = new SessionModel(SessionState.GREETED, true,
            Optional.of(Set.of("ENHANCEDSTATUSCODES", "8BITMIME", "SMTPUTF8")), false);
    private static final SessionModel PLAIN = new SessionModel(SessionState.GREETED, true,
            Optional.of(Set.of("8BITMIME")), false);

    private static List<Finding> judge(SessionModel model, String command, String reply) {
        return Oracles.judge(new Exchange(model, Optional.of(Sent.of(Command.parse(command))),
                Reply.parse(reply.replace("|", "\r\n") + "\r\n")));
    }

    private static List<String> rules(List<Finding> findings, Severity severity) {
        return findings.stream().filter(f -> f.severity() == severity).map(Finding::ruleId).toList();
    }

    @Test
    void everyReplyAfterTheEhloCarriesAMatchingCode() {
        assertThat(judge(ENHANCED, "NOOP", "250 2.0.0 OK")).isEmpty();
        assertThat(judge(ENHANCED, "QUIT", "221 2.0.0 Bye")).isEmpty();
        assertThat(rules(judge(ENHANCED, "NOOP", "250 OK"), Severity.FAILED)).containsExactly("2034-4-PREFIX-ALL");
        assertThat(rules(judge(ENHANCED, "NOOP", "250 5.0.0 OK"), Severity.FAILED)).containsExactly("2034-4-CLASS-MATCH");
        assertThat(rules(judge(ENHANCED, "RCPT TO:<a@b>", "550 4.7.1 no"), Severity.FAILED)).contains("2034-4-CLASS-MATCH");
    }

    @Test
    void malformedCodesCiteTheRfc3463Rule() {
        assertThat(rules(judge(ENHANCED, "NOOP", "250 2.00.0 OK"), Severity.FAILED)).containsExactly("3463-2-NO-LEADING-ZERO");
        assertThat(rules(judge(ENHANCED, "NOOP", "250 2. 0.0 OK"), Severity.FAILED)).containsExactly("3463-2-NO-WHITESPACE");
        assertThat(rules(judge(ENHANCED, "NOOP", "250 2.0.1000 OK"), Severity.FAILED)).containsExactly("2034-4-SYNTAX");
        assertThat(rules(judge(ENHANCED, "NOOP", "250 2.9.0 OK"), Severity.WARNING)).containsExactly("3463-2-REGISTERED-ONLY");
        assertThat(rules(judge(ENHANCED, "XYZ", "500 5.1.0 unknown"), Severity.NOTE)).containsExactly("3463-3-SUBJECTS");
    }

    @Test
    void multilineRepliesRepeatTheSameCode() {
        assertThat(rules(judge(ENHANCED, "HELP", "214-2.0.0 a|214 2.0.0 b"), Severity.FAILED)).isEmpty();
        assertThat(rules(judge(ENHANCED, "HELP", "214-2.0.0 a|214 2.0.1 b"), Severity.FAILED))
                .containsExactly("2034-4-MULTILINE-SAME");
        assertThat(rules(judge(ENHANCED, "HELP", "214-2.0.0 a|214 b"), Severity.FAILED))
                .containsExactly("2034-4-MULTILINE-SAME");
    }

    @Test
    void exemptions() {
        // not advertised, greeting/EHLO/HELO replies (G-11), 3yz
        assertThat(judge(PLAIN, "NOOP", "250 OK")).isEmpty();
        assertThat(rules(judge(ENHANCED, "EHLO x", "250-mx|250 ENHANCEDSTATUSCODES|"), Severity.FAILED)).isEmpty();
        assertThat(judge(ENHANCED, "HELO x", "250 mx")).isEmpty();
        assertThat(Oracles.judge(new Exchange(ENHANCED, Optional.of(Sent.ofLine("EHLO \rx")),
                Reply.parse("250-mx\r\n250 HELP\r\n")))).filteredOn(f -> f.ruleId().startsWith("2034")).isEmpty();
        assertThat(judge(new SessionModel(SessionState.RCPT, true, ENHANCED.keywords(), false), "DATA", "354 go")).isEmpty();
    }

    @Test
    void afterHeloAMissingCodeIsOnlyAWarning() {
        SessionModel afterHelo = ENHANCED.after(Sent.of(Command.parse("HELO x")), Reply.parse("250 mx\r\n"));
        assertThat(afterHelo.viaHelo()).isTrue();
        List<Finding> findings = judge(afterHelo, "NOOP", "250 OK");
        assertThat(rules(findings, Severity.FAILED)).isEmpty();
        assertThat(rules(findings, Severity.WARNING)).containsExactly("2034-4-REGARDLESS-OF-EHLO");
    }

    @Test
    void ehloParameterRules() {
        SessionModel greeted = new SessionModel(SessionState.CONNECTED, false);
        assertThat(rules(judge(greeted, "EHLO x", "250-mx|250-8BITMIME|250-SMTPUTF8|250 SIZE 100"), Severity.FAILED)).isEmpty();
        assertThat(rules(judge(greeted, "EHLO x", "250-mx|250-8BITMIME|250 SIZE lots"), Severity.FAILED))
                .containsExactly("1870-3-KEYWORD");
        assertThat(rules(judge(greeted, "EHLO x", "250-mx|250 SMTPUTF8"), Severity.FAILED))
                .containsExactly("6531-3.1-NEEDS-8BITMIME");
        assertThat(rules(judge(greeted, "EHLO x", "250-mx|250-8BITMIME|250 BINARYMIME"), Severity.FAILED))
                .containsExactly("3030-3-BINARYMIME-NEEDS-CHUNKING");
        // RFC 6531 §3.7.1: "If the SMTPUTF8-aware SMTP server provides domain names in the EHLO
        // response, they MUST be in the form of LDH labels or A-labels": the domain, the first word
        assertThat(rules(judge(greeted, "EHLO x", "250-m\u00fcx|250-8BITMIME|250 SMTPUTF8"), Severity.FAILED))
                .containsExactly("6531-3.7.1-EHLO-ASCII-NAMES");
        assertThat(rules(judge(greeted, "EHLO x", "250-xn--mx-jka.example|250-8BITMIME|250 SMTPUTF8"), Severity.FAILED))
                .isEmpty();
        // the text after it is ehlo-greet, not a domain name: a control octet there is allowed (RFC 5321 §4.1.1.1)
        assertThat(judge(greeted, "EHLO x", "250-mx.example Hello \u0001c.test|250-8BITMIME|250 SMTPUTF8")).isEmpty();
        assertThat(rules(judge(greeted, "EHLO x", "250-mx|250-8BITMIME|250 PIPELINING yes"), Severity.WARNING))
                .contains("2920-3-KEYWORD");
    }

    /** {@code text} as the octets of its UTF-8 form, one char per octet, as the client frames replies. */
    private static String utf8(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private static SessionModel after(SessionModel model, String command, String reply) {
        return model.after(Sent.of(Command.parse(command)), Reply.parse(reply + "\r\n"));
    }

    @Test
    void utf8InRepliesOfAnSmtputf8ServerIsJudgedByRfc6531Section374() {
        SessionModel utf8Mail = after(ENHANCED, "MAIL FROM:<j\u00f6rg@x.example> SMTPUTF8", "250 2.1.0 ok");
        assertThat(utf8Mail.utf8Mail()).isTrue();
        // §3.7.4.1: "the SMTPUTF8-aware SMTP server is permitted to use UTF-8 characters in the email
        // address associated with 251 and 551 reply-codes" after a MAIL with the SMTPUTF8 parameter
        assertThat(judge(utf8Mail, "RCPT TO:<\u7528@x.example>",
                utf8("251 2.1.5 User not local; will forward to <\u7528@y.example>"))).isEmpty();
        assertThat(judge(utf8Mail, "RCPT TO:<\u7528@x.example>",
                utf8("551 5.1.6 User not local; please try <\u7528@y.example>"))).isEmpty();
        // §3.7.4.2: "Using the SMTPUTF8 parameter with a VRFY or EXPN command enables UTF-8 replies for
        // that command only"
        assertThat(judge(ENHANCED, "VRFY j\u00f6rg SMTPUTF8", utf8("250 2.1.5 J\u00f6rg <j\u00f6rg@x.example>")))
                .isEmpty();
        // "SMTPUTF8-aware SMTP servers MUST NOT include non-ASCII characters in replies except in the
        // limited cases specifically permitted in this section": in an SMTPUTF8 transaction only G-23
        List<Finding> echo = judge(utf8Mail, "RCPT TO:<\u7528@x.example>", utf8("250 2.1.5 <\u7528@x.example> OK"));
        assertThat(rules(echo, Severity.FAILED)).isEmpty();
        assertThat(rules(echo, Severity.WARNING)).containsExactly("G-23");
        // the MAIL carrying the parameter opens that transaction (§3.4), so its own echo is G-23 too
        List<Finding> mailEcho = judge(ENHANCED, "MAIL FROM:<j\u00f6rg@ex\u00e4mple.test> SMTPUTF8",
                utf8("250 2.1.0 Sender <j\u00f6rg@ex\u00e4mple.test> ok"));
        assertThat(rules(mailEcho, Severity.FAILED)).isEmpty();
        assertThat(rules(mailEcho, Severity.WARNING)).containsExactly("G-23");
        assertThat(rules(judge(ENHANCED, "MAIL FROM:<j\u00f6rg@ex\u00e4mple.test>",
                utf8("250 2.1.0 Sender <j\u00f6rg@ex\u00e4mple.test> ok")), Severity.FAILED))
                .containsExactly("6531-3.7.4-UTF8-REPLIES");
        // ... and without the client's say-so, a failure (also for VRFY inside an SMTPUTF8 transaction)
        assertThat(rules(judge(ENHANCED, "VRFY j\u00f6rg", utf8("550 5.1.1 <j\u00f6rg>: unknown")), Severity.FAILED))
                .containsExactly("6531-3.7.4-UTF8-REPLIES");
        assertThat(rules(judge(utf8Mail, "VRFY j\u00f6rg", utf8("252 2.1.5 j\u00f6rg")), Severity.FAILED))
                .containsExactly("6531-3.7.4-UTF8-REPLIES");
        SessionModel reset = after(utf8Mail, "RSET", "250 2.0.0 ok");
        assertThat(reset.utf8Mail()).isFalse();
        assertThat(rules(judge(reset, "NOOP", utf8("250 2.0.0 d\u00e9j\u00e0 vu")), Severity.FAILED))
                .containsExactly("6531-3.7.4-UTF8-REPLIES");
        // a server without SMTPUTF8, and octets that are no UTF-8 at all, stay the textstring warning
        assertThat(rules(judge(PLAIN, "VRFY j\u00f6rg", utf8("550 <j\u00f6rg>: unknown")), Severity.WARNING))
                .containsExactly("5321-4.2-TEXTSTRING");
        assertThat(rules(judge(ENHANCED, "NOOP", "250 2.0.0 \u00ff"), Severity.WARNING)).containsExactly("5321-4.2-TEXTSTRING");
        assertThat(rules(judge(ENHANCED, "NOOP", "250 2.0.0 \u00ff"), Severity.FAILED)).isEmpty();
    }

    @Test
    void aUtf8RecipientInAnSmtputf8TransactionIsNoX67Matter() {
        // RFC 6531 §3.4: the parameter goes on MAIL; a RCPT refused in a transaction opened with it is
        // refused for another reason, so §3.5's X.6.7 (G-14) does not apply
        SessionModel utf8Mail = after(ENHANCED, "MAIL FROM:<a@x.example> SMTPUTF8", "250 2.1.0 ok");
        assertThat(judge(utf8Mail, "RCPT TO:<\u7528@x.example>", "550 5.1.1 no such user")).isEmpty();
        SessionModel asciiMail = after(ENHANCED, "MAIL FROM:<a@x.example>", "250 2.1.0 ok");
        assertThat(rules(judge(asciiMail, "RCPT TO:<\u7528@x.example>", "550 5.1.1 no such user"), Severity.WARNING))
                .containsExactly("G-14");
    }

    @Test
    void utf8RefusalsShouldCarryX67() {
        SessionModel mail = new SessionModel(SessionState.MAIL, true, ENHANCED.keywords(), false);
        assertThat(judge(ENHANCED, "MAIL FROM:<j\u00f6rg@x.example>", "550 5.6.7 need SMTPUTF8")).isEmpty();
        assertThat(judge(mail, "RCPT TO:<\u7528@x.example>", "553 5.6.7 need SMTPUTF8")).isEmpty();
        assertThat(rules(judge(ENHANCED, "MAIL FROM:<j\u00f6rg@x.example>", "553 5.1.7 bad sender"), Severity.WARNING))
                .containsExactly("G-14");
        // with SMTPUTF8 the refusal is about something else; ASCII mailboxes and servers without it are not concerned
        assertThat(judge(new SessionModel(SessionState.GREETED, true, Optional.of(Set.of("ENHANCEDSTATUSCODES")), false),
                "MAIL FROM:<j\u00f6rg@x.example>", "553 5.1.7 bad sender")).isEmpty();
        assertThat(judge(ENHANCED, "MAIL FROM:<j\u00f6rg@x.example> SMTPUTF8", "553 5.1.7 bad sender")).isEmpty();
        assertThat(judge(ENHANCED, "MAIL FROM:<a@x.example>", "553 5.1.7 bad sender")).isEmpty();
    }
}
