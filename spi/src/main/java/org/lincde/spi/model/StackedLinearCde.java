package org.lincde.spi.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lincde.spi.Batch;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.LinearCdeSpec;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.Stability;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.StructuredVectorField;
import org.lincde.spi.TensorOps;

/**
 * R1's {@code StackedLCDE} (SPEC §1.2), parameter names as the authors' state dict:
 * <pre>
 *   E = Embedding(tokens)                                    embedding.weight (N(0,1))
 *   per block i (post-norm residual):
 *     Z = LCDE(X) + X                                        blocks.i.LCDE.*
 *     Z = Z + tanh(Linear(Z))   or   Z + GLU(Linear_2h(Z))   blocks.i.linear.*
 *     Z = LayerNorm(Z); X = Dropout_p(Z)                     blocks.i.norm.*
 *   logits = Linear_{h→K}(X)  per position                   linear.*
 * </pre>
 * With {@code second_embedding}, {@code E = concat(Emb1(tok[...,0]), Emb2(tok[...,1]))}, each
 * {@code h/2} wide ({@code embedding.weight}, {@code embedding2.weight}).
 */
public final class StackedLinearCde implements ModelGraph {
    private final LinearCdeSpec spec;
    private final List<LinearCdeLayer> layers = new ArrayList<>();

