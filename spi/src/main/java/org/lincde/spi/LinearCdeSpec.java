package org.lincde.spi;

/**
 * R1's stacked SLiCE model ({@code StackedLCDE}, SPEC §1.1–1.2): token embedding, {@code numBlocks}
 * post-norm residual blocks (Linear CDE layer, tanh-Linear or GLU stage, LayerNorm, dropout) and a
 * per-token linear head.
 *
 * @param vocabSize       input vocabulary {@code V} ({@code data_dim})
 * @param labelDim        number of classes {@code K} ({@code label_dim})
 * @param modelDim        hidden size {@code h} ({@code model_dim})
 * @param numBlocks       number of blocks ({@code num_blocks})
 * @param structure       the vector field's structure
 * @param useGlu          GLU stage instead of tanh-Linear ({@code use_glu})
 * @param dropoutRate     dropout probability after each block ({@code dropout_rate})
 * @param initStd         {@code init_std} for the Linear CDE layers
 * @param secondEmbedding two token streams embedded to {@code h/2} each and concatenated
 * @param dt              the control scaling {@code dt} (1/40 in R1, a constant, not 1/(L−1))
 * @param tanhClip        the clip constant {@code c} of eq. (2) (1e11 in R1; +∞ = plain addition)
 */
@Stability(value = Stability.Level.STABLE, since = "0.1")
public record LinearCdeSpec(int vocabSize, int labelDim, int modelDim, int numBlocks, StructureSpec structure,
                            boolean useGlu, double dropoutRate, double initStd, boolean secondEmbedding, double dt,
                            double tanhClip) implements ModelSpec {
    /** R1's dt. */
    public static final double R1_DT = 1.0 / 40.0;
    /** R1's tanh clip constant 10e10. */
    public static final double R1_TANH_CLIP = 1e11;

    /** Validates sizes and rates, naming the R1 config key. */
    public LinearCdeSpec {
        positive("data_dim", vocabSize);
        positive("label_dim", labelDim);
        positive("model_dim", modelDim);
        positive("num_blocks", numBlocks);
        if (!(dropoutRate >= 0 && dropoutRate < 1)) {
            throw new InvalidOptionException("dropout_rate", dropoutRate, "must be in [0, 1)");
        }
        if (!(initStd >= 0) || Double.isInfinite(initStd)) {
            throw new InvalidOptionException("init_std", initStd, "must be finite and >= 0");
        }
        if (secondEmbedding && modelDim % 2 != 0) {
            throw new InvalidOptionException("model_dim", modelDim, "must be even with second_embedding");
        }
        if (!(dt > 0) || Double.isInfinite(dt)) {
            throw new InvalidOptionException("dt", dt, "must be finite and > 0");
        }
        if (!(tanhClip > 0)) {
            throw new InvalidOptionException("tanh_clip", tanhClip, "must be > 0 (Infinity = no clip)");
        }
    }

    /** R1 defaults for everything but sizes and structure. */
    public static LinearCdeSpec r1(int vocab, int labels, int modelDim, int blocks, StructureSpec structure) {
        return new LinearCdeSpec(vocab, labels, modelDim, blocks, structure, false, 0.01, 1.0, false, R1_DT,
                R1_TANH_CLIP);
    }

    /** This spec with another dropout rate. */
    public LinearCdeSpec withDropout(double rate) {
        return new LinearCdeSpec(vocabSize, labelDim, modelDim, numBlocks, structure, useGlu, rate, initStd,
                secondEmbedding, dt, tanhClip);
    }

    /** This spec with another init_std. */
    public LinearCdeSpec withInitStd(double std) {
        return new LinearCdeSpec(vocabSize, labelDim, modelDim, numBlocks, structure, useGlu, dropoutRate, std,
                secondEmbedding, dt, tanhClip);
    }

    /** This spec with or without the GLU stage. */
    public LinearCdeSpec withGlu(boolean glu) {
        return new LinearCdeSpec(vocabSize, labelDim, modelDim, numBlocks, structure, glu, dropoutRate, initStd,
                secondEmbedding, dt, tanhClip);
    }

    @Override
    public String family() {
        return "lcde";
    }

    @Override
    public int outputDim() {
        return labelDim;
    }

    private static void positive(String key, int v) {
        if (v <= 0) {
            throw new InvalidOptionException(key, v, "must be > 0");
        }
    }
}
