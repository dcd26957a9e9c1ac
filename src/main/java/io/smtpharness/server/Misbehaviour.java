package io.smtpharness.server;

import java.util.Objects;

/**
 * A deliberate protocol violation the reference server can be told to commit, for the project's own
 * tests only (modelled on MockWebServer's {@code SocketEffect}); the session consults these at named points.
 */
public sealed interface Misbehaviour {

    /** RCPT before MAIL gets "250 2.1.5 OK" and moves the session to the RCPT state. */
    record AcceptRcptWithoutMail() implements Misbehaviour {
    }

    /** The EHLO reply's lines carry different codes ("250-..." lines, then "251 HELP"). */
    record MixedCodeMultiline() implements Misbehaviour {
    }

    /** QUIT gets {@code rawReplyLine} plus CRLF (e.g. "250 2.0.0 bye") instead of 221; the server still closes. */
    record QuitReplies(String rawReplyLine) implements Misbehaviour {
        public QuitReplies {
            Objects.requireNonNull(rawReplyLine, "rawReplyLine");
        }
    }

    /** A bare-LF dot line ("\n.\n", "\r\n.\n", "\n.\r\n") also ends DATA, like a smuggling-prone server. */
    record BareLfEndsData() implements Misbehaviour {
    }

    /** The verb (case-insensitive) is answered with exactly {@code rawReply}; state changes as normal. */
    record Reply(String verb, String rawReply) implements Misbehaviour {
        public Reply {
            Objects.requireNonNull(verb, "verb");
            Objects.requireNonNull(rawReply, "rawReply");
        }
    }

    /** The connection is dropped silently instead of answering the verb (case-insensitive). */
    record CloseOn(String verb) implements Misbehaviour {
        public CloseOn {
            Objects.requireNonNull(verb, "verb");
        }
    }

    /** The connection opens with exactly {@code rawReply} (e.g. "450 busy\r\n") instead of the 220 greeting. */
    record Greeting(String rawReply) implements Misbehaviour {
        public Greeting {
            Objects.requireNonNull(rawReply, "rawReply");
        }
    }

    /** DATA with no accepted recipient gets 354; the content is then read and answered 250 without delivery. */
    record DataWithoutRecipients() implements Misbehaviour {
    }

    /** A verb not written in upper case ("mail", "Rcpt") gets 500 command unrecognized. */
    record CaseSensitiveVerbs() implements Misbehaviour {
    }

    /** Command lines longer than {@code octets} (CRLF included) get 500 line too long, even under 512. */
    record LineLimit(int octets) implements Misbehaviour {
        public LineLimit {
            if (octets < 3) {
                throw new IllegalArgumentException("octets < 3: " + octets);
            }
        }
    }

    /** An accepted EHLO/HELO keeps the open transaction (sender and recipients) instead of resetting it. */
    record KeepTransactionAfterEhlo() implements Misbehaviour {
    }

    /**
     * Commands pipelined in plaintext behind STARTTLS are kept and executed once TLS is up, their
     * replies sent inside TLS: the CVE-2011-0411 class of STARTTLS command injection (RFC 3207 §4.2, §6).
     */
    record StartTlsInjection() implements Misbehaviour {
    }

    /** EHLO over TLS still lists STARTTLS (RFC 3207 §4.2 forbids it). */
    record StartTlsAfterTls() implements Misbehaviour {
    }

    /** The EHLO/HELO of the plaintext session survives the TLS handshake (RFC 3207 §4.2: it must be forgotten). */
    record KeepSessionAfterTls() implements Misbehaviour {
    }

    /** AUTH after a successful AUTH is accepted again (RFC 4954 §4 requires 503). */
    record AcceptSecondAuth() implements Misbehaviour {
    }
}
