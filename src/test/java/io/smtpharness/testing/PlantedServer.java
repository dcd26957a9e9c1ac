package io.smtpharness.testing;

import io.smtpharness.server.Misbehaviour;
import io.smtpharness.server.ReferenceServer;
import io.smtpharness.server.ServerConfig;
import java.util.List;

/**
 * The reference server with one planted fault, as a process of its own, for {@code --exec}:
 * {@link #command} starts it with the test JVM's java and class path. A fault that takes the server
 * down ends the process with status {@link #DIED} after a line on stderr, as a crashing MTA would.
 */
public final class PlantedServer {

    /** The exit status of a server its fault took down. */
    public static final int DIED = 70;

    /** Dies once one session has seen a refused RCPT, then RSET, then DATA (other commands in between or not). */
    public static final String DIES_AFTER_REFUSED_RCPT_RSET_DATA = "dies-after-refused-rcpt-rset-data";
    /** Never answers a line holding NUL, nor anything after it on that connection. */
    public static final String HANGS_ON_NUL = "hangs-on-nul";
    /** Dies on a RCPT command line over 300 octets. */
    public static final String DIES_ON_LONG_RCPT = "dies-on-long-rcpt";
    /** Without a fault. */
    public static final String CONFORMANT = "conformant";

    private PlantedServer() {
    }

    /** The shell command that runs a planted server on {@code port} with {@code fault}. */
    public static String command(int port, String fault) {
        String java = ProcessHandle.current().info().command().orElse("java");
        return "exec '" + java + "' -Xmx64m -cp '" + System.getProperty("java.class.path") + "' "
                + PlantedServer.class.getName() + " " + port + " " + fault;
    }

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        ServerConfig config = ServerConfig.defaults().withPort(port).withMisbehaviours(switch (args[1]) {
            case DIES_AFTER_REFUSED_RCPT_RSET_DATA -> new Misbehaviour[] {new Misbehaviour.DieAfter(List.of("RCPT!", "RSET", "DATA"))};
            case HANGS_ON_NUL -> new Misbehaviour[] {new Misbehaviour.HangOnNul()};
            case DIES_ON_LONG_RCPT -> new Misbehaviour[] {new Misbehaviour.DieOnLongLine("RCPT", 300)};
            case CONFORMANT -> new Misbehaviour[0];
            default -> throw new IllegalArgumentException("unknown fault " + args[1]);
        });
        try (ReferenceServer server = ReferenceServer.start(config)) {
            System.err.println("planted server on port " + port + " with fault " + args[1]);
            server.awaitListenerClosed();
        }
        System.err.println("panic: fault " + args[1] + " took the server down");
        System.err.flush();
        Runtime.getRuntime().halt(DIED);
    }
}
