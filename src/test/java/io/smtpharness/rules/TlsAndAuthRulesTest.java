package io.smtpharness.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.protocol.Reply;
import io.smtpharness.result.Finding;
import io.smtpharness.result.Severity;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The session model's TLS/AUTH transitions and the StartTlsRules / AuthRules oracles, reply by reply. */
class TlsAndAuthRulesTest {

    private static Reply reply(String text) {
        return Reply.parse(text.replace("|", "\r\n") + "\r\n");
    }

    private static SessionModel after(SessionModel model, String line, String text) {
        return model.after(Sent.ofLine(line), reply(text));
    }

    private static List<String> failed(SessionModel model, Sent sent, String text) {
        return Oracles.judge(new Exchange(model, Optional.of(sent), reply(text))).stream()
                .filter(f -> f.severity() == Severity.FAILED).map(Finding::ruleId).toList();
    }

    private static SessionModel greetedWithEhlo() {
        return after(SessionModel.connected(), "EHLO c.test", "250-mx.test|250-STARTTLS|250 AUTH PLAIN LOGIN");
    }

    @Test
    void theHandshakeForgetsEhloAndKeywordsButKnowsItIsInsideTls() {
        SessionModel tls = greetedWithEhlo().afterTlsHandshake();
        assertThat(tls.state()).isEqualTo(SessionState.CONNECTED);
        assertThat(tls.greeted()).isFalse();
        assertThat(tls.keywords()).isEmpty();
        assertThat(tls.tls()).isTrue();
        assertThat(tls.authenticated()).isFalse();
    }

    @Test
    void starttlsListedInsideTlsFails() {
        SessionModel tls = greetedWithEhlo().afterTlsHandshake();
        assertThat(failed(tls, Sent.ofLine("EHLO c.test"), "250-mx.test|250 STARTTLS"))
                .containsExactly("3207-4.2-NO-STARTTLS-AFTER-TLS");
        assertThat(failed(tls, Sent.ofLine("EHLO c.test"), "250-mx.test|250 AUTH PLAIN")).isEmpty();
        // before TLS it is what the server should list
        assertThat(failed(SessionModel.connected(), Sent.ofLine("EHLO c.test"), "250-mx.test|250 STARTTLS")).isEmpty();
    }

    @Test
    void starttlsSucceedingWithAnArgumentOrInsideTlsFails() {
        assertThat(failed(greetedWithEhlo(), Sent.ofLine("STARTTLS now"), "220 go")).containsExactly("3207-4-NO-ARGS-501");
        SessionModel tls = greetedWithEhlo().afterTlsHandshake();
        assertThat(failed(tls, Sent.ofLine("STARTTLS"), "220 go")).containsExactly("3207-4.2-SECOND-STARTTLS");
        assertThat(failed(tls, Sent.ofLine("STARTTLS"), "503 already")).isEmpty();
    }

    @Test
    void insideTlsAnUnlistedStarttlsIsNeverAListCompletenessFinding() {
        // RFC 3207 §4.2: "A server MUST NOT return the STARTTLS extension in response to an EHLO
        // command received after a TLS handshake has completed." So inside TLS its absence from the
        // list is what the RFC asks; a STARTTLS that succeeds there is 3207-4.2-SECOND-STARTTLS only
        SessionModel tls = after(greetedWithEhlo().afterTlsHandshake(), "EHLO c.test", "250-mx.test|250 AUTH PLAIN");
        assertThat(tls.keywords()).isPresent();
        List<Finding> findings = Oracles.judge(new Exchange(tls, Optional.of(Sent.ofLine("STARTTLS")), reply("220 go")));
        assertThat(findings).extracting(Finding::ruleId).containsExactly("3207-4.2-SECOND-STARTTLS");
        assertThat(Oracles.judge(new Exchange(tls, Optional.of(Sent.ofLine("STARTTLS")), reply("503 already")))).isEmpty();
        // before TLS, a STARTTLS that works without its keyword still breaks 5321-4.1.1.1-LIST-COMPLETE
        SessionModel plain = after(SessionModel.connected(), "EHLO c.test", "250-mx.test|250 AUTH PLAIN");
        assertThat(failed(plain, Sent.ofLine("STARTTLS"), "220 go")).containsExactly("5321-4.1.1.1-LIST-COMPLETE");
    }

