package io.smtpharness.service;

import io.smtpharness.client.ClientOptions;
import io.smtpharness.client.TlsSettings;
import io.smtpharness.dialogue.AuthCredentials;
import io.smtpharness.dialogue.RunnerOptions;
import io.smtpharness.dialogue.Variables;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a user decides about a run, whichever way it is started ({@code run}, {@code fuzz},
 * {@code load}, the JUnit integration): how long to wait, TLS, AUTH, who we say we are, and how
 * gently to treat the target. The client's and the runner's options are derived here only.
 *
 * @param replyTimeout   the client's deadline for a whole reply; with {@code rfcReplyWaits} it only
 *                       bounds waits the RFC does not time (e.g. the greeting of an extra connection)
 * @param rfcReplyWaits  wait for each reply as long as RFC 5321 §4.5.3.2 asks of a client
 * @param connectTimeout the deadline for each TCP connect
 * @param tls            implicit TLS, and whether the server's certificate is checked
 * @param rate           new connections per second at most; empty: {@link TargetPolicy}'s default
 * @param maxConnections connections at once at most
 * @param allowDelivery  messages may be completed to a target off loopback
 * @param variables      our EHLO name, reverse path and a mailbox the target accepts
 * @param credentials    the account for AUTH; empty: the AUTH cases are skipped
 * @param fullWindows    listen for every expect-none window as long as the suite wrote, even against
 *                       a server that has shown it answers at once
 */
public record RunSettings(Duration replyTimeout, boolean rfcReplyWaits, Duration connectTimeout, TlsSettings tls,
                          OptionalInt rate, int maxConnections, boolean allowDelivery, Variables variables,
                          Optional<AuthCredentials> credentials, boolean fullWindows) {

    public RunSettings {
        Objects.requireNonNull(replyTimeout, "replyTimeout == null");
        Objects.requireNonNull(connectTimeout, "connectTimeout == null");
        Objects.requireNonNull(tls, "tls == null");
        Objects.requireNonNull(rate, "rate == null");
        Objects.requireNonNull(variables, "variables == null");
        Objects.requireNonNull(credentials, "credentials == null");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections < 1: " + maxConnections);
        }
        if (rate.isPresent() && rate.getAsInt() < 0) {
            throw new IllegalArgumentException("rate < 0: " + rate.getAsInt());
        }
    }

    /** The client's defaults, one connection, the policy's rate, no delivery off loopback, no AUTH. */
    public static RunSettings defaults() {
        ClientOptions client = ClientOptions.defaults();
        return new RunSettings(client.replyTimeout(), false, client.connectTimeout(), TlsSettings.defaults(),
                OptionalInt.empty(), 1, false, Variables.defaults(), Optional.empty(), false);
    }

    /** A copy that waits {@code timeout} for every reply. */
    public RunSettings withReplyTimeout(Duration timeout) {
        return new RunSettings(timeout, false, connectTimeout, tls, rate, maxConnections, allowDelivery, variables,
                credentials, fullWindows);
    }

    /**
     * A copy that waits for each reply as long as RFC 5321 §4.5.3.2 says; {@code otherWaits} bounds
     * what the RFC does not time.
     */
    public RunSettings withRfcReplyWaits(Duration otherWaits) {
        return new RunSettings(otherWaits, true, connectTimeout, tls, rate, maxConnections, allowDelivery, variables,
                credentials, fullWindows);
    }

    public RunSettings withConnectTimeout(Duration timeout) {
        return new RunSettings(replyTimeout, rfcReplyWaits, timeout, tls, rate, maxConnections, allowDelivery, variables,
                credentials, fullWindows);
    }

    public RunSettings withTls(TlsSettings other) {
        return new RunSettings(replyTimeout, rfcReplyWaits, connectTimeout, other, rate, maxConnections, allowDelivery,
                variables, credentials, fullWindows);
    }

    /** A copy with at most {@code perSecond} new connections per second (0: no limit); empty: the policy's default. */
    public RunSettings withRate(OptionalInt perSecond) {
        return new RunSettings(replyTimeout, rfcReplyWaits, connectTimeout, tls, perSecond, maxConnections, allowDelivery,
                variables, credentials, fullWindows);
    }

    public RunSettings withMaxConnections(int connections) {
        return new RunSettings(replyTimeout, rfcReplyWaits, connectTimeout, tls, rate, connections, allowDelivery,
                variables, credentials, fullWindows);
    }

    public RunSettings withAllowDelivery(boolean allow) {
        return new RunSettings(replyTimeout, rfcReplyWaits, connectTimeout, tls, rate, maxConnections, allow, variables,
                credentials, fullWindows);
    }

    public RunSettings withVariables(Variables other) {
        return new RunSettings(replyTimeout, rfcReplyWaits, connectTimeout, tls, rate, maxConnections, allowDelivery,
                other, credentials, fullWindows);
    }

    public RunSettings withCredentials(Optional<AuthCredentials> account) {
        return new RunSettings(replyTimeout, rfcReplyWaits, connectTimeout, tls, rate, maxConnections, allowDelivery,
                variables, account, fullWindows);
    }

    /** A copy that listens for expect-none windows in full, or cuts them against a prompt server. */
    public RunSettings withFullWindows(boolean full) {
        return new RunSettings(replyTimeout, rfcReplyWaits, connectTimeout, tls, rate, maxConnections, allowDelivery,
                variables, credentials, full);
    }

    /** The client's options: its waits, and the rate until a target's policy sets it. */
    public ClientOptions clientOptions() {
        return ClientOptions.defaults().withReplyTimeout(replyTimeout).withConnectTimeout(connectTimeout)
                .withConnectionsPerSecond(rate.orElse(0));
    }

    /** The runner's options for scripted and generated dialogues. */
    public RunnerOptions runnerOptions() {
        RunnerOptions options = RunnerOptions.defaults().withVariables(variables).withAllowDelivery(allowDelivery)
                .withFullWindows(fullWindows);
        if (rfcReplyWaits) {
            options = options.withRfcReplyWaits();
        }
        return credentials.isPresent() ? options.withCredentials(credentials.get()) : options;
    }
}
