package io.smtpharness.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real terminal for tests: a tmux server of its own (its own socket), one window running a
 * command; keys typed into it and its screen read back, as a user would see it.
 */
public final class Tmux implements AutoCloseable {

    private static final AtomicInteger SERVERS = new AtomicInteger();

    private final String socket;

    private Tmux(String socket) {
        this.socket = socket;
    }

    /** Starts {@code command} (a shell command line) in a {@code width} x 40 terminal. */
    public static Tmux start(int width, String command) throws Exception {
        Tmux tmux = new Tmux("smtp-harness-test-" + ProcessHandle.current().pid() + "-" + SERVERS.incrementAndGet());
        tmux.run("new-session", "-d", "-x", String.valueOf(width), "-y", "40", "-s", "t", command);
        return tmux;
    }

    /** Types {@code keys} (tmux key names such as {@code Tab} or {@code C-u}, or plain text). */
    public void send(String... keys) throws Exception {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", "t"));
        args.addAll(List.of(keys));
        run(args.toArray(String[]::new));
    }

    /** The screen once {@code seen} holds, polled; fails after 3 minutes (a hang, not a slow machine). */
    public String waitFor(Predicate<String> seen) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        String screen = "";
        while (System.nanoTime() < deadline) {
            screen = run("capture-pane", "-p", "-t", "t");
            if (seen.test(screen)) {
                return screen;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not seen in the terminal within 3 minutes; it shows:\n" + screen);
    }

    private String run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", socket));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("tmux " + args[0] + " (a bound that only catches a hang)").isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception {
        run("kill-server");
    }
}
