package io.smtpharness.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smtpharness.testing.RawReplies;
import io.smtpharness.testing.RealServer;
import io.smtpharness.testing.RealServer.Kind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real-server fixtures added after Postfix, Exim and OpenSMTPD (aiosmtpd with STARTTLS,
 * Sendmail, GreenMail, Nodemailer's smtp-server without and with STARTTLS): each starts through
 * {@link RealServer} on a free loopback port, greets 220, answers EHLO, offers STARTTLS exactly
 * when it should (and then completes the handshake and EHLO inside TLS), takes the test account's
 * AUTH where it offers AUTH, refuses relaying where it can, delivers a message to its maildir, and
 * frees its port and directory on close. Their conformance verdicts are not pinned here (see
 * {@code RealServerConformanceTest}: a server takes part there once it has a file in
 * {@code real-server-verdicts/}).
 */
class NewRealServersStartTest {

    private static final String USER = "harness";
    private static final String PASSWORD = "harness-test-password";

    private static final Map<Kind, String> PRODUCT = Map.of(Kind.AIOSMTPD_TLS, "aiosmtpd 1.4.3",
            Kind.SENDMAIL, "Sendmail 8.17.1.9", Kind.GREENMAIL, "GreenMail 2.1.13",
            Kind.SMTP_SERVER, "smtp-server 3.21.6", Kind.SMTP_SERVER_TLS, "smtp-server 3.21.6");
    private static final Set<Kind> STARTTLS = Set.of(Kind.AIOSMTPD_TLS, Kind.SMTP_SERVER_TLS);
    /** AUTH offered in plaintext (no STARTTLS there). */
    private static final Set<Kind> PLAINTEXT_AUTH = Set.of(Kind.GREENMAIL, Kind.SMTP_SERVER);
    /** What a recipient outside test.example gets; GreenMail accepts every recipient (kept in memory). */
    private static final Map<Kind, String> RELAY_REFUSAL = Map.of(Kind.AIOSMTPD_TLS, "550 5.7.1",
            Kind.SENDMAIL, "553 5.1.2", Kind.GREENMAIL, "250", Kind.SMTP_SERVER, "550 5.7.1",
            Kind.SMTP_SERVER_TLS, "550 5.7.1");

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Kind.class, names = {"AIOSMTPD_TLS", "SENDMAIL", "GREENMAIL", "SMTP_SERVER", "SMTP_SERVER_TLS"})
    void startsGreetsOffersWhatItShouldDeliversAndStops(Kind kind) throws Exception {
        RealServer server = RealServer.startOrSkip(kind);
        int port = server.port();
        Path runDir = server.runDir();
        try {
            assertThat(server.version()).isEqualTo(PRODUCT.get(kind));
            assertThat(server.hostAndPort()).isEqualTo("127.0.0.1:" + port);
            try (Session s = new Session(server.host(), port)) {
                assertThat(s.reply()).first().asString().startsWith("220 ");
                List<String> ehlo = s.command("EHLO client.test");
                assertThat(ehlo.get(0)).startsWith("250");
                assertThat(keywords(ehlo)).as("EHLO of " + kind + ": " + ehlo)
                        .matches(k -> k.contains("STARTTLS") == STARTTLS.contains(kind), "STARTTLS iff a TLS fixture");
                if (STARTTLS.contains(kind)) {
                    assertThat(s.command("STARTTLS")).first().asString().startsWith("220");
                    s.startTls();
                    List<String> inside = s.command("EHLO client.test");
                    assertThat(inside.get(0)).startsWith("250");
                    assertThat(keywords(inside)).as("EHLO inside TLS: " + inside).doesNotContain("STARTTLS")
                            .contains("AUTH");
                    assertThat(s.command(authPlain())).first().asString().startsWith("235");
                } else if (PLAINTEXT_AUTH.contains(kind)) {
                    assertThat(keywords(ehlo)).contains("AUTH");
                    assertThat(s.command(authPlain())).first().asString().startsWith("235");
                }
                if (kind == Kind.SENDMAIL) {
                    // kept on purpose: it refuses a sender domain it cannot route, the harness's default included
                    assertThat(s.command("MAIL FROM:<harness@client.test>")).first().asString().startsWith("553 5.1.2");
                    assertThat(s.command("MAIL FROM:<harness@test.example>")).first().asString().startsWith("250");
                } else {
                    assertThat(s.command("MAIL FROM:<harness@client.test>")).first().asString().startsWith("250");
                }
                assertThat(s.command("RCPT TO:<postmaster@test.example>")).first().asString().startsWith("250");
                assertThat(s.command("RCPT TO:<someone@elsewhere.invalid>")).first().asString()
                        .startsWith(RELAY_REFUSAL.get(kind));
                assertThat(s.command("DATA")).first().asString().startsWith("354");
                assertThat(s.command("Subject: NewRealServersStartTest " + kind + "\r\n\r\nhello\r\n."))
                        .first().asString().startsWith("250");
                assertThat(s.command("QUIT")).first().asString().startsWith("221");
            }
            List<Path> delivered = server.awaitDeliveries(1, Duration.ofSeconds(20));
            assertThat(delivered).as("messages in " + server.maildir()).isNotEmpty();
            assertThat(delivered).anySatisfy(p ->
                    assertThat(Files.readString(p, StandardCharsets.ISO_8859_1))
                            .contains("Subject: NewRealServersStartTest " + kind));
        } finally {
            server.close();
        }
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        assertThat(runDir).doesNotExist();
    }

    private static String authPlain() {
        return "AUTH PLAIN " + Base64.getEncoder().encodeToString(
                ("\0" + USER + "\0" + PASSWORD).getBytes(StandardCharsets.US_ASCII));
    }

    /** The EHLO keywords (first word of each line after the greeting line), upper case. */
    private static List<String> keywords(List<String> ehlo) {
        List<String> out = new ArrayList<>();
        for (String line : ehlo.subList(1, ehlo.size())) {
            out.add(line.substring(4).split(" ", 2)[0].toUpperCase(java.util.Locale.ROOT));
        }
        return out;
    }

    /** One SMTP session, line at a time, that can switch to TLS (any certificate: these are self-signed). */
    private static final class Session implements AutoCloseable {
        private final String host;
        private final int port;
        private Socket socket;
        private BufferedReader in;
        private OutputStream out;

        Session(String host, int port) throws IOException {
            this.host = host;
            this.port = port;
            socket = new Socket();
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(15_000);
            streams();
        }

        private void streams() throws IOException {
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            out = socket.getOutputStream();
        }

        void startTls() throws Exception {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
            SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(socket, host, port, true);
            tls.setUseClientMode(true);
            tls.startHandshake();
            socket = tls;
            streams();
        }

        List<String> command(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return reply();
        }

        /** Reads one (possibly multi-line) reply. */
        List<String> reply() throws IOException {
            return RawReplies.read(in);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
