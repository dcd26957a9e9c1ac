package io.smtpharness.process;

import io.smtpharness.client.SmtpClient;
import io.smtpharness.client.TargetUnreachableException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A target managed elsewhere (a service manager, a container) that a command restarts
 * ({@code --restart}): the command runs to its end, then the target must greet again. How the
 * target ended is not the harness's to see, so there is no crash evidence beyond the lost greeting.
 */
public final class RestartCommand implements TargetControl {

    private final String command;
    private final InetSocketAddress address;
    private final SmtpClient client;
    private final Duration startTimeout;
    private int restarts;

    public RestartCommand(String command, InetSocketAddress address, SmtpClient client, Duration startTimeout) {
        this.command = command;
        this.address = address;
        this.client = client;
        this.startTimeout = startTimeout;
    }

    @Override
    public Optional<String> crashEvidence() {
        return Optional.empty();
    }

    @Override
    public synchronized void restart() throws TargetUnreachableException {
        restarts++;
        int status;
        try {
            Process p = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(startTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new TargetUnreachableException("--restart: '" + command + "' did not finish within "
                        + startTimeout.toSeconds() + " s", null);
            }
            status = p.exitValue();
        } catch (IOException e) {
            throw new TargetUnreachableException("--restart: cannot run '" + command + "': " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TargetUnreachableException("--restart: interrupted", e);
        }
        if (status != 0) {
            throw new TargetUnreachableException("--restart: '" + command + "' exited with status " + status, null);
        }
        Optional<String> problem = Greeted.await(client, address, startTimeout, () -> false);
        if (problem.isPresent()) {
            throw new TargetUnreachableException("--restart: after '" + command + "' the target does not greet: "
                    + problem.get(), null);
        }
    }

    @Override
    public int restarts() {
        return restarts;
    }

    @Override
    public void close() {
        // the target is not the harness's to stop
    }
}
