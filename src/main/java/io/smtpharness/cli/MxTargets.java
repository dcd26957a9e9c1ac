package io.smtpharness.cli;

import io.smtpharness.client.SmtpClient;
import io.smtpharness.client.TargetUnreachableException;
import io.smtpharness.dns.DnsFinding;
import io.smtpharness.dns.MxCandidate;
import io.smtpharness.dns.MxResult;
import io.smtpharness.transcript.Transcript;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** {@code run --domain}: the first MX host, in RFC 5321 §5.1 order, that accepts a connection. */
final class MxTargets {

    /**
     * The address to test, how it was chosen (e.g. {@code mx1.example.test:25 (MX 10 of example.test)})
     * and the lookup it came from.
     */
    record Chosen(InetSocketAddress address, String description, MxResult.Candidates lookup) {
    }

    private MxTargets() {
    }

    /** The first reachable candidate, in §5.1 order (exit 3 when none is). */
    static Chosen firstReachable(MxResult result, int port, SmtpClient client, PrintWriter err)
            throws TargetUnreachableException {
        return reachable(result, port, client, err, false).get(0);
    }

    /** Every reachable candidate address, in §5.1 order (exit 3 when none is), for --all-mx. */
    static List<Chosen> allReachable(MxResult result, int port, SmtpClient client, PrintWriter err)
            throws TargetUnreachableException {
        return reachable(result, port, client, err, true);
    }

    private static List<Chosen> reachable(MxResult result, int port, SmtpClient client, PrintWriter err, boolean all)
            throws TargetUnreachableException {
        for (DnsFinding f : result.findings()) {
            err.println("warning: DNS: " + f);
        }
        if (!(result instanceof MxResult.Candidates candidates)) {
            throw new TargetUnreachableException(result.message(), null);
        }
        List<String> tried = new ArrayList<>();
        List<Chosen> chosen = new ArrayList<>();
        for (MxCandidate c : candidates.candidates()) {
            for (InetAddress a : c.addresses()) {
                InetSocketAddress address = new InetSocketAddress(a, port);
                try {
                    client.connect(address, new Transcript()).close();
                    String description = MxReport.describe(c, result.domain(), port);
                    err.println("target: " + description + " at " + a.getHostAddress());
                    chosen.add(new Chosen(address, description, candidates));
                    if (!all) {
                        return chosen;
                    }
                } catch (TargetUnreachableException e) {
                    err.println("note: " + c.host() + " (" + a.getHostAddress() + ":" + port + ") unreachable, "
                            + (all ? "left out: " : "trying the next MX: ") + e.getMessage());
                    tried.add(c.host() + " " + a.getHostAddress());
                }
            }
        }
        if (!chosen.isEmpty()) {
            return chosen;
        }
        throw new TargetUnreachableException("no reachable MX for " + result.domain() + " on port " + port
                + " (tried " + String.join(", ", tried) + ")", null);
    }
}
