package io.smtpharness.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/**
 * A loopback SMTP server for fixtures, scripted line by line: it greets, then reads command lines
 * (CRLF or LF, as a lenient server does) and writes what {@code answer} says for each. An answer is
 * a list of actions: reply text (CRLF is appended), a pause, or a hang-up. One connection at a time.
 */
public final class LineServer implements AutoCloseable {

    /** What the server does for one line. */
    public sealed interface Action {
    }

    /** Writes {@code line} and CRLF. */
    public record Say(String line) implements Action {
    }

    /** Waits {@code millis} before the next action. */
    public record Pause(long millis) implements Action {
    }

    /** Closes the connection. */
    public record HangUp() implements Action {
    }

    private final ServerSocket listener;
    private final Thread thread;

    private LineServer(String greeting, Function<String, List<Action>> answer) throws IOException {
        listener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> serve(greeting, answer), "line-server-" + listener.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts a server that greets with {@code greeting} and answers each line as {@code answer} says. */
    public static LineServer start(String greeting, Function<String, List<Action>> answer) throws IOException {
        return new LineServer(greeting, answer);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    private void serve(String greeting, Function<String, List<Action>> answer) {
        while (!listener.isClosed()) {
            try (Socket socket = listener.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.ISO_8859_1));
                OutputStream out = socket.getOutputStream();
                out.write((greeting + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                lines:
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    for (Action action : answer.apply(line)) {
                        if (action instanceof Say say) {
                            out.write((say.line() + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                            out.flush();
                        } else if (action instanceof Pause pause) {
                            Thread.sleep(pause.millis());
                        } else {
                            break lines;
                        }
                    }
                }
            } catch (IOException e) {
                // the client hung up, or the listener closed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
