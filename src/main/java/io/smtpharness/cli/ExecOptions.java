package io.smtpharness.cli;

import io.smtpharness.client.SmtpClient;
import io.smtpharness.client.TargetUnreachableException;
import io.smtpharness.process.ServerProcess;
import io.smtpharness.process.TargetControl;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --exec}: the server under test as a child process of the harness, shared by {@code run} and {@code fuzz}. */
final class ExecOptions {

    @Option(names = "--exec", paramLabel = "COMMAND",
            description = "Start the server under test with this shell command, wait until it greets on --target,"
                    + " watch it (exit status, signal, the last lines of its stderr) and stop it at the end; fuzz"
                    + " restarts it after a crash. Needs --target.")
    String exec;

    @Option(names = "--start-timeout", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "30s",
            description = "How long a server started or restarted by the harness may take to greet (default: ${DEFAULT-VALUE}).")
    Duration startTimeout;

    /** Refuses --exec without a host:port target: the harness must know where the command's server listens. */
    void check(TargetOptions t) {
        if (exec != null && t.target == null) {
            throw new UsageException("--exec needs --target HOST:PORT, the address where the command's server listens");
        }
        if (exec != null && exec.isBlank()) {
            throw new UsageException("--exec needs a command");
        }
    }

    /** With --exec: the started server, greeting on {@code address}; else empty. */
    Optional<TargetControl> start(SmtpClient client, InetSocketAddress address) throws TargetUnreachableException {
        return exec == null ? Optional.empty() : Optional.of(ServerProcess.start(exec, address, client, startTimeout));
    }
}
