package io.smtpharness.fuzz;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.Shrinkable;

/**
 * The generated tries of a run: generated one after another on the calling thread from the batch
 * seeds (so the dialogues do not depend on how many run at once), performed on {@code connections}
 * connections at once, and handed back in try order. A slow try (a hang, a wait for silence) holds
 * back only its own outcome: the others keep running meanwhile, up to {@link #MAX_PENDING} ahead.
 * Must be used on the thread of a jqwik session.
 */
final class TryPipeline implements AutoCloseable {

    /** jqwik's generation size: how far the values of an action range (as for a property of 1000 tries). */
    private static final int GENERATION_SIZE = 1000;
    /** Finished tries kept while an earlier one still runs: bounds memory behind a hang. */
    private static final int MAX_PENDING = 1024;

    /** A try performed: its batch seed, its actions (shrinkable, for a failure), and what it did. */
    record Outcome(long seed, List<Shrinkable<FuzzAction>> actions, FuzzRun.Attempt attempt) {
    }

    private record Pending(long seed, List<Shrinkable<FuzzAction>> actions, Future<Optional<FuzzRun.Attempt>> attempt) {
    }

    private final FuzzOptions options;
    private final FuzzRun run;
    private final List<Long> seeds;
    private final ExecutorService pool;
    /** Tries on the pool not finished yet: twice the connections, so a connection never waits for the generator. */
    private final Semaphore running;
    private final int slots;
    private final RandomGenerator<FuzzAction> generator = FuzzActions.any().generator(GENERATION_SIZE);
    private final Deque<Pending> pending = new ArrayDeque<>();
    private Random random;
    /** The batch of the whole run being generated (-1 before the first), and its tries generated so far. */
    private long batch = -1;
    private int inBatch;

    /** {@code seeds} receives the seed of each batch as the batch starts. */
    TryPipeline(FuzzOptions options, FuzzRun run, int connections, List<Long> seeds) {
        this.options = options;
        this.run = run;
        this.seeds = seeds;
        this.slots = 2 * connections;
        this.running = new Semaphore(slots);
        this.pool = Executors.newFixedThreadPool(connections, r -> {
            Thread t = new Thread(r, "fuzz-dialogue");
            t.setDaemon(true);
            return t;
        });
    }

    /** The next try in try order, once performed; empty when the tries or the time are used up. */
    Optional<Outcome> next() {
        while (true) {
            boolean more = !run.overtime() && (options.duration().isPresent() || nextTry() < options.tries());
            boolean headDone = !pending.isEmpty() && pending.peek().attempt().isDone();
            if (more && !headDone && pending.size() < MAX_PENDING) {
                acquireSlot();
                pending.add(generate());
                continue;
            }
            Pending head = pending.poll();
            if (head == null) {
                return Optional.empty();
            }
            Optional<FuzzRun.Attempt> attempt = outcome(head);
            if (attempt.isPresent()) {
                return Optional.of(new Outcome(head.seed(), head.actions(), attempt.get()));
            }
            // never started: out of time, or the target is gone
        }
    }

    /**
     * Where the next try stands among the whole run's tries (0-based): tries go in batches, and
     * under {@code --shard i/n} this pipeline generates only the batches that are shard i's.
     */
    private long nextTry() {
        long b = batch < 0 ? firstBatch() : inBatch < options.batchTries() ? batch : batch + options.shard().total();
        return b * options.batchTries() + (b == batch ? inBatch : 0);
    }

    private long firstBatch() {
        return options.shard().index() - 1;
    }

    private Pending generate() {
        if (batch < 0 || inBatch == options.batchTries()) {
            batch = batch < 0 ? firstBatch() : batch + options.shard().total();
            inBatch = 0;
            seeds.add(Fuzzer.batchSeed(options.seed(), Math.toIntExact(batch)));
            random = new Random(seeds.get(seeds.size() - 1));
        }
        inBatch++;
        List<Shrinkable<FuzzAction>> actions = new ArrayList<>(options.maxActions());
        for (int i = 0; i < options.maxActions(); i++) {
            actions.add(generator.next(random));
        }
        List<FuzzAction> values = actions.stream().map(Shrinkable::value).toList();
        return new Pending(seeds.get(seeds.size() - 1), actions, pool.submit(() -> {
            try {
                return tryOnce(values);
            } finally {
                running.release();
            }
        }));
    }

    /** One generated try, unless --duration is used up or the target is gone before it starts. */
    private Optional<FuzzRun.Attempt> tryOnce(List<FuzzAction> actions) {
        if (run.overtime()) {
            return Optional.empty();
        }
        run.tries.incrementAndGet();
        return Optional.of(run.perform(actions, true));
    }

    /**
     * Waits until no try is running: a failure is shrunk alone, so no other dialogue can take the
     * target down under its candidates. The tries' outcomes still come in order from {@link #next}.
     */
    void awaitIdle() {
        try {
            running.acquire(slots);
            running.release(slots);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fuzzing", e);
        }
    }

    private void acquireSlot() {
        try {
            running.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fuzzing", e);
        }
    }

    private static Optional<FuzzRun.Attempt> outcome(Pending pending) {
        try {
            return pending.attempt().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fuzzing", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a generated dialogue failed unexpectedly: " + e.getCause(), e.getCause());
        }
    }

    /** Stops the connections' threads; a try still running ends with its connection. */
    @Override
    public void close() {
        pool.shutdownNow();
    }
}
