package io.smtpharness.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The client minima of RFC 5321 §4.5.3.2.1–6, one per kind of reply owed. */
class ReplyWaitsTest {

    @Test
    void eachReplyGetsItsRfcMinimum() {
        assertThat(ReplyWaits.minimumFor(Sent.GREETING)).isEqualTo(Duration.ofMinutes(5));
        assertThat(ReplyWaits.minimumFor(Sent.ofLine("MAIL FROM:<a@example.test>"))).isEqualTo(Duration.ofMinutes(5));
        assertThat(ReplyWaits.minimumFor(Sent.ofLine("RCPT TO:<b@example.test>"))).isEqualTo(Duration.ofMinutes(5));
        assertThat(ReplyWaits.minimumFor(Sent.ofLine("DATA"))).isEqualTo(Duration.ofMinutes(2));
        assertThat(ReplyWaits.minimumFor(Sent.END_OF_DATA)).isEqualTo(Duration.ofMinutes(10)).isEqualTo(ReplyWaits.LONGEST);
        assertThat(ReplyWaits.minimumFor(Sent.ofLine("NOOP"))).isEqualTo(Duration.ofMinutes(5));
        assertThat(ReplyWaits.minimumFor(null)).isEqualTo(Duration.ofMinutes(5));
    }
}
