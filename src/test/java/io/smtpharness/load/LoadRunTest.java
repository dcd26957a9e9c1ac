package io.smtpharness.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.client.ClientOptions;
import io.smtpharness.client.SmtpClient;
import io.smtpharness.dialogue.RunnerOptions;
import io.smtpharness.result.CaseResult;
import io.smtpharness.result.LoadReport;
import io.smtpharness.result.Status;
import io.smtpharness.server.Misbehaviour;
import io.smtpharness.server.ReferenceServer;
import io.smtpharness.server.ServerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Load against the reference server: every session judged, every stage timed, memory kept to a few sessions. */
class LoadRunTest {

    private static LoadRun.Result load(ServerConfig config, int sessions, int concurrency) throws Exception {
        return load(config, sessions, concurrency, 0);
    }

    private static LoadRun.Result load(ServerConfig config, int sessions, int concurrency, int rate) throws Exception {
        try (ReferenceServer server = ReferenceServer.start(config);
             SmtpClient client = new SmtpClient(ClientOptions.defaults().withReplyTimeout(Duration.ofSeconds(10)))) {
            return new LoadRun(client, server.address(), RunnerOptions.defaults(), concurrency).run(sessions, rate,
                    WarmUp.forRun(sessions, concurrency, Duration.ZERO));
        }
    }

    /**
     * Open model: 40 sessions due 10 ms apart. Whether some start late depends on the machine, so only
     * the count is checked against its bounds; the run cannot end before the last one was due.
     */
    @Test
    void theOpenModelStartsSessionsAtTheRateAndCountsLateOnes() throws Exception {
        LoadRun.Result result = load(ServerConfig.defaults(), 40, 4, 100);

        LoadReport report = result.report();
        assertThat(report.statuses()).containsExactly(java.util.Map.entry(Status.PASSED, 40));
        assertThat(report.ratePerSecond()).isEqualTo(100);
        assertThat(report.lateStarts()).isBetween(0, 40);
        assertThat(report.durationMs()).as("the 40th session is due 390 ms in").isGreaterThanOrEqualTo(390);
        assertThat(report.stages().get("QUIT").count()).isEqualTo(40);
    }

    @Test
    void everySessionIsJudgedAndEveryStageTimed() throws Exception {
        LoadRun.Result result = load(ServerConfig.defaults(), 200, 8);

        LoadReport report = result.report();
        assertThat(report.statuses()).containsExactly(java.util.Map.entry(Status.PASSED, 200));
        assertThat(report.stages().keySet()).as("in session order").containsExactly("connect", "greeting", "EHLO",
                "MAIL", "RCPT", "DATA",
                "end-of-data", "QUIT");
        assertThat(report.stages().values()).allSatisfy(stage -> {
            assertThat(stage.count()).isEqualTo(200);
            assertThat(stage.p50Ms()).isLessThanOrEqualTo(stage.p95Ms());
            assertThat(stage.p99Ms()).isLessThanOrEqualTo(stage.maxMs());
        });
        assertThat(report.sessionsPerSecond()).isPositive();
        assertThat(result.kept()).extracting(CaseResult::id).containsExactly("session-1");
    }

    @Test
    void aRuleBrokenUnderLoadFailsItsSessionsAndKeepsAFewWhole() throws Exception {
        // 250 to the end of data is right, but to DATA itself it is a wrong code (RFC 5321 §4.3.2: 354)
        ServerConfig wrong = ServerConfig.defaults().withMisbehaviours(new Misbehaviour.Reply("DATA", "250 2.0.0 ok\r\n"));

        LoadRun.Result result = load(wrong, 60, 4);

        assertThat(result.report().statuses()).containsExactly(java.util.Map.entry(Status.FAILED, 60));
        assertThat(result.kept()).hasSize(LoadRun.KEPT_PROBLEMS).allSatisfy(c -> {
            assertThat(c.status()).isEqualTo(Status.FAILED);
            assertThat(c.transcript()).isNotEmpty();
        });
        assertThat(result.kept()).extracting(CaseResult::id).startsWith("session-1");
        assertThat(result.kept().get(0).message()).contains("DATA");
    }

