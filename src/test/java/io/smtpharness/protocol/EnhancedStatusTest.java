package io.smtpharness.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnhancedStatusTest {

    @Test
    void parsesWellFormedCodes() {
        assertThat(EnhancedStatus.parse("2.0.0")).contains(new EnhancedStatus(2, 0, 0));
        assertThat(EnhancedStatus.parse("5.7.999")).contains(new EnhancedStatus(5, 7, 999));
        assertThat(EnhancedStatus.parse("4.10.1")).hasValueSatisfying(s -> assertThat(s).hasToString("4.10.1"));
    }

    @Test
    void refusesLeadingZerosWrongClassesAndLongSubCodes() {
        for (String bad : List.of("5.01.1", "4.4.07", "05.1.1", "3.0.0", "6.1.1", "5.1000.1", "5.1", "5..1", "5.1.1.")) {
            assertThat(EnhancedStatus.parse(bad)).as(bad).isEmpty();
        }
        assertThatThrownBy(() -> new EnhancedStatus(3, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void leadOfAReplyTextTellsWhatIsWrong() {
        assertThat(EnhancedStatus.leadOf("2.1.0 Sender OK")).hasValueSatisfying(l -> {
            assertThat(l.raw()).isEqualTo("2.1.0");
            assertThat(l.status()).contains(new EnhancedStatus(2, 1, 0));
        });
        assertThat(EnhancedStatus.leadOf("5.01.1 no")).hasValueSatisfying(l -> {
            assertThat(l.status()).isEmpty();
            assertThat(l.hasLeadingZero()).isTrue();
        });
        assertThat(EnhancedStatus.leadOf("5. 1.1 no")).hasValueSatisfying(l -> assertThat(l.hasWhitespace()).isTrue());
        assertThat(EnhancedStatus.leadOf("5.1.1x no")).hasValueSatisfying(l -> assertThat(l.status()).isEmpty());
        assertThat(EnhancedStatus.leadOf("Ok")).isEmpty();
        assertThat(EnhancedStatus.leadOf("")).isEmpty();
    }

    @Test
    void capabilitiesKeepKeywordsAndParameters() {
        Capabilities caps = Capabilities.of(Reply.parse(
                "250-mx.test greets you\r\n250-size 10240000\r\n250-PIPELINING\r\n250 AUTH PLAIN LOGIN\r\n"));
        assertThat(caps.keywords()).isEqualTo(Map.of("SIZE", List.of("10240000"), "PIPELINING", List.of(),
                "AUTH", List.of("PLAIN", "LOGIN")));
        assertThat(caps.has("Size")).isTrue();
        assertThat(caps.sizeLimit()).hasValue(10240000);
        assertThat(caps.malformedSize()).isEmpty();
    }

    @Test
    void authMechanismsAreUpperCasedAndEmptyWithoutAuth() {
        assertThat(Capabilities.of(Reply.parse("250-mx\r\n250 auth plain Login CRAM-MD5\r\n")).authMechanisms())
                .containsExactly("PLAIN", "LOGIN", "CRAM-MD5");
        assertThat(Capabilities.of(Reply.parse("250-mx\r\n250 PIPELINING\r\n")).authMechanisms()).isEmpty();
    }

    @Test
    void sizeWithoutANumberStatesNoLimit() {
        assertThat(Capabilities.of(Reply.parse("250-mx\r\n250 SIZE\r\n")).sizeLimit()).isEmpty();
        assertThat(Capabilities.of(Reply.parse("250-mx\r\n250 SIZE 0\r\n")).sizeLimit()).isEmpty();
        assertThat(Capabilities.of(Reply.parse("250-mx\r\n250 SIZE 10M\r\n")).malformedSize()).contains("10M");
        assertThat(Capabilities.of(Reply.parse("250 mx\r\n")).keywords()).isEmpty();
    }
}
