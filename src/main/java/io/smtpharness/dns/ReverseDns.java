package io.smtpharness.dns;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * The reverse DNS of one address.
 *
 * @param address   the address looked up
 * @param names     its PTR names
 * @param confirmed whether one of them resolves back to the address (forward-confirmed)
 * @param problem   why not, or "" when confirmed
 */
public record ReverseDns(InetAddress address, List<String> names, boolean confirmed, String problem) {

    public ReverseDns {
        Objects.requireNonNull(address, "address == null");
        names = List.copyOf(names);
        Objects.requireNonNull(problem, "problem == null");
    }
}
