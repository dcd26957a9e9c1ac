package io.smtpharness.testing;

import io.smtpharness.client.ClientOptions;
import io.smtpharness.client.Connector;
import io.smtpharness.client.Received;
import io.smtpharness.client.SmtpConnection;
import io.smtpharness.client.TargetUnreachableException;
import io.smtpharness.client.TlsSettings;
import io.smtpharness.client.TlsUpgrade;
import io.smtpharness.protocol.Reply;
import io.smtpharness.protocol.ReplyLine;
import io.smtpharness.protocol.ReplyParser;
import io.smtpharness.transcript.Transcript;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A {@link Connector} whose connections talk to a server in memory, as Netty tests codecs with an
 * {@code EmbeddedChannel}: each line the client sends is answered at once as {@code answer} says
 * ({@link LineServer.Say}, {@link LineServer.HangUp}; no actions is silence). Nothing waits: a read
 * with nothing to read times out at once, and the wait it asked for is recorded ({@link #waits()}),
 * so a step's timing decisions are tested without a socket or a clock. A {@link LineServer.Pause}
 * outlasts one read: what follows it arrives during the read that timed out, for the next one.
 */
public final class InMemoryServer implements Connector {

    private final String greeting;
    private final Function<String, List<LineServer.Action>> answer;
    private final ClientOptions options;
    private final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private Optional<String> handshakeFailure = Optional.empty();
    private int greetedConnections = Integer.MAX_VALUE;
    private int connections;

    public InMemoryServer(String greeting, Function<String, List<LineServer.Action>> answer) {
        this(greeting, answer, ClientOptions.defaults());
    }

    public InMemoryServer(String greeting, Function<String, List<LineServer.Action>> answer, ClientOptions options) {
        this.greeting = greeting;
        this.answer = answer;
        this.options = options;
    }

    /** Every TLS handshake after STARTTLS fails, for {@code why}. */
    public InMemoryServer failingHandshakes(String why) {
        handshakeFailure = Optional.of(why);
        return this;
    }

    /** Connections after the first {@code n} get no greeting (the server hangs, or died and left its port open). */
    public InMemoryServer greetingOnly(int n) {
        greetedConnections = n;
        return this;
    }

    /** The waits of every read that found nothing to read, in order. */
    public List<Duration> waits() {
        return List.copyOf(waits);
    }

    /** Every line the clients sent, without its line end, in order. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** How many connections were opened. */
    public synchronized int connections() {
        return connections;
    }

    @Override
    public synchronized SmtpConnection connect(InetSocketAddress target, Transcript transcript)
            throws TargetUnreachableException {
        connections++;
        transcript.note("connecting to " + target + " (in memory)");
        return new Connection(transcript, connections <= greetedConnections);
    }

    @Override
    public ClientOptions options() {
        return options;
    }

    @Override
    public TlsSettings tlsSettings() {
        return TlsSettings.defaults();
    }

    private final class Connection implements SmtpConnection {

        private final Transcript transcript;
        private final Deque<Received> inbox = new ArrayDeque<>();
        /** What the server says after a pause: it arrives while the next read times out. */
        private final Deque<List<LineServer.Action>> afterPause = new ArrayDeque<>();
        /** Lines of a reply said but not yet ended. */
        private int partialLines;
        private final StringBuilder partialLine = new StringBuilder();
        private ReplyParser parser = new ReplyParser(Integer.MAX_VALUE);
        private long octetsReceived;
        private boolean serverClosed;
        private boolean clientClosed;
        private boolean secure;

        Connection(Transcript transcript, boolean greet) {
            this.transcript = transcript;
            if (greet) {
                act(List.of(new LineServer.Say(greeting)));
            }
        }

        private void act(List<LineServer.Action> actions) {
            for (int i = 0; i < actions.size(); i++) {
                LineServer.Action action = actions.get(i);
                if (serverClosed) {
                    return;
                }
                if (action instanceof LineServer.Say say) {
                    String wire = say.line() + "\r\n";
                    octetsReceived += wire.length();
                    transcript.server(wire);
                    partialLines++;
                    parser.accept(new ReplyLine(say.line(), "\r\n", 0)).ifPresent(reply -> {
                        inbox.add(new Received.Got(reply));
                        parser = new ReplyParser(Integer.MAX_VALUE);
                        partialLines = 0;
                    });
                } else if (action instanceof LineServer.HangUp) {
                    serverClosed = true;
                    inbox.add(new Received.Closed("closed by the server"));
                } else {
                    afterPause.add(actions.subList(i + 1, actions.size()));
                    return;
                }
            }
        }

        @Override
        public Transcript transcript() {
            return transcript;
        }

        @Override
        public boolean isSecure() {
            return secure;
        }

        @Override
        public TlsUpgrade startTls() {
            List<Reply> plaintext = new ArrayList<>();
            while (inbox.peek() instanceof Received.Got got) {
                inbox.poll();
                plaintext.add(got.reply());
            }
            if (handshakeFailure.isPresent()) {
                transcript.note("TLS handshake failed: " + handshakeFailure.get());
                close();
                return new TlsUpgrade(handshakeFailure, false, plaintext, 0);
            }
            secure = true;
            transcript.note("TLS handshake completed (in memory)");
            return new TlsUpgrade(Optional.empty(), false, plaintext, 0);
        }

        @Override
        public long octetsReceived() {
            return octetsReceived;
        }

        @Override
        public Received readReply() {
            return readReply(options.replyTimeout());
        }

        @Override
        public Received readReply(Duration timeout, String onSilence) {
            Received head = inbox.peek();
            if (head instanceof Received.Closed) {
                return head; // the close stays: every later read sees it too
            }
            if (head != null) {
                return inbox.poll();
            }
            if (clientClosed) {
                return new Received.Closed("closed by the harness");
            }
            if (!timeout.isZero()) { // a zero wait only asks whether a reply is there
                waits.add(timeout);
            }
            if (!timeout.isZero() && onSilence != null) {
                transcript.note(onSilence);
            }
            Received timedOut = new Received.TimedOut(timeout.toMillis(), partialLines);
            if (!timeout.isZero() && !afterPause.isEmpty()) {
                act(afterPause.poll());
            }
            return timedOut;
        }

        @Override
        public Optional<Reply> pollReply() {
            return inbox.peek() instanceof Received.Got got ? Optional.of(((Received.Got) inbox.poll()).reply())
                    : Optional.empty();
        }

        @Override
        public boolean sendAuth(byte[] octets) {
            transcript.clientAuth(octets);
            return deliver(octets);
        }

        @Override
        public boolean sendRaw(byte[] octets) {
            transcript.client(octets);
            return deliver(octets);
        }

        private boolean deliver(byte[] octets) {
            if (!isOpen()) {
                return false;
            }
            partialLine.append(new String(octets, StandardCharsets.ISO_8859_1));
            for (int lf; (lf = partialLine.indexOf("\n")) >= 0; ) {
                String line = partialLine.substring(0, lf).replaceFirst("\r$", "");
                partialLine.delete(0, lf + 1);
                lines.add(line);
                act(answer.apply(line));
            }
            return true;
        }

        @Override
        public boolean isOpen() {
            return !serverClosed && !clientClosed;
        }

        @Override
        public void close() {
            clientClosed = true;
        }
    }
}
