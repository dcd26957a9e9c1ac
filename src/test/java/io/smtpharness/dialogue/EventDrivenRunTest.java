package io.smtpharness.dialogue;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.client.ClientOptions;
import io.smtpharness.client.SmtpClient;
import io.smtpharness.result.CaseResult;
import io.smtpharness.result.Finding;
import io.smtpharness.server.Misbehaviour;
import io.smtpharness.server.ReferenceServer;
import io.smtpharness.server.ServerConfig;
import io.smtpharness.suite.SuiteLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Driven by its replies on the event loop or by a thread that waits, a dialogue gets the same
 * verdict, message and findings: every suite dialogue that qualifies, against a conformant
 * reference server and against servers that break rules in ways those dialogues see.
 */
class EventDrivenRunTest {

    static Stream<Arguments> servers() {
        return Stream.of(
                Arguments.of("conformant", ServerConfig.defaults()),
                Arguments.of("DATA answered 250", ServerConfig.defaults()
                        .withMisbehaviours(new Misbehaviour.Reply("DATA", "250 2.0.0 ok\r\n"))),
                Arguments.of("one reply too many to RSET", ServerConfig.defaults()
                        .withMisbehaviours(new Misbehaviour.ExtraReply("RSET", "250 2.0.0 again\r\n"))),
                Arguments.of("no reply to NOOP", ServerConfig.defaults()
                        .withMisbehaviours(new Misbehaviour.DropReply("NOOP"))),
                Arguments.of("closes on MAIL", ServerConfig.defaults()
                        .withMisbehaviours(new Misbehaviour.CloseOn("MAIL"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void eventDrivenAndThreadDrivenRunsJudgeAlike(String name, ServerConfig config) throws Exception {
        List<Dialogue> dialogues = SuiteLoader.select(new SuiteLoader().loadAll(List.of(Path.of("test-suites"))), Set.of())
                .stream().filter(EventDrivenRun::handles).toList();
        assertThat(dialogues).as("most suite dialogues only send and expect").hasSizeGreaterThan(50);
        RunnerOptions options = RunnerOptions.defaults();
        try (ReferenceServer server = ReferenceServer.start(config);
             SmtpClient client = new SmtpClient(ClientOptions.defaults().withReplyTimeout(Duration.ofSeconds(2)))) {
            DialogueRunner threads = new DialogueRunner(client, server.address(), options);
            DialogueRunner events = new DialogueRunner(client, server.address(), options);
            List<String> mismatches = new ArrayList<>();
            for (Dialogue dialogue : dialogues) {
                String byThread = summary(threads.run(dialogue));
                CompletableFuture<CaseResult> result = new CompletableFuture<>();
                events.runThen(dialogue, result::complete);
                // a bound only against a hang: a case takes a few seconds at most
                String byEvents = summary(result.get(60, TimeUnit.SECONDS));
                if (!byThread.equals(byEvents)) {
                    mismatches.add(dialogue.id() + "\n  thread: " + byThread + "\n  events: " + byEvents);
                }
            }
            assertThat(mismatches).as(name).isEmpty();
        }
    }

    /** What a verdict consists of, without timings. */
    private static String summary(CaseResult result) {
        return result.status() + " " + result.message().replaceAll("\\d+ ms", "N ms") + " "
                + result.findings().stream().map(f -> f.ruleId() + ":" + f.severity() + ":" + f.reach()).toList();
    }
}
