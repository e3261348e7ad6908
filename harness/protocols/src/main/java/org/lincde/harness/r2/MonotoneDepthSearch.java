package org.lincde.harness.r2;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The minimum-depth search of R2's A5 experiment (SPEC §4.2, {@code run_sm_A5_experiment}) with its
 * monotonic pruning rule, independent of training so it can be tested on scripted outcomes:
 * <pre>
 *   allowed = depths
 *   for each length, in the given order:
 *       for d in allowed, increasing:  train (length, d); stop at the first success
 *       every depth that failed at this length is removed from allowed for all longer lengths
 * </pre>
 * The rule assumes that a depth too shallow for length N is too shallow for every longer length. Once
 * {@code allowed} is empty, later lengths are not trained at all and count as unsolved.
 */
public final class MonotoneDepthSearch {
    private final List<Integer> lengths;
    private final List<Integer> depths;

    /** One training: whether {@code depth} blocks solved {@code length}, with its best accuracy. */
    @FunctionalInterface
    public interface Trial {
        /** Trains (or recalls) one (length, depth) run. */
        Outcome run(int length, int depth);
    }

    /**
     * What one training gave.
     *
     * @param solved       validation accuracy passed the threshold
     * @param bestAccuracy best validation accuracy seen
     */
    public record Outcome(boolean solved, double bestAccuracy) {}

    /**
     * The search at one length.
     *
     * @param length   sequence length
     * @param allowed  depths still allowed when the length started
     * @param tried    depth → outcome, in the order tried
     * @param minDepth the first successful depth, 0 when none
     */
    public record LengthResult(int length, List<Integer> allowed, Map<Integer, Outcome> tried, int minDepth) {}

    /**
     * @param lengths sequence lengths in the order searched (R2: increasing)
     * @param depths  candidate depths (R2: 1, 2, 3, 4); searched in increasing order
     */
    public MonotoneDepthSearch(List<Integer> lengths, List<Integer> depths) {
        if (lengths.isEmpty() || depths.isEmpty()) {
            throw new IllegalArgumentException("a depth search needs at least one length and one depth");
        }
        for (int d : depths) {
            if (d < 1) {
                throw new IllegalArgumentException("depths must be >= 1, got " + depths);
            }
        }
        this.lengths = List.copyOf(lengths);
        this.depths = List.copyOf(new TreeSet<>(depths));
    }

    /** Runs the search, calling {@code trial} for exactly the (length, depth) pairs the rule visits. */
    public List<LengthResult> run(Trial trial) {
        TreeSet<Integer> allowed = new TreeSet<>(depths);
        List<LengthResult> out = new ArrayList<>();
        for (int n : lengths) {
            List<Integer> start = List.copyOf(allowed);
            Map<Integer, Outcome> tried = new LinkedHashMap<>();
            int min = 0;
            for (int d : start) {
                Outcome o = trial.run(n, d);
                tried.put(d, o);
                if (o.solved()) {
                    min = d;
                    break;
                }
                allowed.remove(d); // monotonicity: too shallow here ⇒ too shallow for longer sequences
            }
            out.add(new LengthResult(n, start, tried, min));
        }
        return out;
    }
}
