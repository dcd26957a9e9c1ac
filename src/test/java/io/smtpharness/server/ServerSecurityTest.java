package io.smtpharness.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.protocol.Sasl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * The reference server's plaintext side of STARTTLS and AUTH (RFC 3207, RFC 4954); what happens
 * inside TLS is checked end to end by the RFC 3207/4954 suites in MisbehaviourVerdictsTest.
 */
class ServerSecurityTest {

    private static final TlsIdentity TLS = TlsIdentity.selfSigned("reference.test");

    @Test
    void withoutACertificateNeitherStarttlsIsOfferedNorDoesItWork() throws IOException {
        try (ReferenceServer server = ReferenceServer.start(ServerConfig.defaults());
             SmtpTestClient client = SmtpTestClient.connectAndReadGreeting(server)) {
            assertThat(client.command("EHLO c.test")).noneMatch(l -> l.contains("STARTTLS") || l.contains("AUTH"));
            assertThat(client.ask("STARTTLS")).startsWith("502 ");
        }
    }

    @Test
    void withTlsConfiguredAuthWaitsForTls() throws IOException {
        try (ReferenceServer server = ReferenceServer.start(ServerConfig.defaults().withTls(TLS).withAuth(AuthAccount.TEST));
             SmtpTestClient client = SmtpTestClient.connectAndReadGreeting(server)) {
            assertThat(client.command("EHLO c.test")).anyMatch(l -> l.equals("250-STARTTLS"))
                    .noneMatch(l -> l.contains("AUTH"));
            assertThat(client.ask("AUTH PLAIN " + plain("harness", "harness-test-password"))).startsWith("530 5.7.0");
            assertThat(client.ask("STARTTLS now")).startsWith("501 ");
            assertThat(client.ask("NOOP")).startsWith("250 ");
        }
    }

    @Test
    void withoutTlsAuthIsOfferedInPlaintextAndFollowsRfc4954() throws IOException {
        try (ReferenceServer server = ReferenceServer.start(ServerConfig.defaults().withAuth(AuthAccount.TEST));
             SmtpTestClient client = SmtpTestClient.connectAndReadGreeting(server)) {
            assertThat(client.ask("AUTH PLAIN x")).as("before EHLO").startsWith("503 ");
            assertThat(client.command("EHLO c.test")).contains("250-AUTH PLAIN LOGIN CRAM-MD5");
            assertThat(client.ask("AUTH PLAIN " + plain("harness", "wrong"))).startsWith("535 5.7.8");
            assertThat(client.ask("AUTH NOSUCH")).startsWith("504 ");
            assertThat(client.ask("AUTH CRAM-MD5 dGVzdA==")).startsWith("501 ");
            assertThat(client.ask("AUTH LOGIN")).isEqualTo("334 VXNlcm5hbWU6");
            assertThat(client.ask("*")).startsWith("501 ");
            assertThat(client.ask("AUTH PLAIN")).isEqualTo("334 ");
            assertThat(client.ask("AAA=BBB")).startsWith("501 5.5.2");
            assertThat(client.ask("MAIL FROM:<a@c.test> AUTH=<>")).startsWith("250 ");
            assertThat(client.ask("AUTH PLAIN " + plain("harness", "harness-test-password"))).as("in a transaction")
                    .startsWith("503 ");
            assertThat(client.ask("RSET")).startsWith("250 ");
            String challenge = client.ask("AUTH CRAM-MD5");
            assertThat(challenge).startsWith("334 ");
            String decoded = new String(Base64.getDecoder().decode(challenge.substring(4)), StandardCharsets.UTF_8);
            String response = Sasl.cramMd5Text("harness", "harness-test-password", decoded);
            assertThat(client.ask(Base64.getEncoder().encodeToString(response.getBytes(StandardCharsets.UTF_8))))
                    .startsWith("235 ");
            assertThat(client.ask("AUTH PLAIN " + plain("harness", "harness-test-password"))).as("second AUTH")
                    .startsWith("503 ");
        }
    }

    @Test
    void anAuthResponseMayBeLongerThanACommandLineButNotUnbounded() throws IOException {
        try (ReferenceServer server = ReferenceServer.start(ServerConfig.defaults().withAuth(AuthAccount.TEST));
             SmtpTestClient client = SmtpTestClient.greeted(server)) {
            assertThat(client.ask("AUTH PLAIN")).isEqualTo("334 ");
            assertThat(client.ask("QUFB".repeat(1000))).as("4000 octets").startsWith("535 ");
            assertThat(client.ask("AUTH PLAIN")).isEqualTo("334 ");
            assertThat(client.ask("QUFB".repeat(5000))).as("20000 octets").startsWith("500 5.5.6");
            assertThat(client.ask("NOOP " + "x".repeat(3000))).as("commands keep their limit").startsWith("500 ");
            assertThat(client.ask("NOOP")).startsWith("250 ");
        }
    }

    private static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }
}
