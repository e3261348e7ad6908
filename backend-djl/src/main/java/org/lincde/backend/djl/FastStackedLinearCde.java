package org.lincde.backend.djl;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;
import org.lincde.backend.djl.internal.KernelPool;
import org.lincde.backend.djl.internal.NativeView;
import org.lincde.spi.Batch;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.LinearCdeSpec;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.model.Dropout;
import org.lincde.spi.Shapes;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.Layers;
import org.lincde.spi.model.ModelGraph;
import org.lincde.spi.model.StackedLinearCde;

/**
 * The fast path's graph for {@link LinearCdeSpec}: {@link StackedLinearCde} in every respect (parameters,
 * initialisation, regulariser, masks, dropout streams, the layers themselves) except two things that
 * change no value: block 0's coefficients are gathered from the coefficients of the embedding table
 * ({@link #firstLayer}), and the graph is cut between blocks so the phased backward walks each block
 * once. Its {@link #forward} restates {@code StackedLinearCde.forward} (SPEC §1.2); the fused-vs-generic
 * tests compare the two.
 */
final class FastStackedLinearCde implements ModelGraph {
    private final StackedLinearCde graph;
    private final LinearCdeSpec spec;
    private final KernelPool pool;

    FastStackedLinearCde(StackedLinearCde graph, KernelPool pool) {
        this.graph = graph;
        this.spec = (LinearCdeSpec) graph.spec();
        this.pool = pool;
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public List<ParameterShape> parameters() {
        return graph.parameters();
    }

    @Override
    public ParameterSet initialize(Rng rng) {
        return graph.initialize(rng);
    }

    @Override
    public <T> T regularizer(TensorOps<T> ops, ParameterLookup<T> params) {
        return graph.regularizer(ops, params);
    }

    @Override
    public Map<String, String> gradientMasks() {
        return graph.gradientMasks();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T forward(TensorOps<T> ops, ParameterLookup<T> p, Batch batch, ForwardMode mode) {
        if (!(ops instanceof DjlTensorOps)) {
            return graph.forward(ops, p, batch, mode);
        }
        return (T) forward((DjlTensorOps) ops, (ParameterLookup<NDArray>) p, batch, mode);
    }

    private NDArray forward(DjlTensorOps ops, ParameterLookup<NDArray> p, Batch batch, ForwardMode mode) {
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
        NDArray x;
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
        for (int i = 0; i < spec.numBlocks(); i++) {
            ParameterLookup<NDArray> bp = p.scoped("blocks." + i + ".");
            if (i > 0) {
                x = ops.cut(x);
            }
            NDArray y = i == 0 && !spec.secondEmbedding() && mode.evaluation() == ForwardMode.Evaluation.RECURRENT
                    && graph.layer(0).field().rowWiseCoefficients()
                    ? firstLayer(ops, p, bp.scoped("LCDE."), tok)
                    : graph.layer(i).forward(ops, bp.scoped("LCDE."), x, mode.evaluation());
            NDArray z = ops.add(y, x);
            NDArray lin = Layers.linear(ops, bp, "linear", z);
            NDArray act = spec.useGlu()
                    ? ops.mul(ops.slice(lin, 2, 0, h), ops.sigmoid(ops.slice(lin, 2, h, 2 * h)))
                    : ops.tanh(lin);
            z = ops.layerNorm(ops.add(z, act), bp.get("norm.weight"), bp.get("norm.bias"), 1e-5);
            x = mode.training() ? dropout(ops, z, mode.dropout().stream("block", i)) : z;
        }
        return Layers.linear(ops, p, "linear", x);
    }

    /**
     * Block 0's Linear CDE layer when its input is the embedding itself: the coefficient map acts row
     * by row (SPEC §1.1: one row of coefficients per control increment), so the coefficients of
     * {@code u = dt·[1, E[id]]} are row {@code id} of the coefficients of the whole table
     * {@code dt·[1, E]} ({@code V} rows). One tiny product and a gather replace the
     * {@code (B·(L−1)) × (d+1) × P} product and both of its backward products — half an R1 step's
     * matrix work. Otherwise as {@code LinearCdeLayer.forward}. Only for fields whose coefficient maps
     * act row by row ({@code StructuredVectorField.rowWiseCoefficients()}).
     */
    private NDArray firstLayer(DjlTensorOps ops, ParameterLookup<NDArray> p, ParameterLookup<NDArray> lp,
                               Batch.TokenInputs tok) {
        int b = tok.batch();
        int len = tok.length();
        if (len < 2) {
            throw new IllegalArgumentException("LinearCDE needs sequences of length >= 2, got L = " + len);
        }
        int[] first = new int[b];
        int[] rest = new int[b * (len - 1)];
        for (int r = 0; r < b; r++) {
            first[r] = tok.ids()[r * len];
            System.arraycopy(tok.ids(), r * len + 1, rest, r * (len - 1), len - 1);
        }
        NDArray table = p.get("embedding.weight");
        int vocab = ops.shape(table)[0];
        NDArray y0 = Layers.linear(ops, lp, "init_layer", ops.embedding(table, first, b));
        NDArray u = ops.scale(ops.concat(List.of(ops.full(1.0, vocab, 1), table), 1), spec.dt());
        org.lincde.spi.StructuredVectorField field = graph.layer(0).field();
        NDArray coefTable = field.coefficients(ops, lp, u);
        NDArray coef = ops.embedding(coefTable, rest, b, len - 1);
        java.util.Optional<org.lincde.spi.RecurrenceKernel<NDArray>> fused = ops.fusedRecurrence(field);
        return fused.isPresent() ? fused.get().states(y0, coef, spec.tanhClip())
                : graph.layer(0).recurrentStates(ops, lp, y0, coef);
    }

    private NDArray dropout(DjlTensorOps ops, NDArray z, Rng stream) {
        double rate = spec.dropoutRate();
        if (rate == 0.0) {
            return z;
        }
        // Dropout.mask's values, built straight in native memory on the kernel threads: the
        // double[] → float[] → native copies cost more than drawing the mask
        int[] shape = ops.shape(z);
        int n = Math.toIntExact(Shapes.size(shape));
        int[] draws = Dropout.draws(stream, n);
        long threshold = Dropout.threshold(rate);
        double keep = 1.0 / (1.0 - rate);
        NativeView m = NativeView.allocate(pool.arena(), ops.manager(), ops.dataType(), n);
        pool.forRows(n, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                m.set(i, Dropout.dropped(draws[i], threshold) ? 0.0 : keep);
            }
        });
        NDArray mask = m.toArray(ops.manager(), ops.dataType(), shape);
        return ops.mul(z, mask);
    }
}
