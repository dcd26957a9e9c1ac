package io.smtpharness.cli;

import io.smtpharness.server.AuthAccount;
import io.smtpharness.server.ServerConfig;
import io.smtpharness.server.TlsIdentity;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/** The embedded reference server as {@code run} and {@code serve} start it: STARTTLS and AUTH on. */
final class EmbeddedServer {

    private EmbeddedServer() {
    }

    /** {@code config} with a self-signed certificate made now (unless {@code tls} is false) and AUTH for {@code account}. */
    static ServerConfig secure(ServerConfig config, boolean tls, AuthAccount account) {
        ServerConfig secured = config.withAuth(account);
        return tls ? secured.withTls(TlsIdentity.selfSigned(config.hostname())) : secured;
    }

    /**
     * {@link #secure} with {@code tls} on, its certificate made on a thread of its own from now on:
     * making one loads the whole certificate library (about a second), which then overlaps with
     * loading the suites and starting the client.
     */
    static Supplier<ServerConfig> secureInBackground(ServerConfig config, AuthAccount account) {
        CompletableFuture<TlsIdentity> identity = new CompletableFuture<>();
        Thread maker = new Thread(() -> {
            try {
                identity.complete(TlsIdentity.selfSigned(config.hostname()));
            } catch (RuntimeException | Error e) {
                identity.completeExceptionally(e);
            }
        }, "tls-identity");
        maker.setDaemon(true);
        maker.start();
        return () -> {
            try {
                return config.withAuth(account).withTls(identity.join());
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        };
    }
}
