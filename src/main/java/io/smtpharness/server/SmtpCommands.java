package io.smtpharness.server;

import io.smtpharness.server.Misbehaviour.AcceptRcptWithoutMail;
import io.smtpharness.server.Misbehaviour.AcceptSecondAuth;
import io.smtpharness.server.Misbehaviour.KeepSessionAfterTls;
import io.smtpharness.server.Misbehaviour.StartTlsAfterTls;
import io.smtpharness.server.Misbehaviour.CaseSensitiveVerbs;
import io.smtpharness.server.Misbehaviour.DataWithoutRecipients;
import io.smtpharness.server.Misbehaviour.Greeting;
import io.smtpharness.server.Misbehaviour.KeepTransactionAfterEhlo;
import io.smtpharness.server.Misbehaviour.MixedCodeMultiline;
import io.smtpharness.server.Misbehaviour.QuitReplies;
import io.smtpharness.server.PathParser.Param;
import io.smtpharness.server.PathParser.ParsedPath;
import io.smtpharness.server.SmtpSession.Envelope;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The reference server's command semantics for one connection, free of Netty: a command line in,
 * an {@link Outcome} out (RFC 5321 §4.1.1, §4.1.4, §4.3.2; SIZE and 8BITMIME parameters).
 */
final class SmtpCommands {

    private final ServerConfig config;
    private final Consumer<DeliveredMessage> delivery;
    private final SmtpSession session = new SmtpSession();
    /** The SASL exchange of AUTH, when an account is configured (RFC 4954). */
    private final ServerAuth auth;
    private boolean tlsActive;
    private boolean authenticated;

    /** Commands for one connection; accepted messages go to {@code delivery}. */
    SmtpCommands(ServerConfig config, Consumer<DeliveredMessage> delivery) {
        this.config = config;
        this.delivery = delivery;
        this.auth = config.account().map(a -> new ServerAuth(a, config.hostname())).orElse(null);
    }

    /** True while an AUTH exchange waits for the client's response line (not a command). */
    boolean inAuthExchange() {
        return auth != null && auth.pending();
    }

    /** An AUTH response line was too long: the exchange ends with 500 5.5.6 (RFC 4954 §4). */
    String authLineTooLong() {
        auth.cancel();
        return Replies.S500_AUTH_LINE_TOO_LONG;
    }

    /**
     * The TLS handshake completed: the session is back in its initial state and forgets what the
     * client said before, EHLO included (RFC 3207 §4.2), unless told to keep it.
     */
    void tlsStarted() {
        tlsActive = true;
        authenticated = false;
        if (auth != null) {
            auth.cancel();
        }
        if (!config.misbehaves(KeepSessionAfterTls.class)) {
            session.forget();
        }
    }

    /** The 220 greeting sent on connect (RFC 5321 §3.1). */
    String greeting() {
        return config.misbehaviour(Greeting.class).map(Greeting::rawReply)
                .orElseGet(() -> Replies.greeting(config.hostname()));
    }

    /** The session state as RFC 5321 §4.1.4 names it: CONNECTED, GREETED, MAIL or RCPT. */
    String state() {
        if (session.envelope() != null) {
            return session.envelope().recipients().isEmpty() ? "MAIL" : "RCPT";
        }
        return session.greeted() ? "GREETED" : "CONNECTED";
    }

