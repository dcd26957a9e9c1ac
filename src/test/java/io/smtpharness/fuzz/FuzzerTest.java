package io.smtpharness.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.client.ClientOptions;
import io.smtpharness.client.SmtpClient;
import io.smtpharness.dialogue.Dialogue;
import io.smtpharness.dialogue.DialogueRunner;
import io.smtpharness.dialogue.RunnerOptions;
import io.smtpharness.dialogue.Step;
import io.smtpharness.result.CaseResult;
import io.smtpharness.result.FuzzFinding;
import io.smtpharness.result.FuzzReport;
import io.smtpharness.result.Shard;
import io.smtpharness.result.Status;
import io.smtpharness.server.Misbehaviour;
import io.smtpharness.server.ReferenceServer;
import io.smtpharness.server.ServerConfig;
import io.smtpharness.suite.SuiteLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fuzzer against the reference server: silent on the conformant one, and for each injected
 * fault (a crash after a command sequence, a hang on NUL, a wrong code in one state) a finding,
 * shrunk, whose suite file replays to the same verdict.
 */
class FuzzerTest {

    @TempDir
    Path reports;

    private static FuzzReport fuzz(ServerConfig config, FuzzOptions options, Duration replyTimeout) throws Exception {
        try (ReferenceServer server = ReferenceServer.start(config);
             SmtpClient client = new SmtpClient(ClientOptions.defaults().withReplyTimeout(replyTimeout))) {
            return new Fuzzer(client, server.address(), options).run();
        }
    }

    /** Replays the finding's file against a fresh server of the same config, as {@code run --suite} does. */
    private CaseResult replay(ServerConfig config, FuzzFinding finding, Duration replyTimeout) {
        List<Dialogue> cases = new SuiteLoader().load(reports.resolve(finding.file()));
        assertThat(cases).hasSize(1);
        try (ReferenceServer server = ReferenceServer.start(config);
             SmtpClient client = new SmtpClient(ClientOptions.defaults().withReplyTimeout(replyTimeout))) {
            return new DialogueRunner(client, server.address(), RunnerOptions.defaults()).run(cases.get(0));
        }
    }

    private static long commandsIn(Dialogue d) {
        return d.steps().stream().filter(s -> s instanceof Step.Send || s instanceof Step.SendRaw).count();
    }

    @Test
    void aConformantServerGivesNoFindingAndEveryStateIsExercised() throws Exception {
        FuzzReport report = fuzz(ServerConfig.defaults(), FuzzOptions.of(42, 2000, reports.resolve("findings")),
                Duration.ofSeconds(5));

        assertThat(report.findings()).isEmpty();
        assertThat(report.tries()).isEqualTo(2000);
        assertThat(report.coverage()).containsKeys("CONNECTED", "GREETED", "MAIL", "RCPT", "DATA");
        assertThat(report.coverage().get("RCPT")).containsKeys("DATA", "RSET", "MAIL", "RCPT", "QUIT", "UNKNOWN");
        assertThat(report.coverage().get("DATA")).containsKey("END_OF_DATA");
    }

    @Test
    void aServerThatHangsUpOnPurposeIsNotFlagged() throws Exception {
        // after 421 (RFC 5321 §3.8), or silently after repeated errors (§7.8, gray zone G-20)
        for (boolean with421 : new boolean[] {true, false}) {
            ServerConfig defensive = ServerConfig.defaults().withMisbehaviours(new Misbehaviour.HangUpAfterErrors(3, with421));
            FuzzReport report = fuzz(defensive, FuzzOptions.of(9, 300, reports.resolve("findings")), Duration.ofSeconds(5));
            assertThat(report.findings()).as("with421 = " + with421).isEmpty();
        }
        // or with 554 to the eleventh command that moves no mail (Exim's smtp_accept_max_nonmail)
        ServerConfig limited = ServerConfig.defaults().withMisbehaviours(new Misbehaviour.NonMailLimit(10));
        FuzzReport limitedReport = fuzz(limited, FuzzOptions.of(9, 300, reports.resolve("findings")), Duration.ofSeconds(5));
        assertThat(limitedReport.findings()).as(() -> limitedReport.findings().toString()).isEmpty();
        // the control: the same refusal and close after a few commands is not a defence against a loop
        ServerConfig early = ServerConfig.defaults().withMisbehaviours(new Misbehaviour.NonMailLimit(2));
        assertThat(fuzz(early, FuzzOptions.of(9, 300, reports.resolve("findings")), Duration.ofSeconds(5)).findings())
                .isNotEmpty();
        // the control: the same server hanging up after a single error is a crash
        ServerConfig touchy = ServerConfig.defaults().withMisbehaviours(new Misbehaviour.HangUpAfterErrors(1, false));
        FuzzReport report = fuzz(touchy, FuzzOptions.of(9, 300, reports.resolve("findings")), Duration.ofSeconds(5));
        assertThat(report.findings()).isNotEmpty().extracting(FuzzFinding::kind).containsOnly("crash");
    }

