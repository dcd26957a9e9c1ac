package io.smtpharness.service;

import io.smtpharness.client.GreetingCheck;
import io.smtpharness.client.SmtpClient;
import io.smtpharness.client.TargetUnreachableException;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * One connection before a run that must be greeted within the reply timeout, so a target that is
 * unreachable or does not speak SMTP is one message (exit 3 on the command line), not every case
 * or session waiting in vain. For {@code run}, {@code load} and the JUnit integration alike.
 */
public final class Preflight {

    private Preflight() {
    }

    /** Throws, naming {@code label} and what went wrong, unless a fresh connection gets a greeting. */
    public static void greeted(SmtpClient client, InetSocketAddress address, String label)
            throws TargetUnreachableException {
        Optional<String> problem = GreetingCheck.problem(client, address, client.options().replyTimeout());
        if (problem.isPresent()) {
            throw new TargetUnreachableException(label + " does not speak SMTP: " + problem.get(), null);
        }
    }
}
