package io.smtpharness.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** End-to-end tests of the conformant reference server over plain sockets, on port 0. */
class ReferenceServerTest {

    private ReferenceServer server;

    @BeforeEach
    void startServer() {
        server = ReferenceServer.start(ServerConfig.defaults());
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Nested
    class Greeting {
        @Test
        void greetingIs220WithHostName() throws IOException {
            try (SmtpTestClient client = SmtpTestClient.connect(server)) {
                assertThat(client.readReply())
                        .containsExactly("220 reference.test ESMTP smtp-harness reference server");
            }
        }

        @Test
        void ehloListsKeywordsInAWellFormedMultilineReply() throws IOException {
            try (SmtpTestClient client = SmtpTestClient.connectAndReadGreeting(server)) {
                assertThat(client.command("EHLO client.example")).containsExactly(
                        "250-reference.test greets client.example",
                        "250-8BITMIME",
                        "250-PIPELINING",
                        "250-SIZE 10485760",
                        "250-ENHANCEDSTATUSCODES",
                        "250-CHUNKING",
                        "250-SMTPUTF8",
                        "250 HELP");
            }
        }

        @Test
        void ehloAcceptsAddressLiterals() throws IOException {
            try (SmtpTestClient client = SmtpTestClient.connectAndReadGreeting(server)) {
                assertThat(client.ask("EHLO [192.0.2.1]")).startsWith("250 ");
                assertThat(client.ask("EHLO [IPv6:2001:db8::1]")).startsWith("250 ");
            }
        }

        @Test
        void heloGetsOneLineWithoutExtensions() throws IOException {
            try (SmtpTestClient client = SmtpTestClient.connectAndReadGreeting(server)) {
                assertThat(client.command("HELO client.example")).containsExactly("250 reference.test");
            }
        }

        @Test
        void ehloAndHeloWithoutArgumentGet501() throws IOException {
            try (SmtpTestClient client = SmtpTestClient.connectAndReadGreeting(server)) {
                assertThat(client.ask("EHLO")).startsWith("501 5.");
                assertThat(client.ask("HELO")).startsWith("501 5.");
            }
        }

        @Test
        void ehloResetsAnOpenTransaction() throws IOException {
            try (SmtpTestClient client = SmtpTestClient.greeted(server)) {
                client.command("MAIL FROM:<a@sender.example>");
                client.command("RCPT TO:<x@test.example>");
                assertThat(client.ask("EHLO client.example")).startsWith("250 ");
                assertThat(client.ask("DATA")).startsWith("503 5.5.1");
            }
        }
    }

    @Nested
    class Transaction {
        @Test
        void happyPathDeliversTheUnstuffedContent() throws IOException {
            try (SmtpTestClient client = SmtpTestClient.greeted(server)) {
                assertThat(client.ask("MAIL FROM:<sender@example.org>")).isEqualTo("250 2.1.0 Sender OK");
                assertThat(client.ask("RCPT TO:<user@test.example>")).isEqualTo("250 2.1.5 OK");
                assertThat(client.ask("DATA")).startsWith("354 ");
                assertThat(client.ask("Subject: hi\r\n\r\n..leading dot\r\n...\r\n. \r\nend\r\n."))
                        .startsWith("250 2.0.0");
            }
            List<DeliveredMessage> messages = server.messages();
            assertThat(messages).hasSize(1);
            assertThat(messages.get(0).reversePath()).isEqualTo("sender@example.org");
            assertThat(messages.get(0).recipients()).containsExactly("user@test.example");
            assertThat(messages.get(0).contentAsString())
                    .isEqualTo("Subject: hi\r\n\r\n.leading dot\r\n..\r\n \r\nend\r\n");
        }

        @Test
        void bareLfDotBareLfInsideTheBodyIsContent() throws IOException {
            try (SmtpTestClient client = SmtpTestClient.greeted(server)) {
                client.command("MAIL FROM:<>");
                client.command("RCPT TO:<postmaster@test.example>");
                client.command("DATA");
                client.send("one\n.\nMAIL FROM:<evil@x.example>\n\r.\r\r\n.\ntwo\n.\r\n");
                assertThat(client.silentFor(300)).isTrue();
                assertThat(client.ask("last\r\n.")).startsWith("250 2.0.0");
                assertThat(client.ask("NOOP")).startsWith("250 ");
            }
            assertThat(server.messages()).hasSize(1);
            assertThat(server.messages().get(0).contentAsString())
                    .isEqualTo("one\n.\nMAIL FROM:<evil@x.example>\n\r.\r\r\n\ntwo\n.\r\nlast\r\n");
        }

        @Test
        void emptyMessageEndsAtOnce() throws IOException {
            try (SmtpTestClient client = SmtpTestClient.greeted(server)) {
                client.command("MAIL FROM:<>");
                client.command("RCPT TO:<postmaster>");
                client.command("DATA");
                assertThat(client.ask(".")).startsWith("250 2.0.0");
            }
            assertThat(server.messages().get(0).content()).isEmpty();
        }

        @Test
        void transactionIsResetAfterTheFinalDot() throws IOException {
            try (SmtpTestClient client = SmtpTestClient.greeted(server)) {
                client.command("MAIL FROM:<>");
                client.command("RCPT TO:<postmaster>");
                client.command("DATA");
                client.command("x\r\n.");
                assertThat(client.ask("RCPT TO:<postmaster>")).startsWith("503 5.5.1");
                assertThat(client.ask("MAIL FROM:<>")).startsWith("250 ");
            }
        }

        @Test
        void foreignRecipientGetsRelayingDenied() throws IOException {
            try (SmtpTestClient client = SmtpTestClient.greeted(server)) {
                client.command("MAIL FROM:<>");
                assertThat(client.ask("RCPT TO:<x@foreign.example>")).isEqualTo("550 5.7.1 Relaying denied");
            }
        }

        @Test
        void postmasterInAnyCaseIsAccepted() throws IOException {
            try (SmtpTestClient client = SmtpTestClient.greeted(server)) {
                client.command("MAIL FROM:<>");
                assertThat(client.ask("RCPT TO:<PostMaster>")).startsWith("250 ");
                assertThat(client.ask("RCPT TO:<POSTMASTER@Test.Example>")).startsWith("250 ");
            }
        }

        @Test
        void declaredSizeOverTheLimitGets552() throws IOException {
            try (SmtpTestClient client = SmtpTestClient.greeted(server)) {
                assertThat(client.ask("MAIL FROM:<> SIZE=10485761")).startsWith("552 5.");
                assertThat(client.ask("MAIL FROM:<> SIZE=10485760 BODY=8BITMIME")).startsWith("250 ");
            }
        }

        @Test
        void unknownMailParameterGets555() throws IOException {
            try (SmtpTestClient client = SmtpTestClient.greeted(server)) {
                assertThat(client.ask("MAIL FROM:<a@example.com> XFOO=1")).startsWith("555 5.");
            }
        }

        @Test
        void malformedPathGets501AndStateIsUnchanged() throws IOException {
            try (SmtpTestClient client = SmtpTestClient.greeted(server)) {
                assertThat(client.ask("MAIL FROM:a@b@c")).startsWith("501 5.");
                assertThat(client.ask("MAIL FROM:<>")).startsWith("250 ");
            }
        }

        @Test
        void quotedLocalPartsLiteralsAndSourceRoutesParse() throws IOException {
            try (SmtpTestClient client = SmtpTestClient.greeted(server)) {
                assertThat(client.ask("MAIL FROM:<\"john doe\"@[192.0.2.1]>")).startsWith("250 ");
                assertThat(client.ask("RCPT TO:<@a.example,@b.example:postmaster@test.example>")).startsWith("250 ");
                assertThat(client.ask("RCPT TO:<\"a\\\"b\"@test.example>")).startsWith("250 ");
                assertThat(client.ask("RCPT TO:<x@[IPv6:2001:db8::1]>")).startsWith("550 ");
            }
        }

        @Test
        void messageOverTheLimitIsReadToTheEndAndGets552() throws IOException {
            server.close();
            server = ReferenceServer.start(ServerConfig.defaults().withMaxMessageSize(100));
            try (SmtpTestClient client = SmtpTestClient.greeted(server)) {
                client.command("MAIL FROM:<>");
                client.command("RCPT TO:<postmaster>");
                client.command("DATA");
                client.send("x".repeat(500) + "\r\n");
                assertThat(client.silentFor(200)).isTrue();
                assertThat(client.ask(".")).startsWith("552 5.3.4");
                assertThat(client.ask("NOOP")).startsWith("250 ");
            }
            assertThat(server.messages()).isEmpty();
        }

        @Test
        void recipientsOverTheLimitGet452() throws IOException {
            server.close();
            server = ReferenceServer.start(ServerConfig.defaults().withMaxRecipients(2));
            try (SmtpTestClient client = SmtpTestClient.greeted(server)) {
                client.command("MAIL FROM:<>");
                client.command("RCPT TO:<a@test.example>");
                client.command("RCPT TO:<b@test.example>");
                assertThat(client.ask("RCPT TO:<c@test.example>")).startsWith("452 4.5.3");
            }
        }
    }

    @Nested
    class Ordering {
        @Test
        void rcptBeforeMailGets503() throws IOException {
            try (SmtpTestClient client = SmtpTestClient.greeted(server)) {
                assertThat(client.ask("RCPT TO:<postmaster>")).startsWith("503 5.5.1");
            }
        }

        @Test
        void dataBeforeRcptGets503() throws IOException {
            try (SmtpTestClient client = SmtpTestClient.greeted(server)) {
                assertThat(client.ask("DATA")).startsWith("503 5.5.1");
                client.command("MAIL FROM:<>");
                assertThat(client.ask("DATA")).startsWith("503 5.5.1");
            }
        }

        @Test
        void mailBeforeEhloGets503() throws IOException {
            try (SmtpTestClient client = SmtpTestClient.connectAndReadGreeting(server)) {
                assertThat(client.ask("MAIL FROM:<>")).startsWith("503 5.5.1");
            }
        }

        @Test
        void nestedMailGets503AndKeepsTheTransaction() throws IOException {
            try (SmtpTestClient client = SmtpTestClient.greeted(server)) {
                client.command("MAIL FROM:<>");
                assertThat(client.ask("MAIL FROM:<a@example.org>")).startsWith("503 5.5.1");
                assertThat(client.ask("RCPT TO:<postmaster>")).startsWith("250 ");
            }
        }

        @Test
        void rsetDropsTheTransactionAndWorksBeforeEhlo() throws IOException {
            try (SmtpTestClient client = SmtpTestClient.connectAndReadGreeting(server)) {
                assertThat(client.ask("RSET")).startsWith("250 2.0.0");
                client.command("EHLO client.example");
                client.command("MAIL FROM:<>");
                assertThat(client.ask("RSET")).startsWith("250 2.0.0");
                assertThat(client.ask("RCPT TO:<postmaster>")).startsWith("503 5.5.1");
                assertThat(client.ask("RSET x")).startsWith("501 5.");
            }
        }
    }

    /** CHUNKING (RFC 3030) and SMTPUTF8 (RFC 6531), as the reference server implements them. */
    @Nested
    class Extensions {
        private SmtpTestClient transaction() throws IOException {
            SmtpTestClient client = SmtpTestClient.greeted(server);
            assertThat(client.ask("MAIL FROM:<a@client.example>")).startsWith("250 ");
            assertThat(client.ask("RCPT TO:<postmaster@test.example>")).startsWith("250 ");
            return client;
        }

        @Test
        void bdatChunksAreDeliveredVerbatim() throws IOException {
            try (SmtpTestClient client = transaction()) {
                client.send("BDAT 9\r\nSubject: ");
                assertThat(client.readReply()).containsExactly("250 2.0.0 Chunk received");
                client.send("BDAT 11 LAST\r\nx\r\n.\r\n..y\r\n");
                assertThat(client.readReply()).containsExactly("250 2.0.0 OK: message accepted");
                assertThat(client.ask("NOOP")).isEqualTo("250 2.0.0 OK");
            }
            assertThat(server.messages()).singleElement()
                    .satisfies(m -> assertThat(m.contentAsString()).isEqualTo("Subject: x\r\n.\r\n..y\r\n"));
        }

        @Test
        void zeroLengthLastChunkCompletesTheMessage() throws IOException {
            try (SmtpTestClient client = transaction()) {
                client.send("BDAT 3\r\nabcBDAT 0 LAST\r\n");
                assertThat(client.readReply()).containsExactly("250 2.0.0 Chunk received");
                assertThat(client.readReply()).containsExactly("250 2.0.0 OK: message accepted");
            }
            assertThat(server.messages()).singleElement().satisfies(m -> assertThat(m.contentAsString()).isEqualTo("abc"));
        }

        @Test
        void bdatOutsideATransactionIsRefusedAndItsChunkDiscarded() throws IOException {
            try (SmtpTestClient client = SmtpTestClient.greeted(server)) {
                client.send("BDAT 12 LAST\r\nNOOP\r\nNOOP\r\n");
                assertThat(client.readReply()).containsExactly("503 5.5.1 Bad sequence of commands");
                assertThat(client.ask("RSET")).isEqualTo("250 2.0.0 Reset state");
            }
        }

        @Test
        void dataAfterBdatAndBdatAfterLastAreRefused() throws IOException {
            try (SmtpTestClient client = transaction()) {
                client.send("BDAT 1\r\nx");
                assertThat(client.readReply()).containsExactly("250 2.0.0 Chunk received");
                assertThat(client.ask("DATA")).startsWith("503 5.5.1");
                client.send("BDAT 1 LAST\r\ny");
                assertThat(client.readReply()).containsExactly("250 2.0.0 OK: message accepted");
                client.send("BDAT 1\r\nz");
                assertThat(client.readReply()).containsExactly("503 5.5.1 Bad sequence of commands");
                assertThat(client.ask("BDAT x")).startsWith("501 ");
            }
        }

        @Test
        void chunksOverTheSizeLimitAre552() throws IOException {
            server.close();
            server = ReferenceServer.start(ServerConfig.defaults().withMaxMessageSize(10));
            try (SmtpTestClient client = transaction()) {
                client.send("BDAT 11 LAST\r\n01234567890");
                assertThat(client.readReply()).containsExactly("552 5.3.4 Message size exceeds fixed maximum message size");
            }
        }

        @Test
        void utf8MailboxesNeedTheSmtputf8Parameter() throws IOException {
            String jorg = "j\u00c3\u00b6rg"; // UTF-8 octets of "jörg", as ISO-8859-1 chars
            try (SmtpTestClient client = SmtpTestClient.greeted(server)) {
                assertThat(client.ask("MAIL FROM:<" + jorg + "@client.example>")).startsWith("550 5.6.7");
                assertThat(client.ask("MAIL FROM:<a@client.example>")).startsWith("250 ");
                assertThat(client.ask("RCPT TO:<" + jorg + "@test.example>")).startsWith("553 5.6.7");
                assertThat(client.ask("RSET")).startsWith("250 ");
                assertThat(client.ask("MAIL FROM:<" + jorg + "@ex\u00c3\u00a4mple.test> SMTPUTF8")).startsWith("250 ");
                assertThat(client.ask("RCPT TO:<" + jorg + "@test.example>")).startsWith("250 ");
                assertThat(client.ask("RSET")).startsWith("250 ");
                assertThat(client.ask("MAIL FROM:<a@client.example> SMTPUTF8=yes")).startsWith("501 ");
                assertThat(client.ask("MAIL FROM:<j\u00c3@client.example> SMTPUTF8")).startsWith("501 "); // not UTF-8
                assertThat(client.ask("VRFY " + jorg + " SMTPUTF8")).startsWith("252 ");
            }
        }
    }
}
