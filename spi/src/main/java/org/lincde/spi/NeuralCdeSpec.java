package org.lincde.spi;

import java.util.Locale;

/**
 * R3's non-linear neural CDEs of the UEA table (Log-NCDE code base, {@code models/NeuralCDEs.py},
 * {@code models/LogNeuralCDEs.py}, built by {@code models/generate_model.py}): NCDE, NRDE and Log-NCDE,
 * solved with diffrax's {@code Heun} at the constant step {@code dt0} (docs/models/neural-cdes.md).
 * <pre>
 *   y_0 = linear1(x0)                                                     linear1.*  (h×d)
 *   dy/dt = F(y, t)   on [ts_0, ts_{L−1}], Heun with constant step dt0     vf.mlp.layers.*  (+ mlp_linear.* for NRDE)
 *     NCDE:     F = reshape(f(y), h, d) · dX/dt(t)         X the Hermite cubic of the series
 *     NRDE:     F = reshape(mlp_linear(f(y)), h, β) · λ_k / Δ_k
 *     Log-NCDE: F = (Σ_c λ_k^c f_c(y) + Σ_{a&lt;b} λ_k^{[a,b]} (J f_b · f_a − J f_a · f_b)) / Δ_k
 *   logits = linear2(y(ts_{L−1}))                                         linear2.*  (K×h)
 * </pre>
 * {@code f} is an MLP ({@code vf_depth} hidden layers of {@code vf_width}; NRDE: {@code vf_depth − 1}) with ReLU
 * (Log-NCDE: SiLU) and a final tanh, its initial weights and biases divided by {@code scale}.
 *
 * <p>Inputs: NCDE reads the raw series {@code ChannelInputs(B, L, d)} (time channel included when used, no
 * scaling); NRDE and Log-NCDE read the per-interval log-signatures {@code ChannelInputs(B, n, β, λ, d, x0)} of
 * the unscaled series, as the linear NCDEs do (no leading 0 column). Output: logits {@code (B, K)}; R3's
 * {@code −Σ y log(softmax + 1e−8)} is {@code LossSpec.CrossEntropy(1e−8)}. The regulariser (weighted by R3's
 * {@code lambd}) is Log-NCDE's only.
 *
 * @param kind               which of the three models
 * @param inputChannels      d, the path's channels (time channel included when used)
 * @param numClasses         K ({@code label_dim})
 * @param hidden             h ({@code hidden_dim})
 * @param vfDepth            {@code vf_depth} (≥ 1)
 * @param vfWidth            {@code vf_width} (≥ 1)
 * @param logsigDepth        the log-signature depth ({@code depth}: 1 or 2; NCDE: 1)
 * @param length             L, the series length (the time grid {@code ts_j = T·j/L} depends on it)
 * @param stepsize           the log-signature interval stepsize s ({@code stepsize}; NCDE: 1)
 * @param horizon            T ({@code T}: 1 in every UEA config)
 * @param dt0                Heun's constant step ({@code dt0}, &gt; 0)
 * @param maxSteps           diffrax's {@code max_steps} (R3: 16⁴); a solve needing more is an error
 * @param scale              the divisor of the MLP's initial weights and biases ({@code scale})
 * @param wrapFirstStage     [QUIRK] R3's {@code searchsorted} index at t = 0 wraps to the last log-signature
 *                           interval, divided by {@code intervals[0] − intervals[−1] = −T} (true, faithful); false
 *                           uses the first interval there (NRDE, Log-NCDE only)
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.1")
public record NeuralCdeSpec(Kind kind, int inputChannels, int numClasses, int hidden, int vfDepth, int vfWidth,
                            int logsigDepth, int length, int stepsize, double horizon, double dt0, int maxSteps,
                            double scale, boolean wrapFirstStage) implements ModelSpec {
    /** R3's {@code max_steps} ({@code generate_model.py}: {@code 16**4}). */
    public static final int R3_MAX_STEPS = 65_536;
    /** R3's {@code T} in every UEA config. */
    public static final double R3_HORIZON = 1.0;

    /** The three models and their R3 {@code model_name}. */
    public enum Kind {
        /** {@code ncde}: {@code NeuralCDE}, a Hermite cubic control. */
        NCDE("ncde", "NCDE"),
        /** {@code nrde}: {@code NeuralRDE}, log-signatures over intervals. */
        NRDE("nrde", "NRDE"),
        /** {@code log_ncde}: {@code LogNeuralCDE}, the Log-ODE method with Lie brackets. */
        LOG_NCDE("log_ncde", "Log-NCDE");

        private final String modelName;
        private final String label;

        Kind(String modelName, String label) {
            this.modelName = modelName;
            this.label = label;
        }

        /** R3's {@code model_name}. */
        public String modelName() {
            return modelName;
        }

        /** The papers' row label. */
        public String label() {
            return label;
        }

        /** Whether the model reads log-signatures over intervals (NRDE, Log-NCDE). */
        public boolean logSignatures() {
            return this != NCDE;
        }

        /** Parses {@code ncde}, {@code nrde}, {@code log_ncde}, a label or a constant name, ignoring case. */
        public static Kind parse(String s) {
            String t = s == null ? "" : s.trim();
            for (Kind k : values()) {
                if (k.modelName.equalsIgnoreCase(t) || k.label.equalsIgnoreCase(t) || k.name().equalsIgnoreCase(t)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown neural CDE '" + s + "' (known: ncde, nrde, log_ncde)");
        }
    }

    /** Validates sizes and solver settings, naming R3's config keys. */
    public NeuralCdeSpec {
        if (kind == null) {
            throw new InvalidOptionException("model_name", null, "is required");
        }
        positive("input_channels", inputChannels);
        positive("label_dim", numClasses);
        positive("hidden_dim", hidden);
        positive("vf_depth", vfDepth);
        positive("vf_width", vfWidth);
        positive("max_steps", maxSteps);
        if (logsigDepth < 1 || logsigDepth > 2) {
            throw new InvalidOptionException("depth", logsigDepth, "the log-signature depth must be 1 or 2");
        }
        if (kind == Kind.NCDE && logsigDepth != 1) {
            throw new InvalidOptionException("depth", logsigDepth, "an NCDE reads no log-signature (R3 sets 1)");
        }
        if (length < (kind == Kind.NCDE ? 2 : 1)) {
            throw new InvalidOptionException("length", length, kind == Kind.NCDE
                    ? "a cubic control needs at least 2 observations" : "must be > 0");
        }
        positive("stepsize", stepsize);
        if (!(horizon > 0) || Double.isInfinite(horizon)) {
            throw new InvalidOptionException("T", horizon, "must be finite and > 0");
        }
        if (!(dt0 > 0) || Double.isInfinite(dt0)) {
            throw new InvalidOptionException("dt0", dt0, "Heun's constant step must be finite and > 0 "
                    + "(diffrax refuses (t1 − t0)·dt0 < 0)");
        }
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new InvalidOptionException("scale", scale, "must be finite and > 0");
        }
    }

    /** R3's solver settings ({@code max_steps = 16⁴}, T = 1, the faithful first stage). */
    public static NeuralCdeSpec r3(Kind kind, int inputChannels, int numClasses, int hidden, int vfDepth, int vfWidth,
                                   int logsigDepth, int length, int stepsize, double dt0, double scale) {
        return new NeuralCdeSpec(kind, inputChannels, numClasses, hidden, vfDepth, vfWidth,
                kind == Kind.NCDE ? 1 : logsigDepth, length, kind == Kind.NCDE ? 1 : stepsize, R3_HORIZON, dt0,
                R3_MAX_STEPS, scale, true);
    }

    /** This spec with another {@code max_steps}. */
    public NeuralCdeSpec withMaxSteps(int steps) {
        return new NeuralCdeSpec(kind, inputChannels, numClasses, hidden, vfDepth, vfWidth, logsigDepth, length,
                stepsize, horizon, dt0, steps, scale, wrapFirstStage);
    }

    /** Log-signature coordinates per interval β: {@code d} (depth 1) or {@code d + d(d−1)/2} (depth 2). */
    public int logSignatureDimension() {
        return logsigDepth == 1 ? inputChannels : inputChannels + inputChannels * (inputChannels - 1) / 2;
    }

    @Override
    public String family() {
        return kind.modelName().toLowerCase(Locale.ROOT);
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
