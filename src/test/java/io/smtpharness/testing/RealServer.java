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
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real SMTP server (Postfix, Exim, OpenSMTPD, aiosmtpd, Sendmail: Debian 12 builds; GreenMail from
 * Maven Central; Nodemailer's smtp-server from npm) on a free 127.0.0.1 port, for tests that want a
 * real server as a peer.
 *
 * <p>Started by {@code src/test/servers/start-<name>.sh} (loopback only, accepts mail for
 * {@code test.example} only -- GreenMail: any recipient, kept in memory --, no outbound transport,
 * loopback-only DNS), with its own runtime directory under the system temp dir. Needs root and
 * Linux; the scripts install what is missing.
 *
 * <pre>{@code
 * // one instance per kind for the whole JVM, stopped when the JVM exits:
 * RealServer exim = RealServer.sharedOrSkip(RealServer.Kind.EXIM);
 * // or a private instance:
 * try (RealServer postfix = RealServer.startOrSkip(RealServer.Kind.POSTFIX)) { ... }
 * }</pre>
 *
 * <p>The {@code ...OrSkip} methods skip the test (JUnit assumption) when the server cannot be had,
 * except on CI (environment variable {@code CI} set, not {@code false}/{@code 0}/{@code no}) or with
 * {@code -Dsmtpharness.requireRealServers=true}: there they fail the test, so a broken fixture is
 * never a silent skip.
 *
 * <p>OpenSMTPD has a fixed queue and control socket: only one OpenSMTPD instance can run per
 * machine, so prefer {@link #sharedOrSkip(Kind)} for it.
 */
public final class RealServer implements AutoCloseable {

    /** The servers there are scripts for. */
    public enum Kind {
        POSTFIX("postfix", "POSTFIX_PORT", "postfix/maillog", 4),
        EXIM("exim", "EXIM_PORT", "exim/log/mainlog", 4),
        // listen backlog 5, and it hangs up on pipelined commands: keep the load low
        OPENSMTPD("opensmtpd", "OPENSMTPD_PORT", "opensmtpd/smtpd.log", 2),
        /** aiosmtpd 1.4.3 (Debian python3-aiosmtpd) with STARTTLS, and AUTH PLAIN/LOGIN inside TLS. */
        AIOSMTPD_TLS("aiosmtpd-tls", "AIOSMTPD_TLS_PORT", "aiosmtpd-tls/aiosmtpd.log", 4),
        /**
         * Sendmail 8.17.1.9 (Debian sendmail-bin): refuses senders it cannot route, the default
         * {@code harness@client.test} included (553 5.1.2). Listen backlog 10, a process per session.
         * It logs only to syslog: the log file exists only with {@code SENDMAIL_TRAFFIC_LOG=1} (-X).
         */
        SENDMAIL("sendmail", "SENDMAIL_PORT", "sendmail/traffic.log", 4),
        /**
         * GreenMail 2.1.13 standalone (Maven Central): accepts every recipient and keeps messages in
         * memory; {@link #deliveredMessages()} copies them from its REST API into {@link #maildir()}.
         * AUTH PLAIN/LOGIN in plaintext (no STARTTLS).
         */
        GREENMAIL("greenmail", "GREENMAIL_PORT", "greenmail/greenmail.log", 4),
        /** Nodemailer smtp-server 3.21.6 (npm) without STARTTLS; optional AUTH in plaintext. */
        SMTP_SERVER("smtp-server", "SMTP_SERVER_PORT", "smtp-server/smtp-server.log", 4),
        /** Nodemailer smtp-server 3.21.6 (npm) with STARTTLS; AUTH refused (538) until TLS. */
        SMTP_SERVER_TLS("smtp-server-tls", "SMTP_SERVER_TLS_PORT", "smtp-server-tls/smtp-server.log", 4);

        private final String scriptName;
        private final String portVariable;
        private final String logFile;
        private final int maxConnections;

        Kind(String scriptName, String portVariable, String logFile, int maxConnections) {
            this.scriptName = scriptName;
            this.portVariable = portVariable;
            this.logFile = logFile;
            this.maxConnections = maxConnections;
        }

        /** {@code postfix}, {@code exim}, {@code smtp-server-tls}, ...: the script and directory name. */
        public String scriptName() {
            return scriptName;
        }

        /** How many sessions at once a conformance run should open against this server. */
        public int maxConnections() {
            return maxConnections;
        }
    }

    /**
     * How long a start may take (package install + first start); 120 s unless
     * {@code -Dsmtpharness.serverStartTimeout=SECONDS}.
     */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(Long.getLong("smtpharness.serverStartTimeout", 120));
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final String HOST = "127.0.0.1";
    private static final int PORT_ATTEMPTS = 3;

    private static final Map<Kind, RealServer> SHARED = new EnumMap<>(Kind.class);
    private static final Map<Kind, StartException> SHARED_FAILURE = new EnumMap<>(Kind.class);

    private final Kind kind;
    private final int port;
    private final Path runDir;
    private final Path serversDir;
    private final String startLog;
    private final boolean shared;
    private final Thread shutdownHook;
    private volatile boolean closed;

    private RealServer(Kind kind, int port, Path runDir, Path serversDir, String startLog, boolean shared) {
        this.kind = kind;
        this.port = port;
        this.runDir = runDir;
        this.serversDir = serversDir;
        this.startLog = startLog;
        this.shared = shared;
        this.shutdownHook = new Thread(this::stopQuietly, kind.scriptName + "-stop-" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * The JVM-wide instance of this kind, started on first use and stopped when the JVM exits
     * ({@link #close()} on it does nothing); or the end of the calling test: skipped locally, failed
     * on CI. A failed start is remembered, so later callers end at once with the same reason.
     */
    public static RealServer sharedOrSkip(Kind kind) {
        try {
            return shared(kind);
        } catch (StartException e) {
            skipOrFail(kind, e.getMessage(), requiredHere());
            throw e; // not reached: skipOrFail always throws
        }
    }

    /** The JVM-wide instance of this kind (see {@link #sharedOrSkip}); throws {@link StartException}. */
    public static RealServer shared(Kind kind) {
        synchronized (SHARED) {
            RealServer s = SHARED.get(kind);
            if (s != null) {
                return s;
            }
            StartException failed = SHARED_FAILURE.get(kind);
            if (failed != null) {
                throw new StartException("(an earlier start in this JVM failed) " + failed.getMessage());
            }
            try {
                s = start(kind, true);
            } catch (StartException e) {
                SHARED_FAILURE.put(kind, e);
                throw e;
            }
            SHARED.put(kind, s);
            return s;
        }
    }

    /**
     * Stops the JVM-wide instance of this kind if one runs (the next {@link #shared(Kind)} starts a
     * new one). For tests that need a private instance of a server that allows only one per machine
     * (OpenSMTPD); test classes run one after another, so no other test is using it at that moment.
     */
    public static void stopShared(Kind kind) {
        synchronized (SHARED) {
            RealServer s = SHARED.remove(kind);
            if (s != null) {
                s.stop();
            }
        }
    }

    /**
     * Starts a private instance, or ends the calling test: skipped locally, failed on CI, with the
     * reason (including the start script's stderr). The caller closes it.
     */
    public static RealServer startOrSkip(Kind kind) {
        try {
            return start(kind);
        } catch (StartException e) {
            skipOrFail(kind, e.getMessage(), requiredHere());
            throw e; // not reached: skipOrFail always throws
        }
    }

    /** Starts a private instance on a free loopback port; throws {@link StartException} when it cannot. */
    public static RealServer start(Kind kind) {
        return start(kind, false);
    }

    private static RealServer start(Kind kind, boolean shared) {
        String reason = unavailableReason(kind);
        if (reason != null) {
            throw new StartException(reason);
        }
        Path serversDir = serversDir();
        Path runDir;
        try {
            runDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")),
                    "smtp-harness-" + kind.scriptName + "-");
        } catch (IOException e) {
            throw new StartException("cannot create a runtime directory under java.io.tmpdir: " + e);
        }
        StartException last = null;
        for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
            int port = freeLoopbackPort();
            ScriptResult r = runScript(kind, serversDir, "start", runDir, port, START_TIMEOUT);
            if (r.exitCode == 0 && r.stdout.strip().equals(Integer.toString(port))) {
                RealServer server = new RealServer(kind, port, runDir, serversDir, r.stderr, shared);
                System.err.println("[RealServer] " + kind.scriptName + " (" + server.version() + ") on "
                        + server.hostAndPort() + " ready (" + r.millis + " ms, dir " + runDir + ")");
                return server;
            }
            last = new StartException("start-" + kind.scriptName + ".sh " + r.describe() + " (port " + port
                    + ", SMTP_PEERS_RUN=" + runDir + ")\n--- stdout ---\n" + r.stdout + "--- stderr ---\n" + r.stderr);
            // make sure nothing half-started stays behind before trying again or giving up
            runScript(kind, serversDir, "stop", runDir, port, STOP_TIMEOUT);
            // another process may have grabbed the port between our probe and the bind: retry
            if (!r.stderr.contains("already in use by something else")) {
                break;
            }
        }
        if (!keepRunDir()) {
            deleteTree(runDir); // everything useful from it is in the message
        }
        throw last;
    }

    /** Why this server cannot be started here, or {@code null} when the preconditions hold. */
    public static String unavailableReason(Kind kind) {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return "a private " + kind.scriptName + " needs Linux (mount namespaces), this is "
                    + System.getProperty("os.name");
        }
        if (!isRoot()) {
            return "a private " + kind.scriptName + " needs root (binds, drops privileges, unshare --mount); running as "
                    + System.getProperty("user.name");
        }
        Path script = serversDir().resolve("start-" + kind.scriptName + ".sh");
        if (!Files.isRegularFile(script)) {
            return "start script not found: " + script;
        }
        return null;
    }

    /**
     * True on CI (env {@code CI} set and not false/0/no) or with
     * {@code -Dsmtpharness.requireRealServers=true} (or the older {@code smtpharness.requirePostfix}).
     */
    public static boolean requiredHere() {
        return isTruthy(System.getenv("CI")) || Boolean.getBoolean("smtpharness.requireRealServers")
                || Boolean.getBoolean("smtpharness.requirePostfix");
    }

    static boolean isTruthy(String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        return !v.equals("false") && !v.equals("0") && !v.equals("no");
    }

    /** Always throws: a failed assertion when {@code required}, an aborted (skipped) test otherwise. */
    static void skipOrFail(Kind kind, String reason, boolean required) {
        if (required) {
            Assertions.fail(kind.scriptName + " fixture unavailable (CI requires it, tests must not be skipped): " + reason);
        }
        Assumptions.abort(kind.scriptName + " fixture unavailable, skipping: " + reason);
    }

    /** Which server this is. */
    public Kind kind() {
        return kind;
    }

    /** {@code postfix}, {@code exim}, {@code smtp-server-tls}, ...: the script and directory name. */
    public String name() {
        return kind.scriptName;
    }

    /** Product and version as the start script found it, e.g. {@code Postfix 3.7.11}, {@code Exim 4.96}. */
    public String version() {
        String v = readQuietly(runDir.resolve(kind.scriptName).resolve("version")).strip();
        return v.isEmpty() ? kind.scriptName + " (version unknown)" : v;
    }

    /** Always {@code 127.0.0.1}. */
    public String host() {
        return HOST;
    }

    /** The port the server listens on. */
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

    /**
     * The maildir every accepted {@code test.example} message lands in. GreenMail has none of its
     * own: {@link #deliveredMessages()} fills it from GreenMail's REST API.
     */
    public Path maildir() {
        return runDir.resolve(kind.scriptName).resolve("mail/test.example");
    }

    /** The server's log file. */
    public Path logFile() {
        return runDir.resolve(kind.logFile);
    }

    /**
     * The port of GreenMail's REST API (start-greenmail.sh picks a free one); other kinds have none.
     *
     * @throws IllegalStateException when this is not GreenMail or the script wrote no port
     */
    public int apiPort() {
        String p = readQuietly(runDir.resolve(kind.scriptName).resolve("api-port")).strip();
        if (kind != Kind.GREENMAIL || p.isEmpty()) {
            throw new IllegalStateException(kind.scriptName + " has no API port (only greenmail has one)");
        }
        return Integer.parseInt(p);
    }

    /** What the start script printed on stderr (readiness time and greeting). */
    public String startLog() {
        return startLog;
    }

    /** The files of all messages delivered so far ({@code new/} and {@code cur/}), oldest name first. */
    public List<Path> deliveredMessages() {
        if (kind == Kind.GREENMAIL && !closed) {
            GreenMailApi.copyMessages(apiPort(), maildir());
        }
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

    /** Polls {@link #deliveredMessages()} until there are at least {@code count} or the timeout passed. */
    public List<Path> awaitDeliveries(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Path> delivered = deliveredMessages();
        while (delivered.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
            delivered = deliveredMessages();
        }
        return delivered;
    }

    /** True for the JVM-wide instances of {@link #shared(Kind)}, which {@link #close()} leaves running. */
    public boolean isShared() {
        return shared;
    }

    /**
     * Stops the server (waits until the port is free) and deletes the runtime directory, unless
     * {@code -Dsmtpharness.keepServerRun=true}. Idempotent; does nothing on a shared instance (the
     * JVM's exit stops it). Throws if the stop script fails; the directory is then kept.
     */
    @Override
    public void close() {
        if (!shared) {
            stop();
        }
    }

    private synchronized void stop() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // JVM exit in progress: the hook runs the stop anyway
        }
        ScriptResult r = runScript(kind, serversDir, "stop", runDir, port, STOP_TIMEOUT);
        if (r.exitCode != 0) {
            throw new IllegalStateException("stop-" + kind.scriptName + ".sh " + r.describe() + " (dir kept: "
                    + runDir + ")\n--- stderr ---\n" + r.stderr);
        }
        if (!keepRunDir()) {
            deleteTree(runDir);
        }
    }

    private synchronized void stopQuietly() {
        if (!closed) {
            closed = true;
            runScript(kind, serversDir, "stop", runDir, port, STOP_TIMEOUT);
            if (!keepRunDir()) {
                deleteTree(runDir);
            }
        }
    }

    @Override
    public String toString() {
        return "RealServer[" + kind.scriptName + " " + hostAndPort() + ", " + runDir + "]";
    }

    private static boolean keepRunDir() {
        return Boolean.getBoolean("smtpharness.keepServerRun") || Boolean.getBoolean("smtpharness.keepPostfixRun");
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

    private static ScriptResult runScript(Kind kind, Path serversDir, String what, Path runDir, int port,
                                          Duration timeout) {
        Path script = serversDir.resolve(what + "-" + kind.scriptName + ".sh");
        Path out = runDir.resolve(what + ".stdout");
        Path err = runDir.resolve(what + ".stderr");
        // the daemons must not inherit pipes we read to EOF: files, and stdin from /dev/null
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().put(kind.portVariable, Integer.toString(port));
        pb.environment().put("SMTP_PEERS_RUN", runDir.toString());
        long t0 = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new ScriptResult(-1, "", "cannot run bash " + script + ": " + e + "\n", false, 0, timeout);
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

    private record ScriptResult(int exitCode, String stdout, String stderr, boolean timedOut, long millis,
                                Duration timeout) {
        String describe() {
            return timedOut ? "timed out after " + timeout.toSeconds() + " s (killed)"
                    : "exited " + exitCode + " after " + millis + " ms";
        }
    }

    /** The server could not be started; the message includes the start script's stdout and stderr. */
    public static final class StartException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StartException(String message) {
            super(message);
        }
    }
}