    /** What --verbose and the progress line show: every session that did not pass, and the count done. */
    @Test
    void problemsAreToldAsTheyComeAndTheStatusCountsSessions() throws Exception {
        ServerConfig wrong = ServerConfig.defaults().withMisbehaviours(new Misbehaviour.Reply("DATA", "250 2.0.0 ok\r\n"));
        java.util.List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ReferenceServer server = ReferenceServer.start(wrong);
             SmtpClient client = new SmtpClient(ClientOptions.defaults().withReplyTimeout(Duration.ofSeconds(10)))) {
            LoadRun run = new LoadRun(client, server.address(), RunnerOptions.defaults(), 4, c -> told.add(c.id()));
            assertThat(run.status()).isEqualTo("load: starting");
            run.run(30, 0, WarmUp.forRun(30, 4, Duration.ZERO));
            assertThat(run.status()).isEqualTo("load: 30/30 sessions, 30 not passed");
        }
        assertThat(told).as("warm-up sessions included").hasSizeGreaterThanOrEqualTo(30).contains("session-30");
    }

    @Test
    void warmUpIsATenthOfTheSessionsWithinBounds() {
        assertThat(WarmUp.forRun(1000, 8, Duration.ZERO).minSessions()).isEqualTo(100);
        assertThat(WarmUp.forRun(10, 8, Duration.ZERO).minSessions()).isEqualTo(8);
        assertThat(WarmUp.forRun(100_000, 8, Duration.ZERO).minSessions()).isEqualTo(500);
        assertThat(List.of(LoadRun.session().rules())).containsExactly(List.of(LoadRun.RULE));
    }

    /** Rounds go on while the compiler is busy, and stop at the limit however busy it stays. */
    @Test
    void warmUpGoesOnInRoundsWhileTheCompilerIsBusyUpToItsLimit() throws Exception {
        List<Integer> rounds = new ArrayList<>();
        WarmUp.Done fixed = WarmUp.fixed(30).run(rounds::add);
        assertThat(rounds).containsExactly(30);
        assertThat(fixed.sessions()).isEqualTo(30);

        // the compiler is busy during the first three rounds after the fixed part, then quiet:
        // two quiet rounds in a row end the warm-up, settled
        rounds.clear();
        AtomicLong compiledMs = new AtomicLong();
        WarmUp.Done settles = new WarmUp(5, 7, Duration.ofMinutes(5)).run(n -> {
            rounds.add(n);
            if (rounds.size() <= 4) {
                compiledMs.addAndGet(60_000);
            }
        }, compiledMs::get);
        assertThat(rounds).containsExactly(5, 7, 7, 7, 7, 7);
        assertThat(settles.sessions()).isEqualTo(5 + 7 * 5);
        assertThat(settles.settled()).isTrue();

        // a compiler that never settles: the limit ends the warm-up, not settled
        rounds.clear();
        WarmUp.Done limited = new WarmUp(5, 7, Duration.ofMillis(50)).run(n -> {
            rounds.add(n);
            compiledMs.addAndGet(60_000);
            Thread.sleep(5);
        }, compiledMs::get);
        assertThat(rounds.size()).isGreaterThan(1);
        assertThat(rounds.subList(1, rounds.size())).allSatisfy(n -> assertThat(n).isEqualTo(7));
        assertThat(limited.settled()).isFalse();
        assertThat(limited.sessions()).isEqualTo(5 + 7 * (rounds.size() - 1));

        // when compiling cannot be observed, only the fixed part runs
        rounds.clear();
        WarmUp.Done blind = new WarmUp(5, 7, Duration.ofMinutes(5)).run(rounds::add, null);
        assertThat(rounds).containsExactly(5);
        assertThat(blind.sessions()).isEqualTo(5);
    }
}