    /** The verb of a command line, upper-cased; verbs are case-insensitive (RFC 5321 §2.4). */
    static String verbOf(String line) {
        int space = line.indexOf(' ');
        return (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
    }

    /** Answers one command line (without CRLF). */
    Outcome handle(String line) {
        if (inAuthExchange()) {
            return authReply(auth.respond(line));
        }
        int space = line.indexOf(' ');
        // Trailing white space is tolerated (RFC 5321 §4.1.1 SHOULD).
        String arg = space < 0 ? "" : line.substring(space + 1).strip();
        if (config.misbehaves(CaseSensitiveVerbs.class) && !verbOf(line).equals(space < 0 ? line : line.substring(0, space))) {
            return Outcome.reply(Replies.S500_UNRECOGNIZED);
        }
        switch (verbOf(line)) {
            case "EHLO": return ehlo(arg);
            case "HELO": return helo(arg);
            case "MAIL": return mail(arg);
            case "RCPT": return rcpt(arg);
            case "DATA": return data(arg);
            case "RSET": return rset(arg);
            case "NOOP": return Outcome.reply(Replies.S250_OK);
            case "QUIT": return quit(arg);
            case "VRFY": return vrfy(arg);
            case "EXPN": return Outcome.reply(Replies.S502_EXPN);
            case "HELP": return Outcome.reply(Replies.S214_HELP);
            case "STARTTLS": return starttls(arg);
            case "AUTH": return auth(arg);
            default: return Outcome.reply(Replies.S500_UNRECOGNIZED);
        }
    }

    /** Answers the end of DATA: 250 and delivery, or 552 when over the size limit; the transaction ends. */
    Outcome endOfData(Inbound.DataEnd end) {
        Envelope envelope = session.envelope();
        session.resetTransaction();
        if (end.oversize()) {
            return Outcome.reply(Replies.S552_TOO_BIG);
        }
        if (envelope == null || envelope.recipients().isEmpty()) {
            return Outcome.reply(Replies.S250_MESSAGE_ACCEPTED); // only under DataWithoutRecipients: nobody to deliver to
        }
        delivery.accept(new DeliveredMessage(envelope.reversePath(), envelope.recipients(), end.content()));
        return Outcome.reply(Replies.S250_MESSAGE_ACCEPTED);
    }

    private Outcome ehlo(String arg) {
        String name = firstToken(arg);
        if (!AddressSyntax.isDomain(name) && !AddressSyntax.isAddressLiteral(name)) {
            return Outcome.reply(Replies.S501_DOMAIN_REQUIRED);
        }
        greet(name);
        return Outcome.reply(Replies.ehlo(config.hostname(), name, config.maxMessageSize(),
                config.misbehaves(MixedCodeMultiline.class), securityKeywords()));
    }

    /**
     * STARTTLS while TLS is possible and not yet active (RFC 3207 §4.2); AUTH once passwords cannot
     * travel in the clear: after TLS when TLS is offered (RFC 4954 §4, no plaintext mechanisms).
     */
    private List<String> securityKeywords() {
        List<String> keywords = new ArrayList<>(2);
        if (config.tls().isPresent() && (!tlsActive || config.misbehaves(StartTlsAfterTls.class))) {
            keywords.add("STARTTLS");
        }
        if (auth != null && (tlsActive || config.tls().isEmpty())) {
            keywords.add("AUTH " + ServerAuth.MECHANISMS);
        }
        return keywords;
    }

    /** STARTTLS (RFC 3207 §4): 220 then the handshake; 501 with an argument; 503 once TLS is active. */
    private Outcome starttls(String arg) {
        if (config.tls().isEmpty()) {
            return Outcome.reply(Replies.S502_NOT_OFFERED);
        }
        if (!arg.isEmpty()) {
            return Outcome.reply(Replies.S501_NO_ARGUMENTS);
        }
        if (tlsActive) {
            return Outcome.reply(Replies.S503_ALREADY_TLS);
        }
        return new Outcome(Replies.S220_READY_FOR_TLS, Outcome.Next.TLS);
    }

    /** AUTH (RFC 4954 §4): after EHLO, outside a transaction, once per session, after TLS when offered. */
    private Outcome auth(String arg) {
        if (auth == null) {
            return Outcome.reply(Replies.S502_NOT_OFFERED);
        }
        if (!session.greeted()) {
            return Outcome.reply(Replies.S503_BAD_SEQUENCE);
        }
        if (config.tls().isPresent() && !tlsActive) {
            return Outcome.reply(Replies.S530_STARTTLS_FIRST);
        }
        if (authenticated && !config.misbehaves(AcceptSecondAuth.class)) {
            return Outcome.reply(Replies.S503_ALREADY_AUTHENTICATED);
        }
        if (session.envelope() != null) {
            return Outcome.reply(Replies.S503_AUTH_IN_TRANSACTION);
        }
        if (arg.isEmpty()) {
            return Outcome.reply(Replies.S501_SYNTAX);
        }
        return authReply(auth.start(arg));
    }

    private Outcome authReply(String reply) {
        if (reply.startsWith("235")) {
            authenticated = true;
        }
        return Outcome.reply(reply);
    }

    private Outcome helo(String arg) {
        String name = firstToken(arg);
        if (!AddressSyntax.isDomain(name) && !AddressSyntax.isAddressLiteral(name)) {
            return Outcome.reply(Replies.S501_DOMAIN_REQUIRED);
        }
        greet(name);
        return Outcome.reply(Replies.helo(config.hostname()));
    }

    /** An accepted HELO/EHLO resets the transaction (RFC 5321 §4.1.4), unless told to keep it. */
    private void greet(String name) {
        Envelope kept = session.envelope();
        session.greet(name);
        if (config.misbehaves(KeepTransactionAfterEhlo.class)) {
            session.envelope(kept);
        }
    }

    private Outcome mail(String arg) {
        if (!session.greeted()) {
            return Outcome.reply(Replies.S503_BAD_SEQUENCE);
        }
        if (session.envelope() != null) {
            return Outcome.reply(Replies.S503_NESTED_MAIL);
        }
        Optional<ParsedPath> path = PathParser.parseMail(arg);
        if (path.isEmpty()) {
            return Outcome.reply(Replies.S501_BAD_PATH);
        }
        String refusal = checkMailParams(path.get().params());
        if (refusal != null) {
            return Outcome.reply(refusal);
        }
        session.envelope(new Envelope(path.get().mailbox(), List.of()));
        return Outcome.reply(Replies.S250_SENDER_OK);
    }

    /** SIZE (RFC 1870) and BODY (RFC 6152) are the only MAIL parameters; null when all are fine. */
    private String checkMailParams(List<Param> params) {
        boolean seenSize = false;
        boolean seenBody = false;
        for (Param p : params) {
            String keyword = p.keyword().toUpperCase(Locale.ROOT);
            if (keyword.equals("SIZE")) {
                if (seenSize || p.value() == null || !p.value().matches("[0-9]{1,20}")) {
                    return Replies.S501_SYNTAX;
                }
                seenSize = true;
                if (new BigInteger(p.value()).compareTo(BigInteger.valueOf(config.maxMessageSize())) > 0) {
                    return Replies.S552_TOO_BIG;
                }
            } else if (keyword.equals("BODY")) {
                if (seenBody || p.value() == null
                        || !(p.value().equalsIgnoreCase("7BIT") || p.value().equalsIgnoreCase("8BITMIME"))) {
                    return Replies.S501_SYNTAX;
                }
                seenBody = true;
            } else if (keyword.equals("AUTH") && auth != null && p.value() != null) {
                // RFC 4954 §5: accepted from any client, authenticated or not; the value is not used
                continue;
            } else {
                return Replies.S555_MAIL_PARAMETERS;
            }
        }
        return null;
    }

    private Outcome rcpt(String arg) {
        Envelope envelope = session.envelope();
        if (envelope == null) {
            if (!config.misbehaves(AcceptRcptWithoutMail.class)) {
                return Outcome.reply(Replies.S503_BAD_SEQUENCE);
            }
            envelope = new Envelope("", List.of());
        }
        Optional<ParsedPath> path = PathParser.parseRcpt(arg);
        if (path.isEmpty()) {
            return Outcome.reply(Replies.S501_BAD_PATH);
        }
        if (!path.get().params().isEmpty()) {
            return Outcome.reply(Replies.S555_RCPT_PARAMETERS);
        }
        if (envelope.recipients().size() >= config.maxRecipients()) {
            return Outcome.reply(Replies.S452_TOO_MANY_RECIPIENTS);
        }
        if (!path.get().isBarePostmaster() && !config.acceptsDomain(path.get().domain())) {
            return Outcome.reply(Replies.S550_RELAYING_DENIED);
        }
        session.envelope(envelope.withRecipient(path.get().mailbox()));
        return Outcome.reply(Replies.S250_RECIPIENT_OK);
    }

    private Outcome data(String arg) {
        if (!arg.isEmpty()) {
            return Outcome.reply(Replies.S501_NO_ARGUMENTS);
        }
        boolean noRecipient = session.envelope() == null || session.envelope().recipients().isEmpty();
        if (noRecipient && config.misbehaves(DataWithoutRecipients.class)) {
            return new Outcome(Replies.S354_START_INPUT, Outcome.Next.DATA);
        }
        if (session.envelope() == null) {
            return Outcome.reply(Replies.S503_BAD_SEQUENCE);
        }
        if (session.envelope().recipients().isEmpty()) {
            return Outcome.reply(Replies.S503_NO_VALID_RECIPIENTS);
        }
        return new Outcome(Replies.S354_START_INPUT, Outcome.Next.DATA);
    }

    private Outcome rset(String arg) {
        if (!arg.isEmpty()) {
            return Outcome.reply(Replies.S501_NO_ARGUMENTS);
        }
        session.resetTransaction();
        return Outcome.reply(Replies.S250_RESET);
    }

    private Outcome quit(String arg) {
        if (!arg.isEmpty()) {
            return Outcome.reply(Replies.S501_NO_ARGUMENTS);
        }
        String reply = config.misbehaviour(QuitReplies.class)
                .map(q -> q.rawReplyLine() + "\r\n")
                .orElse(Replies.closing(config.hostname()));
        return new Outcome(reply, Outcome.Next.CLOSE);
    }

    private Outcome vrfy(String arg) {
        // Without SMTPUTF8, non-ASCII or control octets cannot name a mailbox (RFC 5321 §2.4, §4.1.2).
        if (arg.isEmpty() || !arg.chars().allMatch(c -> c >= 32 && c <= 126)) {
            return Outcome.reply(Replies.S501_SYNTAX);
        }
        return Outcome.reply(Replies.S252_CANNOT_VRFY);
    }

    private static String firstToken(String arg) {
        int space = arg.indexOf(' ');
        return space < 0 ? arg : arg.substring(0, space);
    }
}
