package io.smtpharness.rules;

import io.smtpharness.protocol.Reply;
import io.smtpharness.result.Finding;
import io.smtpharness.result.Severity;
import java.util.List;
import java.util.Set;

/**
 * The judge of {@link SessionEvent}s: the rules a dialogue can only see between replies (RFC 2920
 * §3.2 on pipelined input, RFC 3207 §4 and §4.2 on STARTTLS, RFC 5321 §4.2 on one reply per
 * command, §4.5.3.2 on idle closes, §4.1.1.4 on SMTP smuggling). A rule the event names is costed
 * by the case's {@link Judge}; the others carry the level below, one per rule.
 */
final class SessionEvents {

    private static final String KEEP_INPUT = "2920-3.2-KEEP-INPUT";
    private static final String FLUSH_WHEN_IDLE = "2920-3.2-FLUSH-WHEN-IDLE";
    private static final String STARTTLS_REPLIES = "3207-4-REPLIES";
    private static final String HANDSHAKE_AFTER_220 = "3207-4-HANDSHAKE-AFTER-220";
    private static final String NO_INJECTION = "3207-4.2-NO-INJECTION";
    private static final String ONE_REPLY = "5321-4.2-ONE-REPLY";
    private static final String CONSUME_ON_ERROR = "3030-2-CONSUME-ON-ERROR";
    private static final String QUIT_CLOSE = "5321-4.1.1.10-QUIT-221";
    private static final String SERVER_5MIN = "5321-4.5.3.2-SERVER-5MIN";
    private static final String TIMEOUT_CLOSE = "5321-4.5.3.2-TIMEOUT-CLOSE";
    private static final String SMUGGLING_DEFENCE = "G-01b";
    private static final String CLOSE_AFTER_ERRORS = "G-20";
    /** The least idleness after which a server may close (RFC 5321 §4.5.3.2.7, a SHOULD). */
    private static final long SERVER_IDLE_MINIMUM_MS = 5 * 60_000;

    private SessionEvents() {
    }

    /** The rule IDs this judge cites by itself (the events that name their rule cite the case's). */
    static Set<String> covers() {
        return Set.of(KEEP_INPUT, FLUSH_WHEN_IDLE, STARTTLS_REPLIES, HANDSHAKE_AFTER_220, NO_INJECTION, ONE_REPLY,
                CONSUME_ON_ERROR, QUIT_CLOSE, SERVER_5MIN, TIMEOUT_CLOSE, SMUGGLING_DEFENCE, CLOSE_AFTER_ERRORS);
    }

    static List<Finding> judge(SessionEvent event, Judge judge) {
        if (event instanceof SessionEvent.Mismatch m) {
            return List.of(new Finding(m.rule(), judge.costOf(m.rule()), m.message()));
        } else if (event instanceof SessionEvent.NotClosed n) {
            Finding notClosed = new Finding(n.rule(), n.scripted() ? judge.costOf(n.rule()) : Judge.ruleSeverity(n.rule()),
                    "the server did not close the connection within " + n.withinMs() + " ms (" + n.origin() + ")");
            // after the harness's own closing QUIT, a case that does not test the rule only passed by it
            return List.of(n.scripted() || judge.scope().tests(n.rule()) ? notClosed : notClosed.asIncidental());
        } else if (event instanceof SessionEvent.KeptOpenAfterQuit k) {
            return List.of(new Finding(QUIT_CLOSE, Judge.ruleSeverity(QUIT_CLOSE), "the server did not close the"
                    + " connection after 221 to QUIT (seen in full in case " + k.seenInCase() + ")",
                    Finding.Reach.INCIDENTAL));
        } else if (event instanceof SessionEvent.PipelinedUnanswered p) {
            // RFC 2920 §3.2: the server must not discard input, and flushes its replies once input is empty
            return List.of(new Finding(p.flushCheck() ? FLUSH_WHEN_IDLE : KEEP_INPUT, Severity.FAILED, "no reply to "
                    + p.command() + ", sent pipelined with other commands, within " + p.waitedMs() + " ms ("
                    + p.origin() + "): the server discarded or never answered pipelined input"));
        } else if (event instanceof SessionEvent.StartTlsRefused s) {
            return List.of(new Finding(STARTTLS_REPLIES, Severity.WARNING, "STARTTLS was advertised but got \""
                    + s.reply().summary() + "\" at " + s.origin() + "; the TLS part of the case did not run"));
        } else if (event instanceof SessionEvent.HandshakeFailed h) {
            return List.of(Judge.breach(HANDSHAKE_AFTER_220, "after 220 to STARTTLS, no TLS"
                    + " handshake: " + h.why() + " (" + h.origin() + ")"));
        } else if (event instanceof SessionEvent.ReplyInsideTls r) {
            return List.of(Judge.breach(NO_INJECTION, "a reply arrived inside TLS before any"
                    + " command was sent over TLS: \"" + r.reply().summary() + "\"" + (r.injected()
                    ? "; the server ran plaintext pipelined behind STARTTLS inside TLS (CVE-2011-0411 class, "
                    : " (") + r.origin() + ")"));
        } else if (event instanceof SessionEvent.StrayReply s) {
            return List.of(stray(s));
        } else if (event instanceof SessionEvent.IdleClose i) {
            return idleClose(i);
        } else if (event instanceof SessionEvent.ReplyInsideData d) {
            return List.of(replyInsideData(d, judge));
        } else if (event instanceof SessionEvent.ProbeClosing p) {
            return List.of(probeClosing(p, judge));
        }
        throw new IllegalArgumentException("unknown session event " + event);
    }

