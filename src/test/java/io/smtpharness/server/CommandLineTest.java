package io.smtpharness.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** End-to-end tests of command-line handling: framing, limits, pipelining, simple verbs and shutdown. */
class CommandLineTest {

    private ReferenceServer server;

    @BeforeEach
    void startServer() {
        server = ReferenceServer.start(ServerConfig.defaults());
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void noopWithArgumentGets250() throws IOException {
        try (SmtpTestClient client = SmtpTestClient.connectAndReadGreeting(server)) {
            assertThat(client.ask("NOOP")).isEqualTo("250 2.0.0 OK");
            assertThat(client.ask("NOOP hello there")).isEqualTo("250 2.0.0 OK");
        }
    }

    @Test
    void quitGets221AndTheServerCloses() throws IOException {
        try (SmtpTestClient client = SmtpTestClient.greeted(server)) {
            assertThat(client.ask("QUIT")).startsWith("221 2.0.0 reference.test");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void quitWithArgumentGets501AndTheSessionGoesOn() throws IOException {
        try (SmtpTestClient client = SmtpTestClient.greeted(server)) {
            assertThat(client.ask("QUIT now")).startsWith("501 5.");
            assertThat(client.ask("NOOP")).startsWith("250 ");
        }
    }

    @Test
    void unknownVerbGets500AndTheSessionGoesOn() throws IOException {
        try (SmtpTestClient client = SmtpTestClient.connectAndReadGreeting(server)) {
            assertThat(client.ask("XYZZY")).isEqualTo("500 5.5.2 Command unrecognized");
            assertThat(client.ask("XYZZY again")).startsWith("500 ");
            assertThat(client.ask("NOOP")).startsWith("250 ");
        }
    }

    @Test
    void lowerCaseVerbsWorkLikeUpperCase() throws IOException {
        try (SmtpTestClient client = SmtpTestClient.connectAndReadGreeting(server)) {
            assertThat(client.ask("ehlo client.example")).startsWith("250 ");
            assertThat(client.ask("mail from:<a@example.org>")).startsWith("250 ");
            assertThat(client.ask("rcpt to:<u@test.example>")).startsWith("250 ");
            assertThat(client.ask("data")).startsWith("354 ");
            assertThat(client.ask("x\r\n.")).startsWith("250 ");
            assertThat(client.ask("QuIt")).startsWith("221 ");
        }
    }

    @Test
    void vrfyGets252ExpnGets502HelpGets214() throws IOException {
        try (SmtpTestClient client = SmtpTestClient.connectAndReadGreeting(server)) {
            assertThat(client.ask("VRFY postmaster")).startsWith("252 2.");
            assertThat(client.ask("VRFY")).startsWith("501 5.");
            assertThat(client.ask("EXPN staff")).startsWith("502 5.");
            assertThat(client.command("HELP")).allMatch(line -> line.startsWith("214"));
        }
    }

    @Test
    void commandLineOf512OctetsIsAccepted() throws IOException {
        String line = "NOOP " + "x".repeat(512 - 5 - 2);
        assertThat(line.length() + 2).isEqualTo(512);
        String mail = "MAIL FROM:<" + "a".repeat(512 - 2 - 11 - 14) + "@test.example>";
        assertThat(mail.length() + 2).isEqualTo(512);
        try (SmtpTestClient client = SmtpTestClient.greeted(server)) {
            assertThat(client.ask(line)).startsWith("250 ");
            assertThat(client.ask(mail)).startsWith("250 ");
        }
    }

    @Test
    void lineOverTheCapGets500AndTheSessionGoesOn() throws IOException {
        try (SmtpTestClient client = SmtpTestClient.greeted(server)) {
            assertThat(client.ask("NOOP " + "x".repeat(5000))).isEqualTo("500 5.5.2 Line too long");
            // 2048 octets including CRLF is the default cap: one more octet is too long.
            assertThat(client.ask("NOOP " + "x".repeat(2042))).startsWith("500 5.5.2");
            assertThat(client.ask("NOOP " + "x".repeat(2041))).startsWith("250 ");
        }
    }

    @Test
    void overlongLineSentInPiecesGetsOneReply() throws IOException {
        try (SmtpTestClient client = SmtpTestClient.greeted(server)) {
            for (int i = 0; i < 20; i++) {
                client.send("y".repeat(1000));
            }
            client.send("\r");
            assertThat(client.silentFor(200)).isTrue();
            client.send("\nNOOP\r\n");
            assertThat(client.readReply()).containsExactly("500 5.5.2 Line too long");
            assertThat(client.readReply()).containsExactly("250 2.0.0 OK");
        }
    }

    @Test
    void bareLfDoesNotEndACommandLine() throws IOException {
        try (SmtpTestClient client = SmtpTestClient.connectAndReadGreeting(server)) {
            client.send("NOOP\n");
            assertThat(client.silentFor(500)).isTrue();
            client.send("\r\n");
            assertThat(client.readReply()).singleElement().asString().matches("(250|500|501) .*");
            assertThat(client.ask("NOOP")).startsWith("250 ");
        }
    }

    @Test
    void pipelinedCommandsAreAllAnsweredInOrder() throws IOException {
        try (SmtpTestClient client = SmtpTestClient.greeted(server)) {
            client.send("RSET\r\nMAIL FROM:<>\r\nRCPT TO:<a@test.example>\r\nRCPT TO:<b@elsewhere.example>\r\n"
                    + "RCPT TO:<c@test.example>\r\nDATA\r\n");
            List<String> codes = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                codes.add(client.readReply().get(0).substring(0, 3));
            }
            assertThat(codes).containsExactly("250", "250", "250", "550", "250", "354");
            client.send("body\r\n.\r\nQUIT\r\n");
            assertThat(client.readLine()).startsWith("250 ");
            assertThat(client.readLine()).startsWith("221 ");
        }
        assertThat(server.messages().get(0).recipients()).containsExactly("a@test.example", "c@test.example");
    }

    @Test
    void commandSplitAcrossWritesIsAnsweredOnce() throws IOException {
        try (SmtpTestClient client = SmtpTestClient.connectAndReadGreeting(server)) {
            client.send("NO");
            client.send("OP\r");
            assertThat(client.silentFor(200)).isTrue();
            client.send("\n");
            assertThat(client.readReply()).containsExactly("250 2.0.0 OK");
        }
    }

    @Test
    void closeSends421ToAnOpenSession() throws IOException {
        try (SmtpTestClient client = SmtpTestClient.greeted(server)) {
            server.close();
            assertThat(client.readLine()).isEqualTo("421 4.3.2 reference.test Service shutting down");
            assertThat(client.closedByServer()).isTrue();
        }
        server.close();
        assertThat(server.toString()).contains("closed");
    }

    @Test
    void idleClientGets421() throws IOException {
        server.close();
        server = ReferenceServer.start(ServerConfig.defaults().withIdleTimeout(Duration.ofMillis(300)));
        try (SmtpTestClient client = SmtpTestClient.greeted(server)) {
            assertThat(client.readLine()).startsWith("421 4.4.2 reference.test");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void toStringTellsStateAndPort() {
        assertThat(server.toString()).contains("listening").contains(":" + server.port());
        assertThat(server.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    }
}
