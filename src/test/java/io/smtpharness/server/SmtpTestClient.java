package io.smtpharness.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A raw-bytes SMTP client over a plain socket, for end-to-end tests against the reference server. */
final class SmtpTestClient implements AutoCloseable {

    private static final int TIMEOUT_MILLIS = 5_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private SmtpTestClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(TIMEOUT_MILLIS);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects to the server; the greeting is left unread. */
    static SmtpTestClient connect(ReferenceServer server) throws IOException {
        return new SmtpTestClient(new Socket(server.address().getAddress(), server.port()));
    }

    /** Connects and reads the greeting. */
    static SmtpTestClient connectAndReadGreeting(ReferenceServer server) throws IOException {
        SmtpTestClient client = connect(server);
        client.readReply();
        return client;
    }

    /** Connects, reads the greeting and sends EHLO, reading its reply. */
    static SmtpTestClient greeted(ReferenceServer server) throws IOException {
        SmtpTestClient client = connectAndReadGreeting(server);
        client.command("EHLO client.example");
        return client;
    }

    /** Sends the octets of {@code raw} (ISO-8859-1) exactly as given. */
    void send(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Sends one line plus CRLF and returns the whole (possibly multi-line) reply, lines without CRLF. */
    List<String> command(String line) throws IOException {
        send(line + "\r\n");
        return readReply();
    }

    /** Sends one line plus CRLF and returns the last line of its reply. */
    String ask(String line) throws IOException {
        List<String> reply = command(line);
        return reply.get(reply.size() - 1);
    }

    /** Reads reply lines up to one whose code is followed by a space (or nothing). */
    List<String> readReply() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return lines;
            }
        }
    }

    /** Reads one line ending in CRLF and returns it without the CRLF; fails on EOF. */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("EOF after " + line);
            }
            if (previous == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
            previous = b;
        }
    }

    /** True when nothing at all arrives within {@code millis}. */
    boolean silentFor(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            return in.read() == -2;
        } catch (SocketTimeoutException expected) {
            return true;
        } finally {
            socket.setSoTimeout(TIMEOUT_MILLIS);
        }
    }

    /** True when the server closes the connection (EOF) before the timeout, after any unread bytes. */
    boolean closedByServer() throws IOException {
        try {
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
