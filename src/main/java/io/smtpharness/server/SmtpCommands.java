package io.smtpharness.server;

import io.smtpharness.server.Misbehaviour.AcceptBdatWithoutTransaction;
import io.smtpharness.server.Misbehaviour.AcceptDataAfterBdat;
import io.smtpharness.server.Misbehaviour.AcceptRcptWithoutMail;
import io.smtpharness.server.Misbehaviour.AcceptSecondAuth;
import io.smtpharness.server.Misbehaviour.KeepSessionAfterTls;
import io.smtpharness.server.Misbehaviour.StartTlsAfterTls;
import io.smtpharness.server.Misbehaviour.StartTlsWithArgument;
import io.smtpharness.server.Misbehaviour.CaseSensitiveVerbs;
import io.smtpharness.server.Misbehaviour.DataWithoutRecipients;
import io.smtpharness.server.Misbehaviour.EchoPaths;
import io.smtpharness.server.Misbehaviour.Greeting;
import io.smtpharness.server.Misbehaviour.IgnoreSizeLimit;
import io.smtpharness.server.Misbehaviour.KeepTransactionAfterEhlo;
import io.smtpharness.server.Misbehaviour.MixedCodeMultiline;
import io.smtpharness.server.Misbehaviour.QuitReplies;
import io.smtpharness.server.PathParser.Param;
import io.smtpharness.server.PathParser.ParsedPath;
import io.smtpharness.server.SmtpSession.Envelope;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The reference server's command semantics for one connection, free of Netty: a command line in,
 * an {@link Outcome} out (RFC 5321 §4.1.1, §4.1.4, §4.3.2; SIZE and 8BITMIME parameters; SMTPUTF8
 * addresses, RFC 6531; BDAT chunks, RFC 3030).
 */
final class SmtpCommands {

    private final ServerConfig config;
    private final Consumer<DeliveredMessage> delivery;
    private final SmtpSession session = new SmtpSession();
    /** The BDAT chunks of the open transaction so far; null before its first BDAT (RFC 3030 §2). */
    private ByteArrayOutputStream chunks;
    private boolean chunksOversize;
    /** Whether the open transaction's MAIL carried SMTPUTF8 (RFC 6531 §3.4). */
    private boolean utf8;
    /** The SASL exchange of AUTH, when an account is configured (RFC 4954). */
    private final ServerAuth auth;
    private boolean tlsActive;
    private boolean authenticated;

