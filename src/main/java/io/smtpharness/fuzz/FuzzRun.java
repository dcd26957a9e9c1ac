package io.smtpharness.fuzz;

import io.smtpharness.client.Received;
import io.smtpharness.client.SmtpClient;
import io.smtpharness.client.SmtpConnection;
import io.smtpharness.client.TargetUnreachableException;
import io.smtpharness.dialogue.RunnerOptions;
import io.smtpharness.dialogue.Step;
import io.smtpharness.rules.CommandKind;
import io.smtpharness.rules.SessionState;
import io.smtpharness.process.TargetControl;
import io.smtpharness.transcript.Direction;
import io.smtpharness.transcript.Transcript;
import io.smtpharness.transcript.TranscriptEvent;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The state of one fuzz run that jqwik's property, hook and actions share: the run is started by the
 * JUnit Platform Launcher, which creates the property class itself, so it finds the run here. One
 * run at a time per JVM ({@link Fuzzer} makes sure).
 */
final class FuzzRun {

    private static volatile FuzzRun current;
    /** Once a hang was confirmed with the full --timeout, one is suspected after this many times the slowest reply seen. */
    private static final int SUSPICION_FACTOR = 20;
    /** ... but never sooner than this. */
    private static final Duration MIN_SUSPICION = Duration.ofMillis(250);
    /** How long a target that stopped serving may take to exit before it counts as hung, not dead. */
    private static final Duration EXIT_GRACE = Duration.ofSeconds(2);

    private final FuzzOptions options;
    private final SmtpClient client;
    private final InetSocketAddress target;
    private final long deadlineNanos;
    /** With --exec or --restart: the target the run brings back after a crash. */
    private final Optional<TargetControl> control;
    /** Failure key → what the target left behind the first time that failure took it down. */
    private final Map<String, String> evidence = new ConcurrentHashMap<>();
    private final Set<String> knownKeys = ConcurrentHashMap.newKeySet();
    private final Map<String, Map<String, AtomicLong>> coverage = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<FuzzSession> open = new ConcurrentLinkedQueue<>();
    private final List<List<String>> recorded = new ArrayList<>();
    final AtomicLong tries = new AtomicLong();
    final AtomicLong dialogues = new AtomicLong();

    /** The slowest reply seen in the run, from command to reply (ms). */
    private final AtomicLong slowestReplyMs = new AtomicLong();
    /** True once a dialogue hung for the full --timeout: later hangs are suspected early. */
    private volatile boolean hangConfirmed;

    // per batch
    volatile long batchSeed;
    volatile int batchTries;
    private volatile String targetKey;
    private volatile FuzzFailure best;
    private volatile String unreachable;

    FuzzRun(FuzzOptions options, SmtpClient client, InetSocketAddress target, long deadlineNanos,
            Optional<TargetControl> control) {
        this.options = options;
        this.client = client;
        this.target = target;
        this.deadlineNanos = deadlineNanos;
        this.control = control;
    }

    static FuzzRun current() {
        FuzzRun run = current;
        if (run == null) {
            throw new IllegalStateException("FuzzProperties runs only inside a Fuzzer run");
        }
        return run;
    }

    static void install(FuzzRun run) {
        current = run;
    }

    FuzzOptions options() {
        return options;
    }

    SmtpClient client() {
        return client;
    }

    InetSocketAddress target() {
        return target;
    }

    /** Whether message content may be completed: always on loopback, elsewhere only with --allow-delivery. */
    boolean mayDeliver() {
        return options.runnerOptions().allowDelivery()
                || target.getAddress() != null && target.getAddress().isLoopbackAddress();
    }

    RunnerOptions runnerOptions() {
        return options.runnerOptions();
    }

    /** Starts a batch: no failure yet. */
    void startBatch(long seed, int tries) {
        batchSeed = seed;
        batchTries = tries;
        targetKey = null;
        best = null;
    }

    /** True when jqwik is shrinking a failure (it generates no new tries then). */
    boolean shrinking() {
        return targetKey != null;
    }

    /** What is left of --duration, shrinking included (Long.MAX_VALUE without one; negative once used up). */
    long nanosLeft() {
        return options.duration().isEmpty() ? Long.MAX_VALUE : deadlineNanos - System.nanoTime();
    }

    /** True once --duration is used up (or the target stopped accepting connections). */
    boolean overtime() {
        return System.nanoTime() > deadlineNanos || unreachable != null;
    }

    void opened(FuzzSession session) {
        open.add(session);
        dialogues.incrementAndGet();
    }

    /** Closes every session of the try that just ended. */
    void closeOpenSessions() {
        FuzzSession s;
        while ((s = open.poll()) != null) {
            s.close();
        }
    }

    /** Does a fresh connection get a 2yz greeting? (After a crash: is the server still there?) */
    boolean stillGreets() {
        try (SmtpConnection c = client.connect(target, new Transcript())) {
            Received greeting = c.readReply();
            return greeting instanceof Received.Got got && got.reply().codeClass() == 2;
        } catch (TargetUnreachableException e) {
            return false;
        }
    }

