package org.lincde.harness.reproduce;

/**
 * Shard {@code index} of {@code count} ({@code --shard i/N}, 1-based on the command line): a run
 * belongs to the shard its key's hash selects, so shards stay disjoint and stable when a grid grows.
 *
 * @param index 0-based shard index
 * @param count number of shards
 */
public record Shard(int index, int count) {
    /** Everything. */
    public static final Shard ALL = new Shard(0, 1);

    /** Validates the range. */
    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard must be i/N with 1 <= i <= N, got " + (index + 1) + "/" + count);
        }
    }

    /** Parses {@code i/N} (1-based i). */
    public static Shard parse(String s) {
        String[] p = s.trim().split("/");
        if (p.length != 2) {
            throw new IllegalArgumentException("--shard must look like i/N (e.g. 2/4), got '" + s + "'");
        }
        try {
            return new Shard(Integer.parseInt(p[0].trim()) - 1, Integer.parseInt(p[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--shard must look like i/N (e.g. 2/4), got '" + s + "'");
        }
    }

    /** Whether the run with {@code key} (hex) belongs to this shard. */
    public boolean owns(String key) {
        return Long.remainderUnsigned(Long.parseUnsignedLong(key, 16), count) == index;
    }
}
