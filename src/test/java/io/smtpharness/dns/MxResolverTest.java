package io.smtpharness.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.testing.Dnsmasq;
import io.smtpharness.testing.StubDns;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;

/** {@link MxResolver} against a real DNS server (dnsmasq on loopback) serving the zone below. */
class MxResolverTest {

    private static Dnsmasq dns;

    @BeforeAll
    static void startDns() {
        dns = Dnsmasq.startOrSkip(
                // preference order: given out of order on purpose
                "--mx-host=pref.test,mx30.pref.test,30", "--mx-host=pref.test,mx10.pref.test,10",
                "--mx-host=pref.test,mx20.pref.test,20",
                "--host-record=mx10.pref.test,127.0.0.10", "--host-record=mx20.pref.test,127.0.0.20",
                "--host-record=mx30.pref.test,127.0.0.30",
                // equal preferences
                "--mx-host=equal.test,a.equal.test,10", "--mx-host=equal.test,b.equal.test,10",
                "--mx-host=equal.test,c.equal.test,20",
                "--host-record=a.equal.test,127.0.0.41", "--host-record=b.equal.test,127.0.0.42",
                "--host-record=c.equal.test,127.0.0.43",
                // no MX: implicit MX from A/AAAA
                "--host-record=implicit.test,127.0.0.50,::1",
                // MX present but its host has no address: never fall back to the bare name
                "--mx-host=noaddr.test,ghost.noaddr.test,10", "--host-record=noaddr.test,127.0.0.60",
                // null MX (RFC 7505)
                "--mx-host=nullmx.test,.,0",
                // MX to a CNAME; MX to an IP literal
                "--mx-host=cname.test,alias.cname.test,10", "--cname=alias.cname.test,real.cname.test",
                "--host-record=real.cname.test,127.0.0.70",
                "--mx-host=literal.test,127.0.0.80,10", "--mx-host=literal.test,mx.literal.test,20",
                "--host-record=mx.literal.test,127.0.0.81",
                // the domain itself is a CNAME: followed
                "--cname=aliased.test,pref.test",
                // exists with nothing at all
                "--txt-record=empty.test,nothing here");
    }

    @AfterAll
    static void stopDns() {
        if (dns != null) {
            dns.close();
        }
    }

    private static MxResolver resolver() {
        return MxResolver.using(dns.address(), Duration.ofSeconds(2), 2);
    }

    private static MxResult resolve(String domain, long seed) {
        return resolver().resolve(domain, seed);
    }

    private static List<String> hosts(MxResult result) {
        assertThat(result).as(result.message() + "\n" + dns.log()).isInstanceOf(MxResult.Candidates.class);
        return ((MxResult.Candidates) result).candidates().stream().map(MxCandidate::host).toList();
    }

    @Test
    void candidatesAreSortedByPreferenceWithTheirAddresses() throws Exception {
        MxResult result = resolve("pref.test", 1);
        assertThat(hosts(result)).containsExactly("mx10.pref.test", "mx20.pref.test", "mx30.pref.test");
        MxCandidate first = ((MxResult.Candidates) result).candidates().get(0);
        assertThat(first.preference()).isEqualTo(10);
        assertThat(first.addresses()).containsExactly(InetAddress.getByName("127.0.0.10"));
        assertThat(first.howFound("pref.test")).isEqualTo("MX 10 of pref.test");
        assertThat(result.findings()).isEmpty();
    }

    @Test
    void equalPreferencesAreShuffledBySeedAndTheSameSeedGivesTheSameOrder() {
        Set<List<String>> orders = new HashSet<>();
        for (long seed = 0; seed < 40; seed++) {
            List<String> order = hosts(resolve("equal.test", seed));
            assertThat(order.get(2)).isEqualTo("c.equal.test"); // preference 20 always last
            assertThat(hosts(resolve("equal.test", seed))).isEqualTo(order);
            orders.add(order);
        }
        assertThat(orders).containsExactlyInAnyOrder(
                List.of("a.equal.test", "b.equal.test", "c.equal.test"),
                List.of("b.equal.test", "a.equal.test", "c.equal.test"));
    }

    @Test
    void noMxMeansAnImplicitMxFromTheDomainsAddresses() throws Exception {
        MxResult result = resolve("implicit.test", 1);
        assertThat(hosts(result)).containsExactly("implicit.test");
        MxCandidate only = ((MxResult.Candidates) result).candidates().get(0);
        assertThat(only.implicit()).isTrue();
        assertThat(only.addresses()).containsExactly(InetAddress.getByName("127.0.0.50"), InetAddress.getByName("::1"));
        assertThat(only.howFound("implicit.test")).isEqualTo("implicit MX: A/AAAA of implicit.test");
    }

