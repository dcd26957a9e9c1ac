package io.smtpharness.result;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Puts the shards of one run back together: it checks that the parts are exactly the n shards of
 * one whole run (none missing, none twice, no case in two of them) and gives their cases in the
 * whole run's order, so the joined report reads as an unsharded run's would.
 */
public final class ShardJoin {

    /** One part to join, and what to call it in a message (its report directory). */
    public record Part(String name, RunSummary summary) {
    }

    private ShardJoin() {
    }

    /** True when any of the summaries is a shard: then all must be, and of one run. */
    public static boolean anySharded(List<RunSummary> summaries) {
        return summaries.stream().anyMatch(s -> s.sharding().isPresent());
    }

    /**
     * The cases of all parts in the whole run's order; an {@link IllegalArgumentException} whose
     * message names the parts, shards or cases at fault when the parts are not the whole run's
     * shards, each once. Cases the whole run has and no part ran (an interrupted shard) are left out:
     * that part's summary already says it is incomplete.
     */
    public static List<CaseResult> join(List<Part> parts) {
        return inWholeRunOrder(parts, checkShards(parts).wholeRun());
    }

    /**
     * Checks that the parts are the shards of one whole run, each once (the message of the
     * {@link IllegalArgumentException} names what is not); their common plan.
     */
    public static Sharding checkShards(List<Part> parts) {
        Part first = parts.get(0);
        Sharding plan = sharding(first);
        Map<Integer, Part> byIndex = new TreeMap<>();
        for (Part part : parts) {
            Sharding sharding = sharding(part);
            if (sharding.shard().total() != plan.shard().total()) {
                throw new IllegalArgumentException(part.name() + " is shard " + sharding.shard() + " but " + first.name()
                        + " is shard " + plan.shard() + ": they were split differently");
            }
            if (!sharding.wholeRun().equals(plan.wholeRun())) {
                throw new IllegalArgumentException(part.name() + " and " + first.name() + " are shards of different runs"
                        + " (their whole runs list different cases: other suites, tags or versions)");
            }
            Part twice = byIndex.putIfAbsent(sharding.shard().index(), part);
            if (twice != null) {
                throw new IllegalArgumentException("shard " + sharding.shard() + " is given twice: " + twice.name()
                        + " and " + part.name());
            }
        }
        List<String> missing = new ArrayList<>();
        for (int i = 1; i <= plan.shard().total(); i++) {
            if (!byIndex.containsKey(i)) {
                missing.add(new Shard(i, plan.shard().total()).toString());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("shard" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
                    + " of the run " + (missing.size() > 1 ? "are" : "is") + " missing: give every part");
        }
        return plan;
    }

    private static List<CaseResult> inWholeRunOrder(List<Part> parts, List<String> wholeRun) {
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < wholeRun.size(); i++) {
            position.put(wholeRun.get(i), i);
        }
        Map<String, Part> ranIn = new HashMap<>();
        List<CaseResult> cases = new ArrayList<>();
        for (Part part : parts) {
            for (CaseResult c : part.summary().cases()) {
                String key = c.suite() + "/" + c.id();
                if (!position.containsKey(key)) {
                    throw new IllegalArgumentException("case " + key + " in " + part.name()
                            + " is not one of the whole run's");
                }
                Part other = ranIn.putIfAbsent(key, part);
                if (other != null) {
                    throw new IllegalArgumentException("case " + key + " is in two shards: " + other.name() + " and "
                            + part.name());
                }
                cases.add(c);
            }
        }
        cases.sort(Comparator.comparing(c -> position.get(c.suite() + "/" + c.id())));
        return cases;
    }

    private static Sharding sharding(Part part) {
        Optional<Sharding> sharding = part.summary().sharding();
        if (sharding.isEmpty()) {
            throw new IllegalArgumentException(part.name() + " is a whole run, not a shard: merge the shards of one run,"
                    + " or whole runs, not both");
        }
        return sharding.get();
    }
}
