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
}