    /** Commands for one connection; accepted messages go to {@code delivery}. */
    SmtpCommands(ServerConfig config, Consumer<DeliveredMessage> delivery) {
        this.config = config;
        this.delivery = delivery;
        this.auth = config.account().map(a -> new ServerAuth(a, config.hostname(),
                config.misbehaviour(Misbehaviour.StrictPlain.class).map(Misbehaviour.StrictPlain::maxField).orElse(0))).orElse(null);
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
            resetTransaction();
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
            case "BDAT": return Outcome.reply(Replies.S501_SYNTAX); // a well-formed BDAT goes to bdat()
            case "STARTTLS": return starttls(arg);
            case "AUTH": return auth(arg);
            default: return Outcome.reply(Replies.S500_UNRECOGNIZED);
        }
    }

    /**
     * The chunk size of a well-formed {@code BDAT chunk-size [LAST]} line (RFC 3030 §2), or -1: then
     * no chunk follows and {@link #handle} refuses the line.
     */
    static long chunkSize(String line) {
        String[] words = line.split(" ", -1);
        if (!verbOf(line).equals("BDAT") || words.length < 2 || words.length > 3 || !words[1].matches("[0-9]{1,18}")
                || words.length == 3 && !words[2].equalsIgnoreCase("LAST")) {
            return -1;
        }
        return Long.parseLong(words[1]);
    }

    /**
     * Answers a BDAT line once its whole chunk was read (RFC 3030 §2): 250 per chunk in a transaction
     * with recipients, and the message is complete after LAST; 503 outside one (also after LAST);
     * 552 over the size limit. A refused chunk ends the transaction.
     */
    Outcome bdat(String line, Inbound.Chunk chunk) {
        Envelope envelope = session.envelope();
        boolean last = line.split(" ").length == 3;
        if (envelope == null || envelope.recipients().isEmpty()) {
            if (!config.misbehaves(AcceptBdatWithoutTransaction.class)) {
                resetTransaction();
                return Outcome.reply(Replies.S503_BAD_SEQUENCE);
            }
            return Outcome.reply(Replies.S250_CHUNK_OK);
        }
        if (chunks == null) {
            chunks = new ByteArrayOutputStream();
        }
        chunksOversize |= chunk.oversize() || chunks.size() + (long) chunk.content().length > config.maxMessageSize();
        if (!chunksOversize) {
            chunks.write(chunk.content(), 0, chunk.content().length);
        }
        if (chunksOversize && !config.misbehaves(IgnoreSizeLimit.class)) {
            resetTransaction();
            return Outcome.reply(Replies.S552_TOO_BIG);
        }
        if (!last) {
            return Outcome.reply(Replies.S250_CHUNK_OK);
        }
        byte[] content = chunks.toByteArray();
        resetTransaction();
        delivery.accept(new DeliveredMessage(envelope.reversePath(), envelope.recipients(), content));
        return Outcome.reply(Replies.S250_MESSAGE_ACCEPTED);
    }

    /** Drops the transaction: envelope, chunks, SMTPUTF8 (RSET, end of data, BDAT LAST, refusals). */
    private void resetTransaction() {
        session.resetTransaction();
        chunks = null;
        chunksOversize = false;
        utf8 = false;
    }

    /** Answers the end of DATA: 250 and delivery, or 552 when over the size limit; the transaction ends. */
    Outcome endOfData(Inbound.DataEnd end) {
        Envelope envelope = session.envelope();
        resetTransaction();
        if (end.oversize() && !config.misbehaves(IgnoreSizeLimit.class)) {
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
        if (!arg.isEmpty() && !config.misbehaves(StartTlsWithArgument.class)) {
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
        chunks = null;
        chunksOversize = false;
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
        boolean declaredUtf8 = hasUtf8Param(arg);
        Optional<ParsedPath> path = parseUtf8Aware(arg, true);
        if (path.isEmpty()) {
            return Outcome.reply(Replies.S501_BAD_PATH);
        }
        String refusal = checkMailParams(path.get().params());
        if (refusal != null) {
            return Outcome.reply(refusal);
        }
        if (!declaredUtf8 && !isAscii(path.get().mailbox())) {
            return Outcome.reply(Replies.S550_SENDER_NEEDS_ASCII); // RFC 6531 §3.5
        }
        chunks = null;
        chunksOversize = false;
        utf8 = declaredUtf8;
        session.envelope(new Envelope(path.get().mailbox(), List.of()));
        return Outcome.reply(config.misbehaves(EchoPaths.class)
                ? "250 2.1.0 Sender <" + path.get().mailbox() + "> ok\r\n" : Replies.S250_SENDER_OK);
    }

    /** True when the MAIL argument carries the SMTPUTF8 parameter (RFC 6531 §3.4), with or without a value. */
    private static boolean hasUtf8Param(String arg) {
        return List.of(arg.split(" ")).subList(1, Math.max(1, arg.split(" ").length)).stream()
                .anyMatch(w -> w.toUpperCase(Locale.ROOT).startsWith("SMTPUTF8"));
    }

    /**
     * Parses a MAIL/RCPT argument whose path may hold UTF-8 (RFC 6531 §3.3: UTF8-non-ascii in atext
     * and U-labels): each non-ASCII octet is checked as ASCII 'a', then the mailbox is taken as sent.
     */
    private static Optional<ParsedPath> parseUtf8Aware(String arg, boolean mail) {
        StringBuilder ascii = new StringBuilder(arg.length());
        arg.chars().forEach(c -> ascii.append(c >= 0x80 ? 'a' : (char) c));
        Optional<ParsedPath> parsed = mail ? PathParser.parseMail(ascii.toString()) : PathParser.parseRcpt(ascii.toString());
        if (parsed.isEmpty() || ascii.toString().equals(arg)) {
            return parsed;
        }
        int at = ascii.indexOf("<" + parsed.get().mailbox() + ">");
        if (at < 0 || !isUtf8(arg)) {
            return Optional.empty();
        }
        String mailbox = arg.substring(at + 1, at + 1 + parsed.get().mailbox().length());
        String domain = mailbox.substring(mailbox.lastIndexOf('@') + 1);
        return Optional.of(new ParsedPath(mailbox, parsed.get().domain().isEmpty() ? "" : domain, parsed.get().params()));
    }

    private static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }

    /** True when the octets (as ISO-8859-1 chars) are well-formed UTF-8. */
    private static boolean isUtf8(String octets) {
        try {
            java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(octets.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    /**
     * SIZE (RFC 1870), BODY (RFC 6152) and SMTPUTF8 (RFC 6531, no value) are the only MAIL parameters;
     * null when all are fine.
     */
    private String checkMailParams(List<Param> params) {
        boolean seenSize = false;
        boolean seenBody = false;
        boolean seenUtf8 = false;
        for (Param p : params) {
            String keyword = p.keyword().toUpperCase(Locale.ROOT);
            if (keyword.equals("SMTPUTF8")) {
                if (seenUtf8 || p.value() != null) {
                    return Replies.S501_SYNTAX;
                }
                seenUtf8 = true;
            } else if (keyword.equals("SIZE")) {
                if (seenSize || p.value() == null || !p.value().matches("[0-9]{1,20}")) {
                    return Replies.S501_SYNTAX;
                }
                seenSize = true;
                if (new BigInteger(p.value()).compareTo(BigInteger.valueOf(config.maxMessageSize())) > 0
                        && !config.misbehaves(IgnoreSizeLimit.class)) {
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
        Optional<ParsedPath> path = parseUtf8Aware(arg, false);
        if (path.isEmpty()) {
            return Outcome.reply(Replies.S501_BAD_PATH);
        }
        if (!utf8 && !isAscii(path.get().mailbox())) {
            return Outcome.reply(Replies.S553_RECIPIENT_NEEDS_ASCII); // RFC 6531 §3.5
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
        return Outcome.reply(config.misbehaves(EchoPaths.class)
                ? "250 2.1.5 Recipient <" + path.get().mailbox() + "> ok\r\n" : Replies.S250_RECIPIENT_OK);
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
        if (chunks != null && !config.misbehaves(AcceptDataAfterBdat.class)) {
            return Outcome.reply(Replies.S503_DATA_AFTER_BDAT); // RFC 3030 §2
        }
        return new Outcome(Replies.S354_START_INPUT, Outcome.Next.DATA);
    }

    private Outcome rset(String arg) {
        if (!arg.isEmpty()) {
            return Outcome.reply(Replies.S501_NO_ARGUMENTS);
        }
        resetTransaction();
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
        // Control octets cannot name a mailbox (RFC 5321 §4.1.2); this server offers SMTPUTF8, so UTF-8
        // may (RFC 6531 §3.1), with or without the parameter: without it the reply must be 252 or 550
        // (§3.7.4.2), and 252, with no name echoed, is what this server always says.
        String name = arg.toUpperCase(Locale.ROOT).endsWith(" SMTPUTF8")
                ? arg.substring(0, arg.length() - " SMTPUTF8".length()).strip() : arg;
        return Outcome.reply(!name.isEmpty() && isUtf8(name) && name.chars().allMatch(c -> c >= 32 && c != 127)
                ? Replies.S252_CANNOT_VRFY : Replies.S501_SYNTAX);
    }

    private static String firstToken(String arg) {
        int space = arg.indexOf(' ');
        return space < 0 ? arg : arg.substring(0, space);
    }
}
