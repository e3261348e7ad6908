package org.lincde.spi;

/**
 * R3's {@code LogLinearCDE} (SPEC §1.5), the linear neural CDE of the UEA experiments
 * (Log-NCDE code base; the SLiCE paper's UEA table and Figure 5):
 * <pre>
 *   y_0 = init_layer(x0)                                              init_layer.* (h×d)
 *   per interval k:  T_k = I + Σ_c λ_k^c A_c + Σ_{u&lt;v} λ_k^{[u,v]} (A_v A_u − A_u A_v)
 *   y_k = T_k y_{k−1}     (k = 1 … n−1; T_0 discarded, [QUIRK])            vf_A… (the structure)
 *   logits = out_layer(mean_{k=0..n−1} y_k)                                out_layer.* (K×h)
 * </pre>
 * The model reads {@code ChannelInputs(B, n, β, λ, d, x0)}: per-interval log-signature coordinates
 * without the SPEC's leading 0 column ({@code β = d} at depth 1, {@code d + d(d−1)/2} at depth 2, Hall
 * basis order) and the first observation {@code x0}. Output: logits {@code (B, K)}; R3's
 * {@code −Σ y log(softmax + 1e−8)} is {@code LossSpec.CrossEntropy(1e−8)} on them.
 *
 * @param inputChannels    d, the path's channels (time channel included when used); the vector field has
 *                         d control channels (no extra time channel: the log-signature carries it)
 * @param numClasses       K
 * @param hidden           h ({@code hidden_dim})
 * @param structure        the vector field's structure; it must be linear in the control
 *                         ({@code dplr} needs {@code form=linear})
 * @param depth            log-ODE depth N ∈ {1, 2} ({@code depth}); must equal the data's log-signature depth
 * @param initStd          R3's {@code w_init_std} (0.25 in every UEA config)
 * @param parallelSteps    chunk length P of the parallel evaluation ({@code parallel_steps}, 128)
 * @param discardFirstFlow [QUIRK] R3 drops the first interval's flow {@code T_0} (true, faithful); false
 *                         applies every flow, giving {@code n+1} states
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.1")
public record LogLinearCdeSpec(int inputChannels, int numClasses, int hidden, StructureSpec structure, int depth,
                               double initStd, int parallelSteps, boolean discardFirstFlow) implements ModelSpec {
    /** R3's {@code w_init_std}. */
    public static final double R3_INIT_STD = 0.25;
    /** R3's {@code parallel_steps} in every UEA config. */
    public static final int R3_PARALLEL_STEPS = 128;

    /** Validates sizes, naming R3's config keys. */
    public LogLinearCdeSpec {
        positive("input_channels", inputChannels);
        positive("label_dim", numClasses);
        positive("hidden_dim", hidden);
        positive("parallel_steps", parallelSteps);
        if (structure == null) {
            throw new InvalidOptionException("structure", null, "is required");
        }
        if (depth < 1 || depth > 2) {
            throw new InvalidOptionException("depth", depth, "log-ODE depth must be 1 or 2");
        }
        if (!(initStd >= 0) || Double.isInfinite(initStd)) {
            throw new InvalidOptionException("w_init_std", initStd, "must be finite and >= 0");
        }
    }

    /** R3's settings: {@code w_init_std = 0.25}, {@code parallel_steps = 128}, first flow discarded. */
    public static LogLinearCdeSpec r3(int inputChannels, int numClasses, int hidden, StructureSpec structure,
                                      int depth) {
        return new LogLinearCdeSpec(inputChannels, numClasses, hidden, structure, depth, R3_INIT_STD,
                R3_PARALLEL_STEPS, true);
    }

    /** This spec with another chunk length P. */
    public LogLinearCdeSpec withParallelSteps(int p) {
        return new LogLinearCdeSpec(inputChannels, numClasses, hidden, structure, depth, initStd, p, discardFirstFlow);
    }

    /** Log-signature coordinates per interval: {@code d} (depth 1) or {@code d + d(d−1)/2} (depth 2). */
    public int logSignatureDimension() {
        return depth == 1 ? inputChannels : inputChannels + inputChannels * (inputChannels - 1) / 2;
    }

    @Override
    public String family() {
        return "log_lcde";
    }

    @Override
    public int outputDim() {
        return numClasses;
    }

    private static void positive(String key, int v) {
        if (v <= 0) {
            throw new InvalidOptionException(key, v, "must be > 0");
        }
    }
}
