package io.smtpharness.client;

/**
 * How the client does TLS (RFC 3207 STARTTLS, RFC 8314 implicit TLS).
 *
 * @param implicit TLS from the first octet (port 465 style, RFC 8314 §3), before the greeting
 * @param verify   check the server's certificate chain and host name; off by default, since test
 *                 servers mostly present self-signed certificates
 */
public record TlsSettings(boolean implicit, boolean verify) {

    /** STARTTLS only when a case asks for it, certificates not verified. */
    public static TlsSettings defaults() {
        return new TlsSettings(false, false);
    }
}
