package io.smtpharness.process;

import io.smtpharness.client.SmtpClient;
import io.smtpharness.client.TargetUnreachableException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The server under test as a child process ({@code --exec}): {@code /bin/sh -c COMMAND}, started,
 * awaited until it greets on the target address, watched (exit status, signal, the last lines of
 * its stderr), restarted after a crash, and stopped with its whole process tree at the end.
 */
public final class ServerProcess implements TargetControl {

    /** The stderr lines kept as crash evidence (a bounded tail: a chatty server costs no memory). */
    static final int STDERR_LINES = 20;
    private static final int MAX_LINE = 500;
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);
    /** How long a server that may be down gets to greet (or to finish exiting) before it is called down. */
    private static final Duration DOWN_CHECK = Duration.ofSeconds(2);
    /** Signals a crash is usually told by, as the shell reports them (exit status 128 + N). */
    private static final Map<Integer, String> SIGNALS = Map.of(1, "SIGHUP", 2, "SIGINT", 3, "SIGQUIT", 4, "SIGILL",
            6, "SIGABRT", 7, "SIGBUS", 8, "SIGFPE", 9, "SIGKILL", 11, "SIGSEGV", 15, "SIGTERM");

    private final String command;
    private final InetSocketAddress address;
    private final SmtpClient client;
    private final Duration startTimeout;
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private Process process;
    private int restarts;

    private ServerProcess(String command, InetSocketAddress address, SmtpClient client, Duration startTimeout) {
        this.command = command;
        this.address = address;
        this.client = client;
        this.startTimeout = startTimeout;
    }

    /**
     * Starts {@code command} and waits until a connection to {@code address} is greeted.
     *
     * @throws TargetUnreachableException when it exits first or does not greet within {@code startTimeout}
     */
    public static ServerProcess start(String command, InetSocketAddress address, SmtpClient client,
                                      Duration startTimeout) throws TargetUnreachableException {
        ServerProcess server = new ServerProcess(command, address, client, startTimeout);
        server.launch();
        return server;
    }

    private void launch() throws TargetUnreachableException {
        synchronized (stderrTail) {
            stderrTail.clear();
        }
        try {
            process = new ProcessBuilder("/bin/sh", "-c", command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new TargetUnreachableException("--exec: cannot start '" + command + "': " + e.getMessage(), e);
        }
        try {
            process.getOutputStream().close(); // the server reads no stdin
        } catch (IOException ignored) {
            // already closed
        }
        Thread drain = new Thread(this::drainStderr, "exec-stderr");
        drain.setDaemon(true);
        drain.start();
        Optional<String> problem = Greeted.await(client, address, startTimeout, () -> !process.isAlive());
        if (problem.isPresent()) {
            String how = process.isAlive() ? "does not greet on " + address + ": " + problem.get() : describeExit();
            stopProcess();
            throw new TargetUnreachableException("--exec: the server started by '" + command + "' " + how + stderr(), null);
        }
    }

    private void drainStderr() {
        Process p = process;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                synchronized (stderrTail) {
                    if (stderrTail.size() == STDERR_LINES) {
                        stderrTail.removeFirst();
                    }
                    stderrTail.addLast(line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + "..." : line);
                }
            }
        } catch (IOException e) {
            // the process went away: its tail is what it is
        }
    }

    /** The last lines the server wrote to stderr, oldest first. */
    private List<String> stderrTail() {
        synchronized (stderrTail) {
            return List.copyOf(stderrTail);
        }
    }

    @Override
    public Optional<String> crashEvidence() {
        if (process.isAlive()) {
            return Optional.empty();
        }
        try {
            process.waitFor(1, TimeUnit.SECONDS); // let its stderr drain
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.of("the server process " + describeExit() + stderr());
    }

    @Override
    public Optional<String> crashEvidence(Duration within) {
        try {
            process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return crashEvidence();
    }

    @Override
    public Optional<String> downEvidence() {
        if (!process.isAlive()) {
            return crashEvidence();
        }
        Optional<String> silent = Greeted.await(client, address, DOWN_CHECK, () -> !process.isAlive());
        if (silent.isEmpty()) {
            return Optional.empty();
        }
        return crashEvidence(DOWN_CHECK).or(() -> Optional.of("the server process runs but does not greet: "
                + silent.get() + stderr()));
    }

    /** "exited with status 1", or "was killed by signal 11 (SIGSEGV)" when the shell reports a signal. */
    private String describeExit() {
        int status = process.exitValue();
        if (status > 128 && status < 160) {
            int signal = status - 128;
            return "was killed by signal " + signal + Optional.ofNullable(SIGNALS.get(signal)).map(n -> " (" + n + ")")
                    .orElse("") + " (exit status " + status + ")";
        }
        return "exited with status " + status;
    }

    private String stderr() {
        List<String> tail = stderrTail();
        return tail.isEmpty() ? "; it wrote nothing to stderr"
                : "; the last lines of its stderr:\n  " + String.join("\n  ", tail);
    }

    @Override
    public synchronized void restart() throws TargetUnreachableException {
        stopProcess();
        restarts++;
        launch();
    }

    /** The harness started it, and starts it again in the time it takes the server to greet. */
    @Override
    public boolean restartsAfterEveryCrash() {
        return true;
    }

    @Override
    public int restarts() {
        return restarts;
    }

    @Override
    public void close() {
        stopProcess();
    }

    /** TERM to the process and its descendants, KILL after a while; waits until they are gone. */
    private void stopProcess() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroy();
        tree.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
