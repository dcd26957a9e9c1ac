package io.smtpharness.dialogue;

import io.smtpharness.protocol.Command;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One step of a dialogue. Sends never read; every reply is read by an expect step (the suite
 * format pairs each {@code send} with one), and the runner applies the oracles to every reply it
 * reads. Text in sends may hold {@code ${name}} variables, expanded at run time by {@link Variables}.
 */
public sealed interface Step {

    /** Where the step came from ({@code file:line}), or empty for generated steps. */
    String origin();

    /** Sends one validated command line (no CR/LF inside), CRLF appended. */
    record Send(String line, String origin) implements Step {
        public Send {
            Objects.requireNonNull(line, "line == null");
            Objects.requireNonNull(origin, "origin == null");
        }

        /** The command, after variables are expanded. */
        public Command command(Variables variables) {
            return Command.parse(variables.expand(line));
        }
    }

    /**
     * Sends octets exactly as given: for bare CR/LF, NUL, split or pipelined commands. Each char of
     * {@code text} up to U+00FF is one octet; larger chars are sent as their UTF-8 octets.
     */
    record SendRaw(String text, String origin) implements Step {
        public SendRaw {
            Objects.requireNonNull(text, "text == null");
            Objects.requireNonNull(origin, "origin == null");
        }

        /** The octets to send, after variables are expanded. */
        public byte[] bytes(Variables variables) {
            return Octets.fromText(variables.expand(text));
        }
    }

    /**
     * Sends message content after a 354: line ends become CRLF, lines starting with a dot get one
     * more (RFC 5321 §4.5.2), and the end-of-data line {@code .} follows.
     */
    record SendData(String content, String origin) implements Step {
        public SendData {
            Objects.requireNonNull(content, "content == null");
            Objects.requireNonNull(origin, "origin == null");
        }
    }

    /**
     * Reads one reply and checks its code. A mismatch cites {@code ruleId} (default: the case's first
     * rule) at the severity its level gives.
     */
    record Expect(ReplyMatcher matcher, Optional<String> ruleId, String origin) implements Step {
        public Expect {
            Objects.requireNonNull(matcher, "matcher == null");
            Objects.requireNonNull(ruleId, "ruleId == null");
            Objects.requireNonNull(origin, "origin == null");
        }
    }

    /** Waits {@code within}; any reply in that time breaks {@code ruleId} (an early end of data, say). */
    record ExpectNoReply(Duration within, Optional<String> ruleId, String origin) implements Step {
        public ExpectNoReply {
            Objects.requireNonNull(within, "within == null");
            Objects.requireNonNull(ruleId, "ruleId == null");
            Objects.requireNonNull(origin, "origin == null");
        }
    }

    /** The server must close the connection within {@code within} (after QUIT, say). */
    record ExpectClose(Duration within, Optional<String> ruleId, String origin) implements Step {
        public ExpectClose {
            Objects.requireNonNull(within, "within == null");
            Objects.requireNonNull(ruleId, "ruleId == null");
            Objects.requireNonNull(origin, "origin == null");
        }
    }

    /**
     * A fresh connection to the target must get a 2yz greeting within {@code within}: the server
     * survived what the steps before did to it (a crash or a hang that took the whole server down
     * breaks {@code ruleId}). Performed even when the case's own session is over.
     */
    record ExpectGreeting(Duration within, Optional<String> ruleId, String origin) implements Step {
        public ExpectGreeting {
            Objects.requireNonNull(within, "within == null");
            Objects.requireNonNull(ruleId, "ruleId == null");
            Objects.requireNonNull(origin, "origin == null");
        }
    }

    /**
     * Opens {@code connections} further connections at once, while this one stays open; each must
     * get its greeting within the reply timeout (several sessions are served at once, RFC 5321
     * §4.5.4.2). They end with QUIT; only their greetings are judged.
     */
    record Concurrent(int connections, Optional<String> ruleId, String origin) implements Step {
        public Concurrent {
            if (connections < 1) {
                throw new IllegalArgumentException("connections < 1: " + connections);
            }
            Objects.requireNonNull(ruleId, "ruleId == null");
            Objects.requireNonNull(origin, "origin == null");
        }
    }

    /**
     * STARTTLS (RFC 3207 §4): sends {@code STARTTLS}, plus {@code inject} in the same write when
     * present (a command pipelined behind it, the CVE-2011-0411 probe), reads the reply, and on 220
     * does the TLS handshake; the session then starts afresh inside TLS. With {@code inject}, no reply
     * may arrive inside TLS before the next command (3207-4.2-NO-INJECTION).
     */
    record StartTls(Optional<String> inject, String origin) implements Step {
        public StartTls {
            Objects.requireNonNull(inject, "inject == null");
            Objects.requireNonNull(origin, "origin == null");
        }
    }

    /**
     * AUTH (RFC 4954 §4) with the run's credentials: {@code mechanism} (PLAIN, LOGIN or CRAM-MD5,
     * sent in the case written) and, with {@code wrongPassword}, a password that is surely wrong.
     * The final reply must match {@code matcher}; a mismatch cites {@code ruleId}. Credentials are
     * never written to a transcript or report.
     */
    record Auth(String mechanism, boolean wrongPassword, ReplyMatcher matcher, Optional<String> ruleId,
                String origin) implements Step {
        public Auth {
            Objects.requireNonNull(mechanism, "mechanism == null");
            Objects.requireNonNull(matcher, "matcher == null");
            Objects.requireNonNull(ruleId, "ruleId == null");
            Objects.requireNonNull(origin, "origin == null");
        }
    }

    /** Sends nothing for a while. */
    record Pause(Duration duration, String origin) implements Step {
        public Pause {
            Objects.requireNonNull(duration, "duration == null");
            Objects.requireNonNull(origin, "origin == null");
        }
    }

    /** The client drops the connection without QUIT. */
    record Close(String origin) implements Step {
        public Close {
            Objects.requireNonNull(origin, "origin == null");
        }
    }

    /** Octet helpers for raw text. */
    final class Octets {
        private Octets() {
        }

        /** Chars up to U+00FF become one octet each; larger chars their UTF-8 octets. */
        public static byte[] fromText(String text) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(text.length());
            text.codePoints().forEach(cp -> {
                if (cp <= 0xff) {
                    out.write(cp);
                } else {
                    byte[] utf8 = new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    out.write(utf8, 0, utf8.length);
                }
            });
            return out.toByteArray();
        }

    }
}
