package io.smtpharness.bench;

import io.smtpharness.client.ClientOptions;
import io.smtpharness.client.SmtpClient;
import io.smtpharness.dialogue.Dialogue;
import io.smtpharness.dialogue.DialogueRunner;
import io.smtpharness.dialogue.ReplyMatcher;
import io.smtpharness.dialogue.RunnerOptions;
import io.smtpharness.dialogue.Step;
import io.smtpharness.result.CaseResult;
import io.smtpharness.result.Status;
import io.smtpharness.server.ReferenceServer;
import io.smtpharness.server.ServerConfig;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Full sessions per second through the harness's own runner — every reply parsed and judged by
 * the oracles, as in a real run — so it can be set beside {@code smtp-source} on the same sink.
 * A session is EHLO, MAIL, RCPT, DATA with a 1 KiB body, QUIT.
 *
 * <p>Usage: {@code SessionRate HOST:PORT|embedded CONCURRENCY SESSIONS}. Prints one line:
 * {@code sessions=N concurrency=C seconds=S rate=R passed=P}.
 */
public final class SessionRate {

    private SessionRate() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: SessionRate HOST:PORT|embedded CONCURRENCY SESSIONS");
            System.exit(2);
        }
        int concurrency = Integer.parseInt(args[1]);
        int sessions = Integer.parseInt(args[2]);
        ReferenceServer server = null;
        InetSocketAddress target;
        if (args[0].equals("embedded")) {
            server = ReferenceServer.start(ServerConfig.defaults());
            target = server.address();
        } else {
            int colon = args[0].lastIndexOf(':');
            target = new InetSocketAddress(args[0].substring(0, colon), Integer.parseInt(args[0].substring(colon + 1)));
        }
        try (SmtpClient client = new SmtpClient(ClientOptions.defaults())) {
            DialogueRunner runner = new DialogueRunner(client, target, RunnerOptions.defaults());
            Dialogue session = session();
            run(runner, session, concurrency, Math.max(concurrency, sessions / 10)); // warm-up: JIT, connections
            long start = System.nanoTime();
            Map<Status, Integer> statuses = run(runner, session, concurrency, sessions);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("sessions=%d concurrency=%d seconds=%.3f rate=%.1f passed=%d%n", sessions, concurrency,
                    seconds, sessions / seconds, statuses.getOrDefault(Status.PASSED, 0));
            if (statuses.getOrDefault(Status.PASSED, 0) != sessions) {
                System.err.println("not every session passed: " + statuses);
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    private static Map<Status, Integer> run(DialogueRunner runner, Dialogue session, int concurrency, int sessions)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        AtomicInteger left = new AtomicInteger(sessions);
        List<Future<Map<Status, Integer>>> workers = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            workers.add(pool.submit(() -> {
                Map<Status, Integer> counts = new EnumMap<>(Status.class);
                while (left.getAndDecrement() > 0) {
                    CaseResult result = runner.run(session);
                    counts.merge(result.status(), 1, Integer::sum);
                }
                return counts;
            }));
        }
        Map<Status, Integer> total = new EnumMap<>(Status.class);
        for (Future<Map<Status, Integer>> worker : workers) {
            worker.get().forEach((status, n) -> total.merge(status, n, Integer::sum));
        }
        pool.shutdown();
        return total;
    }

    private static Dialogue session() {
        String body = "Subject: bench\n\n" + ("x".repeat(63) + "\n").repeat(16); // 1 KiB of body lines
        List<Step> steps = new ArrayList<>();
        for (String[] exchange : new String[][] {{"EHLO ${helo}", "250"}, {"MAIL FROM:<${sender}>", "250"},
                {"RCPT TO:<${recipient}>", "250"}, {"DATA", "354"}}) {
            steps.add(new Step.Send(exchange[0], "bench"));
            steps.add(new Step.Expect(ReplyMatcher.of(exchange[1]), Optional.empty(), "bench"));
        }
        steps.add(new Step.SendData(body, "bench"));
        steps.add(new Step.Expect(ReplyMatcher.of("250"), Optional.empty(), "bench"));
        return new Dialogue("bench", "session", "one full session", List.of("5321-3.3-DATA-354-250"), List.of(),
                Optional.empty(), List.of(), steps, "bench");
    }
}
