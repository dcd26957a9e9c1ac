package io.smtpharness.process;

import io.smtpharness.client.GreetingCheck;
import io.smtpharness.client.SmtpClient;
import io.smtpharness.client.TargetUnreachableException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** Waiting for a (re)started server to greet on its address. */
final class Greeted {

    /** Between two tries of a server that is not listening yet. */
    private static final Duration RETRY = Duration.ofMillis(100);

    private Greeted() {
    }

    /**
     * Waits until a connection to {@code address} gets a proper greeting, at most {@code within};
     * stops early when {@code gone} says the server cannot come any more (its process exited).
     * Returns empty once greeted, else the last problem seen.
     */
    static Optional<String> await(SmtpClient client, InetSocketAddress address, Duration within, BooleanSupplier gone) {
        long deadline = System.nanoTime() + within.toNanos();
        String last = "nothing listened on " + address;
        while (System.nanoTime() - deadline < 0) {
            if (gone.getAsBoolean()) {
                return Optional.of(last);
            }
            try {
                Optional<String> problem = GreetingCheck.problem(client, address, client.options().replyTimeout());
                if (problem.isEmpty()) {
                    return Optional.empty();
                }
                last = problem.get();
            } catch (TargetUnreachableException e) {
                last = e.getMessage();
            }
            try {
                Thread.sleep(RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of("interrupted");
            }
        }
        return Optional.of(last + " (waited " + within.toSeconds() + " s)");
    }
}
