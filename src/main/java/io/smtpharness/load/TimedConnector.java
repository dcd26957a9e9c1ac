package io.smtpharness.load;

import io.smtpharness.client.ClientOptions;
import io.smtpharness.client.Connector;
import io.smtpharness.client.Received;
import io.smtpharness.client.SmtpConnection;
import io.smtpharness.client.TargetUnreachableException;
import io.smtpharness.client.TlsSettings;
import io.smtpharness.client.TlsUpgrade;
import io.smtpharness.protocol.Reply;
import io.smtpharness.transcript.Transcript;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A {@link Connector} that times each stage of a session on its way through: from the last write to
 * the arrival of the reply it gets (the client stamps each reply when its last line is read off the
 * socket, so the reading thread's delay does not count). One command at a time, as a load session
 * sends them: pipelined writes would be timed from the last one.
 */
final class TimedConnector implements Connector {

    static final String CONNECT = "connect";
    static final String GREETING = "greeting";
    static final String END_OF_DATA = "end-of-data";

    private final Connector inner;
    private final StageLatencies latencies;

    TimedConnector(Connector inner, StageLatencies latencies) {
        this.inner = inner;
        this.latencies = latencies;
    }

    @Override
    public SmtpConnection connect(InetSocketAddress target, Transcript transcript) throws TargetUnreachableException {
        long start = System.nanoTime();
        SmtpConnection connection = inner.connect(target, transcript);
        long connected = System.nanoTime();
        latencies.record(CONNECT, connected - start);
        return new Timed(connection, connected);
    }

    @Override
    public void connectThen(InetSocketAddress target, Transcript transcript,
                            BiConsumer<SmtpConnection, TargetUnreachableException> then) {
        long start = System.nanoTime();
        inner.connectThen(target, transcript, (connection, unreachable) -> {
            if (connection == null) {
                then.accept(null, unreachable);
                return;
            }
            long connected = System.nanoTime();
            latencies.record(CONNECT, connected - start);
            then.accept(new Timed(connection, connected), null);
        });
    }

    @Override
    public ClientOptions options() {
        return inner.options();
    }

    @Override
    public TlsSettings tlsSettings() {
        return inner.tlsSettings();
    }

    /** The stage a write starts: its verb, or the end of data while message content is being sent. */
    private static String stageOf(byte[] octets) {
        int end = 0;
        while (end < Math.min(octets.length, 16) && octets[end] != ' ' && octets[end] != '\r' && octets[end] != '\n') {
            end++;
        }
        String verb = new String(octets, 0, end, StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
        return verb.equals("HELO") ? "EHLO" : verb;
    }

    private final class Timed implements SmtpConnection {
        private final SmtpConnection connection;
        private long lastWriteNanos;
        private String stage = GREETING;
        private boolean inData;

        Timed(SmtpConnection connection, long connectedNanos) {
            this.connection = connection;
            this.lastWriteNanos = connectedNanos;
        }

        private Received timed(Received received) {
            if (received instanceof Received.Got got && stage != null) {
                latencies.record(stage, got.receivedNanos() - lastWriteNanos);
                inData = stage.equals("DATA") && got.reply().code() == 354;
                stage = null; // one reply per stage: a stray one is not timed
            }
            return received;
        }

        @Override
        public Received readReply() {
            return timed(connection.readReply());
        }

        @Override
        public Received readReply(Duration timeout, String onSilence) {
            return timed(connection.readReply(timeout, onSilence));
        }

        @Override
        public void whenReply(Duration timeout, String onSilence, Consumer<Received> then) {
            connection.whenReply(timeout, onSilence, received -> then.accept(timed(received)));
        }

        @Override
        public boolean sendRaw(byte[] octets) {
            lastWriteNanos = System.nanoTime();
            stage = inData ? END_OF_DATA : stageOf(octets);
            return connection.sendRaw(octets);
        }

        @Override
        public boolean sendAuth(byte[] octets) {
            lastWriteNanos = System.nanoTime();
            stage = "AUTH";
            return connection.sendAuth(octets);
        }

        @Override
        public Transcript transcript() {
            return connection.transcript();
        }

        @Override
        public boolean isSecure() {
            return connection.isSecure();
        }

        @Override
        public TlsUpgrade startTls() {
            return connection.startTls();
        }

        @Override
        public long octetsReceived() {
            return connection.octetsReceived();
        }

        @Override
        public Optional<Reply> pollReply() {
            return connection.pollReply();
        }

        @Override
        public boolean isOpen() {
            return connection.isOpen();
        }

        @Override
        public void close() {
            connection.close();
        }
    }
}
