package io.smtpharness.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.protocol.Command;
import io.smtpharness.protocol.Reply;
import org.junit.jupiter.api.Test;

class SessionModelTest {

    private static SessionModel after(SessionModel model, String command, String reply) {
        return model.after(Sent.of(Command.parse(command)), Reply.parse(reply + "\r\n"));
    }

    @Test
    void happyPathWalksThroughEveryState() {
        SessionModel m = SessionModel.connected();
        m = after(m, "EHLO x", "250 ok");
        assertThat(m.state()).isEqualTo(SessionState.GREETED);
        m = after(m, "MAIL FROM:<>", "250 ok");
        assertThat(m.state()).isEqualTo(SessionState.MAIL);
        m = after(m, "RCPT TO:<a@b>", "250 ok");
        assertThat(m.state()).isEqualTo(SessionState.RCPT);
        m = after(m, "DATA", "354 go");
        assertThat(m.inData()).isTrue();
        m = m.after(Sent.END_OF_DATA, Reply.parse("250 ok\r\n"));
        assertThat(m.state()).isEqualTo(SessionState.GREETED);
        m = after(m, "QUIT", "221 bye");
        assertThat(m.state()).isEqualTo(SessionState.CLOSED);
    }

    @Test
    void aTransactionOpenedWithSmtputf8KnowsItUntilItEnds() {
        // RFC 6531 §3.4: the SMTPUTF8 parameter goes with MAIL and lasts for that transaction
        SessionModel greeted = after(SessionModel.connected(), "EHLO x", "250-mx|250-8BITMIME|250 SMTPUTF8");
        SessionModel mail = after(greeted, "MAIL FROM:<a@b.example> smtputf8", "250 ok");
        assertThat(mail.utf8Mail()).isTrue();
        assertThat(after(greeted, "MAIL FROM:<a@b.example> SMTPUTF8", "550 no").utf8Mail()).isFalse();
        SessionModel rcpt = after(mail, "RCPT TO:<c@d.example>", "250 ok");
        assertThat(rcpt.utf8Mail()).isTrue();
        assertThat(after(rcpt, "DATA", "354 go").utf8Mail()).isTrue();
        assertThat(after(rcpt, "DATA", "354 go").after(Sent.END_OF_DATA, Reply.parse("250 ok\r\n")).utf8Mail()).isFalse();
        assertThat(after(rcpt, "RSET", "250 ok").utf8Mail()).isFalse();
        assertThat(after(rcpt, "EHLO x", "250 ok").utf8Mail()).isFalse();
        // a second MAIL accepted inside the transaction (G-16) starts a new one, without SMTPUTF8 here
        assertThat(after(rcpt, "MAIL FROM:<>", "250 ok").utf8Mail()).isFalse();
    }

    @Test
    void theSmtputf8ParameterIsAWordAfterThePathOrAfterTheVrfyString() {
        assertThat(Sent.of(Command.parse("MAIL FROM:<a@b> SMTPUTF8 BODY=8BITMIME")).hasSmtputf8Parameter()).isTrue();
        assertThat(Sent.of(Command.parse("MAIL FROM:<SMTPUTF8@b>")).hasSmtputf8Parameter()).isFalse();
        assertThat(Sent.of(Command.parse("MAIL FROM:<a@b> SMTPUTF8=yes")).hasSmtputf8Parameter()).isFalse();
        assertThat(Sent.of(Command.parse("VRFY j\u00f6rg SMTPUTF8")).hasSmtputf8Parameter()).isTrue();
        assertThat(Sent.of(Command.parse("EXPN list smtputf8")).hasSmtputf8Parameter()).isTrue();
        assertThat(Sent.of(Command.parse("VRFY SMTPUTF8")).hasSmtputf8Parameter()).isFalse();
        assertThat(Sent.of(Command.parse("RCPT TO:<a@b> SMTPUTF8")).hasSmtputf8Parameter()).isFalse();
    }

    @Test
    void anAcceptedLineWithABareCrMovesTheModelLikeItsVerb() {
        // gray zone G-01: a server may read "RCPT \rTO:<a@b>" as RCPT; if it says 250, the state follows
        SessionModel mail = after(after(SessionModel.connected(), "EHLO x", "250 ok"), "MAIL FROM:<>", "250 ok");
        Sent malformed = Sent.ofLine("RCPT \rTO:<a@b>");
        assertThat(malformed.kind()).isEqualTo(CommandKind.MALFORMED);
        assertThat(mail.after(malformed, Reply.parse("250 ok\r\n")).state()).isEqualTo(SessionState.RCPT);
        assertThat(mail.after(malformed, Reply.parse("500 what\r\n")).state()).isEqualTo(SessionState.MAIL);
    }

    @Test
    void rejectedCommandNeverChangesState() {
        SessionModel greeted = after(SessionModel.connected(), "EHLO x", "250 ok");
        assertThat(after(greeted, "MAIL FROM:<a@b@c>", "501 bad").state()).isEqualTo(SessionState.GREETED);
        assertThat(after(greeted, "DATA", "503 no").state()).isEqualTo(SessionState.GREETED);
        assertThat(after(after(greeted, "DATA", "503 no"), "XYZZY", "500 what").errors()).isEqualTo(2);
    }

    @Test
    void rsetReturnsToGreetedAndEhloDropsTheTransaction() {
        SessionModel mail = after(after(SessionModel.connected(), "EHLO x", "250 ok"), "MAIL FROM:<>", "250 ok");
        assertThat(after(mail, "RSET", "250 ok").state()).isEqualTo(SessionState.GREETED);
        assertThat(after(mail, "EHLO y", "250 ok").state()).isEqualTo(SessionState.GREETED);
        assertThat(after(SessionModel.connected(), "RSET", "250 ok").state()).isEqualTo(SessionState.CONNECTED);
    }

    @Test
    void reply421EndsTheSessionFromAnyState() {
        assertThat(after(SessionModel.connected(), "NOOP", "421 bye").state()).isEqualTo(SessionState.CLOSED);
    }

    @Test
    void bdatLastEndsTheTransactionAndAChunkDoesNot() {
        SessionModel m = after(after(after(SessionModel.connected(), "EHLO x", "250 ok"), "MAIL FROM:<>", "250 ok"),
                "RCPT TO:<a@b>", "250 ok");
        m = after(m, "BDAT 3", "250 ok");
        assertThat(m.state()).isEqualTo(SessionState.RCPT);
        assertThat(after(m, "BDAT 3 LAST", "554 no").state()).isEqualTo(SessionState.RCPT);
        m = after(m, "BDAT 0 LAST", "250 ok");
        assertThat(m.state()).isEqualTo(SessionState.GREETED);
        assertThat(after(m, "BDAT 3 LAST", "250 ok").state()).isEqualTo(SessionState.GREETED);
    }

    @Test
    void heloAfterEhloIsRemembered() {
        SessionModel m = after(SessionModel.connected(), "EHLO x", "250-mx|250 ENHANCEDSTATUSCODES".replace("|", "\r\n"));
        assertThat(m.viaHelo()).isFalse();
        m = after(m, "HELO x", "250 mx");
        assertThat(m.viaHelo()).isTrue();
        assertThat(m.advertised("ENHANCEDSTATUSCODES")).isTrue();
        assertThat(after(m, "EHLO x", "250 mx").viaHelo()).isFalse();
    }
}
