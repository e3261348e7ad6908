package org.lincde.harness.reproduce;

import java.util.Map;

/**
 * Shard {@code index} of {@code count}: one machine's share of a reproduction's runs. Which runs a shard owns is
 * decided by {@link ShardAssignment} (balanced by estimated cost, the same on every machine).
 *
 * <p>On the command line ({@code --shard}): {@code i/N} with a 1-based {@code i} (a Slurm array {@code 1-N}
 * passes {@code $SLURM_ARRAY_TASK_ID/N}); {@code k8s/N} or {@code k8s} for a Kubernetes indexed Job, whose
 * 0-based index is {@code JOB_COMPLETION_INDEX} (and {@code N}, with plain {@code k8s}, the Job's
 * {@code JOB_COMPLETIONS} variable, which the manifest sets).
 *
 * @param index 0-based shard index
 * @param count number of shards
 */
public record Shard(int index, int count) {
    /** Everything. */
    public static final Shard ALL = new Shard(0, 1);

    /** Validates the range. */
    public Shard {
        if (count < 1) {
            throw new IllegalArgumentException("--shard: the number of shards must be at least 1, got " + count);
        }
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException("--shard: shard " + (index + 1) + " of " + count
                    + " is out of range (i/N needs 1 <= i <= N)");
        }
    }

    /** Parses {@code i/N} (1-based i). */
    public static Shard parse(String s) {
        return parse(s, System.getenv());
    }

    /** Parses {@code i/N} (1-based), {@code k8s/N} or {@code k8s}, reading the Kubernetes variables from {@code env}. */
    public static Shard parse(String s, Map<String, String> env) {
        String t = s.trim();
        if (t.equals("k8s") || t.startsWith("k8s/")) {
            String index = env.get("JOB_COMPLETION_INDEX");
            if (index == null || index.isBlank()) {
                throw new IllegalArgumentException("--shard " + t + ": JOB_COMPLETION_INDEX is not set (run it as a "
                        + "Kubernetes indexed Job, or pass --shard i/N)");
            }
            String n = t.equals("k8s") ? env.get("JOB_COMPLETIONS") : t.substring(4);
            if (n == null || n.isBlank()) {
                throw new IllegalArgumentException("--shard k8s: JOB_COMPLETIONS is not set (set it in the Job's "
                        + "env, or pass --shard k8s/N)");
            }
            return new Shard(integer(index, "JOB_COMPLETION_INDEX", s), integer(n, "N", s));
        }
        String[] p = t.split("/");
        if (p.length != 2) {
            throw new IllegalArgumentException("--shard must look like i/N (e.g. 2/4) or k8s/N, got '" + s + "'");
        }
        return new Shard(integer(p[0], "i", s) - 1, integer(p[1], "N", s));
    }

    private static int integer(String v, String what, String whole) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--shard must look like i/N (e.g. 2/4) or k8s/N, got '" + whole
                    + "' (" + what + " is not a whole number)");
        }
    }

    /** {@code i/N}, 1-based, as the command line takes it. */
    @Override
    public String toString() {
        return (index + 1) + "/" + count;
    }
}
