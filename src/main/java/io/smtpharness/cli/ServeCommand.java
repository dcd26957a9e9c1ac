package io.smtpharness.cli;

import io.smtpharness.server.AuthAccount;

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

    @Option(names = "--no-tls", description = "Do not offer STARTTLS (by default a self-signed certificate is made at start-up).")
    private boolean noTls;

    @Option(names = "--auth-user", paramLabel = "USER",
            description = "The AUTH account's user (default: the test account harness / harness-test-password); "
                    + "its password comes from SMTP_HARNESS_AUTH_PASSWORD or --auth-password-file.")
    private String authUser;

    @Option(names = "--auth-password-file", paramLabel = "FILE", description = "File holding the AUTH password (first line).")
    private java.nio.file.Path authPasswordFile;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new UsageException("--port must be between 0 and 65535, not " + port);
        }
        ReferenceServer server;
        try {
            ServerConfig config = ServerConfig.defaults().withPort(port).withAcceptedDomains(domains);
            config = EmbeddedServer.secure(config, !noTls, AuthOptions.credentials(authUser, authPasswordFile)
                    .map(c -> new AuthAccount(c.user(), c.password())).orElse(AuthAccount.TEST));
            server = ReferenceServer.start(config);
        } catch (RuntimeException e) {
            throw new UsageException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "serve-shutdown"));
        spec.commandLine().getOut().println("listening on 127.0.0.1:" + server.port() + " (Ctrl-C stops)"
                + (noTls ? "" : "; STARTTLS with a self-signed certificate") + "; AUTH PLAIN LOGIN CRAM-MD5 for user "
                + server.config().account().map(AuthAccount::user).orElse("-")
                + (authUser == null ? " (password harness-test-password)" : ""));
        spec.commandLine().getOut().flush();
        server.awaitClose();
        return ExitCodes.OK;
    }
}
