package org.lincde.harness.uea;

import org.lincde.spi.NeuralCdeSpec;

/**
 * R3's non-linear neural CDEs of the SLiCE UEA table (docs/models/neural-cdes.md): NCDE on the Hermite cubic of
 * the raw series, NRDE and Log-NCDE on log-signatures over intervals of the unscaled series, each with its
 * per-dataset {@link NeuralCdeSettings} (R3's {@code experiment_configs/repeats/<model>/<dataset>.json}).
 */
public enum NeuralCdeModel implements UeaModel {
    /** {@code ncde}. */
    NCDE(NeuralCdeSpec.Kind.NCDE),
    /** {@code nrde}. */
    NRDE(NeuralCdeSpec.Kind.NRDE),
    /** {@code log_ncde}. */
    LOG_NCDE(NeuralCdeSpec.Kind.LOG_NCDE);

    private final NeuralCdeSpec.Kind kind;

    NeuralCdeModel(NeuralCdeSpec.Kind kind) {
        this.kind = kind;
    }

    /** The model family of the SPI. */
    public NeuralCdeSpec.Kind kind() {
        return kind;
    }

    @Override
    public String modelName() {
        return kind.modelName();
    }

    @Override
    public String label() {
        return kind.label();
    }

    /** The classifier for {@code channels} input channels (time included), {@code length} observations. */
    public NeuralCdeSpec spec(int channels, int classes, int length, NeuralCdeSettings s) {
        return NeuralCdeSpec.r3(kind, channels, classes, s.hidden(), s.vfDepth(), s.vfWidth(), s.depth(), length,
                s.stepsize(), s.dt0(), s.scale());
    }

    /** Parses {@code ncde}, {@code nrde}, {@code log_ncde}, a label or a constant name. */
    public static NeuralCdeModel parse(String s) {
        NeuralCdeSpec.Kind k = NeuralCdeSpec.Kind.parse(s);
        for (NeuralCdeModel m : values()) {
            if (m.kind == k) {
                return m;
            }
        }
        throw new AssertionError(k);
    }
}
