package io.smtpharness.server;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A message the reference server accepted with 250 after the final dot (RFC 5321 §4.2.5).
 *
 * @param reversePath the MAIL FROM mailbox without angle brackets, "" for the null path
 * @param recipients  the accepted RCPT TO mailboxes, in order, without angle brackets
 * @param content     the content octets after un-dot-stuffing, without the terminating dot line
 */
public record DeliveredMessage(String reversePath, List<String> recipients, byte[] content) {

    public DeliveredMessage {
        Objects.requireNonNull(reversePath, "reversePath");
        recipients = List.copyOf(recipients);
        content = content.clone();
    }

    /** A copy of the content octets, so the stored message stays immutable. */
    @Override
    public byte[] content() {
        return content.clone();
    }

    /** The content decoded octet-for-octet (ISO-8859-1), handy for assertions. */
    public String contentAsString() {
        return new String(content, StandardCharsets.ISO_8859_1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeliveredMessage m
                && reversePath.equals(m.reversePath)
                && recipients.equals(m.recipients)
                && Arrays.equals(content, m.content);
    }

    @Override
    public int hashCode() {
        return Objects.hash(reversePath, recipients, Arrays.hashCode(content));
    }

    @Override
    public String toString() {
        return "DeliveredMessage[from=<" + reversePath + ">, to=" + recipients + ", " + content.length + " octets]";
    }
}
