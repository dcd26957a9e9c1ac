package io.smtpharness.server;

import java.util.List;
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

    /**
     * The first bare LF inside DATA gets "421 4.5.0 Bare linefeed (LF) not allowed" and a hang-up,
     * as Sendmail 8.17 does. Allowed behaviour (gray zone G-01b: refusing the message or the session
     * is a defence against SMTP smuggling), for tests that it is not judged vulnerable.
     */
    record RefuseBareLf() implements Misbehaviour {
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

    /**
     * Accepted MAIL and RCPT echo the mailbox as sent, UTF-8 included: {@code 250 2.1.0 Sender
     * <jörg@exämple.test> ok}, as many servers do. Allowed behaviour (after {@code MAIL ...
     * SMTPUTF8} it is gray zone G-23 at most), for tests that it is not judged a failure.
     */
    record EchoPaths() implements Misbehaviour {
    }

    /**
     * A PLAIN response that is not {@code authzid NUL authcid NUL passwd}, or holds a field over
     * {@code maxField} octets, gets {@code 500 5.5.2 Error: invalid userdata} (Nodemailer's
     * smtp-server refuses malformed PLAIN so). Allowed: the content is refused, not the length.
     */
    record StrictPlain(int maxField) implements Misbehaviour {
        public StrictPlain {
            if (maxField < 1) {
                throw new IllegalArgumentException("maxField < 1: " + maxField);
            }
        }
    }

    /** DATA with no accepted recipient gets 354; the content is then read and answered 250 without delivery. */
    record DataWithoutRecipients() implements Misbehaviour {
    }

    /**
     * A bare LF ends a command line too, as Exim, aiosmtpd and Postfix's default do (gray zone G-01):
     * {@code N\nOOP\r\n} is two commands with two replies.
     */
    record BareLfEndsCommand() implements Misbehaviour {
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

    /**
     * AUTH responses longer than {@code octets} (CRLF included) get "500 5.5.6 Authentication
     * Exchange line is too long", where RFC 4954 §4 names 12 288 octets as the buffer to have.
     */
    record AuthLineLimit(int octets) implements Misbehaviour {
        public AuthLineLimit {
            if (octets < 3) {
                throw new IllegalArgumentException("octets < 3: " + octets);
            }
        }
    }

    /** An accepted EHLO/HELO keeps the open transaction (sender and recipients) instead of resetting it. */
    record KeepTransactionAfterEhlo() implements Misbehaviour {
    }

    /** Replies to the verb (case-insensitive) are never written, like a server that flushes pipelined input. */
    record DropReply(String verb) implements Misbehaviour {
        public DropReply {
            Objects.requireNonNull(verb, "verb");
        }
    }

    /** Each reply to the verb (case-insensitive) is followed, in the same write, by {@code rawReply}: one reply too many. */
    record ExtraReply(String verb, String rawReply) implements Misbehaviour {
        public ExtraReply {
            Objects.requireNonNull(verb, "verb");
            Objects.requireNonNull(rawReply, "rawReply");
        }
    }

    /** Each reply to the verb (case-insensitive) is written after the reply to the next command: out of order. */
    record DelayReply(String verb) implements Misbehaviour {
        public DelayReply {
            Objects.requireNonNull(verb, "verb");
        }
    }

    /** The SIZE limit is advertised but not enforced: MAIL SIZE= over it and oversized content get 250. */
    record IgnoreSizeLimit() implements Misbehaviour {
    }

    /** BDAT outside a transaction with recipients (e.g. after BDAT LAST) gets 250 instead of 503. */
    record AcceptBdatWithoutTransaction() implements Misbehaviour {
    }

    /** DATA after a BDAT chunk in the same transaction gets 354 instead of 503. */
    record AcceptDataAfterBdat() implements Misbehaviour {
    }

    /**
     * Commands pipelined in plaintext behind STARTTLS are kept and executed once TLS is up, their
     * replies sent inside TLS: the CVE-2011-0411 class of STARTTLS command injection (RFC 3207 §4.2, §6).
     */
    record StartTlsInjection() implements Misbehaviour {
    }

    /** STARTTLS with an argument gets 220 and the handshake, instead of 501 (RFC 3207 §4). */
    record StartTlsWithArgument() implements Misbehaviour {
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

    /**
     * The session dies without a word, like a crashed per-connection process: once the verbs
     * (case-insensitive) have arrived in this order, other commands allowed in between, the
     * connection is dropped instead of answering the last one. The listener keeps accepting. A verb
     * written {@code "RCPT!"} counts only when it was refused (4yz or 5yz); the last one cannot be.
     */
    record CrashAfter(List<String> verbs) implements Misbehaviour {
        public CrashAfter {
            verbs = checkedSequence(verbs);
        }
    }

    private static List<String> checkedSequence(List<String> verbs) {
        List<String> copy = List.copyOf(verbs);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("verbs is empty");
        }
        if (copy.get(copy.size() - 1).endsWith("!")) {
            throw new IllegalArgumentException("the last verb is never answered, so it cannot be refused: " + copy);
        }
        return copy;
    }

    /**
     * Like {@link CrashAfter}, but the whole server dies: the listener closes too, so no new
     * connection gets a greeting.
     */
    record DieAfter(List<String> verbs) implements Misbehaviour {
        public DieAfter {
            verbs = checkedSequence(verbs);
        }
    }

    /**
     * A {@code verb} command line longer than {@code octets} takes the whole server down, as an
     * overflowing buffer would: no reply, and the listener closes.
     */
    record DieOnLongLine(String verb, int octets) implements Misbehaviour {
        public DieOnLongLine {
            Objects.requireNonNull(verb, "verb");
        }
    }

    /**
     * A command line holding a NUL octet is never answered, and neither is anything after it; the
     * connection stays open (a hung session, until the idle timeout).
     */
    record HangOnNul() implements Misbehaviour {
    }

    /**
     * The verb (case-insensitive) gets exactly {@code rawReply} in one session state only
     * ({@code CONNECTED}, {@code GREETED}, {@code MAIL} or {@code RCPT}, as RFC 5321 §4.1.4 names
     * them); state changes as normal.
     */
    record ReplyInState(String verb, String state, String rawReply) implements Misbehaviour {
        public ReplyInState {
            Objects.requireNonNull(verb, "verb");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(rawReply, "rawReply");
            if (!List.of("CONNECTED", "GREETED", "MAIL", "RCPT").contains(state)) {
                throw new IllegalArgumentException("state must be CONNECTED, GREETED, MAIL or RCPT: " + state);
            }
        }
    }

    /**
     * After {@code errors} 5yz replies the session ends on purpose at the next command, as attack
     * defence (RFC 5321 §7.8, gray zone G-20): with a 421 line first when {@code with421}, else silently.
     * Allowed behaviour, for tests that the fuzzer does not flag it.
     */
    record HangUpAfterErrors(int errors, boolean with421) implements Misbehaviour {
        public HangUpAfterErrors {
            if (errors < 1) {
                throw new IllegalArgumentException("errors < 1: " + errors);
            }
        }
    }

    /**
     * After {@code commands} commands that move no mail (anything but MAIL, RCPT, DATA, BDAT and
     * QUIT), the next one gets "554 Too many nonmail commands" and the connection closes, as Exim's
     * smtp_accept_max_nonmail does: attack defence (RFC 5321 §7.8, gray zone G-20). Allowed
     * behaviour, for tests that the fuzzer does not flag it. With {@code closeAtNextCommand} the close
     * comes 100 ms later or with the client's next line, which gets no reply but a TCP reset (a line
     * crossing Exim's close).
     */
    record NonMailLimit(int commands, boolean closeAtNextCommand) implements Misbehaviour {
        public NonMailLimit {
            if (commands < 1) {
                throw new IllegalArgumentException("commands < 1: " + commands);
            }
        }

        /** Closes right after the 554. */
        public NonMailLimit(int commands) {
            this(commands, false);
        }
    }

    /**
     * After its 221 inside TLS the server sends TLS close_notify and keeps TCP open until the
     * client's close_notify arrives (Python's asyncio ssl transport does this, so aiosmtpd with
     * STARTTLS). Allowed behaviour (RFC 8446 §6.1), for tests that the client treats it as the close.
     */
    record CloseNotifyThenWait() implements Misbehaviour {
    }
}
