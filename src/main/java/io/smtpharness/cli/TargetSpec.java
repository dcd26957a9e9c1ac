package io.smtpharness.cli;

import io.smtpharness.client.TargetUnreachableException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A {@code --target} value: {@code HOST:PORT}, {@code [IPv6]:PORT}, or a host alone (port 25). */
record TargetSpec(String host, int port) {

    private static final Pattern FORM = Pattern.compile("(?:\\[([0-9A-Fa-f:.]+)]|([^:\\[\\]]+))(?::(\\d{1,5}))?");

    /** Parses the option text; a malformed value is a usage error. */
    static TargetSpec parse(String text) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new UsageException("--target '" + text + "' is not HOST:PORT (IPv6 as [::1]:25)");
        }
        int port = m.group(3) == null ? 25 : Integer.parseInt(m.group(3));
        if (port < 1 || port > 65535) {
            throw new UsageException("--target '" + text + "': port " + port + " is not between 1 and 65535");
        }
        return new TargetSpec(m.group(1) != null ? m.group(1) : m.group(2), port);
    }

    /** Resolves the host; an unknown name means the target cannot be reached (exit 3). */
    InetSocketAddress resolve() throws TargetUnreachableException {
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new TargetUnreachableException("cannot resolve host '" + host + "'", e);
        }
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
