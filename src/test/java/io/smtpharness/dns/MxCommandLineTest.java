package io.smtpharness.dns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smtpharness.cli.Main;
import io.smtpharness.server.ReferenceServer;
import io.smtpharness.server.ServerConfig;
import io.smtpharness.testing.Dnsmasq;
import io.smtpharness.testing.StubDns;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Rcode;

/** {@code mx DOMAIN} and {@code run --domain} as a user meets them, against dnsmasq on loopback. */
class MxCommandLineTest {

    private static Dnsmasq dns;

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void startDns() {
        dns = Dnsmasq.startOrSkip(
                "--mx-host=example.test,mx2.example.test,20", "--mx-host=example.test,mx1.example.test,10",
                "--host-record=mx1.example.test,127.0.0.11,::1", "--host-record=mx2.example.test,127.0.0.12",
                "--mx-host=equal.test,a.equal.test,10", "--mx-host=equal.test,b.equal.test,10",
                "--host-record=a.equal.test,127.0.0.21", "--host-record=b.equal.test,127.0.0.22",
                "--mx-host=nullmx.test,.,0",
                "--mx-host=cname.test,alias.cname.test,10", "--cname=alias.cname.test,real.cname.test",
                "--host-record=real.cname.test,127.0.0.1",
                // run --domain: the first MX has nothing listening, the second is the reference server
                "--mx-host=run.test,down.run.test,10", "--mx-host=run.test,up.run.test,20",
                "--host-record=down.run.test,127.0.0.2", "--host-record=up.run.test,127.0.0.1",
                "--mx-host=dead.test,down.run.test,10",
                "--mx-host=both.test,one.both.test,10", "--mx-host=both.test,two.both.test,20",
                "--host-record=one.both.test,127.0.0.1", "--host-record=two.both.test,127.0.0.1");
    }

    @AfterAll
    static void stopDns() {
        if (dns != null) {
            dns.close();
        }
    }

