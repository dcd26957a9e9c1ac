package io.smtpharness.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class PostfixServerTest {

    @Test
    void startsTalksSmtpAndFreesThePortOnClose() throws Exception {
        PostfixServer postfix = PostfixServer.startOrSkip();
        int port = postfix.port();
        Path runDir = postfix.runDir();
        try {
            assertThat(postfix.host()).isEqualTo("127.0.0.1");
            assertThat(postfix.hostAndPort()).isEqualTo("127.0.0.1:" + port);
            assertThat(postfix.maildir()).startsWith(runDir);

            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(postfix.host(), port), 5_000);
                s.setSoTimeout(10_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                OutputStream out = s.getOutputStream();

                assertThat(reply(in)).first().asString().startsWith("220 ");
                List<String> ehlo = command(out, in, "EHLO client.test");
                assertThat(ehlo.get(0)).startsWith("250");
                assertThat(ehlo.get(ehlo.size() - 1)).startsWith("250 ");
                assertThat(ehlo).anyMatch(l -> l.substring(4).equals("PIPELINING"));
                assertThat(command(out, in, "MAIL FROM:<a@client.test>")).first().asString().startsWith("250");
                assertThat(command(out, in, "RCPT TO:<postmaster@test.example>")).first().asString().startsWith("250");
                // the safety model: no other domain is accepted
                assertThat(command(out, in, "RCPT TO:<someone@elsewhere.invalid>")).first().asString().startsWith("554");
                assertThat(command(out, in, "DATA")).first().asString().startsWith("354");
                assertThat(command(out, in, "Subject: PostfixServerTest\r\n\r\nhello\r\n.")).first().asString()
                        .startsWith("250");
                assertThat(command(out, in, "QUIT")).first().asString().startsWith("221");
            }
            assertThat(awaitDelivery(postfix)).isNotEmpty();
            assertThat(Files.readString(postfix.deliveredMessages().get(0))).contains("Subject: PostfixServerTest");
        } finally {
            postfix.close();
        }

        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        try (ServerSocket again = new ServerSocket()) {
            again.setReuseAddress(true); // server-side TIME_WAIT of the session above may remain
            again.bind(new InetSocketAddress("127.0.0.1", port));
        }
        assertThat(runDir).doesNotExist();
        postfix.close(); // idempotent
    }

    @Test
    void unavailableFixtureFailsOnCiAndSkipsElsewhere() {
        assertThatThrownBy(() -> PostfixServer.skipOrFail("no postfix", true))
                .isInstanceOf(AssertionFailedError.class).hasMessageContaining("no postfix");
        assertThatThrownBy(() -> PostfixServer.skipOrFail("no postfix", false))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("no postfix");
        assertThat(PostfixServer.isTruthy("true")).isTrue();
        assertThat(PostfixServer.isTruthy("1")).isTrue();
        assertThat(PostfixServer.isTruthy(null)).isFalse();
        assertThat(PostfixServer.isTruthy("")).isFalse();
        assertThat(PostfixServer.isTruthy("false")).isFalse();
    }

    private static List<Path> awaitDelivery(PostfixServer postfix) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (postfix.deliveredMessages().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return postfix.deliveredMessages();
    }

    private static List<String> command(OutputStream out, BufferedReader in, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reply(in);
    }

    /** Reads one (possibly multi-line) reply. */
    private static List<String> reply(BufferedReader in) throws IOException {
        List<String> lines = new ArrayList<>();
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed after " + lines);
            }
            lines.add(line);
        } while (line.length() > 3 && line.charAt(3) == '-');
        return lines;
    }
}
