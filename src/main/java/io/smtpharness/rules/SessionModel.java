package io.smtpharness.rules;

import io.smtpharness.protocol.Reply;
import io.smtpharness.protocol.ReplyLine;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The immutable client-side model of an SMTP session (RFC 5321 §4.1.4, RFC-RULES.md §1.16): the
 * state the server should be in, moved only by the replies the server actually gave, so a
 * rejected command never changes it. Connection part: whether HELO/EHLO was accepted, the EHLO
 * keywords, a 554 greeting; transaction part: the state. Pure: no I/O.
 *
 * @param state     the current state
 * @param greeted   whether a HELO/EHLO was ever accepted (RSET returns to GREETED, not CONNECTED)
 * @param keywords  the upper-case keywords of the last accepted EHLO; empty before any EHLO
 * @param refused   whether the greeting was 554 (no service: only QUIT is meaningful, §3.1)
 * @param errors    how many 5yz replies the session has had (servers may hang up on many, §7.8)
 * @param viaHelo   whether the last accepted greeting was HELO, not EHLO (RFC 2034 §4, gray zone G-11)
 */
public record SessionModel(SessionState state, boolean greeted, Optional<Set<String>> keywords, boolean refused,
                           int errors, boolean viaHelo) {

    public SessionModel {
        Objects.requireNonNull(state, "state == null");
        keywords = Objects.requireNonNull(keywords, "keywords == null").map(Set::copyOf);
    }

    /** A model whose last greeting, if any, was EHLO. */
    public SessionModel(SessionState state, boolean greeted, Optional<Set<String>> keywords, boolean refused,
                        int errors) {
        this(state, greeted, keywords, refused, errors, false);
    }

    /** A model with no errors so far. */
    public SessionModel(SessionState state, boolean greeted, Optional<Set<String>> keywords, boolean refused) {
        this(state, greeted, keywords, refused, 0);
    }

    /** A model with no EHLO keywords and a 220 greeting, for tests and the start of a session. */
    public SessionModel(SessionState state, boolean greeted) {
        this(state, greeted, Optional.empty(), false);
    }

    /** The model right after connecting, before the greeting is judged. */
    public static SessionModel connected() {
        return new SessionModel(SessionState.CONNECTED, false);
    }

    /** The model after the server answered {@code sent} with {@code reply}. */
    public SessionModel after(Sent sent, Reply reply) {
        SessionModel counted = reply.codeClass() == 5 ? withErrors(errors + 1) : this;
        if (sent.kind() == CommandKind.MALFORMED && reply.isPositive()) {
            // a line with a bare CR or LF (gray zone G-01) that the server accepted: it evidently read
            // the verb the line starts with, so the state follows that command
            return counted.afterReply(new Sent(CommandKind.ofVerb(sent.verb()), sent.text(), sent.argument()), reply);
        }
        return counted.afterReply(sent, reply);
    }

    private SessionModel afterReply(Sent sent, Reply reply) {
        int code = reply.code();
        if (code == 421) {
            return with(SessionState.CLOSED);
        }
        boolean ok = reply.isPositive();
        switch (sent.kind()) {
            case GREETING:
                // 220 or 554: either way the session stays open until QUIT (§3.1)
                return new SessionModel(state, greeted, keywords, code == 554, errors, viaHelo);
            case EHLO:
                return ok ? new SessionModel(SessionState.GREETED, true, Optional.of(keywordsOf(reply)), refused, errors, false) : this;
            case HELO:
                return ok ? new SessionModel(SessionState.GREETED, true, keywords, refused, errors, true) : this;
            case MAIL:
                return ok && state != SessionState.DATA && state != SessionState.CLOSED ? with(SessionState.MAIL) : this;
            case RCPT:
                return ok && (state == SessionState.MAIL || state == SessionState.RCPT) ? with(SessionState.RCPT) : this;
            case DATA:
                return code == 354 ? with(SessionState.DATA) : this;
            case END_OF_DATA:
                return with(greeted ? SessionState.GREETED : SessionState.CONNECTED);
            case BDAT:
                // RFC 3030 §2: an accepted BDAT LAST ends the transaction like the end of data does
                return ok && sent.isLastChunk() && (state == SessionState.MAIL || state == SessionState.RCPT)
                        ? with(greeted ? SessionState.GREETED : SessionState.CONNECTED) : this;
            case RSET:
                return ok ? with(greeted ? SessionState.GREETED : SessionState.CONNECTED) : this;
            case QUIT:
                return code == 221 ? with(SessionState.CLOSED) : this;
            default:
                return this;
        }
    }

    /** True when the last accepted EHLO advertised {@code keyword} (case-insensitive, §4.1.1.1). */
    public boolean advertised(String keyword) {
        return keywords.map(k -> k.contains(keyword.toUpperCase(Locale.ROOT))).orElse(false);
    }

    /** The model once the connection is gone. */
    public SessionModel closed() {
        return with(SessionState.CLOSED);
    }

    /** True while message content, not commands, is what the client sends. */
    public boolean inData() {
        return state == SessionState.DATA;
    }

    private SessionModel with(SessionState next) {
        return new SessionModel(next, greeted, keywords, refused, errors, viaHelo);
    }

    private SessionModel withErrors(int count) {
        return new SessionModel(state, greeted, keywords, refused, count, viaHelo);
    }

    /** The first word of every line after the first: the ehlo-keywords (§4.1.1.1). */
    private static Set<String> keywordsOf(Reply reply) {
        Set<String> keywords = new LinkedHashSet<>();
        for (ReplyLine line : reply.lines().subList(1, reply.lines().size())) {
            String keyword = line.text().split(" ", 2)[0].toUpperCase(Locale.ROOT);
            if (!keyword.isEmpty()) {
                keywords.add(keyword);
            }
        }
        return keywords;
    }
}
