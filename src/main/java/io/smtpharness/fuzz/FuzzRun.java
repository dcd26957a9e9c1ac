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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The state of one fuzz run that its dialogues share, performed on several connections at once:
 * counts, coverage, the slowest reply seen, the findings already made, and the target's control.
 * {@link #perform} runs one dialogue and judges it.
 */
final class FuzzRun {

    /** Once a hang was confirmed with the full --timeout, one is suspected after this many times the slowest reply seen. */
    private static final int SUSPICION_FACTOR = 20;
    /** ... but never sooner than this. */
    private static final Duration MIN_SUSPICION = Duration.ofMillis(250);
    /** How long a target that stopped serving may take to exit before it counts as hung, not dead. */
    private static final Duration EXIT_GRACE = Duration.ofSeconds(2);
    /** How long a target that still greets after a crash is watched for an exit before its restart (--exec). */
    private static final Duration DYING_GRACE = Duration.ofMillis(500);

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
    private final List<List<String>> recorded = new ArrayList<>();
    final AtomicLong tries = new AtomicLong();
    final AtomicLong dialogues = new AtomicLong();
    private final AtomicInteger openNow = new AtomicInteger();
    private final AtomicInteger openAtMost = new AtomicInteger();

    /** The slowest reply seen in the run, from command to reply (ms). */
    private final AtomicLong slowestReplyMs = new AtomicLong();
    /** True once a dialogue hung for the full --timeout: later hangs are suspected early. */
    private volatile boolean hangConfirmed;

    /** A failure is being shrunk (for the progress line). */
    private volatile boolean shrinking;
    private volatile String unreachable;

    FuzzRun(FuzzOptions options, SmtpClient client, InetSocketAddress target, long deadlineNanos,
            Optional<TargetControl> control) {
        this.options = options;
        this.client = client;
        this.target = target;
        this.deadlineNanos = deadlineNanos;
        this.control = control;
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

    /** What one dialogue did: its failure, if it broke an invariant, and the steps it performed. */
    record Attempt(Optional<FuzzFailure> failure, List<Step> steps) {
    }

    /**
     * Performs {@code actions} on a fresh connection, checking the invariants after each, and ends
     * the session with QUIT. A generated try (not a shrinking candidate) that hangs confirms that
     * hangs happen; one that cannot reach an uncontrolled target stops the run. After a crash or
     * hang a controlled target is brought back for the next dialogue.
     */
    Attempt perform(List<FuzzAction> actions, boolean generated) {
        FuzzFailure seen = null;
        try (FuzzSession session = new FuzzSession(this)) {
            for (FuzzAction a : actions) {
                session.perform(a);
                session.check();
            }
            session.finishAndCheck();
            return new Attempt(Optional.empty(), session.steps());
        } catch (FuzzFailure failure) {
            seen = failure;
            if (generated && failure.kind == FuzzFailure.Kind.HANG) {
                hangConfirmed(); // it waited the full --timeout; repeats and shrinking suspect hangs early
            }
            if (failure.kind == FuzzFailure.Kind.UNREACHABLE && control.isEmpty()) {
                unreachable(failure.detail()); // a controlled target is brought back below instead
            }
            return new Attempt(Optional.of(failure), failure.steps);
        } finally {
            if (seen != null) {
                recover(seen);
            }
        }
    }

    void shrinking(boolean now) {
        shrinking = now;
    }

    /** True while a failure is being shrunk. */
    boolean shrinking() {
        return shrinking;
    }

    /** What is left of --duration, shrinking included (Long.MAX_VALUE without one; negative once used up). */
    long nanosLeft() {
        return options.duration().isEmpty() ? Long.MAX_VALUE : deadlineNanos - System.nanoTime();
    }

    /** True once --duration is used up (or the target stopped accepting connections). */
    boolean overtime() {
        return System.nanoTime() > deadlineNanos || unreachable != null;
    }

    void opened() {
        dialogues.incrementAndGet();
        openAtMost.accumulateAndGet(openNow.incrementAndGet(), Math::max);
    }

    void closed() {
        openNow.decrementAndGet();
    }

    /** The most dialogues that were open at once. */
    int openAtMost() {
        return openAtMost.get();
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

    /** How long a refusal's close may take to come: as long as a reply is awaited once a hang is suspected. */
    Duration closeWait() {
        return suspicionWait(client.options().replyTimeout());
    }

    /** SUSPICION_FACTOR times the slowest reply seen, at least MIN_SUSPICION, at most {@code full}. */
    private Duration suspicionWait(Duration full) {
        Duration suspicion = Duration.ofMillis(slowestReplyMs.get() * SUSPICION_FACTOR);
        return suspicion.compareTo(MIN_SUSPICION) < 0 ? MIN_SUSPICION : suspicion.compareTo(full) > 0 ? full : suspicion;
    }

    /**
     * After a crash, a hang or a refused connection, with --exec or --restart: a target that died or
     * no longer greets is brought back (with --exec, any target: one that still greets may be on its
     * way down, and the next dialogue would fail without causing it), so the next try or shrinking
     * candidate meets a fresh one; what it left behind (exit status, signal, stderr) is kept as the
     * failure's evidence.
     */
    void recover(FuzzFailure failure) {
        if (control.isEmpty() || failure.kind == FuzzFailure.Kind.RULE) {
            return;
        }
        Optional<String> left = control.get().crashEvidence();
        boolean greets = left.isEmpty() && stillGreets();
        if (greets && !control.get().restartsAfterEveryCrash()) {
            return;
        }
        if (left.isEmpty()) {
            // on its way out? (a server going down may still greet once: it is restarted all the same)
            left = control.get().crashEvidence(greets ? DYING_GRACE : EXIT_GRACE);
        }
        if (left.isPresent() || !greets) {
            evidence.putIfAbsent(failure.key(), left.orElse("the target no longer greeted and was restarted"));
        }
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

    /** Marks a failure's kind and rule as reported: later dialogues failing the same way are not findings again. */
    void known(String key) {
        knownKeys.add(key);
    }

    boolean isKnown(String key) {
        return knownKeys.contains(key);
    }

    void unreachable(String why) {
        unreachable = why;
    }

    String unreachableReason() {
        return unreachable;
    }

    /** Keeps the client side of each generated try, in try order, when asked to (tests compare two runs). */
    synchronized void record(List<Step> steps) {
        if (options.recordDialogues()) {
            recorded.add(steps.stream().filter(s -> !(s instanceof Step.Expect)).map(Object::toString).toList());
        }
    }

    synchronized List<List<String>> recorded() {
        return List.copyOf(recorded);
    }
}
