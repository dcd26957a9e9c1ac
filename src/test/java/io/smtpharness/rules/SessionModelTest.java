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
}
