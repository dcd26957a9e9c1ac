package io.smtpharness.client;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** The client side of TLS: one Netty {@link SslContext} per {@link SmtpClient}, and handlers from it. */
final class ClientTls {

    private final SslContext context;
    private final TlsSettings settings;

    ClientTls(TlsSettings settings) {
        this.settings = settings;
        try {
            SslContextBuilder builder = SslContextBuilder.forClient();
            if (!settings.verify()) {
                // test servers present self-signed certificates; --tls-verify turns checking on
                builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
            }
            this.context = builder.build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    TlsSettings settings() {
        return settings;
    }

    boolean verify() {
        return settings.verify();
    }

    /** A client handler for {@code channel}'s peer (SNI, and host name checking with verification on). */
    SslHandler newHandler(Channel channel, Duration handshakeTimeout) {
        InetSocketAddress peer = (InetSocketAddress) channel.remoteAddress();
        SslHandler handler = peer == null ? context.newHandler(channel.alloc())
                : context.newHandler(channel.alloc(), peer.getHostString(), peer.getPort());
        if (settings.verify()) {
            SSLEngine engine = handler.engine();
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(parameters);
        }
        handler.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
        return handler;
    }

    /** Transcript notes on an established session: protocol, cipher suite, the server certificate. */
    static List<String> describeSession(SslHandler handler, boolean verified) {
        SSLSession session = handler.engine().getSession();
        List<String> notes = new ArrayList<>();
        notes.add("TLS established: " + session.getProtocol() + ", " + session.getCipherSuite()
                + (verified ? ", certificate verified" : ", certificate not verified (--tls-verify is off)"));
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate) {
                X509Certificate cert = (X509Certificate) chain[0];
                notes.add("server certificate: subject " + cert.getSubjectX500Principal().getName() + "; issuer "
                        + cert.getIssuerX500Principal().getName() + "; valid " + cert.getNotBefore().toInstant()
                        + " to " + cert.getNotAfter().toInstant() + "; chain of " + chain.length);
            }
        } catch (SSLPeerUnverifiedException e) {
            notes.add("server certificate: none presented");
        }
        return notes;
    }
}
