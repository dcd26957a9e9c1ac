package io.smtpharness.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A private Postfix on a free 127.0.0.1 port, for tests that want a real SMTP server as a peer.
 *
 * <p>Started by {@code src/test/servers/start-postfix.sh} (loopback only, accepts mail for
 * {@code test.example} only, no outbound transport, loopback-only DNS), with its own runtime
 * directory under the system temp dir so parallel runs do not collide. Needs root.
 *
 * <pre>{@code
 * static PostfixServer postfix;
 * @BeforeAll static void start() { postfix = PostfixServer.startOrSkip(); }
 * @AfterAll static void stop() { if (postfix != null) postfix.close(); }
 * }</pre>
 *
 * <p>{@link #startOrSkip()} skips the test (JUnit assumption) when Postfix cannot be had, except
 * on CI (environment variable {@code CI} set, not {@code false}/{@code 0}) or with
 * {@code -Dsmtpharness.requirePostfix=true}: there it fails the test, so a broken fixture is never
 * a silent skip.
 */
public final class PostfixServer implements AutoCloseable {

    /**
     * How long {@link #start()} waits for the start script (install + first start); 60 s unless
     * {@code -Dsmtpharness.postfixStartTimeout=SECONDS}.
     */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(Long.getLong("smtpharness.postfixStartTimeout", 60));
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final String HOST = "127.0.0.1";
    private static final int PORT_ATTEMPTS = 3;

    private final int port;
    private final Path runDir;
    private final Path serversDir;
    private final String startLog;
    private final Thread shutdownHook;
    private boolean closed;

    private PostfixServer(int port, Path runDir, Path serversDir, String startLog) {
        this.port = port;
        this.runDir = runDir;
        this.serversDir = serversDir;
        this.startLog = startLog;
        this.shutdownHook = new Thread(this::stopQuietly, "postfix-server-stop-" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts Postfix, or ends the calling test: skipped locally, failed on CI, with the reason
     * (including the start script's stderr).
     */
    public static PostfixServer startOrSkip() {
        String reason = unavailableReason();
        if (reason != null) {
            skipOrFail(reason, requiredHere());
        }
        try {
            return start();
        } catch (StartException e) {
            skipOrFail(e.getMessage(), requiredHere());
            throw e; // not reached: skipOrFail always throws
        }
    }

    /** Starts Postfix on a free loopback port; throws {@link StartException} when it cannot. */
    public static PostfixServer start() {
        String reason = unavailableReason();
        if (reason != null) {
            throw new StartException(reason);
        }
        Path serversDir = serversDir();
        Path runDir;
        try {
            runDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "smtp-harness-postfix-");
        } catch (IOException e) {
            throw new StartException("cannot create a runtime directory under java.io.tmpdir: " + e);
        }
        StartException last = null;
        for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
            int port = freeLoopbackPort();
            ScriptResult r = runScript(serversDir.resolve("start-postfix.sh"), runDir, port, START_TIMEOUT, "start");
            if (r.exitCode == 0 && r.stdout.strip().equals(Integer.toString(port))) {
                PostfixServer server = new PostfixServer(port, runDir, serversDir, r.stderr);
                System.err.println("[PostfixServer] " + server.hostAndPort() + " ready (" + r.millis
                        + " ms, dir " + runDir + ")");
                return server;
            }
            last = new StartException("start-postfix.sh " + r.describe() + " (port " + port + ", SMTP_PEERS_RUN="
                    + runDir + ")\n--- stdout ---\n" + r.stdout + "--- stderr ---\n" + r.stderr);
            // make sure nothing half-started stays behind before trying again or giving up
            runScript(serversDir.resolve("stop-postfix.sh"), runDir, port, STOP_TIMEOUT, "stop");
            // another process may have grabbed the port between our probe and the bind: retry
            if (!r.stderr.contains("already in use")) {
                break;
            }
        }
        if (!Boolean.getBoolean("smtpharness.keepPostfixRun")) {
            deleteTree(runDir); // everything useful from it is in the message
        }
        throw last;
    }

    /** True when the preconditions hold (Linux, root, scripts present); the start itself may still fail. */
    public static boolean available() {
        return unavailableReason() == null;
    }

    /** Why Postfix cannot be started here, or {@code null} when the preconditions hold. */
    public static String unavailableReason() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return "private Postfix needs Linux (mount namespaces), this is " + System.getProperty("os.name");
        }
        if (!isRoot()) {
            return "private Postfix needs root (binds, drops privileges, unshare --mount); running as "
                    + System.getProperty("user.name");
        }
        Path script = serversDir().resolve("start-postfix.sh");
        if (!Files.isRegularFile(script)) {
            return "start script not found: " + script;
        }
        return null;
    }

    /** True on CI (env {@code CI} set and not false/0) or with {@code -Dsmtpharness.requirePostfix=true}. */
    public static boolean requiredHere() {
        return isTruthy(System.getenv("CI")) || Boolean.getBoolean("smtpharness.requirePostfix");
    }

    static boolean isTruthy(String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        return !v.equals("false") && !v.equals("0") && !v.equals("no");
    }

    /** Always throws: a failed assertion when {@code required}, an aborted (skipped) test otherwise. */
    static void skipOrFail(String reason, boolean required) {
        if (required) {
            Assertions.fail("Postfix fixture unavailable (CI requires it, tests must not be skipped): " + reason);
        }
        Assumptions.abort("Postfix fixture unavailable, skipping: " + reason);
    }

    /** Always {@code 127.0.0.1}. */
    public String host() {
        return HOST;
    }

    /** The port Postfix listens on. */
    public int port() {
        return port;
    }

    /** {@code "127.0.0.1:PORT"}, as the CLI's {@code --target} takes it. */
    public String hostAndPort() {
        return HOST + ":" + port;
    }

    /** The runtime directory ({@code SMTP_PEERS_RUN}); removed by {@link #close()}. */
    public Path runDir() {
        return runDir;
    }

    /** The maildir every accepted {@code test.example} message lands in (has {@code new/} once mail arrived). */
    public Path maildir() {
        return runDir.resolve("postfix/mail/test.example");
    }

    /** Postfix's log file. */
    public Path maillog() {
        return runDir.resolve("postfix/maillog");
    }

    /** What the start script printed on stderr (readiness time and greeting). */
    public String startLog() {
        return startLog;
    }

    /** The files of all messages delivered so far ({@code new/} and {@code cur/}), oldest name first. */
    public List<Path> deliveredMessages() {
        List<Path> out = new ArrayList<>();
        for (String sub : List.of("new", "cur")) {
            Path d = maildir().resolve(sub);
            if (Files.isDirectory(d)) {
                try (Stream<Path> s = Files.list(d)) {
                    s.filter(Files::isRegularFile).forEach(out::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        out.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return out;
    }

    /**
     * Stops Postfix (waits until the port is free) and deletes the runtime directory, unless
     * {@code -Dsmtpharness.keepPostfixRun=true}. Idempotent. Throws if the stop script fails; the
     * directory is then kept for inspection.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // JVM exit in progress: the hook runs the stop anyway
        }
        ScriptResult r = runScript(serversDir.resolve("stop-postfix.sh"), runDir, port, STOP_TIMEOUT, "stop");
        if (r.exitCode != 0) {
            throw new IllegalStateException("stop-postfix.sh " + r.describe() + " (dir kept: " + runDir
                    + ")\n--- stderr ---\n" + r.stderr);
        }
        if (!Boolean.getBoolean("smtpharness.keepPostfixRun")) {
            deleteTree(runDir);
        }
    }

    private synchronized void stopQuietly() {
        if (!closed) {
            closed = true;
            runScript(serversDir.resolve("stop-postfix.sh"), runDir, port, STOP_TIMEOUT, "stop");
        }
    }

    @Override
    public String toString() {
        return "PostfixServer[" + hostAndPort() + ", " + runDir + "]";
    }

    /** A port that was free on 127.0.0.1 a moment ago. */
    static int freeLoopbackPort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free loopback port", e);
        }
    }

    static Path serversDir() {
        String explicit = System.getProperty("smtpharness.serversDir");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit).toAbsolutePath();
        }
        // Surefire sets basedir; an IDE runs with the module directory as working directory
        String base = System.getProperty("basedir", System.getProperty("user.dir"));
        return Path.of(base).toAbsolutePath().resolve("src/test/servers");
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("Uid:")) {
                    String[] f = line.substring(4).trim().split("\\s+");
                    return f.length > 1 && f[1].equals("0"); // effective uid
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return "root".equals(System.getProperty("user.name"));
    }

    private static ScriptResult runScript(Path script, Path runDir, int port, Duration timeout, String what) {
        Path out = runDir.resolve(what + ".stdout");
        Path err = runDir.resolve(what + ".stderr");
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().put("POSTFIX_PORT", Integer.toString(port));
        pb.environment().put("SMTP_PEERS_RUN", runDir.toString());
        long t0 = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new ScriptResult(-1, "", "cannot run bash " + script + ": " + e + "\n", false, 0);
        }
        boolean finished;
        try {
            finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        if (!finished) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        return new ScriptResult(finished ? p.exitValue() : -1, readQuietly(out), readQuietly(err), !finished,
                millis, timeout);
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: a leftover temp dir is harmless
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort
        }
    }

    private static final class ScriptResult {
        final int exitCode;
        final String stdout;
        final String stderr;
        final boolean timedOut;
        final long millis;
        final Duration timeout;

        ScriptResult(int exitCode, String stdout, String stderr, boolean timedOut, long millis) {
            this(exitCode, stdout, stderr, timedOut, millis, Duration.ZERO);
        }

        ScriptResult(int exitCode, String stdout, String stderr, boolean timedOut, long millis, Duration timeout) {
            this.exitCode = exitCode;
            this.stdout = stdout;
            this.stderr = stderr;
            this.timedOut = timedOut;
            this.millis = millis;
            this.timeout = timeout;
        }

        String describe() {
            return timedOut ? "timed out after " + timeout.toSeconds() + " s (killed)"
                    : "exited " + exitCode + " after " + millis + " ms";
        }
    }

    /** Postfix could not be started; the message includes the start script's stdout and stderr. */
    public static final class StartException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StartException(String message) {
            super(message);
        }
    }
}
