package org.lincde.spi.model.baseline;

import java.util.List;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.Layers;

/**
 * What R1's {@code StackedBlock} puts around a sequence layer (R1 {@code models/mamba.py}, {@code models/fla.py};
 * SPEC §2.11), written once for every stack that uses it:
 * <pre>
 *   y = layer(x) + x
 *   [y = y + GLU(Lin_{h→2h}(y))]          blocks.{i}.post_linear.*  (use_glu)
 *   x = Drop(LN(y))                       blocks.{i}.norm.*
 * </pre>
 */
final class R1PostNormBlock {
    private R1PostNormBlock() {}

    /** The state-dict prefix of block {@code i}: {@code "blocks.i."}. */
    static String prefix(int i) {
        return "blocks." + i + ".";
    }

    /** Declares block {@code i}'s norm and (with {@code glu}) its post-linear layer. */
    static void declare(List<ParameterShape> out, int i, int h, boolean glu) {
        Params.layerNorm(out, prefix(i) + "norm", h);
        if (glu) {
            Params.linear(out, prefix(i) + "post_linear", h, 2 * h, true);
        }
    }

    /** Initialises what {@link #declare} declares. */
    static void initialize(ParameterSet p, Rng rng, int i, int h, boolean glu) {
        Layers.initLayerNorm(p, prefix(i) + "norm", h);
        if (glu) {
            Layers.initLinear(p, rng, prefix(i) + "post_linear", h, 2 * h, true);
        }
    }

    /**
     * The block's output from its layer's output {@code layerOut} and input {@code x}: residual, optional GLU,
     * LayerNorm (eps 1e-5), dropout on stream {@code ("blocks", i)}.
     *
     * @param bp the parameters scoped to {@link #prefix(int)}
     */
    static <T> T close(TensorOps<T> ops, ParameterLookup<T> bp, T layerOut, T x, int i, boolean glu, double dropout,
                       ForwardMode mode) {
        T y = ops.add(layerOut, x);
        if (glu) {
            y = ops.add(y, Activations.glu(ops, Layers.linear(ops, bp, "post_linear", y)));
        }
        y = ops.layerNorm(y, bp.get("norm.weight"), bp.get("norm.bias"), 1e-5);
        return Modes.dropout(ops, y, dropout, mode, "blocks", i);
    }
}
