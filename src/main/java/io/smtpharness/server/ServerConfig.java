package io.smtpharness.server;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of a {@link ReferenceServer}; start from {@link #defaults()} and adjust with the withers.
 *
 * @param hostname         the name in the greeting, EHLO, 221 and 421 replies
 * @param port             the TCP port on 127.0.0.1, 0 for a free one
 * @param acceptedDomains  domains RCPT accepts (case-insensitive); others get 550 relaying denied
 * @param maxMessageSize   the SIZE limit in octets (RFC 1870), advertised in EHLO
 * @param maxRecipients    recipients per transaction before 452 (RFC 5321 §4.5.3.1.10)
 * @param maxCommandLine   longest command line in octets incl. CRLF, at least 512 (RFC 5321 §4.5.3.1.4)
 * @param idleTimeout      how long to wait for input before 421 and close (RFC 5321 §4.5.3.2.7)
 * @param misbehaviours    deliberate violations, for the project's own tests only
 * @param tls              the certificate for STARTTLS (RFC 3207); empty: STARTTLS is not offered
 * @param account          the account AUTH accepts (RFC 4954); empty: AUTH is not offered
 */
public record ServerConfig(
        String hostname,
        int port,
        List<String> acceptedDomains,
        long maxMessageSize,
        int maxRecipients,
        int maxCommandLine,
        Duration idleTimeout,
        List<Misbehaviour> misbehaviours,
        Optional<TlsIdentity> tls,
        Optional<AuthAccount> account) {

    /** RFC 5321 §4.5.3.1.4: a server must accept command lines of 512 octets. */
    public static final int MIN_COMMAND_LINE = 512;

    public ServerConfig {
        Objects.requireNonNull(hostname, "hostname");
        acceptedDomains = List.copyOf(acceptedDomains);
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        misbehaviours = List.copyOf(misbehaviours);
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(account, "account");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (maxMessageSize < 1 || maxRecipients < 1) {
            throw new IllegalArgumentException("maxMessageSize and maxRecipients must be positive");
        }
        if (maxCommandLine < MIN_COMMAND_LINE) {
            throw new IllegalArgumentException("maxCommandLine must be at least 512 (RFC 5321 §4.5.3.1.4)");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive");
        }
    }

    /** The conformant defaults: reference.test, free port, test.example, 10 MiB, 1000 recipients, 2048, 5 min. */
    public static ServerConfig defaults() {
        return new ServerConfig("reference.test", 0, List.of("test.example"), 10L * 1024 * 1024, 1000,
                2048, Duration.ofMinutes(5), List.of(), Optional.empty(), Optional.empty());
    }

    /** A copy with another hostname. */
    public ServerConfig withHostname(String hostname) {
        return new ServerConfig(hostname, port, acceptedDomains, maxMessageSize, maxRecipients, maxCommandLine,
                idleTimeout, misbehaviours, tls, account);
    }

    /** A copy listening on another port (0 = any free port). */
    public ServerConfig withPort(int port) {
        return new ServerConfig(hostname, port, acceptedDomains, maxMessageSize, maxRecipients, maxCommandLine,
                idleTimeout, misbehaviours, tls, account);
    }

    /** A copy accepting mail for these domains. */
    public ServerConfig withAcceptedDomains(String... domains) {
        return new ServerConfig(hostname, port, Arrays.asList(domains), maxMessageSize, maxRecipients,
                maxCommandLine, idleTimeout, misbehaviours, tls, account);
    }

    /** A copy with another SIZE limit. */
    public ServerConfig withMaxMessageSize(long octets) {
        return new ServerConfig(hostname, port, acceptedDomains, octets, maxRecipients, maxCommandLine,
                idleTimeout, misbehaviours, tls, account);
    }

    /** A copy with another recipient limit. */
    public ServerConfig withMaxRecipients(int max) {
        return new ServerConfig(hostname, port, acceptedDomains, maxMessageSize, max, maxCommandLine,
                idleTimeout, misbehaviours, tls, account);
    }

    /** A copy with another command-line limit (octets incl. CRLF, at least 512). */
    public ServerConfig withMaxCommandLine(int octets) {
        return new ServerConfig(hostname, port, acceptedDomains, maxMessageSize, maxRecipients, octets,
                idleTimeout, misbehaviours, tls, account);
    }

    /** A copy with another idle timeout. */
    public ServerConfig withIdleTimeout(Duration timeout) {
        return new ServerConfig(hostname, port, acceptedDomains, maxMessageSize, maxRecipients, maxCommandLine,
                timeout, misbehaviours, tls, account);
    }

    /** A copy that commits exactly these misbehaviours. */
    public ServerConfig withMisbehaviours(Misbehaviour... misbehaviours) {
        return new ServerConfig(hostname, port, acceptedDomains, maxMessageSize, maxRecipients, maxCommandLine,
                idleTimeout, Arrays.asList(misbehaviours), tls, account);
    }

    /** A copy that offers STARTTLS with {@code identity} (RFC 3207). */
    public ServerConfig withTls(TlsIdentity identity) {
        return new ServerConfig(hostname, port, acceptedDomains, maxMessageSize, maxRecipients, maxCommandLine,
                idleTimeout, misbehaviours, Optional.of(identity), account);
    }

    /**
     * A copy that offers AUTH PLAIN, LOGIN and CRAM-MD5 for {@code account} (RFC 4954): after TLS when
     * STARTTLS is offered (no plaintext passwords), else on the plain connection.
     */
    public ServerConfig withAuth(AuthAccount account) {
        return new ServerConfig(hostname, port, acceptedDomains, maxMessageSize, maxRecipients, maxCommandLine,
                idleTimeout, misbehaviours, tls, Optional.of(account));
    }

    /** The first configured misbehaviour of the given kind, if any. */
    public <T extends Misbehaviour> Optional<T> misbehaviour(Class<T> kind) {
        return misbehaviours.stream().filter(kind::isInstance).map(kind::cast).findFirst();
    }

    /** True when a misbehaviour of the given kind is configured. */
    public boolean misbehaves(Class<? extends Misbehaviour> kind) {
        return misbehaviour(kind).isPresent();
    }

    /** True when RCPT accepts mail for {@code domain} (case-insensitive). */
    public boolean acceptsDomain(String domain) {
        return acceptedDomains.stream().anyMatch(d -> d.equalsIgnoreCase(domain));
    }
}
