package io.smtpharness.service;

import io.smtpharness.client.SmtpClient;
import io.smtpharness.client.TargetUnreachableException;
import io.smtpharness.dialogue.Dialogue;
import io.smtpharness.dialogue.RunExecutor;
import io.smtpharness.result.RunListener;
import io.smtpharness.result.RunSummary;
import io.smtpharness.server.ReferenceServer;
import io.smtpharness.server.ServerConfig;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The one way traffic reaches a target, for {@code run}, {@code fuzz}, {@code load} and the JUnit
 * integration alike, so the library is exactly as safe as the command line: one client built from
 * the {@link RunSettings}, the embedded reference server when there is no target, and for any other
 * target the {@link TargetPolicy} (its pace applied, its warning said, its refusal enforced) before
 * the first connection. Scripted cases run here too; fuzzing and load take the client and the
 * destination this hands out. Closing it stops what it started.
 */
public final class RunService implements AutoCloseable {

    /** Where a run's traffic goes, and how its reports name it. */
    public record Destination(InetSocketAddress address, String label) {
        public Destination {
            Objects.requireNonNull(address, "address == null");
            Objects.requireNonNull(label, "label == null");
        }
    }

    private final RunSettings settings;
    private final Consumer<String> notices;
    private final SmtpClient client;
    private final Deque<ReferenceServer> started = new ArrayDeque<>();

    /** @param notices where warnings for the user go (e.g. a target off loopback), one line each */
    public RunService(RunSettings settings, Consumer<String> notices) {
        this.settings = Objects.requireNonNull(settings, "settings == null");
        this.notices = Objects.requireNonNull(notices, "notices == null");
        this.client = new SmtpClient(settings.clientOptions(), settings.tls());
    }

    /** The client every connection of the run goes through, paced by the policy of the last target guarded. */
    public SmtpClient client() {
        return client;
    }

    /** Starts the embedded reference server as {@code config} says; it stops when this service closes. */
    public Destination embedded(ServerConfig config) {
        ReferenceServer server = ReferenceServer.start(config);
        started.push(server);
        InetSocketAddress address = server.address();
        return new Destination(address, "embedded reference server " + address.getAddress().getHostAddress() + ":"
                + address.getPort());
    }

    /**
     * Before {@code traffic} goes to {@code address}: the target's policy is applied to the client and
     * its warning said; a policy that refuses the traffic throws {@link IllegalArgumentException},
     * naming why, before any connection.
     */
    public Destination guarded(InetSocketAddress address, String label, TargetPolicy.Traffic traffic) {
        TargetPolicy.refusal(traffic, address, label, settings.rate(), settings.allowDelivery()).ifPresent(why -> {
            throw new IllegalArgumentException(why);
        });
        TargetPolicy policy = TargetPolicy.of(address, label, settings.rate(), settings.allowDelivery());
        policy.applyTo(client);
        policy.warning(traffic, settings.maxConnections()).ifPresent(notices);
        return new Destination(address, label);
    }

    /** One connection that must be greeted, so a dead target is one message, not a failure per case. */
    public void preflight(Destination destination) throws TargetUnreachableException {
        Preflight.greeted(client, destination.address(), destination.label());
    }

    /** Runs scripted cases here: at most the settings' connections at once, listeners told as each ends. */
    public RunExecutor executor(List<RunListener> listeners) {
        return new RunExecutor(client, settings.runnerOptions(), settings.maxConnections(), listeners);
    }

    /** Runs {@code dialogues} against {@code destination} ({@link #executor}); {@code version} goes in the summary. */
    public RunSummary runCases(List<Dialogue> dialogues, Destination destination, List<RunListener> listeners,
                               String version) {
        return executor(listeners).run(dialogues, destination.address(), destination.label(), version);
    }

    /** Stops the servers it started, then the client. */
    @Override
    public void close() {
        try {
            while (!started.isEmpty()) {
                started.pop().close();
            }
        } finally {
            client.close();
        }
    }
}