    /** Resolves the structure of {@code spec} through {@code structures}. */
    public StackedLinearCde(LinearCdeSpec spec, StructureRegistry structures) {
        this.spec = spec;
        int h = spec.modelDim();
        for (int i = 0; i < spec.numBlocks(); i++) {
            StructuredVectorField f = structures.configure(spec.structure(), h, h + 1);
            layers.add(new LinearCdeLayer(f, h, spec.dt(), spec.tanhClip()));
        }
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    /** The Linear CDE layer of block {@code i}. */
    public LinearCdeLayer layer(int i) {
        return layers.get(i);
    }

    private static String block(int i) {
        return "blocks." + i + ".";
    }

    @Override
    public List<ParameterShape> parameters() {
        int h = spec.modelDim();
        List<ParameterShape> s = new ArrayList<>();
        if (spec.secondEmbedding()) {
            s.add(new ParameterShape("embedding.weight", new int[] {spec.vocabSize(), h / 2}, ParameterSet.Role.TRAINABLE));
            s.add(new ParameterShape("embedding2.weight", new int[] {spec.vocabSize(), h / 2}, ParameterSet.Role.TRAINABLE));
        } else {
            s.add(new ParameterShape("embedding.weight", new int[] {spec.vocabSize(), h}, ParameterSet.Role.TRAINABLE));
        }
        for (int i = 0; i < layers.size(); i++) {
            for (ParameterShape p : layers.get(i).parameters()) {
                s.add(new ParameterShape(block(i) + "LCDE." + p.name(), p.shape(), p.role()));
            }
            s.addAll(Layers.linearShapes(block(i) + "linear", h, spec.useGlu() ? 2 * h : h, true));
            s.add(new ParameterShape(block(i) + "norm.weight", new int[] {h}, ParameterSet.Role.TRAINABLE));
            s.add(new ParameterShape(block(i) + "norm.bias", new int[] {h}, ParameterSet.Role.TRAINABLE));
        }
        s.addAll(Layers.linearShapes("linear", h, spec.labelDim(), true));
        return s;
    }

    @Override
    public ParameterSet initialize(Rng rng) {
        int h = spec.modelDim();
        ParameterSet p = new ParameterSet();
        if (spec.secondEmbedding()) {
            Layers.initNormal(p, rng, "embedding.weight", 1.0, spec.vocabSize(), h / 2);
            Layers.initNormal(p, rng, "embedding2.weight", 1.0, spec.vocabSize(), h / 2);
        } else {
            Layers.initNormal(p, rng, "embedding.weight", 1.0, spec.vocabSize(), h);
        }
        for (int i = 0; i < layers.size(); i++) {
            String prefix = block(i) + "LCDE.";
            p.putAll(layers.get(i).initialize(rng.stream(prefix), spec.initStd()).withPrefix(prefix));
            Layers.initLinear(p, rng, block(i) + "linear", h, spec.useGlu() ? 2 * h : h, true);
            Layers.initLayerNorm(p, block(i) + "norm", h);
        }
        Layers.initLinear(p, rng, "linear", h, spec.labelDim(), true);
        return p;
    }

    @Override
    public <T> T forward(TensorOps<T> ops, ParameterLookup<T> p, Batch batch, ForwardMode mode) {
        return forward(ops, p, batch, mode, NO_HOOKS);
    }

    /**
     * Where a backend's fast path joins {@link #forward} without restating it. Every hook must leave
     * the values unchanged (they change how, not what, is computed); the defaults are the plain graph.
     */
    @Stability(value = Stability.Level.EXPERIMENTAL, since = "0.2")
    public interface ForwardHooks {
        /** The input {@code x} of block {@code block ≥ 1}, before its LCDE layer and residual (DJL cuts its graph there). */
        default <T> T blockInput(TensorOps<T> ops, int block, T x) {
            return x;
        }

        /** {@code Dropout.apply(ops, z, rate, stream)}: the same mask values, made however the backend likes. */
        default <T> T dropout(TensorOps<T> ops, T z, double rate, Rng stream) {
            return Dropout.apply(ops, z, rate, stream);
        }

        /**
         * Whether block 0 may take its coefficients from those of the embedding table
         * ({@link LinearCdeLayer#forwardFromTable}) when the field's coefficient map acts row by row, the
         * block reads the embedding itself (no second embedding) and states are evaluated recurrently.
         */
        default boolean gatherFirstLayer() {
            return false;
        }
    }

    private static final ForwardHooks NO_HOOKS = new ForwardHooks() {};

    /** This graph with {@code hooks} in its {@link #forward}; everything else is this graph's. */
    public ModelGraph withHooks(ForwardHooks hooks) {
        StackedLinearCde self = this;
        return new ModelGraph() {
            @Override
            public ModelSpec spec() {
                return spec;
            }

            @Override
            public List<ParameterShape> parameters() {
                return self.parameters();
            }

            @Override
            public ParameterSet initialize(Rng rng) {
                return self.initialize(rng);
            }

            @Override
            public <T> T forward(TensorOps<T> ops, ParameterLookup<T> p, Batch batch, ForwardMode mode) {
                return self.forward(ops, p, batch, mode, hooks);
            }

            @Override
            public <T> T regularizer(TensorOps<T> ops, ParameterLookup<T> p) {
                return self.regularizer(ops, p);
            }

            @Override
            public Map<String, String> gradientMasks() {
                return self.gradientMasks();
            }
        };
    }

    /** {@link #forward} with a backend's {@code hooks} (SPEC §1.2). */
    public <T> T forward(TensorOps<T> ops, ParameterLookup<T> p, Batch batch, ForwardMode mode, ForwardHooks hooks) {
        if (!(batch.inputs() instanceof Batch.TokenInputs tok)) {
            throw new IllegalArgumentException("the stacked LCDE reads token ids, got "
                    + batch.inputs().getClass().getSimpleName());
        }
        int b = tok.batch();
        int len = tok.length();
        int h = spec.modelDim();
        int expectedPerStep = spec.secondEmbedding() ? 2 : 1;
        if (tok.perStep() != expectedPerStep) {
            throw new IllegalArgumentException("expected " + expectedPerStep + " token id(s) per step, got "
                    + tok.perStep());
        }
        T x;
        if (spec.secondEmbedding()) {
            int[] first = new int[b * len];
            int[] second = new int[b * len];
            for (int i = 0; i < b * len; i++) {
                first[i] = tok.ids()[2 * i];
                second[i] = tok.ids()[2 * i + 1];
            }
            x = ops.concat(List.of(ops.embedding(p.get("embedding.weight"), first, b, len),
                    ops.embedding(p.get("embedding2.weight"), second, b, len)), 2);
        } else {
            x = ops.embedding(p.get("embedding.weight"), tok.ids(), b, len);
        }
        boolean gather = hooks.gatherFirstLayer() && !spec.secondEmbedding()
                && mode.evaluation() == ForwardMode.Evaluation.RECURRENT && layers.get(0).field().rowWiseCoefficients();
        for (int i = 0; i < layers.size(); i++) {
            ParameterLookup<T> bp = p.scoped(block(i));
            if (i > 0) {
                x = hooks.blockInput(ops, i, x);
            }
            T y = i == 0 && gather
                    ? layers.get(0).forwardFromTable(ops, bp.scoped("LCDE."), p.get("embedding.weight"), tok)
                    : layers.get(i).forward(ops, bp.scoped("LCDE."), x, mode.evaluation());
            T z = ops.add(y, x);
            T lin = Layers.linear(ops, bp, "linear", z);
            T act = spec.useGlu()
                    ? ops.mul(ops.slice(lin, 2, 0, h), ops.sigmoid(ops.slice(lin, 2, h, 2 * h)))
                    : ops.tanh(lin);
            z = ops.layerNorm(ops.add(z, act), bp.get("norm.weight"), bp.get("norm.bias"), 1e-5);
            x = mode.training() ? hooks.dropout(ops, z, spec.dropoutRate(), mode.dropout().stream("block", i)) : z;
        }
        return Layers.linear(ops, p, "linear", x);
    }

    /** R1: {@code Σ_blocks ||vf_A||_F} over each block's regularised structure parameters. */
    @Override
    public <T> T regularizer(TensorOps<T> ops, ParameterLookup<T> p) {
        T total = null;
        for (int i = 0; i < layers.size(); i++) {
            for (String name : layers.get(i).field().regularizedParameters()) {
                T f = Layers.frobenius(ops, p.get(block(i) + "LCDE." + name));
                total = total == null ? f : ops.add(total, f);
            }
        }
        return total == null ? ops.scalar(0.0) : total;
    }

    @Override
    public Map<String, String> gradientMasks() {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            String prefix = block(i) + "LCDE.";
            layers.get(i).field().gradientMasks().forEach((k, v) -> m.put(prefix + k, prefix + v));
        }
        return m;
    }
}
