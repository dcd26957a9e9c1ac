package io.smtpharness.fuzz;

import io.smtpharness.dialogue.Step;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Shrinkable;

/**
 * Shrinks a failing dialogue to a small one that fails the same way (same kind and rule) on a fresh
 * connection, one candidate at a time: first it drops every action the failure does not need, then
 * it takes pipelined writes apart into single commands, then it makes each remaining action simpler
 * with jqwik's own shrinking of the value (a shorter long line, the plain variant of a command). A
 * candidate that fails another way counts as passing, so shrinking cannot slip to another bug.
 * Runs on the thread that generated the dialogue, inside its jqwik session.
 */
final class Shrinker {

    /** Candidates tried at most, and for how long, so a slow (hanging) failure cannot take long. */
    private static final int MAX_CANDIDATES = 200;
    private static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** jqwik's simpler values tried per action and round: the first ones are the simplest. */
    private static final int SIMPLER_VALUES = 8;

    private final FuzzRun run;
    private final long deadline = System.nanoTime() + MAX_NANOS;
    private int tried;
    private List<Shrinkable<FuzzAction>> best;
    private FuzzFailure bestFailure;

    Shrinker(FuzzRun run) {
        this.run = run;
    }

    /** The smallest failure found from {@code failure}, the dialogue of {@code actions}; itself if none is smaller. */
    FuzzFailure shrink(List<Shrinkable<FuzzAction>> actions, FuzzFailure failure) {
        run.shrinking(true);
        try {
            // the actions after the one that failed were never performed
            best = new ArrayList<>(actions.subList(0, Math.min(actions.size(), failure.actions.size())));
            bestFailure = failure;
            dropActions();
            List<Shrinkable<FuzzAction>> split = splitPipelines(best);
            if (split.size() != best.size() && attempt(split)) {
                dropActions();
            }
            // a simpler action can make another one unneeded (a valid EHLO where an invalid one stood)
            while (simplifyActions() && dropActions()) {
                // until neither finds anything smaller
            }
            return bestFailure;
        } finally {
            run.shrinking(false);
        }
    }

    /** Drops actions while the failure stays; true if any was dropped. */
    private boolean dropActions() {
        boolean dropped = false;
        boolean progress = true;
        while (progress && more()) {
            progress = false;
            for (int i = best.size() - 1; i >= 0 && best.size() > 1 && more(); i--) {
                List<Shrinkable<FuzzAction>> fewer = new ArrayList<>(best);
                fewer.remove(i);
                progress |= attempt(fewer);
            }
            dropped |= progress;
        }
        return dropped;
    }

    /** Replaces actions with simpler values while the failure stays; true if any was replaced. */
    private boolean simplifyActions() {
        boolean changed = false;
        for (int i = 0; i < best.size() && more(); i++) {
            boolean simpler = true;
            while (simpler && more() && i < best.size()) { // a simpler action may fail earlier: fewer are left
                simpler = false;
                Iterator<Shrinkable<FuzzAction>> candidates = best.get(i).shrink().limit(SIMPLER_VALUES).iterator();
                while (!simpler && candidates.hasNext() && more()) {
                    List<Shrinkable<FuzzAction>> replaced = new ArrayList<>(best);
                    replaced.set(i, candidates.next());
                    simpler = attempt(replaced);
                }
                changed |= simpler;
            }
        }
        return changed;
    }

    /** Within its own bounds and the run's --duration, which shrinking is part of. */
    private boolean more() {
        return tried < MAX_CANDIDATES && System.nanoTime() - deadline < 0 && run.nanosLeft() > 0;
    }

    /**
     * Runs the candidate on a fresh session; true (and it becomes the best) if it fails the same way
     * in one of its actions. A failure before the first action (a target still going down after the
     * last crash resets the connection) says nothing about the candidate.
     */
    private boolean attempt(List<Shrinkable<FuzzAction>> candidate) {
        tried++;
        Optional<FuzzFailure> failure = run.perform(candidate.stream().map(Shrinkable::value).toList(), false).failure();
        if (failure.isEmpty() || failure.get().actions.isEmpty() || !failure.get().key().equals(bestFailure.key())) {
            return false;
        }
        best = new ArrayList<>(candidate.subList(0, Math.min(candidate.size(), failure.get().actions.size())));
        bestFailure = failure.get();
        return true;
    }

    private static List<Shrinkable<FuzzAction>> splitPipelines(List<Shrinkable<FuzzAction>> actions) {
        List<Shrinkable<FuzzAction>> out = new ArrayList<>();
        for (Shrinkable<FuzzAction> a : actions) {
            if (!a.value().pipelined()) {
                out.add(a);
                continue;
            }
            String wire = ((Step.SendRaw) a.value().sends().get(0)).text();
            for (String line : wire.split("\r\n")) {
                out.add(Shrinkable.unshrinkable(FuzzAction.send(line)));
            }
        }
        return out;
    }
}
