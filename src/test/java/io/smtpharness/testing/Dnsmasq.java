package io.smtpharness.testing;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A Debian {@code dnsmasq} (package {@code dnsmasq-base}) on 127.0.0.1 and a free UDP+TCP port,
 * serving only the zone the test gives it: no upstream ({@code --no-resolv}), no {@code /etc/hosts},
 * authoritative-style answers for {@code .test} ({@code --local=/test/}: unknown names are NXDOMAIN,
 * known names without the asked type are NODATA).
 *
 * <pre>{@code
 * try (Dnsmasq dns = Dnsmasq.startOrSkip("--mx-host=example.test,mx1.example.test,10",
 *         "--host-record=mx1.example.test,127.0.0.11")) {
 *     MxResolver.using(dns.address(), ...)
 * }
 * }</pre>
 *
 * <p>{@link #startOrSkip} skips the test when dnsmasq cannot be started, except on CI (environment
 * variable {@code CI} set, see {@link RealServer#requiredHere()}): there it fails it.
 */
public final class Dnsmasq implements AutoCloseable {

    private static final List<String> BINARIES = List.of("/usr/sbin/dnsmasq", "/usr/bin/dnsmasq", "/sbin/dnsmasq");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final int PORT_ATTEMPTS = 5;
    private static final InetAddress LOOPBACK = loopback();

    private final Process process;
    private final int port;
    private final Path log;

    private Dnsmasq(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts dnsmasq with these zone options ({@code --mx-host=...}, {@code --host-record=...}, {@code --cname=...}). */
    public static Dnsmasq startOrSkip(String... zone) {
        try {
            return start(zone);
        } catch (IOException | RuntimeException e) {
            if (RealServer.requiredHere()) {
                Assertions.fail("dnsmasq fixture unavailable (CI requires it, tests must not be skipped): " + e.getMessage());
            }
            Assumptions.abort("dnsmasq fixture unavailable, skipping: " + e.getMessage());
            throw new AssertionError(e); // not reached
        }
    }

    /** Starts dnsmasq or throws. */
    public static Dnsmasq start(String... zone) throws IOException {
        String binary = BINARIES.stream().filter(b -> Files.isExecutable(Path.of(b))).findFirst()
                .orElseThrow(() -> new IOException("dnsmasq not installed (apt-get install dnsmasq-base)"));
        IOException last = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            int port = freeUdpAndTcpPort();
            Path log = Files.createTempFile("dnsmasq-", ".log");
            List<String> command = new ArrayList<>(List.of(binary, "--keep-in-foreground", "--log-queries",
                    "--log-facility=-", "--no-resolv", "--no-hosts", "--no-poll", "--pid-file=", "--conf-file=/dev/null",
                    "--port=" + port, "--listen-address=127.0.0.1", "--bind-interfaces",
                    "--user=" + System.getProperty("user.name"), "--local=/test/"));
            command.addAll(List.of(zone));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            Dnsmasq dns = new Dnsmasq(process, port, log);
            try {
                dns.awaitListening();
                return dns;
            } catch (IOException e) {
                dns.close();
                last = e;
            }
        }
        throw last;
    }

    private void awaitListening() throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("dnsmasq exited with " + process.exitValue() + ": " + log());
            }
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(address(), 200);
                return;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        throw new IOException("dnsmasq did not listen on 127.0.0.1:" + port + " within " + START_TIMEOUT + ": " + log());
    }

    /** Where it listens (UDP and TCP). */
    public InetSocketAddress address() {
        return new InetSocketAddress(LOOPBACK, port);
    }

    /** {@code 127.0.0.1:PORT}, the form {@code --dns-server} takes. */
    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    /** Its log so far (queries are logged), for assertion messages. */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temp file
        }
    }

    /** A port free for both UDP and TCP on 127.0.0.1 right now. */
    static int freeUdpAndTcpPort() throws IOException {
        for (int i = 0; i < 20; i++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, LOOPBACK)) {
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, port))) {
                    return port;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IOException("no port free for both UDP and TCP on 127.0.0.1");
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
