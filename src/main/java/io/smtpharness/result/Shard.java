package io.smtpharness.result;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * One of {@code total} parts of a run's work, so that that many jobs (a CI matrix, GitLab
 * {@code parallel} jobs, the pods of a Kubernetes Indexed Job) together do exactly the whole, each
 * part once. Cases are split by a stable hash of {@code suite/id} (CRC-32: the same on every machine
 * and version, whatever else the suites hold), fuzz tries by batch. The index is 1-based, as written
 * on the command line: {@code 2/4} is the second of four.
 *
 * @param index which part, from 1 to {@code total}
 * @param total how many parts
 */
public record Shard(int index, int total) {

    /** The whole run, unsplit. */
    public static final Shard WHOLE = new Shard(1, 1);
    /** More parts than this is a typo, not a fleet. */
    public static final int MAX_TOTAL = 10_000;

    public Shard {
        if (total < 1 || total > MAX_TOTAL) {
            throw new IllegalArgumentException("the number of shards must be 1 to " + MAX_TOTAL + ", not " + total);
        }
        if (index < 1 || index > total) {
            throw new IllegalArgumentException("shard " + index + " of " + total + " does not exist: shards are"
                    + " numbered 1 to " + total);
        }
    }

    /** Parses {@code i/n}, e.g. {@code 2/4}; the message of the exception says what is wrong. */
    public static Shard parse(String text) {
        String[] parts = text.trim().split("/", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("a shard is written i/n (the i-th of n, from 1), not \"" + text + "\"");
        }
        try {
            return new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a shard is written i/n with whole numbers, not \"" + text + "\"", e);
        }
    }

    /** True when this is the whole run. */
    public boolean isWhole() {
        return total == 1;
    }

    /** True when the case {@code suite/id} is this shard's. */
    public boolean ownsCase(String suite, String id) {
        CRC32 crc = new CRC32();
        crc.update((suite + "/" + id).getBytes(StandardCharsets.UTF_8));
        return crc.getValue() % total == index - 1;
    }

    /** True when fuzz batch {@code batch} (0-based, as {@code fuzz} counts them) is this shard's. */
    public boolean ownsBatch(long batch) {
        return batch % total == index - 1;
    }

    @Override
    public String toString() {
        return index + "/" + total;
    }
}
