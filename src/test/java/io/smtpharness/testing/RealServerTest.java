package io.smtpharness.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smtpharness.testing.RealServer.Kind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class RealServerTest {

    /** What each server answers a recipient outside test.example (the safety model). */
    private static final Map<Kind, String> RELAY_REFUSAL = Map.of(Kind.POSTFIX, "554", Kind.EXIM, "550",
            Kind.OPENSMTPD, "550");
    private static final Map<Kind, String> PRODUCT = Map.of(Kind.POSTFIX, "Postfix 3.", Kind.EXIM, "Exim 4.",
            Kind.OPENSMTPD, "OpenSMTPD 6.");

    // the fixtures added later (aiosmtpd-tls, sendmail, greenmail, smtp-server, smtp-server-tls) have
    // their own checks in it/NewRealServersStartTest: sendmail refuses the sender used here, GreenMail
    // accepts any recipient, and aiosmtpd and GreenMail do not offer PIPELINING
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"POSTFIX", "EXIM", "OPENSMTPD"})
    void startsTalksSmtpDeliversAndFreesThePortOnClose(Kind kind) throws Exception {
        if (kind == Kind.OPENSMTPD) {
            RealServer.stopShared(kind); // one OpenSMTPD per machine
        }
        RealServer server = RealServer.startOrSkip(kind);
        int port = server.port();
        Path runDir = server.runDir();
        try {
            assertThat(server.name()).isEqualTo(kind.scriptName());
            assertThat(server.version()).startsWith(PRODUCT.get(kind));
            assertThat(server.host()).isEqualTo("127.0.0.1");
            assertThat(server.hostAndPort()).isEqualTo("127.0.0.1:" + port);
            assertThat(server.maildir()).startsWith(runDir);
            assertThat(server.isShared()).isFalse();

            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(server.host(), port), 5_000);
                s.setSoTimeout(10_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                OutputStream out = s.getOutputStream();

                assertThat(RawReplies.read(in)).first().asString().startsWith("220 ");
                List<String> ehlo = command(out, in, "EHLO client.test");
                assertThat(ehlo.get(0)).startsWith("250");
                assertThat(ehlo.get(ehlo.size() - 1)).startsWith("250 ");
                if (kind != Kind.OPENSMTPD) {
                    assertThat(ehlo).anyMatch(l -> l.substring(4).equals("PIPELINING"));
                }
                assertThat(command(out, in, "MAIL FROM:<harness@client.test>")).first().asString().startsWith("250");
                assertThat(command(out, in, "RCPT TO:<postmaster@test.example>")).first().asString().startsWith("250");
                // the safety model: no other domain is accepted
                assertThat(command(out, in, "RCPT TO:<someone@elsewhere.invalid>")).first().asString()
                        .startsWith(RELAY_REFUSAL.get(kind));
                assertThat(command(out, in, "DATA")).first().asString().startsWith("354");
                assertThat(command(out, in, "Subject: RealServerTest " + kind + "\r\n\r\nhello\r\n.")).first()
                        .asString().startsWith("250");
                assertThat(command(out, in, "QUIT")).first().asString().startsWith("221");
            }
            List<Path> delivered = server.awaitDeliveries(1, Duration.ofSeconds(10));
            assertThat(delivered).as("messages in " + server.maildir()).hasSize(1);
            assertThat(Files.readString(delivered.get(0))).contains("Subject: RealServerTest " + kind);
        } finally {
            server.close();
        }

        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        try (ServerSocket again = new ServerSocket()) {
            again.setReuseAddress(true); // server-side TIME_WAIT of the session above may remain
            again.bind(new InetSocketAddress("127.0.0.1", port));
        }
        assertThat(runDir).doesNotExist();
        server.close(); // idempotent
    }

    @Test
    void sharedInstanceIsStartedOnceAndOutlivesClose() throws Exception {
        RealServer postfix = RealServer.sharedOrSkip(Kind.POSTFIX);
        assertThat(RealServer.sharedOrSkip(Kind.POSTFIX)).isSameAs(postfix);
        assertThat(postfix.isShared()).isTrue();
        postfix.close(); // no-op: the JVM's exit stops it
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(postfix.host(), postfix.port()), 5_000);
            s.setSoTimeout(10_000);
            assertThat(RawReplies.read(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))))
                    .first().asString().startsWith("220 ");
        }
    }

    @Test
    void unavailableFixtureFailsOnCiAndSkipsElsewhere() {
        assertThatThrownBy(() -> RealServer.skipOrFail(Kind.EXIM, "no exim", true))
                .isInstanceOf(AssertionFailedError.class).hasMessageContaining("no exim");
        assertThatThrownBy(() -> RealServer.skipOrFail(Kind.EXIM, "no exim", false))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("no exim");
        assertThat(RealServer.isTruthy("true")).isTrue();
        assertThat(RealServer.isTruthy("1")).isTrue();
        assertThat(RealServer.isTruthy(null)).isFalse();
        assertThat(RealServer.isTruthy("")).isFalse();
        assertThat(RealServer.isTruthy("false")).isFalse();
        assertThat(RealServer.isTruthy("no")).isFalse();
    }

    private static List<String> command(OutputStream out, BufferedReader in, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return RawReplies.read(in);
    }
}
