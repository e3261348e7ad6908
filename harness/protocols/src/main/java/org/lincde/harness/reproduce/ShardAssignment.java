package org.lincde.harness.reproduce;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lincde.harness.run.RunPlan;

/**
 * Which shard runs which run: greedy longest-processing-time-first over the estimated cost ({@link CostModel}).
 * Runs are sorted by cost (largest first, ties by key), and each goes to the shard with the least estimated load
 * so far (ties to the lowest index). Deterministic: it depends only on the planned runs and the shipped cost
 * table, so every task of a job array computes the same assignment without talking to the others. It plans
 * over every planned run, finished or not, so tasks that see different sets of records still agree.
 */
public final class ShardAssignment {
    private final int count;
    private final Map<String, Integer> shardOfKey;
    private final double[] load;
    private final List<List<RunPlan>> runs;

    private ShardAssignment(int count, Map<String, Integer> shardOfKey, double[] load, List<List<RunPlan>> runs) {
        this.count = count;
        this.shardOfKey = shardOfKey;
        this.load = load;
        this.runs = runs;
    }

    /** Assigns {@code plans} (duplicates by key are one run) to {@code count} shards. */
    public static ShardAssignment of(List<RunPlan> plans, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("the number of shards must be at least 1, got " + count);
        }
        Map<String, RunPlan> unique = new LinkedHashMap<>();
        for (RunPlan p : plans) {
            unique.putIfAbsent(p.key(), p);
        }
        record Costed(RunPlan plan, String key, double seconds) {}
        List<Costed> costed = new ArrayList<>();
        unique.forEach((k, p) -> costed.add(new Costed(p, k, CostModel.seconds(p))));
        costed.sort(Comparator.comparingDouble(Costed::seconds).reversed().thenComparing(Costed::key));
        double[] load = new double[count];
        List<List<RunPlan>> runs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            runs.add(new ArrayList<>());
        }
        Map<String, Integer> shardOf = new LinkedHashMap<>();
        for (Costed c : costed) {
            int best = 0;
            for (int i = 1; i < count; i++) {
                if (load[i] < load[best]) {
                    best = i;
                }
            }
            load[best] += c.seconds();
            shardOf.put(c.key(), best);
            runs.get(best).add(c.plan());
        }
        return new ShardAssignment(count, shardOf, load, runs);
    }

    /** Whether the run with {@code key} belongs to {@code shard}. */
    public boolean owns(Shard shard, String key) {
        if (shard.count() != count) {
            throw new IllegalArgumentException("assignment for " + count + " shards asked about " + shard);
        }
        Integer s = shardOfKey.get(key);
        return s != null && s == shard.index();
    }

    /** Estimated seconds of shard {@code index} (0-based). */
    public double estimatedSeconds(int index) {
        return load[index];
    }

    /** The runs of shard {@code index} (0-based), most expensive first. */
    public List<RunPlan> runs(int index) {
        return List.copyOf(runs.get(index));
    }

    /** Number of shards. */
    public int count() {
        return count;
    }
}
