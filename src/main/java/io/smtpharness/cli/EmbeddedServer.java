package io.smtpharness.cli;

import io.smtpharness.server.AuthAccount;
import io.smtpharness.server.ServerConfig;
import io.smtpharness.server.TlsIdentity;

/** The embedded reference server as {@code run} and {@code serve} start it: STARTTLS and AUTH on. */
final class EmbeddedServer {

    private EmbeddedServer() {
    }

    /** {@code config} with a self-signed certificate made now (unless {@code tls} is false) and AUTH for {@code account}. */
    static ServerConfig secure(ServerConfig config, boolean tls, AuthAccount account) {
        ServerConfig secured = config.withAuth(account);
        return tls ? secured.withTls(TlsIdentity.selfSigned(config.hostname())) : secured;
    }
}
