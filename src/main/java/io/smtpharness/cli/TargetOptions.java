package io.smtpharness.cli;

import io.smtpharness.client.Target;
import io.smtpharness.dialogue.Variables;
import io.smtpharness.service.RunSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Option;

/**
 * The options {@code run} and {@code fuzz} share: which server, how long to wait for it, who we
 * say we are, and where the report goes. A picocli mixin, so both commands spell and document
 * them the same way.
 */
final class TargetOptions {

    @Option(names = "--target", paramLabel = "HOST:PORT",
            description = "Server to test. Without it, an embedded reference server is started on loopback.")
    String target;

    @Option(names = "--domain", paramLabel = "DOMAIN",
            description = "Find the server like an MTA does: the first reachable MX host of DOMAIN (RFC 5321 §5.1). "
                    + "Not with --target.")
    String domain;

    @Option(names = "--report-dir", paramLabel = "DIR", description = "Report directory (default: reports/<UTC timestamp>).")
    Path reportDir;

    @Option(names = "--timeout", converter = DurationConverter.class,
            description = "Deadline for each whole reply, e.g. 500ms, 10s, 5m. Default for run: the RFC 5321 §4.5.3.2 "
                    + "minimum for each command (5 min; DATA 2 min; the final dot 10 min); for fuzz: 30s.")
    Duration timeout;

    @Option(names = "--connect-timeout", defaultValue = "10s", converter = DurationConverter.class,
            description = "Deadline for each TCP connect (default: ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    @Option(names = "--helo", defaultValue = "client.test", description = "Our EHLO/HELO name (default: ${DEFAULT-VALUE}).")
    String helo;

    @Option(names = "--sender", defaultValue = "harness@client.test", description = "Reverse path for MAIL (default: ${DEFAULT-VALUE}).")
    String sender;

    @Option(names = "--recipient", defaultValue = "postmaster@test.example",
            description = "A mailbox the target accepts (default: ${DEFAULT-VALUE}).")
    String recipient;

    /** --target and --domain exclude each other. */
    void checkOneTarget() {
        if (target != null && domain != null) {
            throw new UsageException("--target and --domain are mutually exclusive: give one of them");
        }
    }

    /** True when neither --target nor --domain was given: the embedded reference server is the target. */
    boolean embedded() {
        return target == null && domain == null;
    }

    /**
     * The run settings these options give. Without --timeout, replies get the waits RFC 5321
     * §4.5.3.2 asks of a client when {@code rfcWaits} (other waits then bounded by {@code fallback}),
     * else {@code fallback} each.
     */
    RunSettings settings(Duration fallback, boolean rfcWaits) {
        RunSettings settings = RunSettings.defaults().withConnectTimeout(connectTimeout)
                .withVariables(Variables.of(helo, sender, recipient));
        if (timeout != null) {
            return settings.withReplyTimeout(timeout);
        }
        return rfcWaits ? settings.withRfcReplyWaits(fallback) : settings.withReplyTimeout(fallback);
    }

    /** --target parsed, or null without it; a malformed one is a usage error (exit 2) before anything else. */
    Target parsedTarget() {
        if (target == null) {
            return null;
        }
        try {
            return Target.parse(target);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--target " + e.getMessage());
        }
    }

    /** --report-dir, or reports/&lt;UTC timestamp&gt;. */
    Path reportDirectory(Instant startedAt) {
        return reportDir != null ? reportDir : io.smtpharness.report.ReportWriter.defaultDirectory(startedAt);
    }
}
