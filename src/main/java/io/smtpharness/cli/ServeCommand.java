package io.smtpharness.cli;

import io.smtpharness.server.ReferenceServer;
import io.smtpharness.server.ServerConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code serve}: the embedded reference server in the foreground, until interrupted. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the embedded reference SMTP server on loopback until interrupted (Ctrl-C).")
final class ServeCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", defaultValue = "2525", description = "Loopback port, 0 for any free one (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--domain", defaultValue = "test.example", split = ",",
            description = "Recipient domains accepted (default: ${DEFAULT-VALUE}).")
    private String[] domains;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new UsageException("--port must be between 0 and 65535, not " + port);
        }
        ReferenceServer server;
        try {
            server = ReferenceServer.start(ServerConfig.defaults().withPort(port).withAcceptedDomains(domains));
        } catch (RuntimeException e) {
            throw new UsageException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "serve-shutdown"));
        spec.commandLine().getOut().println("listening on 127.0.0.1:" + server.port() + " (Ctrl-C stops)");
        spec.commandLine().getOut().flush();
        server.awaitClose();
        return ExitCodes.OK;
    }
}