    private static Finding stray(SessionEvent.StrayReply s) {
        Reply reply = s.reply();
        if (s.lastAnswered().kind() == CommandKind.BDAT && s.lastAnsweredCode() >= 400) {
            // RFC 3030 §2: a refused BDAT's chunk is still read and discarded; a further reply shows
            // that its octets ran as commands
            return Judge.breach(CONSUME_ON_ERROR, "the server refused " + s.lastAnswered().text()
                    + " and then answered again (\"" + reply.summary() + "\"): it read the chunk's octets as commands"
                    + " instead of discarding them");
        }
        return Judge.breach(ONE_REPLY, "one reply too many to " + s.lastAnswered().text()
                + ": \"" + reply.summary() + "\" came after its reply, before the next command was sent");
    }

    /** A server may close after its own timeout (§3.8), but not before 5 minutes of idleness (§4.5.3.2.7, a SHOULD). */
    private static List<Finding> idleClose(SessionEvent.IdleClose i) {
        if (i.state() == SessionState.CLOSED) {
            return List.of();
        }
        if (i.idleMs() < SERVER_IDLE_MINIMUM_MS) {
            return List.of(Judge.breach(SERVER_5MIN, "the server closed the connection after "
                    + i.idleMs() / 1000 + " s idle in state " + i.state() + "; it should wait at least 5 minutes (G-21)"));
        }
        return List.of(Judge.breach(TIMEOUT_CLOSE, "the server closed the connection after "
                + i.idleMs() / 1000 + " s idle"));
    }

    /**
     * SMTP smuggling (RFC 5321 §4.1.1.4) is the look-alike ending the data: a positive reply (the
     * message was taken there), a 500-504 (an answer to a command), or replies to the lines that
     * followed a refusal (they ran as commands). A refusal with nothing answered after it is a
     * defence (gray zone G-01b).
     */
    private static Finding replyInsideData(SessionEvent.ReplyInsideData d, Judge judge) {
        Reply reply = d.reply();
        if (!SessionEvent.ReplyInsideData.refuses(reply)) {
            return new Finding(d.rule(), judge.costOf(d.rule()), "SMTP smuggling: the server ended the message"
                    + " data before CRLF.CRLF and answered \"" + reply.summary() + "\" (" + d.origin() + "); "
                    + (reply.codeClass() == 5 ? "that is an answer to a command: it read what followed as commands"
                    : "what followed would run as commands"));
        }
        List<Reply> after = d.after();
        if (!after.isEmpty()) {
            return new Finding(d.rule(), judge.costOf(d.rule()), "SMTP smuggling: the server refused the message"
                    + " before CRLF.CRLF (\"" + reply.summary() + "\") and then answered the lines that followed as"
                    + " commands (\"" + after.get(0).summary() + "\"" + (after.size() > 1 ? " and " + (after.size() - 1)
                    + " more" : "") + ", " + d.origin() + ")");
        }
        return new Finding(SMUGGLING_DEFENCE, Severity.NOTE, "the server refused the message at the end-of-data"
                + " look-alike (\"" + reply.summary() + "\")" + (d.closed() ? " and closed the connection" : "")
                + " and ran nothing that followed: a defence against SMTP smuggling (" + d.origin() + ")");
    }

    /**
     * A 421 to a probe breaks the case's premise that the session goes on: a warning at most, since
     * §3.8 allows a close after 421; after several errors, gray zone G-20 (an allowed defence).
     */
    private static Finding probeClosing(SessionEvent.ProbeClosing p, Judge judge) {
        if (p.errors() >= ConnectionClose.ERRORS_BEFORE_DEFENCE) {
            return new Finding(CLOSE_AFTER_ERRORS, Severity.NOTE, p.got() + ": the server is closing after "
                    + p.errors() + " error replies, an allowed defence (5321-7.8-ATTACK-CLOSE)");
        }
        Severity cost = judge.costOf(p.rule());
        return new Finding(p.rule(), cost == Severity.FAILED ? Severity.WARNING : cost, p.got() + ": the server is"
                + " closing the session instead of going on after what the case did (a close after 421 is allowed, §3.8)");
    }
}
