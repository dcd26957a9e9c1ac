package io.smtpharness.service;

import io.smtpharness.client.SmtpClient;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How gently to treat a target (DESIGN "Safety"): a server on loopback is ours to push; any other
 * one gets at most {@link #DEFAULT_RATE} new connections per second unless the user set a rate,
 * and completed messages only with allow-delivery. One place, for every command and the library.
 *
 * @param description        how messages name the target
 * @param loopback           the target is on 127.0.0.0/8 or ::1
 * @param connectionsPerSecond new connections per second at most (0: no limit)
 * @param allowDelivery      messages may be completed off loopback
 */
public record TargetPolicy(String description, boolean loopback, int connectionsPerSecond, boolean allowDelivery) {

    /** New connections per second to a target off loopback when the user did not say. */
    public static final int DEFAULT_RATE = 5;

    public TargetPolicy {
        Objects.requireNonNull(description, "description == null");
        if (connectionsPerSecond < 0) {
            throw new IllegalArgumentException("connectionsPerSecond < 0: " + connectionsPerSecond);
        }
    }

    /** The policy for {@code address}: {@code rate} if given, else none on loopback and {@link #DEFAULT_RATE} elsewhere. */
    public static TargetPolicy of(InetSocketAddress address, String description, OptionalInt rate, boolean allowDelivery) {
        boolean loopback = onLoopback(address);
        return new TargetPolicy(description, loopback, rate.orElse(loopback ? 0 : DEFAULT_RATE), allowDelivery);
    }

    /** What goes to the target, for warnings and for what the policy allows. */
    public enum Traffic {
        SCRIPTED("test traffic"), FUZZ("fuzz traffic"), LOAD("load");

        private final String label;

        Traffic(String label) {
            this.label = label;
        }
    }

    /**
     * Why {@code traffic} may not go to this target, if it may not: a load of completed messages goes
     * to a server off loopback only when asked for twice, with allow-delivery and an explicit rate.
     */
    public static java.util.Optional<String> refusal(Traffic traffic, InetSocketAddress address, String description,
                                                     OptionalInt rate, boolean allowDelivery) {
        if (traffic != Traffic.LOAD || onLoopback(address) || allowDelivery && rate.orElse(0) > 0) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(description + " is not on loopback: load sends complete messages, so it needs "
                + "--allow-delivery and an explicit --rate N (new connections per second)");
    }

    private static boolean onLoopback(InetSocketAddress address) {
        return address.getAddress() != null && address.getAddress().isLoopbackAddress();
    }

    /** Paces {@code client}'s connections as this policy says. */
    public void applyTo(SmtpClient client) {
        client.limitConnectionRate(connectionsPerSecond);
    }

    /**
     * The warning to print before {@code what} traffic goes to a target off loopback, with
     * {@code connections} at once at most (0: not said); empty on loopback.
     */
    public java.util.Optional<String> warning(Traffic traffic, int connections) {
        return warning(traffic.label, connections);
    }

    private java.util.Optional<String> warning(String what, int connections) {
        if (loopback) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("warning: " + description + " is not on loopback: " + what + " goes there ("
                + (connections > 0 ? connections + (connections == 1 ? " connection" : " connections") + " at most, " : "")
                + (connectionsPerSecond == 0 ? "no rate limit" : connectionsPerSecond + " new per second") + ", "
                + (allowDelivery ? "messages may be delivered)" : "no message is completed)"));
    }
}