    /** Notes how fast the target answered in a finished dialogue: the slowest gap from a command to a reply. */
    void observe(List<TranscriptEvent> events) {
        long lastSent = -1;
        long slowest = 0;
        for (TranscriptEvent e : events) {
            if (e.direction() == Direction.C) {
                lastSent = lastSent < 0 ? e.tMs() : lastSent;
            } else if (e.direction() == Direction.S && lastSent >= 0) {
                slowest = Math.max(slowest, e.tMs() - lastSent);
                lastSent = -1;
            }
        }
        slowestReplyMs.accumulateAndGet(slowest, Math::max);
    }

    /** A dialogue hung for the full --timeout: from now on a hang is suspected early. */
    void hangConfirmed() {
        hangConfirmed = true;
    }

    /** True once a hang was confirmed with the full --timeout. */
    boolean hangIsConfirmed() {
        return hangConfirmed;
    }

    /**
     * How long a dialogue waits for each reply: the full --timeout until a hang was confirmed with
     * it; then, for the repeats of that hang and the candidates that shrink it, the suspicion wait.
     * Before that, a full --timeout that would outlast --duration is cut to what is left of it, or
     * to the suspicion wait if that is longer, so the run ends about when its budget says. Empty:
     * the client's own timeout.
     */
    Optional<Duration> replyWait() {
        Duration full = client.options().replyTimeout();
        if (hangConfirmed) {
            return Optional.of(suspicionWait(full));
        }
        long left = nanosLeft();
        if (left >= full.toNanos()) {
            return Optional.empty();
        }
        Duration suspicion = suspicionWait(full);
        return Optional.of(left > suspicion.toNanos() ? Duration.ofNanos(left) : suspicion);
    }

    /** SUSPICION_FACTOR times the slowest reply seen, at least MIN_SUSPICION, at most {@code full}. */
    private Duration suspicionWait(Duration full) {
        Duration suspicion = Duration.ofMillis(slowestReplyMs.get() * SUSPICION_FACTOR);
        return suspicion.compareTo(MIN_SUSPICION) < 0 ? MIN_SUSPICION : suspicion.compareTo(full) > 0 ? full : suspicion;
    }

    /** True when the run can bring the target back (--exec or --restart). */
    boolean controlled() {
        return control.isPresent();
    }

    /**
     * After a crash, a hang or a refused connection, with --exec or --restart: a target that died or
     * no longer greets is brought back, so the next try (or shrinking candidate) meets a fresh one,
     * and what it left behind (exit status, signal, stderr) is kept as the failure's evidence.
     */
    void recover(FuzzFailure failure) {
        if (control.isEmpty() || failure.kind == FuzzFailure.Kind.RULE) {
            return;
        }
        Optional<String> left = control.get().crashEvidence();
        if (left.isEmpty() && stillGreets()) {
            return;
        }
        if (left.isEmpty()) {
            left = control.get().crashEvidence(EXIT_GRACE); // it stopped serving: is it on its way out?
        }
        evidence.putIfAbsent(failure.key(), left.orElse("the target no longer greeted and was restarted"));
        try {
            control.get().restart();
        } catch (TargetUnreachableException e) {
            unreachable("the target could not be brought back: " + e.getMessage());
        }
    }

    /** What the target left behind when {@code failure}'s kind and rule first took it down, if it did. */
    Optional<String> evidence(FuzzFailure failure) {
        return Optional.ofNullable(evidence.get(failure.key()));
    }

    void covered(SessionState state, CommandKind kind) {
        coverage.computeIfAbsent(state.name(), k -> new ConcurrentHashMap<>())
                .computeIfAbsent(kind.name(), k -> new AtomicLong()).incrementAndGet();
    }

    /** state → command kind → count, states in RFC 5321 §4.1.4 order, kinds sorted. */
    Map<String, Map<String, Long>> coverage() {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        for (SessionState state : SessionState.values()) {
            Map<String, AtomicLong> kinds = coverage.get(state.name());
            if (kinds != null) {
                Map<String, Long> row = new TreeMap<>();
                kinds.forEach((k, v) -> row.put(k, v.get()));
                out.put(state.name(), row);
            }
        }
        return out;
    }

    /**
     * Decides what jqwik sees of a failure: a finding already reported, or (while shrinking) a
     * different failure than the one being shrunk, counts as a pass, so shrinking cannot slip to
     * another bug. Returns true when the failure must be rethrown.
     */
    boolean failed(FuzzFailure failure) {
        if (knownKeys.contains(failure.key())) {
            return false;
        }
        if (targetKey == null) {
            targetKey = failure.key();
        } else if (!targetKey.equals(failure.key())) {
            return false;
        }
        best = failure;
        return true;
    }

    /** The smallest failing dialogue of this batch, if it failed. */
    FuzzFailure best() {
        return best;
    }

    void known(String key) {
        knownKeys.add(key);
    }

    void unreachable(String why) {
        unreachable = why;
    }

    String unreachableReason() {
        return unreachable;
    }

    /** Keeps the client side of each generated try, when asked to (tests compare two runs). */
    synchronized void record(List<Step> steps) {
        if (options.recordDialogues()) {
            recorded.add(steps.stream().filter(s -> !(s instanceof Step.Expect)).map(Object::toString).toList());
        }
    }

    synchronized List<List<String>> recorded() {
        return List.copyOf(recorded);
    }
}