    /**
     * Exim 4.96 in CI: the eleventh EHLO got "554 Too many nonmail commands", and the next line the
     * harness sent crossed Exim's close and went unanswered. That line is part of the defence (G-20),
     * not a crash; the same close after a couple of commands still is one.
     */
    @Test
    void aLineThatCrossesTheCloseAfterARefusalForTooManyCommandsIsPartOfTheDefence() {
        List<FuzzAction> loop = new ArrayList<>(Collections.nCopies(11, FuzzAction.send("EHLO client.test")));
        loop.add(FuzzAction.send("NOOP"));
        ServerConfig lingering = ServerConfig.defaults().withMisbehaviours(new Misbehaviour.NonMailLimit(10, true));
        ServerConfig early = ServerConfig.defaults().withMisbehaviours(new Misbehaviour.NonMailLimit(2, true));
        FuzzRun.Attempt defended;
        FuzzRun.Attempt crashed;
        try (SmtpClient client = new SmtpClient(ClientOptions.defaults().withReplyTimeout(Duration.ofSeconds(5)))) {
            try (ReferenceServer server = ReferenceServer.start(lingering)) {
                defended = new FuzzRun(FuzzOptions.of(1, 1, reports.resolve("findings")), client, server.address(),
                        System.nanoTime() + Duration.ofMinutes(5).toNanos(), Optional.empty()).perform(loop, true);
            }
            try (ReferenceServer server = ReferenceServer.start(early)) {
                crashed = new FuzzRun(FuzzOptions.of(1, 1, reports.resolve("findings")), client, server.address(),
                        System.nanoTime() + Duration.ofMinutes(5).toNanos(), Optional.empty())
                        .perform(List.of(FuzzAction.send("EHLO client.test"), FuzzAction.send("EHLO client.test"),
                                FuzzAction.send("EHLO client.test"), FuzzAction.send("NOOP")), true);
            }
        }
        assertThat(defended.failure()).isEmpty();
        assertThat(crashed.failure()).isPresent();
    }

    /**
     * Exim 4.96 in CI: "554 Too many nonmail commands" and the close both arrived before the harness
     * looked at the 554. The excused close must end the session: the next action is not sent, and the
     * close is not judged again as a crash when that action finds the connection gone.
     */
    @RepeatedTest(20)
    void aRefusalForTooManyCommandsEndsTheSessionWhenTheCloseArrivedFirst() {
        List<FuzzAction> loop = new ArrayList<>(Collections.nCopies(11, FuzzAction.send("EHLO client.test")));
        loop.addAll(Collections.nCopies(3, FuzzAction.send("EHLO client.test")));
        ServerConfig limited = ServerConfig.defaults().withMisbehaviours(new Misbehaviour.NonMailLimit(10));
        try (SmtpClient client = new SmtpClient(ClientOptions.defaults().withReplyTimeout(Duration.ofSeconds(5)));
             ReferenceServer server = ReferenceServer.start(limited)) {
            FuzzRun.Attempt attempt = new FuzzRun(FuzzOptions.of(1, 1, reports.resolve("findings")), client,
                    server.address(), System.nanoTime() + Duration.ofMinutes(5).toNanos(), Optional.empty())
                    .perform(loop, true);
            assertThat(attempt.failure()).as(() -> attempt.failure().map(f -> f.transcript.toString()).orElse(""))
                    .isEmpty();
        }
    }

    /**
     * A server that ends a command line at a bare LF (as Exim and aiosmtpd do, gray zone G-01) answers
     * each part, so its replies no longer pair with the commands as modelled and its error count runs
     * ahead of the model's: the close after errors and any silence that follows are not findings.
     */
    @Test
    void aServerTakingABareLfAsALineEndIsNotFlagged() throws Exception {
        ServerConfig lenient = ServerConfig.defaults().withMisbehaviours(new Misbehaviour.BareLfEndsCommand(),
                new Misbehaviour.HangUpAfterErrors(3, false));

        FuzzReport report = fuzz(lenient, FuzzOptions.of(3, 400, reports.resolve("findings")), Duration.ofSeconds(5));

        assertThat(report.findings()).as(() -> report.findings().toString()).isEmpty();
    }

