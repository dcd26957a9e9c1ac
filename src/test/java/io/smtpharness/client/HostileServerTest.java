package io.smtpharness.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.protocol.Deviation;
import io.smtpharness.transcript.Transcript;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client stays bounded in time and memory against servers that misbehave at the byte level. */
class HostileServerTest {

    private ServerSocket listener;
    private final SmtpClient client = new SmtpClient(ClientOptions.defaults().withReplyTimeout(Duration.ofMillis(800)));

    @AfterEach
    void close() throws IOException {
        client.close();
        if (listener != null) {
            listener.close();
        }
    }

    /** Accepts one connection and runs {@code behaviour} on it in the background. */
    private InetSocketAddress serve(ServerBehaviour behaviour) throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try (Socket s = listener.accept()) {
                behaviour.run(s.getOutputStream());
            } catch (IOException | InterruptedException ignored) {
                // the client hung up: that is how these tests end
            }
        });
        t.setDaemon(true);
        t.start();
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
    }

    private interface ServerBehaviour {
        void run(OutputStream out) throws IOException, InterruptedException;
    }

    @Test
    void silentServerTimesOutAtTheDeadline() throws Exception {
        InetSocketAddress address = serve(out -> Thread.sleep(5_000));
        try (SmtpConnection c = client.connect(address, new Transcript())) {
            // the deadline the read waited is what the harness recorded; the bound only catches a hang
            Received received = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> c.readReply());
            assertThat(received).isInstanceOfSatisfying(Received.TimedOut.class,
                    t -> assertThat(t.waitedMs()).isEqualTo(800));
        }
    }

    @Test
    void drippingServerCannotStretchTheReplyDeadline() throws Exception {
        InetSocketAddress address = serve(out -> {
            for (byte b : "220 slow.example ESMTP\r\n".getBytes(StandardCharsets.US_ASCII)) {
                out.write(b);
                out.flush();
                Thread.sleep(200);
            }
        });
        try (SmtpConnection c = client.connect(address, new Transcript())) {
            assertThat(c.readReply()).isInstanceOfSatisfying(Received.TimedOut.class,
                    t -> assertThat(t.waitedMs()).as("the reply deadline, not the 4.8 s the drip takes").isEqualTo(800));
        }
    }

    @Test
    void aHugeLineIsCutAtTheLineCapAndItsReplyAtTheOctetCap() throws Exception {
        InetSocketAddress address = serve(out -> {
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'x');
            out.write("220 ".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 256; i++) { // 16 MiB, never a line end
                out.write(chunk);
            }
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(2_000);
        });
        Transcript transcript = new Transcript();
        try (SmtpConnection c = new SmtpClient(ClientOptions.defaults()).connect(address, transcript)) {
            Received r = c.readReply(Duration.ofSeconds(20));
            assertThat(r).isInstanceOfSatisfying(Received.Got.class,
                    g -> assertThat(g.reply().deviations()).extracting(Deviation::kind)
                            .contains(Deviation.Kind.LINE_OVER_CAP, Deviation.Kind.TOO_MANY_LINES));
        }
        // the transcript cuts long events, so the cut is a note of its own, not a suffix it would drop
        assertThat(transcript.events()).anySatisfy(e -> assertThat(e.text())
                .matches("the line above was cut at 16384 octets; \\d+ more were skipped unread and it had not ended"));
    }

    @Test
    void afterHangingUpOnAnEndlessReplyNoFurtherReplyIsQueued() throws Exception {
        InetSocketAddress address = serve(out -> {
            byte[] lines = "250-more\r\n".repeat(8 * 1024).getBytes(StandardCharsets.US_ASCII);
            while (true) {
                out.write(lines);
            }
        });
        Transcript transcript = new Transcript();
        try (SmtpConnection c = client.connect(address, transcript)) {
            assertThat(c.readReply(Duration.ofSeconds(5))).isInstanceOfSatisfying(Received.Got.class,
                    g -> assertThat(g.reply().has(Deviation.Kind.TOO_MANY_LINES)).isTrue());
            // the lines that one read had already brought are not a second reply to a next command
            assertThat(c.readReply(Duration.ofSeconds(5))).isInstanceOf(Received.Closed.class);
        }
        assertThat(transcript.events()).anySatisfy(e -> assertThat(e.text())
                .isEqualTo("closed by the harness: a reply of more than 1000 lines"));
        assertThat(transcript.events()).hasSizeLessThan(1_010);
    }

    @Test
    void endlessContinuationLinesEndInACutReplyAndAHangUp() throws Exception {
        InetSocketAddress address = serve(out -> {
            byte[] line = "250-more\r\n".getBytes(StandardCharsets.US_ASCII);
            while (true) {
                out.write(line);
            }
        });
        try (SmtpConnection c = client.connect(address, new Transcript())) {
            Received first = c.readReply(Duration.ofSeconds(5));
            assertThat(first).isInstanceOfSatisfying(Received.Got.class,
                    g -> assertThat(g.reply().has(Deviation.Kind.TOO_MANY_LINES)).isTrue());
            Received last = first;
            for (int i = 0; i < 10_000 && !(last instanceof Received.Closed); i++) {
                last = c.readReply(Duration.ofSeconds(5));
            }
            assertThat(last).isInstanceOf(Received.Closed.class);
        }
    }

    @Test
    void serverThatClosesAtOnceIsReportedAsClosed() throws Exception {
        InetSocketAddress address = serve(out -> { });
        try (SmtpConnection c = client.connect(address, new Transcript())) {
            assertThat(c.readReply()).isInstanceOf(Received.Closed.class);
        }
    }
}
