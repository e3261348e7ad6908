package org.lincde.harness.uea;

import java.util.Arrays;
import org.lincde.spi.LruSpec;
import org.lincde.spi.MambaSpec;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.S5Spec;

/**
 * R3's SSM baselines of the SLiCE UEA table (SPEC §2.5, §2.6, §2.9, configs of §4.3), trained with the R3
 * protocol on the raw (unscaled, optionally time-augmented) series. Their sizes per dataset are
 * {@link SsmSettings}. Reproduced quirks, recorded in every run's config: LRU/S5's BatchNorm keeps running
 * statistics (Equinox, momentum 0.99); S6/Mamba train on PyTorch's cross-entropy of softmax outputs (a
 * double softmax [QUIRK]), average metrics per batch over shuffled loaders, and follow R3's PyTorch trainer's
 * loop and early stopping ({@link UeaTrainer#runPyTorch}, docs/protocols/fidelity.md).
 */
public enum R3Baseline implements UeaModel {
    /** The Linear Recurrent Unit (JAX {@code models/LRU.py}). */
    LRU("lru", "LRU"),
    /** S5 (JAX {@code models/S5.py}). */
    S5("S5", "S5"),
    /** The selective SSM S6 in R3's pre-norm block (PyTorch {@code torch_experiments}). */
    S6("S6", "S6"),
    /** The Mamba v1 block in R3's pre-norm block (PyTorch, {@code mamba_ssm.Mamba}). */
    MAMBA("mamba", "Mamba");

    private final String modelName;
    private final String label;

    R3Baseline(String modelName, String label) {
        this.modelName = modelName;
        this.label = label;
    }

    @Override
    public String modelName() {
        return modelName;
    }

    @Override
    public String label() {
        return label;
    }

    /** The classifier for {@code channels} input channels (time included) and {@code classes} classes. */
    public ModelSpec spec(int channels, int classes, SsmSettings s) {
        return switch (this) {
            case LRU -> LruSpec.r3(channels, classes, s.numBlocks(), s.hidden(), s.ssmDim());
            case S5 -> S5Spec.r3(channels, classes, s.numBlocks(), s.hidden(), s.ssmDim(),
                    SsmSettings.required("ssm_blocks", s.ssmBlocks(), this));
            case S6 -> MambaSpec.r3S6(channels, classes, s.numBlocks(), s.hidden(), s.ssmDim());
            case MAMBA -> MambaSpec.r3Mamba(channels, classes, s.numBlocks(), s.hidden(), s.ssmDim(),
                    SsmSettings.required("conv_dim", s.convDim(), this),
                    SsmSettings.required("expansion", s.expansion(), this));
        };
    }

    /** Whether the block normalises with BatchNorm (LRU, S5: running statistics at inference, momentum 0.99). */
    public boolean batchNorm() {
        return this == LRU || this == S5;
    }

    /** Whether R3 averages metrics per batch rather than per sample (the PyTorch models, SPEC §2.9). */
    public boolean perBatchMetrics() {
        return this == S6 || this == MAMBA;
    }

    /**
     * Whether R3 trains it with PyTorch's cross-entropy on softmax outputs, a softmax applied twice
     * ([QUIRK], SPEC §2.9: the PyTorch models); {@link #loss} reproduces it when {@code faithful}.
     */
    public boolean doubleSoftmax() {
        return this == S6 || this == MAMBA;
    }

    /** The training loss: R3's {@code −Σ y log(p + ε)}, or for S6/Mamba the faithful double softmax. */
    public org.lincde.spi.LossSpec loss(boolean faithful, double epsilon) {
        return faithful && doubleSoftmax() ? new org.lincde.spi.LossSpec.SoftmaxOfProbabilitiesCrossEntropy()
                : new org.lincde.spi.LossSpec.CrossEntropy(epsilon);
    }

    /** Parses an R3 model name ({@code lru}, {@code S5}, {@code S6}, {@code mamba}), a label or a constant name. */
    public static R3Baseline parse(String s) {
        String t = s == null ? "" : s.trim();
        for (R3Baseline b : values()) {
            if (b.modelName.equalsIgnoreCase(t) || b.label.equalsIgnoreCase(t) || b.name().equalsIgnoreCase(t)) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown R3 baseline '" + s + "' (known: "
                + Arrays.stream(values()).map(b -> b.modelName).toList() + ")");
    }
}
