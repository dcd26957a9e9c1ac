package io.smtpharness.server;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import javax.net.ssl.SSLException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The reference server's TLS key and certificate, for STARTTLS (RFC 3207). {@link #selfSigned} makes
 * one in memory (EC P-256, which handshakes fast; nothing is written to disk), with the host name as
 * subject CN and DNS subject alternative name. BouncyCastle builds the certificate (the JDK has no
 * public API for it); the JDK's own providers make the key and the signature.
 */
public final class TlsIdentity {

    private final X509Certificate certificate;
    private final SslContext serverContext;

    private TlsIdentity(KeyPair pair, X509Certificate certificate) throws SSLException {
        this.certificate = certificate;
        this.serverContext = SslContextBuilder.forServer(pair.getPrivate(), certificate).build();
    }

    /** A fresh self-signed identity for {@code hostname}, valid from an hour ago for 30 days. */
    public static TlsIdentity selfSigned(String hostname) {
        Objects.requireNonNull(hostname, "hostname");
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = generator.generateKeyPair();
            X500Name subject = new X500Name("CN=" + hostname + ", O=smtp-harness reference server");
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(63, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(30))), subject, pair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, hostname)));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            return new TlsIdentity(pair, certificate);
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException | SSLException e) {
            throw new IllegalStateException("cannot make a self-signed certificate for " + hostname, e);
        }
    }

    /** The certificate the server presents. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The server-side TLS context (shared by all sessions). */
    SslContext serverContext() {
        return serverContext;
    }

    /** Tells the subject, never the key. */
    @Override
    public String toString() {
        return "TlsIdentity[" + certificate.getSubjectX500Principal().getName() + "]";
    }
}