    private int run(String... args) {
        return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private String both() {
        return out + "\n" + err + "\n" + dns.log();
    }

    @Test
    void mxListsTheCandidatesInOrderAndTheFirstTried() {
        assertThat(run("mx", "example.test", "--dns-server", dns.hostPort(), "--seed", "1")).as(both()).isZero();
        String text = out.toString();
        assertThat(text).contains("mx1.example.test").contains("127.0.0.11").contains("127.0.0.12")
                .contains("first tried: mx1.example.test:25 (MX 10 of example.test)");
        assertThat(text.indexOf("mx1.example.test")).isLessThan(text.indexOf("mx2.example.test"));
    }

    @Test
    void mxJsonHasTheCandidatesAndTheFirstTried() throws Exception {
        assertThat(run("mx", "example.test", "--dns-server", dns.hostPort(), "--json", "--port", "2525")).as(both()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("status").asText()).isEqualTo("candidates");
        assertThat(json.get("candidates").get(0).get("preference").asInt()).isEqualTo(10);
        assertThat(json.get("candidates").get(0).get("addresses").get(0).asText()).isEqualTo("127.0.0.11");
        assertThat(json.get("candidates").get(0).get("addresses").get(1).asText()).isEqualTo("::1");
        assertThat(json.get("candidates").get(1).get("host").asText()).isEqualTo("mx2.example.test");
        assertThat(json.get("firstTried").asText()).isEqualTo("mx1.example.test:2525 (MX 10 of example.test)");
    }

    @Test
    void theSameSeedGivesTheSameOutput() {
        run("mx", "equal.test", "--dns-server", dns.hostPort(), "--seed", "7");
        String first = out.toString();
        out.getBuffer().setLength(0);
        run("mx", "equal.test", "--dns-server", dns.hostPort(), "--seed", "7");
        assertThat(out.toString()).isEqualTo(first).contains("seed 7");
    }

    @Test
    void nullMxIsExitThreeSayingTheDomainAcceptsNoMail() {
        assertThat(run("mx", "nullmx.test", "--dns-server", dns.hostPort())).as(both()).isEqualTo(3);
        assertThat(err.toString()).contains("null MX").contains("accepts no mail");
    }

    @Test
    void nxdomainIsExitThreeSayingSo() {
        assertThat(run("mx", "nowhere.test", "--dns-server", dns.hostPort())).as(both()).isEqualTo(3);
        assertThat(err.toString()).contains("NXDOMAIN");
    }

    @Test
    void servfailIsExitThreeAndNotCalledNxdomain() throws Exception {
        try (StubDns stub = StubDns.answering(Rcode.SERVFAIL)) {
            assertThat(run("mx", "example.test", "--dns-server", stub.hostPort(), "--dns-retries", "1")).isEqualTo(3);
        }
        assertThat(err.toString()).contains("SERVFAIL").contains("not NXDOMAIN");
    }

    @Test
    void mxToACnameIsAWarning() {
        assertThat(run("mx", "cname.test", "--dns-server", dns.hostPort())).as(both()).isZero();
        assertThat(out.toString()).contains("warning: MX host alias.cname.test of cname.test is an alias");
    }

    @Test
    void runDomainSkipsTheUnreachableFirstMxAndTestsTheSecond() throws Exception {
        Path reports = tmp.resolve("reports");
        try (ReferenceServer server = ReferenceServer.start(ServerConfig.defaults())) {
            int code = run("run", "--domain", "run.test", "--dns-server", dns.hostPort(), "--port",
                    String.valueOf(server.port()), "--tags", "core", "--report-dir", reports.toString());
            assertThat(code).as(both()).isZero();
        }
        assertThat(err.toString()).contains("down.run.test (127.0.0.2:").contains("unreachable");
        JsonNode summary = new ObjectMapper().readTree(reports.resolve("summary.json").toFile());
        assertThat(summary.get("target").asText()).startsWith("up.run.test:").endsWith("(MX 20 of run.test)");
        assertThat(summary.get("cases").size()).isPositive();
        // the DNS side comes first, as cases of its own that can warn but never fail
        assertThat(summary.get("cases").get(0).get("suite").asText()).isEqualTo("dns");
        assertThat(summary.get("cases").get(0).get("id").asText()).isEqualTo("mx-records");
        assertThat(summary.get("cases").get(0).get("status").asText()).isEqualTo("passed");
        assertThat(summary.get("cases").get(1).get("id").asText()).isEqualTo("mx-reverse-dns");
        assertThat(summary.get("cases").get(1).get("status").asText()).isIn("passed", "warning");
        // the reference server greets as reference.test, which the test zone does not know
        assertThat(summary.get("cases").get(2).get("id").asText()).isEqualTo("greeting-name-resolves");
        assertThat(summary.get("cases").get(2).get("status").asText()).isEqualTo("warning");
        assertThat(summary.get("cases").get(2).get("message").asText()).contains("reference.test");
    }

    @Test
    void allMxTestsEveryReachableHostEachUnderItsOwnSuite() throws Exception {
        Path reports = tmp.resolve("all");
        try (ReferenceServer server = ReferenceServer.start(ServerConfig.defaults())) {
            int code = run("run", "--domain", "both.test", "--all-mx", "--dns-server", dns.hostPort(), "--port",
                    String.valueOf(server.port()), "--tags", "core", "--report-dir", reports.toString());
            assertThat(code).as(both()).isZero();
        }
        JsonNode summary = new ObjectMapper().readTree(reports.resolve("summary.json").toFile());
        java.util.Set<String> suites = new java.util.TreeSet<>();
        summary.get("cases").forEach(c -> suites.add(c.get("suite").asText()));
        assertThat(suites).anyMatch(s -> s.startsWith("rfc5321-core@one.both.test:"))
                .anyMatch(s -> s.startsWith("rfc5321-core@two.both.test:")).contains("dns");
        assertThat(summary.get("target").asText()).contains("one.both.test").contains("two.both.test");
    }

    @Test
    void runDomainWithNoReachableMxIsExitThree() {
        assertThat(run("run", "--domain", "dead.test", "--dns-server", dns.hostPort(), "--port", "1",
                "--report-dir", tmp.resolve("r").toString())).as(both()).isEqualTo(3);
        assertThat(err.toString()).contains("no reachable MX for dead.test");
    }

    @Test
    void runDomainWithNullMxIsExitThree() {
        assertThat(run("run", "--domain", "nullmx.test", "--dns-server", dns.hostPort(),
                "--report-dir", tmp.resolve("r").toString())).as(both()).isEqualTo(3);
        assertThat(err.toString()).contains("null MX");
    }

    @Test
    void targetAndDomainTogetherIsAUsageError() {
        assertThat(run("run", "--target", "127.0.0.1:25", "--domain", "example.test",
                "--dns-server", dns.hostPort())).isEqualTo(2);
        assertThat(err.toString()).contains("mutually exclusive");
    }
}
