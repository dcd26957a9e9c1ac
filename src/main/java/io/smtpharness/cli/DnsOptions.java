package io.smtpharness.cli;

import io.smtpharness.dns.MxResolver;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The options of a command that finds its target in DNS: resolver, deadlines, shuffle seed, SMTP port. */
final class DnsOptions {

    @Option(names = "--dns-server", paramLabel = "HOST[:PORT]",
            description = "DNS resolver to ask (IPv6 as [::1]:53; port 53 if omitted). Default: the system resolver.")
    private String dnsServer;

    @Option(names = "--dns-timeout", defaultValue = "5s", converter = DurationConverter.class,
            description = "Deadline for each DNS query try (default: ${DEFAULT-VALUE}).")
    private Duration dnsTimeout;

    @Option(names = "--dns-retries", defaultValue = "2", description = "Tries per DNS query (default: ${DEFAULT-VALUE}).")
    private int dnsRetries;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seed for what is random: the order of equal-preference MX hosts, and for fuzz the "
                    + "generated dialogues (default: random, printed).")
    private Long seed;

    @Option(names = "--port", defaultValue = "25", description = "SMTP port to connect to on the MX hosts (default: ${DEFAULT-VALUE}).")
    private int port;

    private long chosenSeed;
    private boolean seedChosen;

    /** The resolver these options describe; a malformed or unknown --dns-server is a usage error. */
    MxResolver resolver() {
        if (dnsRetries < 1 || dnsRetries > 10) {
            throw new UsageException("--dns-retries must be between 1 and 10, not " + dnsRetries);
        }
        if (dnsTimeout.isZero() || dnsTimeout.isNegative()) {
            throw new UsageException("--dns-timeout must be positive");
        }
        if (port < 1 || port > 65535) {
            throw new UsageException("--port must be between 1 and 65535, not " + port);
        }
        if (dnsServer == null) {
            return MxResolver.system(dnsTimeout, dnsRetries);
        }
        InetSocketAddress server;
        try {
            server = MxResolver.parseServer(dnsServer);
        } catch (UnknownHostException | IllegalArgumentException e) {
            throw new UsageException("--dns-server " + dnsServer + ": " + e.getMessage());
        }
        return MxResolver.using(server, dnsTimeout, dnsRetries);
    }

    /** --seed, or one drawn once per command. */
    long seed() {
        if (!seedChosen) {
            chosenSeed = seed != null ? seed : new SecureRandom().nextLong();
            seedChosen = true;
        }
        return chosenSeed;
    }

    int port() {
        return port;
    }
}
