package org.lincde.harness.reproduce;

import java.util.Locale;
import java.util.Map;
import org.lincde.harness.run.RunPlan;

/**
 * Estimated CPU seconds of a run, for balancing shards and for {@code reproduce --dry-run}: the planned steps
 * times the seconds one training step of that model takes at the run's size. The seconds per step come from a
 * shipped table measured with {@code lincde bench} (djl, float32, 2 threads, batch 256, length 40, width 128, two
 * blocks: the README's speed table) and are scaled by batch × length (linear) and width (quadratic: the vector
 * field's products dominate). The table is shipped, not read from local records, so every machine of a job array
 * computes the same estimate and therefore the same shard assignment.
 */
public final class CostModel {
    /**
     * Seconds per training step at the reference size (batch 256, length 40, width 128, 2 blocks), keyed by
     * {@code model_name} (lower case; LNCDEs by {@code lcde:structure}). R1's {@code mamba} is the Mamba2 layer
     * ({@code r1:mamba}); elsewhere (R2, R3) {@code mamba} is the Mamba v1 block. Source: the medians of
     * docs/measurements/cpu-2026-12-05-epyc ({@code ci/bench/speed-table.sh}, djl, 2-core AMD EPYC; the README's
     * speed table; Gated DeltaNet and Gated DeltaProduct at fla's default heads from its {@code gated.jsonl}); LRU and
     * S5 from a run of 2026-12-04 ({@code bench --r3-model}, state 64).
     */
    private static final Map<String, Double> SECONDS_PER_STEP = Map.ofEntries(
            Map.entry("lcde:diagonal", 0.118),
            Map.entry("lcde:block-diagonal", 0.162),
            Map.entry("lcde:dplr", 0.299),
            Map.entry("lcde:walsh-hadamard", 0.128),
            Map.entry("lcde:dense", 1.52),
            Map.entry("lcde:sparse", 1.52),
            Map.entry("lcde:diagonal-dense", 0.25),
            Map.entry("lstm", 0.254),
            Map.entry("rnn", 0.223),
            Map.entry("transformer", 0.564),
            Map.entry("transformer_causal", 0.564),
            Map.entry("s4", 0.274),
            Map.entry("s6", 0.466),
            Map.entry("mamba", 0.773),
            Map.entry("mamba1", 0.773),
            Map.entry("r1:mamba", 0.479),
            Map.entry("deltanet", 0.547),
            Map.entry("deltanet2", 0.520),
            Map.entry("rwkv7", 0.444),
            Map.entry("rwkv6", 0.364),
            Map.entry("xlstm", 0.635),
            Map.entry("gateddeltanet", 6.51),
            Map.entry("deltaproduct", 16.3),
            Map.entry("lru", 0.25),
            Map.entry("s5", 0.27));
    /** Any model not in the table: the median LNCDE step. */
    private static final double UNKNOWN = 0.25;
    private static final double REFERENCE_TOKENS = 256.0 * 40.0;
    private static final double REFERENCE_WIDTH = 128.0;
    /** Lengths of the UEA datasets (R3's runs carry only the dataset name). */
    private static final Map<String, Integer> UEA_LENGTHS = Map.of("EigenWorms", 17_984, "EthanolConcentration", 1751,
            "Heartbeat", 405, "MotorImagery", 3000, "SelfRegulationSCP1", 896, "SelfRegulationSCP2", 1152,
            "BasicMotions", 100, "JapaneseVowels", 29);

    private CostModel() {
    }

    /** Estimated seconds of the whole run. */
    public static double seconds(RunPlan plan) {
        return plan.plannedSteps() * secondsPerStep(plan.config());
    }

    /** Estimated seconds of one training step of the run described by {@code config}. */
    public static double secondsPerStep(Map<String, Object> config) {
        String protocol = string(config, "protocol", "");
        if (protocol.equals("r2-toy-random-lcde")) {
            return 0.0; // no training: one solve and a least-squares fit (counted as a fixed second below)
        }
        String model = string(config, "model_name", string(config, "model", "lcde")).toLowerCase(Locale.ROOT);
        if (model.equals("a5linearcde") || model.equals("linear_cde") || model.startsWith("lcde")
                || model.endsWith("lncde")) {
            model = "lcde";
        }
        String structure = string(config, "structure", "");
        Double base = model.equals("lcde") ? SECONDS_PER_STEP.get("lcde:" + structure)
                : protocol.startsWith("r1") ? SECONDS_PER_STEP.get("r1:" + model) : null;
        if (base == null) {
            // the gated fla layers with small heads (smoke, quick) cost about what DeltaNet's heads cost, not fla's
            // 6 × 256 × 512 of the measured entries
            boolean smallHeads = config.containsKey("fla_num_heads") || config.containsKey("fla_head_dim");
            base = SECONDS_PER_STEP.getOrDefault(smallHeads && (model.equals("gateddeltanet")
                    || model.equals("deltaproduct")) ? "deltanet" : model, UNKNOWN);
        }
        double width = number(config, "model_dim", number(config, "hidden_dim", number(config, "hidden", REFERENCE_WIDTH)));
        double batch = number(config, "batch_size", number(config, "batch", 256));
        double length = number(config, "length", UEA_LENGTHS.getOrDefault(string(config, "dataset", ""), 40));
        double blocks = number(config, "num_blocks", 2);
        return base * (batch * length / REFERENCE_TOKENS) * Math.pow(width / REFERENCE_WIDTH, 2) * (blocks / 2.0);
    }

    private static String string(Map<String, Object> config, String key, String fallback) {
        Object v = config.get(key);
        return v == null ? fallback : v.toString();
    }

    private static double number(Map<String, Object> config, String key, double fallback) {
        Object v = config.get(key);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof java.util.List<?> l && !l.isEmpty() && l.get(l.size() - 1) instanceof Number n) {
            return n.doubleValue(); // a length range [lo, hi]: the longest sequences dominate
        }
        return fallback;
    }
}
