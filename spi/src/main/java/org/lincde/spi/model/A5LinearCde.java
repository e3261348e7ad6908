package org.lincde.spi.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.lincde.spi.A5LinearCdeSpec;
import org.lincde.spi.Batch;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.TensorOps;

/**
 * R2's {@code A5LinearCDE} (SPEC §1.4), names as the Equinox module's fields:
 * <pre>
 *   E = Embedding(tokens)                          embedding.weights (N(0,1))
 *   Y = LCDE_scan(E)                               LCDE.init_matrix, LCDE.init_bias, LCDE.vf_A, LCDE.vf_B
 *   Y = Drop_0.1(Y)                                dropout stream "lcde"
 *   Y = ReLU(Lin_mix(Y))                           linear_mix.weight, linear_mix.bias
 *   Y = Drop_0.1(Y)                                dropout stream "mix"
 *   Y = LayerNorm(Y + E)                           norm.weight, norm.bias (eps 1e−5)
 *   logits = Lin_out(Y)                            linear_out.weight, linear_out.bias
 * </pre>
 * Linear layers use Equinox's default init ({@code U(±1/√in)} for weight and bias, as PyTorch). R2
 * returns {@code softmax(logits)}; this graph returns the logits and the objective's
 * {@code CrossEntropy(1e-10)} takes {@code log(softmax + 1e−10)}, which is R2's loss exactly. No
 * regulariser, no gradient masks.
 */
public final class A5LinearCde implements ModelGraph {
    private final A5LinearCdeSpec spec;
    private final FixedStepLinearCde lcde;

    /** The graph of {@code spec}. */
    public A5LinearCde(A5LinearCdeSpec spec) {
        this.spec = spec;
        this.lcde = new FixedStepLinearCde(spec.hiddenDim(), spec.hiddenDim());
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    /** The Linear CDE layer. */
    public FixedStepLinearCde layer() {
        return lcde;
    }

    @Override
    public List<ParameterShape> parameters() {
        int h = spec.hiddenDim();
        List<ParameterShape> s = new ArrayList<>();
        s.add(new ParameterShape("embedding.weights", new int[] {spec.vocabSize(), h}, ParameterSet.Role.TRAINABLE));
        for (ParameterShape p : lcde.parameters()) {
            s.add(new ParameterShape("LCDE." + p.name(), p.shape(), p.role()));
        }
        s.addAll(Layers.linearShapes("linear_mix", h, h, true));
        s.add(new ParameterShape("norm.weight", new int[] {h}, ParameterSet.Role.TRAINABLE));
        s.add(new ParameterShape("norm.bias", new int[] {h}, ParameterSet.Role.TRAINABLE));
        s.addAll(Layers.linearShapes("linear_out", h, spec.outputDim(), true));
        return s;
    }

    @Override
    public ParameterSet initialize(Rng rng) {
        int h = spec.hiddenDim();
        ParameterSet p = new ParameterSet();
        Layers.initNormal(p, rng, "embedding.weights", 1.0, spec.vocabSize(), h);
        p.putAll(lcde.initialize(rng.stream("LCDE.")).withPrefix("LCDE."));
        Layers.initLinear(p, rng, "linear_mix", h, h, true);
        Layers.initLayerNorm(p, "norm", h);
        Layers.initLinear(p, rng, "linear_out", h, spec.outputDim(), true);
        return p;
    }

    @Override
    public <T> T forward(TensorOps<T> ops, ParameterLookup<T> p, Batch batch, ForwardMode mode) {
        if (!(batch.inputs() instanceof Batch.TokenInputs tok) || tok.perStep() != 1) {
            throw new IllegalArgumentException("R2's A5 Linear CDE reads one token id per step, got "
                    + batch.inputs().getClass().getSimpleName());
        }
        T e = ops.embedding(p.get("embedding.weights"), tok.ids(), tok.batch(), tok.length());
        T y = lcde.forward(ops, p.scoped("LCDE."), e);
        y = dropout(ops, y, mode, "lcde");
        y = ops.relu(Layers.linear(ops, p, "linear_mix", y));
        y = dropout(ops, y, mode, "mix");
        y = ops.layerNorm(ops.add(y, e), p.get("norm.weight"), p.get("norm.bias"), 1e-5);
        return Layers.linear(ops, p, "linear_out", y);
    }

    private <T> T dropout(TensorOps<T> ops, T x, ForwardMode mode, String site) {
        return mode.training() && spec.dropoutRate() > 0
                ? Dropout.apply(ops, x, spec.dropoutRate(), mode.dropout().stream(site)) : x;
    }

    /** R2's A5 model has no regulariser: a 0 scalar. */
    @Override
    public <T> T regularizer(TensorOps<T> ops, ParameterLookup<T> params) {
        return ops.scalar(0.0);
    }

    @Override
    public Map<String, String> gradientMasks() {
        return Map.of();
    }
}
