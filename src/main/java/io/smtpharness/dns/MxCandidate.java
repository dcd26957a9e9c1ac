package io.smtpharness.dns;

import java.net.InetAddress;
import java.util.List;

/**
 * One host an MTA would try for a domain, in the order it would try them.
 *
 * @param preference the MX preference (0 for an implicit MX)
 * @param host       the host name, without the trailing dot
 * @param addresses  its A then AAAA addresses (empty when none could be found)
 * @param implicit   true when there is no MX and the domain's own A/AAAA stand in (RFC 5321 §5.1)
 */
public record MxCandidate(int preference, String host, List<InetAddress> addresses, boolean implicit) {

    public MxCandidate {
        addresses = List.copyOf(addresses);
    }

    /** How this host was found, e.g. {@code MX 10 of example.test} or {@code implicit MX: A/AAAA of example.test}. */
    public String howFound(String domain) {
        return implicit ? "implicit MX: A/AAAA of " + domain : "MX " + preference + " of " + domain;
    }
}
