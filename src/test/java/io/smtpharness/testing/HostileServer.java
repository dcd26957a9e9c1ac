package io.smtpharness.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An SMTP server that misbehaves at the byte level, on 127.0.0.1 and a free port, for tests of what a
 * whole run does against it. Every connection gets its own daemon thread running the same
 * {@link Behaviour}; endless behaviours end when a write fails (the client hung up), and
 * {@link #close()} closes the listener and every connection, which ends them all.
 */
public final class HostileServer implements AutoCloseable {

    /** What the server does on each connection. */
    public enum Behaviour {
        /** Accepts and sends nothing, reading until the client hangs up. */
        NEVER_GREETS {
            @Override
            void serve(Socket socket, InputStream in, OutputStream out) throws IOException {
                drain(in);
            }
        },
        /** Accepts and closes at once (FIN, no greeting). */
        CLOSES_AT_ONCE {
            @Override
            void serve(Socket socket, InputStream in, OutputStream out) {
                // closing is done by the caller
            }
        },
        /** Sends {@code 220-part} and then resets the connection (TCP RST, not FIN). */
        RESETS_MID_REPLY {
            @Override
            void serve(Socket socket, InputStream in, OutputStream out) throws IOException {
                out.write(ascii("220-part"));
                out.flush();
                pause(100);
                socket.setSoLinger(true, 0);
                socket.close();
            }
        },
        /** Sends {@code 220 } and then octets without LF until the client hangs up. */
        ENDLESS_LINE {
            @Override
            void serve(Socket socket, InputStream in, OutputStream out) throws IOException {
                out.write(ascii("220 "));
                byte[] chunk = new byte[64 * 1024];
                Arrays.fill(chunk, (byte) 'x');
                while (true) {
                    out.write(chunk);
                }
            }
        },
        /** Sends {@code 220-x CRLF} until the client hangs up: a greeting that never ends. */
        ENDLESS_CONTINUATION {
            @Override
            void serve(Socket socket, InputStream in, OutputStream out) throws IOException {
                byte[] chunk = repeat("220-x\r\n", 8 * 1024);
                while (true) {
                    out.write(chunk);
                }
            }
        },
        /** A correct greeting, one octet every 500 ms, then reads until the client hangs up. */
        DRIPS {
            @Override
            void serve(Socket socket, InputStream in, OutputStream out) throws IOException {
                for (byte b : ascii("220 drip.test ESMTP\r\n")) {
                    out.write(b);
                    out.flush();
                    pause(500);
                }
                drain(in);
            }
        },
        /** Random octets, NUL and bare CR/LF included, until the client hangs up. */
        BINARY_FLOOD {
            @Override
            void serve(Socket socket, InputStream in, OutputStream out) throws IOException {
                Random random = new Random(8);
                byte[] chunk = new byte[64 * 1024];
                while (true) {
                    random.nextBytes(chunk);
                    chunk[0] = 0;
                    out.write(chunk);
                }
            }
        },
        /** A 64 MiB greeting line ({@code 220 xxx...}) then CRLF, then reads until the client hangs up. */
        HUGE_LINE {
            @Override
            void serve(Socket socket, InputStream in, OutputStream out) throws IOException {
                out.write(ascii("220 "));
                byte[] chunk = new byte[64 * 1024];
                Arrays.fill(chunk, (byte) 'x');
                for (int i = 0; i < 1024; i++) {
                    out.write(chunk);
                }
                out.write(ascii("\r\n"));
                out.flush();
                drain(in);
            }
        },
        /**
         * A normal greeting; EHLO is answered with {@code 250-X CRLF} lines that never end, every other
         * command as a lenient server would (250, 354 for DATA, 221 for QUIT).
         */
        ENDLESS_EHLO {
            @Override
            void serve(Socket socket, InputStream in, OutputStream out) throws IOException {
                out.write(ascii("220 hostile.test ESMTP\r\n"));
                out.flush();
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
                String line;
                while ((line = reader.readLine()) != null) {
                    String verb = line.split(" ", 2)[0].toUpperCase(java.util.Locale.ROOT);
                    switch (verb) {
                        case "EHLO" -> {
                            byte[] chunk = repeat("250-X\r\n", 8 * 1024);
                            while (true) {
                                out.write(chunk);
                            }
                        }
                        case "QUIT" -> {
                            out.write(ascii("221 bye\r\n"));
                            out.flush();
                            return;
                        }
                        case "DATA" -> {
                            out.write(ascii("354 go on\r\n"));
                            out.flush();
                            while ((line = reader.readLine()) != null && !line.equals(".")) {
                                // the message is thrown away
                            }
                            out.write(ascii("250 ok\r\n"));
                        }
                        default -> out.write(ascii("250 ok\r\n"));
                    }
                    out.flush();
                }
            }
        },
        /** A normal greeting; EHLO is answered with {@code 250-} lines of 1 MB of valid-looking text, never ending. */
        EHLO_MEGABYTE_LINES {
            @Override
            void serve(Socket socket, InputStream in, OutputStream out) throws IOException {
                out.write(ascii("220 hostile.test ESMTP\r\n"));
                out.flush();
                new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1)).readLine();
                byte[] line = ascii("250-" + "SIZE 1000000 ".repeat(1024 * 1024 / 13) + "\r\n");
                while (true) {
                    out.write(line);
                }
            }
        },
        /** A normal greeting; the first command is answered with lines of NULs, without end. */
        NUL_CRLF_FLOOD {
            @Override
            void serve(Socket socket, InputStream in, OutputStream out) throws IOException {
                out.write(ascii("220 hostile.test ESMTP\r\n"));
                out.flush();
                new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1)).readLine();
                byte[] chunk = new byte[64 * 1024];
                for (int i = 0; i < chunk.length; i++) {
                    chunk[i] = i % 80 == 78 ? (byte) '\r' : i % 80 == 79 ? (byte) '\n' : 0;
                }
                while (true) {
                    out.write(chunk);
                }
            }
        },
        /** Greets and answers every command as a lenient server would (250, 354 for DATA, 221 then close for QUIT). */
        LENIENT {
            @Override
            void serve(Socket socket, InputStream in, OutputStream out) throws IOException {
                lenient(socket, in, out, EnumSet.noneOf(Quirk.class));
            }
        },
        /** Lenient, but after {@code 221} to QUIT it keeps the connection open and goes on answering. */
        QUIT_KEEPS_OPEN {
            @Override
            void serve(Socket socket, InputStream in, OutputStream out) throws IOException {
                lenient(socket, in, out, EnumSet.of(Quirk.NO_CLOSE_AFTER_QUIT));
            }
        },
        /** Lenient, but answers DATA with {@code 250} instead of 354, and still reads a message up to the dot. */
        DATA_250 {
            @Override
            void serve(Socket socket, InputStream in, OutputStream out) throws IOException {
                lenient(socket, in, out, EnumSet.of(Quirk.DATA_250));
            }
        },
        /** Lenient, but EHLO is answered with one {@code 250 } line of 64 MiB (it does end, with CRLF). */
        EHLO_HUGE_LINE {
            @Override
            void serve(Socket socket, InputStream in, OutputStream out) throws IOException {
                lenient(socket, in, out, EnumSet.of(Quirk.EHLO_HUGE_LINE));
            }
        },
        /** Greets, then half-closes (FIN on its side) and reads until the client hangs up. */
        HALF_CLOSES {
            @Override
            void serve(Socket socket, InputStream in, OutputStream out) throws IOException {
                out.write(ascii("220 half.test ESMTP\r\n"));
                out.flush();
                socket.shutdownOutput();
                drain(in);
            }
        },
        /** Greets, and resets the connection (TCP RST) when the first command arrives. */
        RESETS_AFTER_GREETING {
            @Override
            void serve(Socket socket, InputStream in, OutputStream out) throws IOException {
                out.write(ascii("220 reset.test ESMTP\r\n"));
                out.flush();
                in.read();
                socket.setSoLinger(true, 0);
                socket.close();
            }
        },
        /**
         * Offers STARTTLS, answers it with 220 and then sends 64 KiB of plaintext garbage instead of
         * a TLS handshake (RFC 3207 §4: the next octets must be the handshake), then reads until the
         * client hangs up. Other commands as a lenient server would.
         */
        STARTTLS_GARBAGE {
            @Override
            void serve(Socket socket, InputStream in, OutputStream out) throws IOException {
                offerStartTls(in, out, () -> {
                    out.write(repeat("garbage, not a TLS record\r\n", 64 * 1024 / 27));
                    out.flush();
                });
            }
        },
        /** Offers STARTTLS, answers it with 220 and then never handshakes: silence, reading until the client hangs up. */
        STARTTLS_SILENT {
            @Override
            void serve(Socket socket, InputStream in, OutputStream out) throws IOException {
                offerStartTls(in, out, () -> { });
            }
        };

        abstract void serve(Socket socket, InputStream in, OutputStream out) throws IOException;

        /** How a lenient server departs from RFC 5321. */
        enum Quirk {
            /** §4.1.1.10: after 221 the server MUST close; this one keeps reading and answering. */
            NO_CLOSE_AFTER_QUIT,
            /** §4.1.1.4: DATA is answered 354; this one says 250 and reads the message anyway. */
            DATA_250,
            /** §4.5.3.1.5: a reply line is at most 512 octets; this EHLO reply is one line of 64 MiB. */
            EHLO_HUGE_LINE
        }

        /** Greets and answers each line leniently, with the given quirks, until the client hangs up. */
        static void lenient(Socket socket, InputStream in, OutputStream out, Set<Quirk> quirks) throws IOException {
            out.write(ascii("220 lenient.test ESMTP\r\n"));
            out.flush();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
            for (String line; (line = reader.readLine()) != null; ) {
                String verb = line.trim().split(" ", 2)[0].toUpperCase(java.util.Locale.ROOT);
                switch (verb) {
                    case "EHLO" -> {
                        if (quirks.contains(Quirk.EHLO_HUGE_LINE)) {
                            out.write(ascii("250 "));
                            byte[] chunk = repeat("x", 64 * 1024);
                            for (int i = 0; i < 1024; i++) {
                                out.write(chunk);
                            }
                            out.write(ascii("\r\n"));
                        } else {
                            out.write(ascii("250-lenient.test\r\n250-8BITMIME\r\n250 SIZE 1000000\r\n"));
                        }
                    }
                    case "QUIT" -> {
                        out.write(ascii("221 bye\r\n"));
                        out.flush();
                        if (!quirks.contains(Quirk.NO_CLOSE_AFTER_QUIT)) {
                            return;
                        }
                    }
                    case "DATA" -> {
                        out.write(ascii(quirks.contains(Quirk.DATA_250) ? "250 ok\r\n" : "354 go on\r\n"));
                        out.flush();
                        while ((line = reader.readLine()) != null && !line.equals(".")) {
                            // the message is thrown away
                        }
                        out.write(ascii("250 ok\r\n"));
                    }
                    default -> out.write(ascii("250 ok\r\n"));
                }
                out.flush();
            }
        }

        /** What follows the 220 to STARTTLS. */
        interface AfterStartTls {
            void run() throws IOException;
        }

        /** A lenient server whose EHLO lists STARTTLS; after 220 to STARTTLS, {@code after} and then draining. */
        private static void offerStartTls(InputStream in, OutputStream out, AfterStartTls after) throws IOException {
            out.write(ascii("220 hostile.test ESMTP\r\n"));
            out.flush();
            StringBuilder line = new StringBuilder();
            for (int b; (b = in.read()) >= 0; ) {
                if (b != '\n') {
                    line.append((char) b);
                    continue;
                }
                String verb = line.toString().trim().split(" ", 2)[0].toUpperCase(java.util.Locale.ROOT);
                line.setLength(0);
                switch (verb) {
                    case "EHLO" -> out.write(ascii("250-hostile.test\r\n250-8BITMIME\r\n250 STARTTLS\r\n"));
                    case "QUIT" -> {
                        out.write(ascii("221 bye\r\n"));
                        out.flush();
                        return;
                    }
                    case "STARTTLS" -> {
                        out.write(ascii("220 go ahead\r\n"));
                        out.flush();
                        after.run();
                        drain(in);
                        return;
                    }
                    default -> out.write(ascii("250 ok\r\n"));
                }
                out.flush();
            }
        }
    }

    private final ServerSocket listener;
    private final Behaviour behaviour;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private volatile int accepted;
    /** The connection (1-based) whose first command crashes the whole server; 0: never. */
    private final int crashAt;
    /** Connections after this many get no greeting (the server hangs); 0: never. */
    private final int silentAfter;
    private volatile String crashedIn = "";

    private HostileServer(Behaviour behaviour, int crashAt, int silentAfter) throws IOException {
        this.behaviour = behaviour;
        this.crashAt = crashAt;
        this.silentAfter = silentAfter;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    /** Starts listening on 127.0.0.1 and a free port. */
    public static HostileServer start(Behaviour behaviour) throws IOException {
        return start(new HostileServer(behaviour, 0, 0));
    }

    /**
     * A lenient server that crashes when connection {@code connection} (the pre-flight is 1) sends its
     * first command: every open connection is reset and the listener closed, so new connections are
     * refused, as when the server process dies.
     */
    public static HostileServer crashingAt(int connection) throws IOException {
        return start(new HostileServer(Behaviour.LENIENT, connection, 0));
    }

    /** A lenient server that stops answering after {@code connections}: later ones are accepted, never greeted. */
    public static HostileServer silentAfter(int connections) throws IOException {
        return start(new HostileServer(Behaviour.LENIENT, 0, connections));
    }

    private static HostileServer start(HostileServer server) {
        server.spawn("hostile-accept-" + server.behaviour, server::acceptLoop);
        return server;
    }

    /** The first command line the crashing connection sent, once it crashed the server. */
    public String crashedOn() {
        return crashedIn;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Connections accepted so far (the run's probe included). */
    public int accepted() {
        return accepted;
    }

    /** Threads still running, the accept loop included. */
    public long liveThreads() {
        return threads.stream().filter(Thread::isAlive).count();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException closed) {
                return;
            }
            int number = ++accepted;
            open.add(socket);
            spawn("hostile-" + behaviour + "-" + number, () -> converse(socket, number));
        }
    }

    private void converse(Socket socket, int number) {
        try (socket) {
            if (number == crashAt) {
                crashOnFirstCommand(socket);
                return;
            }
            Behaviour now = silentAfter > 0 && number > silentAfter ? Behaviour.NEVER_GREETS : behaviour;
            now.serve(socket, socket.getInputStream(), socket.getOutputStream());
        } catch (IOException hungUp) {
            // the client hung up (or close() did): that is how every endless behaviour ends
        } finally {
            open.remove(socket);
        }
    }

    /** Greets, reads one command, then resets every connection and stops listening: a crash. */
    private void crashOnFirstCommand(Socket socket) throws IOException {
        socket.getOutputStream().write(ascii("220 crashing.test ESMTP\r\n"));
        socket.getOutputStream().flush();
        String first = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1))
                .readLine();
        crashedIn = first == null ? "" : first;
        listener.close();
        for (Socket s : open) {
            s.setSoLinger(true, 0);
            s.close();
        }
    }

    private void spawn(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /** Closes the listener and every connection, and waits briefly for the threads to end. */
    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        for (Thread t : threads) {
            t.interrupt();
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[8192];
        while (in.read(buffer) >= 0) {
            // discard until the client hangs up
        }
    }

    private static void pause(long ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] repeat(String s, int times) {
        return ascii(s.repeat(times));
    }
}