    @Test
    void anEarlyEndOfDataIsFound() throws Exception {
        // smuggling: a bare-LF dot line ends DATA (RFC 5321 §4.1.1.4)
        FuzzReport report = fuzz(ServerConfig.defaults().withMisbehaviours(new Misbehaviour.BareLfEndsData()),
                FuzzOptions.of(1, 500, reports.resolve("findings")), Duration.ofSeconds(5));

        assertThat(report.findings()).extracting(FuzzFinding::rules).containsExactly(List.of("5321-4.1.1.4-NO-LF-EOD"));
        assertThat(Files.readString(reports.resolve(report.findings().get(0).file()))).contains("expect-none");
    }

    /**
     * The dialogues are generated in try order from the seed, before they are performed: the same
     * seed gives the same dialogues, on one connection or on four at once, and another seed others.
     */
    @Test
    void theSameSeedGivesTheSameDialoguesOnAnyNumberOfConnections() throws Exception {
        FuzzOptions options = FuzzOptions.of(7, 300, reports.resolve("findings")).withRecordDialogues(true);
        List<List<String>> first;
        List<List<String>> second;
        List<List<String>> parallel;
        int atOnce;
        List<List<String>> other;
        try (ReferenceServer server = ReferenceServer.start(ServerConfig.defaults());
             SmtpClient client = new SmtpClient(ClientOptions.defaults())) {
            Fuzzer a = new Fuzzer(client, server.address(), options);
            a.run();
            first = a.recordedDialogues();
            Fuzzer b = new Fuzzer(client, server.address(), options);
            b.run();
            second = b.recordedDialogues();
            Fuzzer p = new Fuzzer(client, server.address(), options.withConnections(4));
            p.run();
            parallel = p.recordedDialogues();
            atOnce = p.dialoguesAtOnce();
            Fuzzer c = new Fuzzer(client, server.address(), FuzzOptions.of(8, 300, reports.resolve("findings"))
                    .withRecordDialogues(true));
            c.run();
            other = c.recordedDialogues();
        }
        assertThat(first).hasSize(300);
        assertThat(second).isEqualTo(first);
        assertThat(parallel).isEqualTo(first);
        assertThat(atOnce).as("dialogues open at once on 4 connections").isBetween(2, 4);
        assertThat(other).isNotEqualTo(first);
    }

    /** fuzz --shard i/n: the batches of the whole run, dealt out in turn; together the shards' tries are the whole run's. */
    @Test
    void shardsTakeTheWholeRunsBatchesInTurn() throws Exception {
        FuzzOptions whole = FuzzOptions.of(11, 9, reports.resolve("findings")).withBatchTries(2).withRecordDialogues(true);
        List<List<String>> all;
        List<List<String>> first;
        List<List<String>> second;
        FuzzReport firstReport;
        try (ReferenceServer server = ReferenceServer.start(ServerConfig.defaults());
             SmtpClient client = new SmtpClient(ClientOptions.defaults())) {
            Fuzzer a = new Fuzzer(client, server.address(), whole);
            a.run();
            all = a.recordedDialogues();
            Fuzzer one = new Fuzzer(client, server.address(), whole.withShard(new Shard(1, 2)));
            firstReport = one.run();
            first = one.recordedDialogues();
            Fuzzer two = new Fuzzer(client, server.address(), whole.withShard(new Shard(2, 2)));
            two.run();
            second = two.recordedDialogues();
        }
        assertThat(all).hasSize(9);
        // batches of 2: 0 1 | 2 3 | 4 5 | 6 7 | 8 -- shard 1 has batches 0, 2 and 4; shard 2 has 1 and 3
        assertThat(first).containsExactly(all.get(0), all.get(1), all.get(4), all.get(5), all.get(8));
        assertThat(second).containsExactly(all.get(2), all.get(3), all.get(6), all.get(7));
        assertThat(firstReport.batchSeeds()).containsExactly(Fuzzer.batchSeed(11, 0), Fuzzer.batchSeed(11, 2),
                Fuzzer.batchSeed(11, 4));
    }

    @ParameterizedTest(name = "{0} connection(s)")
    @ValueSource(ints = {1, 4})
    void aCrashAfterACommandSequenceIsFoundShrunkAndReplayed(int connections) throws Exception {
        ServerConfig crashing = ServerConfig.defaults().withMisbehaviours(
                new Misbehaviour.CrashAfter(List.of("EHLO", "MAIL", "RCPT", "RSET")));
        FuzzReport report = fuzz(crashing, FuzzOptions.of(1, 400, reports.resolve("findings")).withConnections(connections),
                Duration.ofSeconds(5));

        assertThat(report.findings()).hasSize(1);
        FuzzFinding finding = report.findings().get(0);
        assertThat(finding.kind()).isEqualTo("crash");
        assertThat(finding.rules()).containsExactly("5321-3.8-CLOSE-ONLY-IF");
        assertThat(finding.message()).contains("RSET").contains("server still greets");
        assertThat(finding.commands()).as(Files.readString(reports.resolve(finding.file()))).isBetween(1, 4);

        CaseResult replayed = replay(crashing, finding, Duration.ofSeconds(5));
        assertThat(replayed.status()).isEqualTo(Status.FAILED);
        assertThat(replayed.findings()).anyMatch(f -> f.ruleId().equals("5321-3.8-CLOSE-ONLY-IF"));
        assertThat(commandsIn(new SuiteLoader().load(reports.resolve(finding.file())).get(0))).isLessThanOrEqualTo(4);
        // and against a server without the fault, the same file passes
        assertThat(replay(ServerConfig.defaults(), finding, Duration.ofSeconds(5)).status()).isEqualTo(Status.PASSED);
    }

