package io.smtpharness.dns;

/** A DNS-side observation worth a warning, e.g. an MX that points to a CNAME; {@code reference} names the RFC text. */
public record DnsFinding(String reference, String message) {

    @Override
    public String toString() {
        return message + " (" + reference + ")";
    }
}
