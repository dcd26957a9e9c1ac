package io.smtpharness.rules;

import io.smtpharness.protocol.Reply;
import io.smtpharness.protocol.Capabilities;
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
 * @param security  TLS and AUTH (RFC 3207, RFC 4954): whether the session runs inside TLS, whether
 *                  AUTH succeeded, whether an AUTH exchange waits for the client's response
 * @param utf8Mail  whether the open transaction's MAIL carried the SMTPUTF8 parameter (RFC 6531
 *                  §3.4), which lets the server use UTF-8 in some replies (§3.7.4.1); transaction part
 */
public record SessionModel(SessionState state, boolean greeted, Optional<Set<String>> keywords, boolean refused,
                           int errors, boolean viaHelo, Security security, boolean utf8Mail) {

    /** The TLS and AUTH part of the session. */
    public record Security(boolean tls, boolean authenticated, boolean authExchange, boolean ehloRequired) {
        /** Plaintext, not authenticated. */
        public static final Security NONE = new Security(false, false, false, false);
    }

    public SessionModel {
        Objects.requireNonNull(state, "state == null");
        keywords = Objects.requireNonNull(keywords, "keywords == null").map(Set::copyOf);
        Objects.requireNonNull(security, "security == null");
        // the flag belongs to a transaction: there is none outside MAIL, RCPT and DATA
        utf8Mail = utf8Mail && (state == SessionState.MAIL || state == SessionState.RCPT || state == SessionState.DATA);
    }

    /** A model with no transaction opened with SMTPUTF8. */
    public SessionModel(SessionState state, boolean greeted, Optional<Set<String>> keywords, boolean refused,
                        int errors, boolean viaHelo, Security security) {
        this(state, greeted, keywords, refused, errors, viaHelo, security, false);
    }

    /** A model whose last greeting, if any, was EHLO. */
    public SessionModel(SessionState state, boolean greeted, Optional<Set<String>> keywords, boolean refused,
                        int errors, Security security) {
        this(state, greeted, keywords, refused, errors, false, security);
    }

    /** A plaintext model. */
    public SessionModel(SessionState state, boolean greeted, Optional<Set<String>> keywords, boolean refused,
                        int errors, boolean viaHelo) {
        this(state, greeted, keywords, refused, errors, viaHelo, Security.NONE);
    }

    /** A plaintext model whose last greeting, if any, was EHLO, with {@code errors} errors so far. */
    public SessionModel(SessionState state, boolean greeted, Optional<Set<String>> keywords, boolean refused,
                        int errors) {
        this(state, greeted, keywords, refused, errors, false, Security.NONE);
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
            Sent read = new Sent(CommandKind.ofVerb(sent.verb()), sent.text(), sent.argument(), sent.octets());
            return counted.afterReply(read, reply).afterAuthReply(read, reply);
        }
        return counted.afterReply(sent, reply).afterAuthReply(sent, reply);
    }

    /**
     * The model once the TLS handshake after a 220 to STARTTLS completed: back to the initial state,
     * no EHLO, no keywords, no AUTH, but inside TLS (RFC 3207 §4.2).
     */
    public SessionModel afterTlsHandshake() {
        return new SessionModel(SessionState.CONNECTED, false, Optional.empty(), refused, errors, false,
                new Security(true, false, false, security.ehloRequired()), false);
    }

    /** The model of a connection that was inside TLS from its first octet (RFC 8314 implicit TLS). */
    public SessionModel withImplicitTls() {
        return new SessionModel(state, greeted, keywords, refused, errors, viaHelo,
                new Security(true, false, false, security.ehloRequired()), utf8Mail);
    }

    /** True inside TLS. */
    public boolean tls() {
        return security.tls();
    }

    /** True once AUTH succeeded (235) in this session (RFC 4954 §4). */
    public boolean authenticated() {
        return security.authenticated();
    }

    /** True after a 334: the next line the client sends is an AUTH response, not a command. */
    public boolean inAuthExchange() {
        return security.authExchange();
    }

    // AUTH: 334 keeps the exchange open, 235 authenticates, anything else ends the exchange (§4)
    private SessionModel afterAuthReply(Sent sent, Reply reply) {
        if (sent.kind() == CommandKind.MAIL && state == SessionState.CONNECTED && reply.code() == 503
                && !security.ehloRequired()) {
            // the server insists on EHLO first: after TLS it must insist again (RFC 3207 §4.2)
            return new SessionModel(state, greeted, keywords, refused, errors, viaHelo,
                    new Security(security.tls(), security.authenticated(), security.authExchange(), true), utf8Mail);
        }
        boolean auth = sent.isAuthResponse() || sent.kind() == CommandKind.EXTENSION && sent.verb().equals("AUTH");
        if (!auth || state == SessionState.CLOSED) {
            return this;
        }
        Security next = new Security(security.tls(), security.authenticated() || reply.code() == 235,
                reply.code() == 334, security.ehloRequired());
        return new SessionModel(state, greeted, keywords, refused, errors, viaHelo, next, utf8Mail);
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
                return new SessionModel(state, greeted, keywords, code == 554, errors, viaHelo, security, utf8Mail);
            case EHLO:
                return ok ? new SessionModel(SessionState.GREETED, true, Optional.of(keywordsOf(reply)), refused, errors,
                        false, security) : this;
            case HELO:
                return ok ? new SessionModel(SessionState.GREETED, true, keywords, refused, errors, true, security) : this;
            case MAIL:
                // an accepted MAIL opens a new transaction (G-16: also inside one), with SMTPUTF8 or without
                return ok && state != SessionState.DATA && state != SessionState.CLOSED
                        ? new SessionModel(SessionState.MAIL, greeted, keywords, refused, errors, viaHelo, security,
                                sent.hasSmtputf8Parameter())
                        : this;
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
        return new SessionModel(next, greeted, keywords, refused, errors, viaHelo, security, utf8Mail);
    }

    private SessionModel withErrors(int count) {
        return new SessionModel(state, greeted, keywords, refused, count, viaHelo, security, utf8Mail);
    }

    /** The ehlo-keywords of an EHLO reply (§4.1.1.1), in reply order. */
    private static Set<String> keywordsOf(Reply reply) {
        return new LinkedHashSet<>(Capabilities.of(reply).keywords().keySet());
    }
}