    @Test
    void mailWithoutEhloAfterTlsFailsOnlyWhereTheServerHadInsistedOnEhlo() {
        SessionModel insisted = after(SessionModel.connected(), "MAIL FROM:<>", "503 EHLO first");
        assertThat(insisted.security().ehloRequired()).isTrue();
        SessionModel tls = after(insisted, "EHLO c.test", "250-mx.test|250 STARTTLS").afterTlsHandshake();
        assertThat(failed(tls, Sent.ofLine("MAIL FROM:<>"), "250 ok")).containsExactly("3207-4.2-DISCARD-KNOWLEDGE");
        SessionModel lenient = after(SessionModel.connected(), "EHLO c.test", "250-mx.test|250 STARTTLS").afterTlsHandshake();
        assertThat(failed(lenient, Sent.ofLine("MAIL FROM:<>"), "250 ok")).isEmpty();
    }

    @Test
    void authTracksTheExchangeAndASuccess() {
        SessionModel tls = after(greetedWithEhlo().afterTlsHandshake(), "EHLO c.test", "250-mx.test|250 AUTH LOGIN");
        SessionModel challenged = after(tls, "AUTH LOGIN", "334 VXNlcm5hbWU6");
        assertThat(challenged.inAuthExchange()).isTrue();
        SessionModel done = challenged.after(Sent.AUTH_RESPONSE, reply("235 ok"));
        assertThat(done.inAuthExchange()).isFalse();
        assertThat(done.authenticated()).isTrue();
        assertThat(failed(done, Sent.ofLine("AUTH PLAIN"), "235 ok again")).containsExactly("4954-4-SECOND-AUTH-503");
        assertThat(failed(done, Sent.ofLine("AUTH PLAIN"), "503 already")).isEmpty();
    }

    @Test
    void authInsideATransactionCancelAndChallengesAreJudged() {
        SessionModel tls = after(greetedWithEhlo().afterTlsHandshake(), "EHLO c.test", "250-mx.test|250 AUTH LOGIN");
        SessionModel mail = after(tls, "MAIL FROM:<>", "250 ok");
        assertThat(failed(mail, Sent.ofLine("AUTH LOGIN"), "334 VXNlcm5hbWU6")).containsExactly("4954-4-AUTH-IN-TXN");
        SessionModel challenged = after(tls, "AUTH LOGIN", "334 VXNlcm5hbWU6");
        assertThat(failed(challenged, Sent.AUTH_CANCEL, "235 ok")).contains("4954-4-CANCEL-501");
        assertThat(failed(challenged, Sent.AUTH_CANCEL, "501 cancelled")).isEmpty();
        assertThat(failed(tls, Sent.ofLine("AUTH LOGIN"), "334 Username:")).containsExactly("4954-4-334-BASE64-ONLY");
        assertThat(failed(tls, Sent.ofLine("AUTH PLAIN"), "334 ")).isEmpty();
    }

    /**
     * RFC 4954 §4 lifts the line limit for AUTH responses (12288 octets named as enough): a 500 that
     * says the length was refused breaks 4954-4-BIG-BUFFER; one about the content does not.
     */
    @Test
    void aResponseRefusedForItsLengthBreaksTheBufferRule() {
        SessionModel exchange = after(after(greetedWithEhlo().afterTlsHandshake(), "EHLO c.test", "250-mx.test|250 AUTH PLAIN"),
                "AUTH PLAIN", "334 ");
        assertThat(failed(exchange, Sent.authResponse(4_002), "500 5.5.6 Authentication Exchange line is too long"))
                .containsExactly("4954-4-BIG-BUFFER");
        assertThat(failed(exchange, Sent.authResponse(4_002), "500 Error: invalid userdata")).isEmpty();
        assertThat(failed(exchange, Sent.authResponse(20_004), "500 5.5.6 line too long")).isEmpty();
        assertThat(failed(exchange, Sent.authResponse(100), "500 5.5.6 line too long")).isEmpty();
    }
}
