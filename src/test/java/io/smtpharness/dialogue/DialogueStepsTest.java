package io.smtpharness.dialogue;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.client.ClientOptions;
import io.smtpharness.result.CaseResult;
import io.smtpharness.result.Finding;
import io.smtpharness.result.Severity;
import io.smtpharness.result.Status;
import io.smtpharness.testing.InMemoryServer;
import io.smtpharness.testing.LineServer.Action;
import io.smtpharness.testing.LineServer.HangUp;
import io.smtpharness.testing.LineServer.Pause;
import io.smtpharness.testing.LineServer.Say;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The step handlers' paths (waits, the server's close, TLS, silence) against a server in memory:
 * no socket and no clock, so what a step decided to wait is asserted exactly.
 */
class DialogueStepsTest {

    private static final InetSocketAddress TARGET = new InetSocketAddress(InetAddress.getLoopbackAddress(), 25);
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);
    private static final RunnerOptions OPTIONS = new RunnerOptions(Variables.defaults(), false, Duration.ofMinutes(5),
            Duration.ofSeconds(10), false);

    /**
     * A small conformant server: EHLO lists {@code keywords}, the transaction commands are accepted
     * in order, message content runs to the end-of-data line, QUIT gets 221 and the close. Verbs in
     * {@code silentTo} get no reply at all.
     */
    private static final class TinyServer implements Function<String, List<Action>> {
        private final List<String> keywords;
        private final Set<String> silentTo;
        private boolean inData;
        private boolean keepOpenAfterQuit;

        TinyServer(List<String> keywords, String... silentTo) {
            this.keywords = keywords;
            this.silentTo = Set.of(silentTo);
        }

        TinyServer keepingOpenAfterQuit() {
            keepOpenAfterQuit = true;
            return this;
        }

        @Override
        public List<Action> apply(String line) {
            if (inData) {
                inData = !line.equals(".");
                return inData ? List.of() : List.of(new Say("250 2.0.0 queued"));
            }
            String verb = line.split(" ", 2)[0].toUpperCase();
            if (silentTo.contains(verb)) {
                return List.of();
            }
            return switch (verb) {
                case "EHLO" -> ehlo();
                case "MAIL", "RCPT", "RSET", "NOOP" -> List.of(new Say("250 2.0.0 ok"));
                case "DATA" -> {
                    inData = true;
                    yield List.of(new Say("354 go on"));
                }
                case "STARTTLS" -> List.of(new Say("220 2.0.0 ready"));
                case "QUIT" -> keepOpenAfterQuit ? List.of(new Say("221 2.0.0 bye"))
                        : List.of(new Say("221 2.0.0 bye"), new HangUp());
                default -> List.of(new Say("500 5.5.1 unknown command"));
            };
        }

        private List<Action> ehlo() {
            List<Action> lines = new ArrayList<>();
            lines.add(new Say((keywords.isEmpty() ? "250 " : "250-") + "tiny.test greets you"));
            for (int i = 0; i < keywords.size(); i++) {
                lines.add(new Say((i == keywords.size() - 1 ? "250 " : "250-") + keywords.get(i)));
            }
            return lines;
        }
    }

    private static InMemoryServer server(TinyServer tiny) {
        return new InMemoryServer("220 tiny.test ESMTP", tiny, ClientOptions.defaults().withReplyTimeout(REPLY_TIMEOUT));
    }

    private static List<String> failed(CaseResult result) {
        return result.findings().stream().filter(f -> f.severity() == Severity.FAILED && !f.incidental())
                .map(Finding::ruleId).toList();
    }

    @Test
    void aFullTransactionPassesAndEndsWithQuitAndTheServersClose() {
        InMemoryServer server = server(new TinyServer(List.of("PIPELINING", "8BITMIME")));
        Dialogue dialogue = new Script("5321-3.3-DATA-354-250").send("EHLO client.test", "250")
                .send("MAIL FROM:<a@client.test>", "250").send("RCPT TO:<b@tiny.test>", "250").send("DATA", "354")
                .step(new Step.SendData("Subject: x\n\n.dot\n", "test"))
                .step(new Step.Expect(ReplyMatcher.of("250"), Optional.empty(), "test")).build();

        CaseResult result = new DialogueRunner(server, TARGET, OPTIONS).run(dialogue);

        assertThat(result.status()).as(result.findings().toString()).isEqualTo(Status.PASSED);
        assertThat(server.lines()).containsSubsequence("DATA", "Subject: x", "", "..dot", ".", "QUIT");
        assertThat(server.waits()).as("nothing was waited for in vain").isEmpty();
    }

    /** A verb the server ignores costs its full reply timeout once per run; the next case waits 1 s for it. */
    @Test
    void aCommandLeftUnansweredIsWaitedForInFullOncePerRun() {
        InMemoryServer server = server(new TinyServer(List.of(), "HELP"));
        DialogueRunner runner = new DialogueRunner(server, TARGET, OPTIONS);
        Dialogue help = new Script("5321-4.1.1.8-HELP").send("EHLO client.test", "250").send("HELP").build();

        CaseResult first = runner.run(help);
        CaseResult second = runner.run(help);

        assertThat(server.waits()).containsExactly(REPLY_TIMEOUT, Conversation.KNOWN_SILENCE_WAIT);
        assertThat(first.status()).isEqualTo(Status.ERROR);
        assertThat(first.message()).contains("no complete reply to HELP within 30000 ms");
        assertThat(second.status()).isEqualTo(Status.ERROR);
        assertThat(second.message()).contains("did not wait that long again").contains("test/case");
    }

    @Test
    void anExpectedCloseAfter221PassesWhenTheServerClosesAndFailsForTheFullWaitWhenItDoesNot() {
        Step close = new Step.ExpectClose(Duration.ofSeconds(3), Optional.of("5321-4.1.1.10-QUIT-221"), "test");
        Dialogue quit = new Script("5321-4.1.1.10-QUIT-221").send("QUIT", "221").step(close).build();

        InMemoryServer closing = server(new TinyServer(List.of()));
        CaseResult closed = new DialogueRunner(closing, TARGET, OPTIONS).run(quit);
        InMemoryServer lingering = server(new TinyServer(List.of()).keepingOpenAfterQuit());
        CaseResult keptOpen = new DialogueRunner(lingering, TARGET, OPTIONS).run(quit);

        assertThat(closed.status()).as(closed.findings().toString()).isEqualTo(Status.PASSED);
        assertThat(closing.waits()).isEmpty();
        assertThat(failed(keptOpen)).containsExactly("5321-4.1.1.10-QUIT-221");
        // the step's window, less what the case spent before the wait began
        assertThat(lingering.waits()).singleElement().satisfies(wait -> assertThat(wait)
                .isLessThanOrEqualTo(Duration.ofSeconds(3)).isGreaterThan(Duration.ofSeconds(2)));
    }

    @Test
    void aReplyWhereNoneMayComeFailsTheCitedRule() {
        Step none = new Step.ExpectNoReply(Duration.ofSeconds(2), Optional.of("5321-4.1.1.4-NO-LF-EOD"), "test");
        Dialogue dialogue = new Script("5321-4.1.1.4-NO-LF-EOD").send("EHLO client.test", "250")
                .step(new Step.SendRaw("NOOP\r\n", "test")).step(none).build();

        CaseResult result = new DialogueRunner(server(new TinyServer(List.of())), TARGET, OPTIONS).run(dialogue);

        assertThat(failed(result)).containsExactly("5321-4.1.1.4-NO-LF-EOD");
        assertThat(result.findings()).anySatisfy(f -> assertThat(f.message()).contains("a reply arrived where none may"));
    }

    @Test
    void silenceWhereNoReplyMayComeWaitsTheStepsWindowAndPasses() {
        Step none = new Step.ExpectNoReply(Duration.ofSeconds(2), Optional.empty(), "test");
        Dialogue dialogue = new Script("5321-4.1.1.4-NO-LF-EOD").send("EHLO client.test", "250")
                .step(new Step.SendRaw("NOOP", "test")).step(none).build();
        InMemoryServer server = server(new TinyServer(List.of()));

        CaseResult result = new DialogueRunner(server, TARGET, OPTIONS).run(dialogue);

        assertThat(result.status()).as(result.findings().toString()).isEqualTo(Status.PASSED);
        assertThat(server.waits()).startsWith(Duration.ofSeconds(2));
    }

    /** EHLO, then {@code noops} NOOPs, then a line without its line end and a window of 3 s. */
    private static Dialogue quietAfterNoops(int noops) {
        Script script = new Script("5321-4.1.1.4-NO-LF-EOD").send("EHLO client.test", "250");
        for (int i = 0; i < noops; i++) {
            script.send("NOOP", "250");
        }
        return script.step(new Step.SendRaw("NOOP", "test")).none(Duration.ofSeconds(3)).build();
    }

    @Test
    void aWindowIsCutOnceTheServerHasShownItAnswersAtOnceAndTheTranscriptSaysSo() {
        InMemoryServer early = server(new TinyServer(List.of()));
        InMemoryServer shown = server(new TinyServer(List.of()));

        CaseResult tooSoon = new DialogueRunner(early, TARGET, OPTIONS).run(quietAfterNoops(ReplyPace.MIN_REPLIES - 2));
        CaseResult cut = new DialogueRunner(shown, TARGET, OPTIONS).run(quietAfterNoops(ReplyPace.MIN_REPLIES));

        assertThat(tooSoon.status()).isEqualTo(Status.PASSED);
        assertThat(early.waits()).as("19 replies: too few to cut").startsWith(Duration.ofSeconds(3));
        assertThat(cut.status()).isEqualTo(Status.PASSED);
        // the in-memory server answers within microseconds: the floor, unless this machine stalled
        assertThat(shown.waits().get(0)).isGreaterThanOrEqualTo(ReplyPace.FLOOR).isLessThan(Duration.ofSeconds(3));
        assertThat(cut.transcript()).anySatisfy(e -> assertThat(e.text()).contains("not the suite's 3000 ms"));
    }

    @Test
    void fullWindowsAreListenedForInFullWhenTheOptionsSaySo() {
        InMemoryServer server = server(new TinyServer(List.of()));

        CaseResult result = new DialogueRunner(server, TARGET, OPTIONS.withFullWindows(true))
                .run(quietAfterNoops(ReplyPace.MIN_REPLIES));

        assertThat(result.status()).isEqualTo(Status.PASSED);
        assertThat(server.waits()).startsWith(Duration.ofSeconds(3));
        assertThat(result.transcript()).noneSatisfy(e -> assertThat(e.text()).contains("not the suite's"));
    }

    @Test
    void aFailedHandshakeAfter220ToStartTlsBreaksTheHandshakeRuleAndEndsTheSession() {
        InMemoryServer server = server(new TinyServer(List.of("STARTTLS"))).failingHandshakes("no cipher in common");
        Dialogue dialogue = new Script("3207-4-HANDSHAKE-AFTER-220").send("EHLO client.test", "250")
                .step(new Step.StartTls(Optional.empty(), "test")).send("EHLO client.test", "250").build();

        CaseResult result = new DialogueRunner(server, TARGET, OPTIONS).run(dialogue);

        assertThat(failed(result)).containsExactly("3207-4-HANDSHAKE-AFTER-220");
        assertThat(result.findings()).filteredOn(f -> f.ruleId().equals("3207-4-HANDSHAKE-AFTER-220"))
                .singleElement().satisfies(f -> assertThat(f.message()).contains("no cipher in common"));
        assertThat(server.lines()).containsExactly("EHLO client.test", "STARTTLS");
    }

    @Test
    void afterTheHandshakeTheSessionStartsAfreshAndARepliedInjectionInPlaintextIsOnlyNoted() {
        InMemoryServer server = server(new TinyServer(List.of("STARTTLS")));
        Dialogue dialogue = new Script("3207-4.2-NO-INJECTION").send("EHLO client.test", "250")
                .step(new Step.StartTls(Optional.of("NOOP\r\n"), "test")).send("EHLO client.test", "250").build();

        CaseResult result = new DialogueRunner(server, TARGET, OPTIONS).run(dialogue);

        assertThat(result.status()).as(result.findings().toString()).isEqualTo(Status.PASSED);
        assertThat(server.lines()).containsExactly("EHLO client.test", "STARTTLS", "NOOP", "EHLO client.test", "QUIT");
        assertThat(result.transcript()).anySatisfy(e -> assertThat(e.text())
                .contains("in plaintext, before the handshake"));
    }

    @Test
    void aFreshConnectionMustStillBeGreetedAfterTheSteps() {
        Step alive = new Step.ExpectGreeting(Duration.ofSeconds(4), Optional.of("5321-3.8-CLOSE-ONLY-IF"), "test");
        Dialogue dialogue = new Script("5321-3.8-CLOSE-ONLY-IF").send("EHLO client.test", "250").step(alive).build();

        InMemoryServer serving = server(new TinyServer(List.of()));
        CaseResult served = new DialogueRunner(serving, TARGET, OPTIONS).run(dialogue);
        InMemoryServer gone = server(new TinyServer(List.of())).greetingOnly(1);
        CaseResult notServed = new DialogueRunner(gone, TARGET, OPTIONS).run(dialogue);

        assertThat(served.status()).as(served.findings().toString()).isEqualTo(Status.PASSED);
        assertThat(serving.connections()).isEqualTo(2);
        assertThat(serving.lines()).containsExactly("EHLO client.test", "QUIT", "QUIT");
        assertThat(failed(notServed)).containsExactly("5321-3.8-CLOSE-ONLY-IF");
        assertThat(notServed.message()).contains("no greeting within 4000 ms").contains("no longer serves");
        assertThat(gone.waits()).containsExactly(Duration.ofSeconds(4));
    }

    /** A step citing ONE-REPLY makes silence its breach: the rule fails (no harness error) and later steps still run. */
    @Test
    void silenceWhereTheStepCitesOneReplyBreaksItAndTheLivenessCheckStillRuns() {
        Dialogue dialogue = new Script("5321-4.2-ONE-REPLY").send("EHLO client.test", "250")
                .step(new Step.Send("HELP", "test"))
                .step(new Step.Expect(ReplyMatcher.ANY, Optional.of("5321-4.2-ONE-REPLY"), "test"))
                .step(new Step.ExpectGreeting(Duration.ofSeconds(4), Optional.of("5321-4.2-ONE-REPLY"), "test")).build();
        InMemoryServer server = server(new TinyServer(List.of(), "HELP"));

        CaseResult result = new DialogueRunner(server, TARGET, OPTIONS).run(dialogue);

        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(failed(result)).containsExactly("5321-4.2-ONE-REPLY");
        assertThat(result.message()).contains("no complete reply to HELP within 30000 ms");
        assertThat(server.connections()).as("the fresh connection of the liveness check").isEqualTo(2);
        assertThat(server.waits()).containsExactly(REPLY_TIMEOUT);
    }

    /**
     * A reply whose lines are still arriving when the wait ends (a tarpit delays each line) gets one
     * more wait for its end; one that still has not ended then is a timeout as before.
     */
    @Test
    void aReplyStillArrivingWhenTheWaitEndsGetsOneMoreWait() {
        Function<String, List<Action>> tarpit = line -> line.startsWith("EHLO")
                ? List.of(new Say("250-tiny.test"), new Pause(1), new Say("250 8BITMIME"))
                : line.startsWith("HELP") ? List.of(new Say("214-help"), new Pause(1), new Say("214-more"),
                        new Pause(1), new Say("214 end")) : List.of(new Say("250 ok"));
        InMemoryServer server = new InMemoryServer("220 tiny.test", tarpit,
                ClientOptions.defaults().withReplyTimeout(REPLY_TIMEOUT));
        Dialogue ehlo = new Script("5321-4.2-ONE-REPLY").send("EHLO client.test", "250").send("NOOP", "250").build();
        Dialogue help = new Script("5321-4.1.1.8-HELP").send("HELP", "214").build();

        CaseResult slow = new DialogueRunner(server, TARGET, OPTIONS).run(ehlo);
        CaseResult trickle = new DialogueRunner(server, TARGET, OPTIONS).run(help);

        assertThat(slow.status()).as(slow.message()).isEqualTo(Status.PASSED);
        assertThat(trickle.status()).isEqualTo(Status.ERROR);
        assertThat(trickle.message()).contains("no complete reply to HELP within 30000 ms");
        assertThat(server.waits()).as("EHLO: one wait ran out; HELP: both").containsExactly(REPLY_TIMEOUT,
                REPLY_TIMEOUT, REPLY_TIMEOUT);
    }
}
