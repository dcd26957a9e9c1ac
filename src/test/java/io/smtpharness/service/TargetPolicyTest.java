package io.smtpharness.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** One safety policy for every command and the library (DESIGN "Safety"); no traffic is sent here. */
class TargetPolicyTest {

    private static InetSocketAddress at(String ip) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), 25);
    }

    @Test
    void loopbackIsUnpacedAndNeedsNoWarning() throws Exception {
        TargetPolicy policy = TargetPolicy.of(at("127.0.0.2"), "127.0.0.2:25", OptionalInt.empty(), false);

        assertThat(policy.loopback()).isTrue();
        assertThat(policy.connectionsPerSecond()).isZero();
        assertThat(policy.warning(TargetPolicy.Traffic.SCRIPTED, 4)).isEmpty();
        assertThat(TargetPolicy.of(at("::1"), "[::1]:25", OptionalInt.empty(), false).loopback()).isTrue();
    }

    @Test
    void anyOtherTargetIsPacedAndWarnedAboutUnlessTheUserSetARate() throws Exception {
        TargetPolicy gentle = TargetPolicy.of(at("192.0.2.1"), "mx.example:25", OptionalInt.empty(), false);
        TargetPolicy asked = TargetPolicy.of(at("192.0.2.1"), "mx.example:25", OptionalInt.of(0), true);

        assertThat(gentle.connectionsPerSecond()).isEqualTo(TargetPolicy.DEFAULT_RATE);
        assertThat(gentle.warning(TargetPolicy.Traffic.SCRIPTED, 4)).contains("warning: mx.example:25 is not on loopback: test traffic"
                + " goes there (4 connections at most, 5 new per second, no message is completed)");
        assertThat(asked.connectionsPerSecond()).isZero();
        assertThat(asked.warning(TargetPolicy.Traffic.FUZZ, 1)).contains("warning: mx.example:25 is not on loopback: fuzz traffic"
                + " goes there (1 connection at most, no rate limit, messages may be delivered)");
    }

    @Test
    void loadGoesOffLoopbackOnlyWithDeliveryAllowedAndAnExplicitRate() throws Exception {
        TargetPolicy.Traffic load = TargetPolicy.Traffic.LOAD;
        assertThat(TargetPolicy.refusal(load, at("127.0.0.1"), "local", OptionalInt.empty(), false)).isEmpty();
        assertThat(TargetPolicy.refusal(load, at("192.0.2.1"), "mx.example:25", OptionalInt.of(50), true)).isEmpty();
        assertThat(TargetPolicy.refusal(load, at("192.0.2.1"), "mx.example:25", OptionalInt.of(50), false))
                .hasValueSatisfying(why -> assertThat(why).startsWith("mx.example:25 is not on loopback"));
        assertThat(TargetPolicy.refusal(load, at("192.0.2.1"), "mx.example:25", OptionalInt.empty(), true)).isPresent();
        assertThat(TargetPolicy.refusal(load, at("192.0.2.1"), "mx.example:25", OptionalInt.of(0), true)).isPresent();
        // scripted cases and fuzzing hold back messages off loopback themselves
        assertThat(TargetPolicy.refusal(TargetPolicy.Traffic.SCRIPTED, at("192.0.2.1"), "mx", OptionalInt.empty(), false))
                .isEmpty();
    }
}
