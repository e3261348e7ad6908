package org.lincde.spi.model.baseline;

import java.util.ArrayList;
import java.util.List;
import org.lincde.spi.Batch;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.LruSpec;
import org.lincde.spi.MambaSpec;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.S5Spec;
import org.lincde.spi.SequenceIo;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.Layers;

/**
 * R3's SSM classifiers (SPEC §2.5, §2.6, §2.9): one skeleton, two flavours.
 * <pre>
 *   x = Lin_{d→H}(x)                                   linear_encoder.*
 *   per block i:  skip = x; x = Norm(x); x = Layer(x)
 *                 x = Drop(GELU(x)); x = GLU(x); x = Drop(x); x = x + skip
 *   out = Lin_{H→K}(mean_t x)                          linear_decoder.* (PyTorch) / linear_layer.* (Equinox)
 * </pre>
 * <ul>
 *   <li>S6 / Mamba ({@link MambaSpec.Template#R3_PRENORM}, PyTorch {@code torch_experiments/train.py}): Norm =
 *       LayerNorm ({@code blocks.{i}.norm.*}), Layer at {@code blocks.{i}.mamba.*}, exact GELU, GLU = one
 *       {@code Lin_{H→2H}} ({@code blocks.{i}.glu.linear.*}), dropout 0.1.</li>
 *   <li>LRU / S5 (Equinox {@code models/LRU.py}, {@code models/S5.py}): Norm = BatchNorm without affine
 *       parameters (running statistics at inference when the mode carries a
 *       {@link org.lincde.spi.BatchNormState}; see {@link Activations#batchNorm}), Layer at
 *       {@code blocks.{i}.lru.*} / {@code blocks.{i}.ssm.*}, JAX's tanh-approximate GELU, GLU =
 *       {@code w1(x) ⊙ σ(w2(x))} ({@code blocks.{i}.glu.w1.*}, {@code glu.w2.*}), dropout 0.1 / 0.05.</li>
 * </ul>
 * The authors' models end in a softmax; this graph emits logits. The loss applies the softmax (R3's
 * {@code −log(p + 1e−8)}), and PyTorch R3's second softmax inside {@code cross_entropy} [QUIRK] is a loss
 * option, not part of the graph.
 */
public final class R3SsmModel extends BaselineGraph {
    private final ModelSpec spec;
    private final boolean torch;
    private final String layerName;
    private final double dropout;
    private final int width;
    private final InputLayer input;
    private final List<SequenceLayer> layers = new ArrayList<>();
    private final Readout readout;

    private R3SsmModel(ModelSpec spec, SequenceIo io, boolean torch, String layerName, double dropout, int width,
                       List<SequenceLayer> layers) {
        this.spec = spec;
        this.torch = torch;
        this.layerName = layerName;
        this.dropout = dropout;
        this.width = width;
        this.input = new InputLayer(io, width, "embedding", "embedding2", "linear_encoder");
        this.layers.addAll(layers);
        this.readout = new Readout(io.output(), width, io.outputDim(), torch ? "linear_decoder" : "linear_layer");
    }

    /** R3's S6 or Mamba model; the template must be {@link MambaSpec.Template#R3_PRENORM}. */
    public static R3SsmModel of(MambaSpec spec) {
        if (spec.template() != MambaSpec.Template.R3_PRENORM) {
            throw new IllegalArgumentException("R3SsmModel realises R3's pre-norm template, got " + spec.template());
        }
        List<SequenceLayer> ls = new ArrayList<>();
        for (int i = 0; i < spec.numBlocks(); i++) {
            ls.add(mambaCore(spec));
        }
        return new R3SsmModel(spec, spec.io(), true, "mamba", spec.dropoutRate(), spec.modelDim(), ls);
    }

    /** R3's LRU model. */
    public static R3SsmModel of(LruSpec spec) {
        List<SequenceLayer> ls = new ArrayList<>();
        for (int i = 0; i < spec.numBlocks(); i++) {
            ls.add(new LruLayer(spec.hiddenDim(), spec.stateDim(), spec.rMin(), spec.rMax(), spec.maxPhase()));
        }
        return new R3SsmModel(spec, spec.io(), false, "lru", spec.dropoutRate(), spec.hiddenDim(), ls);
    }

    /** R3's S5 model. */
    public static R3SsmModel of(S5Spec spec) {
        List<SequenceLayer> ls = new ArrayList<>();
        for (int i = 0; i < spec.numBlocks(); i++) {
            ls.add(new S5Layer(spec.hiddenDim(), spec.stateDim(), spec.ssmBlocks()));
        }
        return new R3SsmModel(spec, spec.io(), false, "ssm", spec.dropoutRate(), spec.hiddenDim(), ls);
    }

    /** The S6 core or the Mamba v1 block a {@link MambaSpec} asks for. */
    static SequenceLayer mambaCore(MambaSpec spec) {
        return spec.core() == MambaSpec.Core.S6
                ? new S6Layer(spec.modelDim(), spec.stateDim(), spec.modelDim())
                : new MambaV1Layer(spec.modelDim(), spec.stateDim(), spec.convKernel(), spec.expand());
    }

    private static String block(int i) {
        return "blocks." + i + ".";
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    void declare(List<ParameterShape> out) {
        input.declare(out);
        for (int i = 0; i < layers.size(); i++) {
            String b = block(i);
            if (torch) {
                Params.layerNorm(out, b + "norm", width);
            }
            layers.get(i).declare(out, b + layerName + ".");
            if (torch) {
                Params.linear(out, b + "glu.linear", width, 2 * width, true);
            } else {
                Params.linear(out, b + "glu.w1", width, width, true);
                Params.linear(out, b + "glu.w2", width, width, true);
            }
        }
        readout.declare(out);
    }

    @Override
    public ParameterSet initialize(Rng rng) {
        ParameterSet p = new ParameterSet();
        input.initialize(p, rng);
        for (int i = 0; i < layers.size(); i++) {
            String b = block(i);
            if (torch) {
                Layers.initLayerNorm(p, b + "norm", width);
            }
            layers.get(i).initialize(p, rng, b + layerName + ".");
            if (torch) {
                Layers.initLinear(p, rng, b + "glu.linear", width, 2 * width, true);
            } else {
                Layers.initLinear(p, rng, b + "glu.w1", width, width, true);
                Layers.initLinear(p, rng, b + "glu.w2", width, width, true);
            }
        }
        readout.initialize(p, rng);
        return p;
    }

    @Override
    public <T> T forward(TensorOps<T> ops, ParameterLookup<T> p, Batch batch, ForwardMode mode) {
        T x = input.forward(ops, p, batch.inputs());
        for (int i = 0; i < layers.size(); i++) {
            ParameterLookup<T> bp = p.scoped(block(i));
            T skip = x;
            x = torch ? ops.layerNorm(x, bp.get("norm.weight"), bp.get("norm.bias"), 1e-5)
                    : Activations.batchNorm(ops, x, 1e-5, mode, block(i) + "norm");
            x = layers.get(i).forward(ops, bp.scoped(layerName + "."), x, mode);
            x = Modes.dropout(ops, torch ? ops.gelu(x) : Activations.geluTanh(ops, x), dropout, mode, "blocks", i, 1);
            x = torch ? Activations.glu(ops, Layers.linear(ops, bp, "glu.linear", x))
                    : ops.mul(Layers.linear(ops, bp, "glu.w1", x), ops.sigmoid(Layers.linear(ops, bp, "glu.w2", x)));
            x = Modes.dropout(ops, x, dropout, mode, "blocks", i, 2);
            x = ops.add(x, skip);
        }
        return readout.forward(ops, p, x);
    }
}
