package io.smtpharness.client;

import io.smtpharness.protocol.Command;
import io.smtpharness.protocol.Deviation;
import io.smtpharness.protocol.Reply;
import io.smtpharness.transcript.Escaping;
import io.smtpharness.transcript.Transcript;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * The pre-flight of a run: one connection must get a complete greeting in time before any case
 * starts, so a target that does not speak SMTP at all (silence, garbage, a close at once, a greeting
 * that never ends) is one clear message instead of every case waiting out its own deadline. Any
 * complete reply with a reply code passes, a 554 refusal too: judging it is the cases' work.
 */
public final class GreetingCheck {

    /** How long the polite QUIT after a good greeting may take. */
    private static final Duration QUIT_WAIT = Duration.ofSeconds(2);
    /** Octets of what the server sent that a message quotes. */
    private static final int PREVIEW = 60;

    private GreetingCheck() {
    }

    /**
     * What the target did instead of greeting, or empty when it greeted.
     *
     * @param wait how long the greeting may take, all its lines
     * @throws TargetUnreachableException when the TCP connect (or implicit TLS) fails
     */
    public static Optional<String> problem(SmtpClient client, InetSocketAddress target, Duration wait)
            throws TargetUnreachableException {
        try (SmtpConnection connection = client.connect(target, new Transcript())) {
            Received received = connection.readReply(wait, null);
            Optional<String> problem = judge(received, connection, wait, client.options().maxLineOctets());
            if (problem.isEmpty() && connection.send(new Command("QUIT", ""))) {
                connection.readReply(QUIT_WAIT, null);
            }
            return problem;
        }
    }

    private static Optional<String> judge(Received received, SmtpConnection connection, Duration wait, int lineCap) {
        if (received instanceof Received.Closed closed) {
            return Optional.of("it " + (closed.how().startsWith("connection failed") ? "failed the connection ("
                    + closed.how() + ")" : "closed the connection") + " without a greeting");
        }
        if (received instanceof Received.TimedOut timedOut) {
            long octets = connection.octetsReceived();
            return Optional.of("it sent no complete greeting within " + wait.toMillis() + " ms ("
                    + (timedOut.partialLines() > 0 ? timedOut.partialLines() + " lines of a multi-line reply, not its last"
                    : octets == 0 ? "nothing at all" : octets + " octets without a line end") + ")");
        }
        Reply reply = ((Received.Got) received).reply();
        String first = '"' + preview(reply.lines().get(0).content()) + '"';
        if (reply.deviations().stream().anyMatch(d -> d.kind() == Deviation.Kind.BAD_CODE && d.lineIndex() == 0)) {
            return Optional.of("it sent " + first + " where an SMTP greeting belongs (no reply code)");
        }
        if (reply.has(Deviation.Kind.LINE_OVER_CAP)) {
            return Optional.of("its greeting line is longer than " + lineCap + " octets (RFC 5321 §4.5.3.1.5: 512), "
                    + "starting " + first);
        }
        if (reply.has(Deviation.Kind.TOO_MANY_LINES)) {
            return Optional.of("its greeting never ended: cut off after " + reply.lines().size() + " lines");
        }
        if (reply.lines().get(reply.lines().size() - 1).delimiter().isEmpty()) {
            return Optional.of("it closed the connection in the middle of its greeting, after " + first);
        }
        return Optional.empty();
    }

    /** At most {@link #PREVIEW} octets, escaped as the transcript escapes them. */
    private static String preview(String octets) {
        boolean cut = octets.length() > PREVIEW;
        return Escaping.escapeOctets(cut ? octets.substring(0, PREVIEW) : octets) + (cut ? "..." : "");
    }
}
