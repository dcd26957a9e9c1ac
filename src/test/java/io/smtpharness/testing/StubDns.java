package io.smtpharness.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;

/**
 * A UDP "DNS server" on 127.0.0.1 for the failures a real one will not produce on demand: answers
 * every query with a fixed RCODE (e.g. SERVFAIL), or with {@code rcode < 0} never answers at all
 * (a black hole, for timeouts).
 */
public final class StubDns implements AutoCloseable {

    private final DatagramSocket socket;
    private final Thread thread;
    private final int rcode;
    private final java.util.concurrent.atomic.AtomicInteger queries = new java.util.concurrent.atomic.AtomicInteger();

    private StubDns(int rcode) throws SocketException, java.net.UnknownHostException {
        this.rcode = rcode;
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0));
        this.thread = new Thread(this::serve, "stub-dns-" + socket.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    /** Answers every query with this RCODE ({@link org.xbill.DNS.Rcode}). */
    public static StubDns answering(int rcode) throws IOException {
        return new StubDns(rcode);
    }

    /** Reads queries and never answers. */
    public static StubDns blackHole() throws IOException {
        return new StubDns(-1);
    }

    /** Queries received so far (each one a wait for a black hole's client). */
    public int queries() {
        return queries.get();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    public String hostPort() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    private void serve() {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                queries.incrementAndGet();
                if (rcode < 0) {
                    continue;
                }
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                Message reply = new Message(query.getHeader().getID());
                reply.getHeader().setFlag(Flags.QR);
                reply.getHeader().setFlag(Flags.RA);
                reply.getHeader().setRcode(rcode);
                if (query.getQuestion() != null) {
                    reply.addRecord(query.getQuestion(), org.xbill.DNS.Section.QUESTION);
                }
                byte[] wire = reply.toWire();
                socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
            } catch (IOException e) {
                // closed, or a malformed query: keep serving until closed
            }
        }
    }

    @Override
    public void close() {
        socket.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