    @Test
    void aServerThatDiesIsReportedAsNoLongerGreetingAndTheRunStops() throws Exception {
        ServerConfig dying = ServerConfig.defaults().withMisbehaviours(
                new Misbehaviour.DieAfter(List.of("EHLO", "MAIL", "RCPT", "RSET")));
        FuzzReport report = fuzz(dying, FuzzOptions.of(1, 400, reports.resolve("findings")), Duration.ofSeconds(5));

        assertThat(report.findings()).hasSize(1);
        assertThat(report.findings().get(0).kind()).isEqualTo("crash");
        assertThat(report.findings().get(0).message()).contains("server no longer greets");
        assertThat(report.stopped()).contains("stopped accepting connections");
        assertThat(report.tries()).isLessThan(400);

        // the replay ends by asking a fresh connection for its greeting: the dead server fails it on
        // the finding's rule, a server without the fault passes the whole file
        CaseResult replayed = replay(dying, report.findings().get(0), Duration.ofSeconds(5));
        assertThat(replayed.status()).isEqualTo(Status.FAILED);
        assertThat(replayed.findings()).anySatisfy(f -> {
            assertThat(f.ruleId()).isEqualTo("5321-3.8-CLOSE-ONLY-IF");
            assertThat(f.message()).contains("a fresh connection").contains("no longer serves");
        });
        assertThat(replay(ServerConfig.defaults(), report.findings().get(0), Duration.ofSeconds(5)).status())
                .isEqualTo(Status.PASSED);
    }

    @Test
    void aHangOnNulIsFoundAndReplayed() throws Exception {
        ServerConfig hanging = ServerConfig.defaults().withMisbehaviours(new Misbehaviour.HangOnNul());
        FuzzReport report = fuzz(hanging, FuzzOptions.of(3, 300, reports.resolve("findings")).withMaxActions(6),
                Duration.ofMillis(500));

        assertThat(report.findings()).hasSize(1);
        FuzzFinding finding = report.findings().get(0);
        assertThat(finding.kind()).isEqualTo("hang");
        assertThat(finding.rules()).containsExactly("5321-4.2-ONE-REPLY");
        assertThat(finding.message()).contains("no complete reply").contains("\\x00");
        assertThat(finding.commands()).isEqualTo(1);

        // the replay's expect cites ONE-REPLY, so the silence is the breach (not a harness error), and a
        // fresh connection must still be greeted; a server without the fault passes the same file
        CaseResult replayed = replay(hanging, finding, Duration.ofMillis(500));
        assertThat(replayed.status()).isEqualTo(Status.FAILED);
        assertThat(replayed.message()).contains("5321-4.2-ONE-REPLY").contains("no complete reply").contains("\\x00");
        assertThat(Files.readString(reports.resolve(finding.file()))).contains("expect-greeting:");
        assertThat(replay(ServerConfig.defaults(), finding, Duration.ofMillis(500)).status()).isEqualTo(Status.PASSED);
    }

    @Test
    void aWrongCodeInOneStateIsFoundAndReplayed() throws Exception {
        ServerConfig wrong = ServerConfig.defaults().withMisbehaviours(
                new Misbehaviour.ReplyInState("NOOP", "RCPT", "451 4.3.0 busy\r\n"));
        FuzzReport report = fuzz(wrong, FuzzOptions.of(5, 400, reports.resolve("findings")), Duration.ofSeconds(5));

        assertThat(report.findings()).hasSize(1);
        FuzzFinding finding = report.findings().get(0);
        assertThat(finding.kind()).isEqualTo("rule");
        assertThat(finding.rules()).containsExactly("5321-4.1.1.9-NOOP-250");
        assertThat(finding.message()).contains("RCPT:NOOP");

        CaseResult replayed = replay(wrong, finding, Duration.ofSeconds(5));
        assertThat(replayed.status()).isEqualTo(Status.FAILED);
        assertThat(replayed.findings()).anyMatch(f -> f.ruleId().equals("5321-4.1.1.9-NOOP-250"));
    }
}
