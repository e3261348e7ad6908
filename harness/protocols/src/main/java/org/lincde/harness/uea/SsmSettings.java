package org.lincde.harness.uea;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import org.lincde.spi.InvalidOptionException;

/**
 * One dataset's R3 settings for an SSM baseline (SPEC §4.3 "Baseline configs (repeats)"): {@code time, lr,
 * num_blocks, hidden_dim, ssm_dim} and the extras S5 ({@code ssm_blocks}) and Mamba ({@code conv_dim},
 * {@code expansion}) take, empty where a model has no such key.
 *
 * @param includeTime  prepend the time channel ({@code time})
 * @param learningRate Adam's constant rate ({@code lr})
 * @param numBlocks    number of blocks ({@code num_blocks})
 * @param hidden       width {@code H} ({@code hidden_dim})
 * @param ssmDim       state size ({@code ssm_dim})
 * @param ssmBlocks    S5's HiPPO blocks ({@code ssm_blocks}; empty for the others)
 * @param convDim      Mamba's causal conv kernel ({@code conv_dim}; empty for the others)
 * @param expansion    Mamba's expansion ({@code expansion}; empty for the others)
 */
public record SsmSettings(boolean includeTime, double learningRate, int numBlocks, int hidden, int ssmDim,
                          OptionalInt ssmBlocks, OptionalInt convDim, OptionalInt expansion) {

    /** Validates ranges, naming R3's config keys. */
    public SsmSettings {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new InvalidOptionException("lr", learningRate, "must be finite and > 0");
        }
        if (numBlocks < 1) {
            throw new InvalidOptionException("num_blocks", numBlocks, "must be > 0");
        }
        if (hidden < 1) {
            throw new InvalidOptionException("hidden_dim", hidden, "must be > 0");
        }
        if (ssmDim < 1) {
            throw new InvalidOptionException("ssm_dim", ssmDim, "must be > 0");
        }
        positiveIfSet("ssm_blocks", ssmBlocks);
        positiveIfSet("conv_dim", convDim);
        positiveIfSet("expansion", expansion);
    }

    /** LRU or S6: {@code lr, time, num_blocks, hidden_dim, ssm_dim} (the order of SPEC §4.3's table). */
    public static SsmSettings of(double lr, boolean time, int numBlocks, int hidden, int ssmDim) {
        return new SsmSettings(time, lr, numBlocks, hidden, ssmDim, OptionalInt.empty(), OptionalInt.empty(),
                OptionalInt.empty());
    }

    /** S5: {@code lr, time, num_blocks, hidden_dim, ssm_dim, ssm_blocks}. */
    public static SsmSettings s5(double lr, boolean time, int numBlocks, int hidden, int ssmDim, int ssmBlocks) {
        return new SsmSettings(time, lr, numBlocks, hidden, ssmDim, OptionalInt.of(ssmBlocks), OptionalInt.empty(),
                OptionalInt.empty());
    }

    /** Mamba: {@code lr, time, num_blocks, hidden_dim, ssm_dim, conv_dim, expansion}. */
    public static SsmSettings mamba(double lr, boolean time, int numBlocks, int hidden, int ssmDim, int conv,
                                    int expansion) {
        return new SsmSettings(time, lr, numBlocks, hidden, ssmDim, OptionalInt.empty(), OptionalInt.of(conv),
                OptionalInt.of(expansion));
    }

    /** A copy with other sizes (the smoke profile). */
    public SsmSettings withSizes(int blocks, int h, int ssm) {
        return new SsmSettings(includeTime, learningRate, blocks, h, ssm, ssmBlocks, convDim, expansion);
    }

    /** The values as R3's config keys, the extras only where {@code model} has them (for the run key). */
    public Map<String, Object> asConfig(R3Baseline model) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", includeTime);
        m.put("lr", learningRate);
        m.put("num_blocks", numBlocks);
        m.put("hidden_dim", hidden);
        m.put("ssm_dim", ssmDim);
        if (model == R3Baseline.S5) {
            m.put("ssm_blocks", required("ssm_blocks", ssmBlocks, model));
        }
        if (model == R3Baseline.MAMBA) {
            m.put("conv_dim", required("conv_dim", convDim, model));
            m.put("expansion", required("expansion", expansion, model));
        }
        return m;
    }

    /** The value of {@code key}, which {@code model} needs. */
    static int required(String key, OptionalInt value, R3Baseline model) {
        return value.orElseThrow(() -> new InvalidOptionException(key, "(absent)", model.label() + " needs it"));
    }

    private static void positiveIfSet(String key, OptionalInt value) {
        if (value.isPresent() && value.getAsInt() < 1) {
            throw new InvalidOptionException(key, value.getAsInt(), "must be > 0");
        }
    }
}
