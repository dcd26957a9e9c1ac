package io.smtpharness.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.protocol.Reply;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The pairing of replies with what they answer, without a socket: octets in, replies in, exchanges out. */
class SessionTrackerTest {

    private final SessionTracker tracker = new SessionTracker();

    private static byte[] wire(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Reply reply(String wire) {
        return Reply.parse(wire.replace("|", "\r\n") + "\r\n");
    }

    private SessionTracker greeted() {
        tracker.connected();
        tracker.answer(reply("220 mx.test ESMTP"));
        tracker.sent(wire("EHLO client.test\r\n"), 1);
        tracker.answer(reply("250-mx.test|250-PIPELINING|250-SIZE 1000|250-AUTH PLAIN LOGIN|250 STARTTLS"));
        return tracker;
    }

    @Test
    void aRepliesDelayCountsFromTheLastOctetsSentBeforeIt() {
        tracker.connected();
        assertThat(tracker.delayOfReplyAt(5)).as("the greeting answers no command").isEmpty();
        tracker.answer(reply("220 mx.test ESMTP"));
        tracker.sent(wire("EHLO client.test\r\n"), 100);
        assertThat(tracker.delayOfReplyAt(130)).hasValue(30);
        tracker.answer(reply("250 mx.test"));

        tracker.sent(wire("MAIL FROM:<a@client.test>\r\nRCPT TO:<b@mx.test>\r\nDATA\r\n"), 200);
        tracker.answer(reply("250 ok"));
        tracker.answer(reply("250 ok"));
        assertThat(tracker.delayOfReplyAt(210)).hasValue(10);
        tracker.answer(reply("354 go on"));
        tracker.sent(wire("Subject: paused before this\r\n"), 900); // content after a pause of the harness's
        tracker.sent(wire("\r\n.\r\n"), 1000);
        assertThat(tracker.delayOfReplyAt(1004)).as("the harness's pause is not the server's").hasValue(4);
        tracker.answer(reply("250 queued"));

        tracker.sent(wire("NOOP\r\n"), 2000);
        assertThat(tracker.delayOfReplyAt(1999)).as("there before its command").isEmpty();
        tracker.answer(reply("250 ok"));
        assertThat(tracker.delayOfReplyAt(2100)).as("nothing owed").isEmpty();
    }

    @Test
    void aReplyAfterALargeWriteIsNotTimed() {
        tracker.connected();
        tracker.answer(reply("220 mx.test ESMTP"));
        tracker.sent(wire("DATA\r\n"), 1);
        tracker.answer(reply("354 go on"));
        tracker.sent(wire("x".repeat(100_000) + "\r\n.\r\n"), 10);

        assertThat(tracker.delayOfReplyAt(500)).as("mostly the transfer's time").isEmpty();
    }

    @Test
    void theGreetingIsOwedOnConnectAndMovesNothingButItsOwnFacts() {
        tracker.connected();
        assertThat(tracker.owed()).contains(Sent.GREETING);
        Exchange greeting = tracker.answer(reply("220 mx.test ESMTP"));
        assertThat(greeting.sent()).contains(Sent.GREETING);
        assertThat(greeting.after().state()).isEqualTo(SessionState.CONNECTED);
        assertThat(tracker.greetingReceived()).isTrue();
        assertThat(tracker.owed()).isEmpty();
    }

    @Test
    void aPipelinedGroupOwesOneReplyPerCommandInOrder() {
        greeted();
        var owed = tracker.sent(wire("MAIL FROM:<a@b.test>\r\nRCPT TO:<c@d.test>\r\nDATA\r\n"), 2);
        assertThat(owed).extracting(Sent::kind).containsExactly(CommandKind.MAIL, CommandKind.RCPT, CommandKind.DATA);
        assertThat(tracker.owedIsPipelined()).isTrue();
        Exchange mail = tracker.answer(reply("250 ok"));
        assertThat(mail.pipelined()).isTrue();
        assertThat(mail.before().state()).isEqualTo(SessionState.GREETED);
        assertThat(mail.after().state()).isEqualTo(SessionState.MAIL);
        assertThat(tracker.answer(reply("250 ok")).after().state()).isEqualTo(SessionState.RCPT);
        assertThat(tracker.answer(reply("354 go")).after().inData()).isTrue();
        assertThat(tracker.owed()).isEmpty();
    }

    @Test
    void aCommandSentAloneIsNotPipelined() {
        greeted();
        tracker.sent(wire("NOOP\r\n"), 2);
        assertThat(tracker.owedIsPipelined()).isFalse();
        assertThat(tracker.answer(reply("250 ok")).pipelined()).isFalse();
    }

    @Test
    void aReplyThatArrivedBeforeItsCommandWasSentIsStray() {
        greeted();
        tracker.sent(wire("NOOP\r\n"), 100);
        assertThat(tracker.arrivedBeforeItsCommand(99)).isTrue();
        assertThat(tracker.arrivedBeforeItsCommand(101)).isFalse();
        // a stray reply is judged where the session is and moves nothing; it is blamed on the last answer
        Exchange stray = tracker.unowed(reply("250 again"));
        assertThat(stray.sent()).isEmpty();
        assertThat(stray.after()).isEqualTo(stray.before());
        assertThat(tracker.lastAnswered()).hasValueSatisfying(s -> assertThat(s.kind()).isEqualTo(CommandKind.EHLO));
        assertThat(tracker.owed()).isPresent();
    }

    @Test
    void nothingIsStrayBeforeAnyCommandWasAnswered() {
        tracker.connected();
        assertThat(tracker.arrivedBeforeItsCommand(0)).isFalse(); // the greeting has no send time
    }

    @Test
    void afterA334TheNextLineIsAnAuthResponseWhoseTextIsNotKept() {
        greeted();
        tracker.sent(wire("AUTH LOGIN\r\n"), 2);
        assertThat(tracker.answer(reply("334 VXNlcm5hbWU6")).after().inAuthExchange()).isTrue();
        tracker.sent(wire("dXNlcg==\r\n"), 3);
        Exchange response = tracker.answer(reply("334 UGFzc3dvcmQ6"));
        assertThat(response.sent()).hasValueSatisfying(s -> {
            assertThat(s.isAuthResponse()).isTrue();
            assertThat(s.text()).doesNotContain("dXNlcg");
        });
        tracker.sent(wire("*\r\n"), 4);
        Exchange cancel = tracker.answer(reply("501 cancelled"));
        assertThat(cancel.sent()).contains(Sent.AUTH_CANCEL);
        assertThat(cancel.after().inAuthExchange()).isFalse();
    }

    @Test
    void startTlsResynchronisesTheStreamAndForgetsTheExtensions() {
        greeted();
        // pipelined behind STARTTLS: owed a reply in plaintext, but not once the handshake is done
        tracker.sent(wire("STARTTLS\r\nNOOP\r\n"), 2);
        tracker.answer(reply("220 go ahead"));
        assertThat(tracker.owed()).isPresent();
        tracker.tlsEstablished();
        assertThat(tracker.owed()).isEmpty();
        assertThat(tracker.model().tls()).isTrue();
        assertThat(tracker.model().keywords()).isEmpty();
        assertThat(tracker.authMechanisms()).isEmpty();
        assertThat(tracker.keywordsSeen()).isTrue(); // the session did list them, before TLS
        tracker.sent(wire("EHLO client.test\r\n"), 3);
        assertThat(tracker.owed()).hasValueSatisfying(s -> assertThat(s.kind()).isEqualTo(CommandKind.EHLO));
    }

    @Test
    void anAcceptedEhloSetsTheSizeLimitAndTheAuthMechanisms() {
        greeted();
        assertThat(tracker.sizeAdvertised()).isTrue();
        assertThat(tracker.sizeLimit()).hasValue(1000);
        assertThat(tracker.authMechanisms()).containsExactly("PLAIN", "LOGIN");
        // a later EHLO reply without a limit takes it away; a refused one changes nothing
        tracker.sent(wire("EHLO client.test\r\n"), 2);
        tracker.answer(reply("250-mx.test|250 SIZE"));
        assertThat(tracker.sizeAdvertised()).isTrue();
        assertThat(tracker.sizeLimit()).isEmpty();
        tracker.sent(wire("EHLO client.test\r\n"), 3);
        tracker.answer(reply("250-mx.test|250 SIZE 5"));
        tracker.sent(wire("EHLO bad..name\r\n"), 4);
        tracker.answer(reply("501 no"));
        assertThat(tracker.sizeLimit()).hasValue(5);
    }

    @Test
    void theClientStreamAndTheModelAgreeOnWhereMessageContentIs() {
        greeted();
        tracker.sent(wire("MAIL FROM:<a@b.test>\r\n"), 2);
        tracker.answer(reply("250 ok"));
        tracker.sent(wire("RCPT TO:<c@d.test>\r\n"), 3);
        tracker.answer(reply("250 ok"));
        tracker.sent(wire("DATA\r\n"), 4);
        tracker.answer(reply("354 go"));
        // in data, a line that looks like a command is content: only CRLF.CRLF is owed a reply
        assertThat(tracker.sent(wire("QUIT\r\nhello\r\n.\r\n"), 5)).containsExactly(Sent.END_OF_DATA);
        Exchange end = tracker.answer(reply("250 queued"));
        assertThat(end.after().state()).isEqualTo(SessionState.GREETED);
        assertThat(tracker.sent(wire("QUIT\r\n"), 6)).extracting(Sent::kind).containsExactly(CommandKind.QUIT);
    }

    @Test
    void aRefusedDataLeavesTheStreamReadingCommands() {
        greeted();
        tracker.sent(wire("DATA\r\n"), 2);
        assertThat(tracker.answer(reply("503 need MAIL")).after().inData()).isFalse();
        assertThat(tracker.sent(wire("NOOP\r\n"), 3)).extracting(Sent::kind).containsExactly(CommandKind.NOOP);
    }

    @Test
    void a421ClosesTheSessionAndTheVerbCaseIsLearnt() {
        greeted();
        tracker.sent(wire("noop\r\n"), 2);
        tracker.answer(reply("250 ok"));
        assertThat(tracker.verbCaseShown()).isTrue();
        tracker.sent(wire("NOOP\r\n"), 3);
        assertThat(tracker.answer(reply("421 bye")).after().state()).isEqualTo(SessionState.CLOSED);
    }
}