    @Test
    void anMxWithoutAddressesNeverFallsBackToTheBareName() {
        MxResult result = resolve("noaddr.test", 1);
        assertThat(result).isInstanceOf(MxResult.NoAddress.class);
        assertThat(result.message()).contains("none of its 1 MX host(s) has an A/AAAA record");
        assertThat(result.findings()).extracting(DnsFinding::message)
                .anyMatch(m -> m.contains("ghost.noaddr.test") && m.contains("NXDOMAIN"));
    }

    @Test
    void aNameWithNoMxAndNoAddressHasNoAddress() {
        MxResult result = resolve("empty.test", 1);
        assertThat(result).isInstanceOf(MxResult.NoAddress.class);
        assertThat(result.message()).contains("no MX and no A/AAAA");
    }

    @Test
    void nullMxSaysTheDomainAcceptsNoMail() {
        MxResult result = resolve("nullmx.test", 1);
        assertThat(result).isInstanceOf(MxResult.NullMx.class);
        assertThat(result.message()).contains("null MX").contains("RFC 7505").contains("accepts no mail");
    }

    @Test
    void unknownNameIsNxdomain() {
        MxResult result = resolve("unknown.test", 1);
        assertThat(result).as(dns.log()).isInstanceOf(MxResult.NxDomain.class);
        assertThat(result.message()).contains("NXDOMAIN");
    }

    @Test
    void mxPointingToACnameIsFollowedWithAWarning() throws Exception {
        MxResult result = resolve("cname.test", 1);
        assertThat(hosts(result)).containsExactly("alias.cname.test");
        assertThat(((MxResult.Candidates) result).candidates().get(0).addresses())
                .containsExactly(InetAddress.getByName("127.0.0.70"));
        assertThat(result.findings()).singleElement().satisfies(f -> {
            assertThat(f.message()).contains("alias.cname.test").contains("CNAME").contains("real.cname.test");
            assertThat(f.reference()).contains("RFC 2181");
        });
    }

    @Test
    void mxPointingToAnIpLiteralIsWarnedAbout() {
        MxResult result = resolve("literal.test", 1);
        assertThat(hosts(result)).containsExactly("127.0.0.80", "mx.literal.test");
        assertThat(result.findings()).extracting(DnsFinding::message)
                .anyMatch(m -> m.contains("127.0.0.80") && m.contains("IP address literal"));
    }

    @Test
    void aDomainThatIsACnameIsFollowed() {
        assertThat(hosts(resolve("aliased.test", 1)))
                .containsExactly("mx10.pref.test", "mx20.pref.test", "mx30.pref.test");
    }

    @Test
    void servfailIsToldApartFromNxdomain() throws Exception {
        try (StubDns stub = StubDns.answering(Rcode.SERVFAIL)) {
            MxResult result = MxResolver.using(stub.address(), Duration.ofSeconds(2), 1)
                    .resolve("example.test", 1);
            assertThat(result).isInstanceOf(MxResult.ServerFailure.class);
            assertThat(result.message()).contains("SERVFAIL").contains("not NXDOMAIN");
        }
    }

    @Test
    void aSilentResolverTimesOutInsteadOfHanging() throws Exception {
        try (StubDns stub = StubDns.blackHole()) {
            // the bound only catches a hang; what shows the deadline held is the number of tries
            MxResult result = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> MxResolver.using(stub.address(), Duration.ofMillis(300), 2).resolve("example.test", 1));
            assertThat(result).isInstanceOf(MxResult.ServerFailure.class);
            assertThat(((MxResult.ServerFailure) result).reason()).contains("timed out");
            assertThat(stub.queries()).as("queries sent, each waited for once").isBetween(1, 2);
        }
    }

    @Test
    void serverOptionParsesHostAndPort() throws Exception {
        assertThat(MxResolver.parseServer("127.0.0.1:5353").getPort()).isEqualTo(5353);
        assertThat(MxResolver.parseServer("127.0.0.1").getPort()).isEqualTo(53);
        assertThat(MxResolver.parseServer("[::1]:54").getAddress()).isEqualTo(InetAddress.getByName("::1"));
    }

    @Test
    void reverseDnsIsForwardConfirmedWhenThePtrNameResolvesBack() throws Exception {
        ReverseDns confirmed = resolver().reverseDns(InetAddress.getByName("127.0.0.10"));
        assertThat(confirmed.confirmed()).as(confirmed.toString()).isTrue();
        assertThat(confirmed.names()).contains("mx10.pref.test");

        ReverseDns unknown = resolver().reverseDns(InetAddress.getByName("127.0.0.99"));
        assertThat(unknown.confirmed()).isFalse();
        assertThat(unknown.problem()).isNotBlank();
    }
}
