package io.smtpharness.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each {@link Misbehaviour} variant visibly changes what the reference server sends. */
class MisbehaviourTest {

    private ReferenceServer server;

    private ReferenceServer start(Misbehaviour... misbehaviours) {
        server = ReferenceServer.start(ServerConfig.defaults().withMisbehaviours(misbehaviours));
        return server;
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void acceptRcptWithoutMailAnswersRcptBeforeMailWith250() throws IOException {
        try (SmtpTestClient client = SmtpTestClient.greeted(start(new Misbehaviour.AcceptRcptWithoutMail()))) {
            assertThat(client.ask("RCPT TO:<postmaster>")).isEqualTo("250 2.1.5 OK");
            assertThat(client.ask("DATA")).startsWith("354 ");
        }
    }

    @Test
    void mixedCodeMultilineLastLineIs251Help() throws IOException {
        try (SmtpTestClient client = SmtpTestClient.connectAndReadGreeting(start(new Misbehaviour.MixedCodeMultiline()))) {
            assertThat(client.command("EHLO client.example"))
                    .startsWith("250-reference.test greets client.example")
                    .last().isEqualTo("251 HELP");
        }
    }

    @Test
    void quitRepliesSendsTheGivenLineAndStillCloses() throws IOException {
        try (SmtpTestClient client = SmtpTestClient.greeted(start(new Misbehaviour.QuitReplies("250 2.0.0 bye")))) {
            assertThat(client.ask("QUIT")).isEqualTo("250 2.0.0 bye");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void bareLfEndsDataLetsASmuggledCommandThrough() throws IOException {
        try (SmtpTestClient client = SmtpTestClient.greeted(start(new Misbehaviour.BareLfEndsData()))) {
            client.command("MAIL FROM:<>");
            client.command("RCPT TO:<postmaster>");
            client.command("DATA");
            client.send("one\n.\nNOOP\r\n");
            assertThat(client.readLine()).startsWith("250 2.0.0 OK: message accepted");
            assertThat(client.readLine()).isEqualTo("250 2.0.0 OK");
        }
        assertThat(server.messages()).singleElement()
                .extracting(DeliveredMessage::contentAsString).isEqualTo("one\n");
    }

    @Test
    void bareLfEndsDataAlsoEndsOnCrlfDotLfAndLfDotCrlf() throws IOException {
        try (SmtpTestClient client = SmtpTestClient.greeted(start(new Misbehaviour.BareLfEndsData()))) {
            for (String end : new String[] {"a\r\n.\n", "b\n.\r\n"}) {
                client.command("MAIL FROM:<>");
                client.command("RCPT TO:<postmaster>");
                client.command("DATA");
                client.send(end);
                assertThat(client.readLine()).startsWith("250 ");
            }
        }
        assertThat(server.messages()).hasSize(2);
    }

    @Test
    void replyOverridesTheAnswerToOneVerbWithRawOctets() throws IOException {
        try (SmtpTestClient client = SmtpTestClient.connectAndReadGreeting(
                start(new Misbehaviour.Reply("noop", "250-first\n250 second\r\n")))) {
            client.send("NOOP\r\n");
            assertThat(client.readLine()).isEqualTo("250-first\n250 second");
            assertThat(client.ask("RSET")).startsWith("250 2.0.0");
        }
    }

    @Test
    void replyOverrideKeepsNormalStateHandling() throws IOException {
        try (SmtpTestClient client = SmtpTestClient.greeted(
                start(new Misbehaviour.Reply("DATA", "250 2.0.0 go ahead\r\n")))) {
            client.command("MAIL FROM:<>");
            client.command("RCPT TO:<postmaster>");
            assertThat(client.ask("DATA")).isEqualTo("250 2.0.0 go ahead");
            assertThat(client.ask("body\r\n.")).startsWith("250 2.0.0 OK: message accepted");
        }
        assertThat(server.messages()).hasSize(1);
    }

    @Test
    void closeOnDropsTheConnectionInsteadOfAnswering() throws IOException {
        try (SmtpTestClient client = SmtpTestClient.greeted(start(new Misbehaviour.CloseOn("mail")))) {
            client.send("MAIL FROM:<>\r\n");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    /** "RCPT!" in a crash sequence counts a refused RCPT only: an accepted one does not advance it. */
    @Test
    void crashAfterARefusedRcptIgnoresAnAcceptedOne() throws IOException {
        start(new Misbehaviour.CrashAfter(List.of("RCPT!", "RSET", "DATA")));
        try (SmtpTestClient client = SmtpTestClient.greeted(server)) {
            client.ask("MAIL FROM:<>");
            assertThat(client.ask("RCPT TO:<postmaster>")).startsWith("250 ");
            client.ask("RSET");
            assertThat(client.ask("DATA")).startsWith("503 ");
            assertThat(client.ask("RCPT TO:<postmaster>")).startsWith("503 "); // no MAIL: refused
            client.ask("RSET");
            client.send("DATA\r\n");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void greetingReplacesThe220() throws IOException {
        try (SmtpTestClient client = SmtpTestClient.connect(start(new Misbehaviour.Greeting("450 4.3.2 busy\r\n")))) {
            assertThat(client.readLine()).isEqualTo("450 4.3.2 busy");
            assertThat(client.ask("NOOP")).startsWith("250 ");
        }
    }

    @Test
    void dataWithoutRecipientsGets354AndTheContentIsNotDelivered() throws IOException {
        try (SmtpTestClient client = SmtpTestClient.greeted(start(new Misbehaviour.DataWithoutRecipients()))) {
            client.command("MAIL FROM:<>");
            assertThat(client.ask("DATA")).startsWith("354 ");
            assertThat(client.ask("body\r\n.")).startsWith("250 ");
            assertThat(client.ask("DATA")).startsWith("354 ");
        }
        assertThat(server.messages()).isEmpty();
    }

    @Test
    void caseSensitiveVerbsRefusesLowerCaseVerbs() throws IOException {
        try (SmtpTestClient client = SmtpTestClient.connectAndReadGreeting(start(new Misbehaviour.CaseSensitiveVerbs()))) {
            assertThat(client.ask("noop")).startsWith("500 ");
            assertThat(client.ask("Rset")).startsWith("500 ");
            assertThat(client.ask("NOOP")).startsWith("250 ");
        }
    }

    @Test
    void lineLimitRefusesLinesUnder512AsTooLong() throws IOException {
        try (SmtpTestClient client = SmtpTestClient.greeted(start(new Misbehaviour.LineLimit(500)))) {
            assertThat(client.ask("NOOP " + "x".repeat(493))).startsWith("250 "); // 500 octets with CRLF
            assertThat(client.ask("NOOP " + "x".repeat(494))).isEqualTo("500 5.5.2 Line too long");
            assertThat(client.ask("NOOP")).startsWith("250 ");
        }
    }

    @Test
    void keepTransactionAfterEhloLeavesSenderAndRecipientsInPlace() throws IOException {
        try (SmtpTestClient client = SmtpTestClient.greeted(start(new Misbehaviour.KeepTransactionAfterEhlo()))) {
            client.command("MAIL FROM:<>");
            client.command("RCPT TO:<postmaster>");
            assertThat(client.command("EHLO client.example").get(0)).startsWith("250-");
            assertThat(client.ask("DATA")).startsWith("354 ");
        }
    }
}
