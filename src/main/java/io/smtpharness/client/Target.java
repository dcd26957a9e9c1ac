package io.smtpharness.client;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A server to test as the user writes it: {@code HOST:PORT}, {@code [IPv6]:PORT}, or a host alone (port 25). */
public record Target(String host, int port) {

    private static final Pattern FORM = Pattern.compile("(?:\\[([0-9A-Fa-f:.]+)]|([^:\\[\\]]+))(?::(\\d{1,5}))?");

    public Target {
        Objects.requireNonNull(host, "host == null");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not between 1 and 65535");
        }
    }

    /** Parses {@code text}; an {@link IllegalArgumentException} says what is wrong with it. */
    public static Target parse(String text) {
        Matcher m = FORM.matcher(Objects.requireNonNull(text, "text == null").trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not HOST:PORT (IPv6 as [::1]:25)");
        }
        int port = m.group(3) == null ? 25 : Integer.parseInt(m.group(3));
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("'" + text + "': port " + port + " is not between 1 and 65535");
        }
        return new Target(m.group(1) != null ? m.group(1) : m.group(2), port);
    }

    /** Resolves the host; an unknown name means the target cannot be reached at all. */
    public InetSocketAddress resolve() throws TargetUnreachableException {
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new TargetUnreachableException("cannot resolve host '" + host + "'", e);
        }
    }

    /** {@code host:port}, an IPv6 host in brackets. */
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
