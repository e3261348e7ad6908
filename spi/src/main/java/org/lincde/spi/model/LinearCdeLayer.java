package org.lincde.spi.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.lincde.spi.Batch;
import org.lincde.spi.DenseRecurrenceKernel;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.RecurrenceKernel;
import org.lincde.spi.Rng;
import org.lincde.spi.StructuredVectorField;
import org.lincde.spi.TensorOps;

/**
 * R1's {@code LinearCDE} layer (SPEC §1.1): {@code u_i = dt·[1, X_i]}, {@code y_0 = W_0 X_0 + b_0},
 * {@code y_i = y_{i−1} + c·tanh(A(u_i) y_{i−1} / c)} for {@code i = 1..L−1}; output all states
 * {@code (B, L, h)}. The states are evaluated recurrently (a backend's fused kernel when offered,
 * else the generic loop) or by an associative scan over the transitions {@code T_i = I + A(u_i)}
 * (SPEC §1.3), composed in blocks of {@link StructuredVectorField#scanBlockSize()}.
 */
public final class LinearCdeLayer {
    private final StructuredVectorField field;
    private final int inputDim;
    private final double dt;
    private final double clip;

    /**
     * @param field    the configured vector field ({@code controlChannels = inputDim + 1})
     * @param inputDim input channels {@code d}
     * @param dt       control scaling
     * @param clip     tanh clip constant ({@code +∞}: plain addition)
     */
    public LinearCdeLayer(StructuredVectorField field, int inputDim, double dt, double clip) {
        if (field.controlChannels() != inputDim + 1) {
            throw new IllegalArgumentException("field has " + field.controlChannels() + " control channels, layer "
                    + "input has " + inputDim + " (+1 time channel)");
        }
        this.field = field;
        this.inputDim = inputDim;
        this.dt = dt;
        this.clip = clip;
    }

    /** The vector field. */
    public StructuredVectorField field() {
        return field;
    }

    /** Declared parameters with relative names: {@code init_layer.*} then the field's. */
    public List<ParameterShape> parameters() {
        List<ParameterShape> s = new ArrayList<>(Layers.linearShapes("init_layer", inputDim, field.hidden(), true));
        s.addAll(field.parameters());
        return s;
    }

    /** R1 init: {@code W_0, b_0 ~ N(0, init_std²)}, then the structure's parameters. */
    public ParameterSet initialize(Rng rng, double initStd) {
        ParameterSet p = new ParameterSet();
        Layers.initNormal(p, rng, "init_layer.weight", initStd, field.hidden(), inputDim);
        Layers.initNormal(p, rng, "init_layer.bias", initStd, field.hidden());
        p.putAll(field.initialize(rng, initStd));
        return p;
    }

    /** All states {@code (B, L, h)} for inputs {@code x (B, L, d)}. */
    public <T> T forward(TensorOps<T> ops, ParameterLookup<T> p, T x, ForwardMode.Evaluation evaluation) {
        int[] s = ops.shape(x);
        if (s.length != 3 || s[2] != inputDim) {
            throw new IllegalArgumentException("LinearCDE input must be (B, L, " + inputDim + "), got "
                    + Arrays.toString(s));
        }
        int b = s[0];
        int len = s[1];
        if (len < 2) {
            throw new IllegalArgumentException("LinearCDE needs sequences of length >= 2, got L = " + len);
        }
        T x0 = ops.reshape(ops.slice(x, 1, 0, 1), b, inputDim);
        T y0 = Layers.linear(ops, p, "init_layer", x0);
        T rest = ops.slice(x, 1, 1, len);
        T u = ops.scale(ops.concat(List.of(ops.full(1.0, b, len - 1, 1), rest), 2), dt);
        if (evaluation == ForwardMode.Evaluation.RECURRENT) {
            Optional<DenseRecurrenceKernel<T>> dense = ops.fusedDenseRecurrence(field);
            Optional<T> w = dense.isPresent() ? field.denseWeight(ops, p) : Optional.empty();
            if (w.isPresent()) {
                return dense.get().states(y0, u, w.get(), clip);
            }
        }
        T coef = ops.reshape(field.coefficients(ops, p, ops.reshape(u, b * (len - 1), inputDim + 1)),
                b, len - 1, field.coefficientCount());
        if (evaluation == ForwardMode.Evaluation.SCAN) {
            return scanStates(ops, p, y0, coef);
        }
        Optional<RecurrenceKernel<T>> fused = ops.fusedRecurrence(field);
        return fused.isPresent() ? fused.get().states(y0, coef, clip) : recurrentStates(ops, p, y0, coef);
    }

    /**
     * {@link #forward} of the layer whose input is an embedding, {@code X = E[ids]}: as the coefficient
     * map acts row by row ({@link StructuredVectorField#rowWiseCoefficients()}; SPEC §1.1: one row of
     * coefficients per control increment), the coefficients of {@code u = dt·[1, E[id]]} are row
     * {@code id} of the coefficients of the whole table {@code dt·[1, E]} ({@code V} rows). One small
     * product and a gather replace the {@code (B·(L−1)) × (d+1) × P} product and both of its backward
     * products: half an R1 step's matrix work. Same values as {@code forward(ops, p, E[ids], RECURRENT)}
     * up to the rounding of the products.
     *
     * @param table the embedding table {@code E} ({@code V × d})
     * @param tok   the token ids, one per step
     */
    public <T> T forwardFromTable(TensorOps<T> ops, ParameterLookup<T> p, T table, Batch.TokenInputs tok) {
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
        int vocab = ops.shape(table)[0];
        T y0 = Layers.linear(ops, p, "init_layer", ops.embedding(table, first, b));
        T u = ops.scale(ops.concat(List.of(ops.full(1.0, vocab, 1), table), 1), dt);
        Optional<DenseRecurrenceKernel<T>> dense = ops.fusedDenseRecurrence(field);
        if (dense.isPresent() && field.denseWeight(ops, p).isPresent()) {
            // dense: the V coefficient matrices, never the (B, L−1, h²) gather (DenseRecurrenceKernel)
            return dense.get().statesFromTable(y0, field.coefficients(ops, p, u), rest, clip);
        }
        T coef = ops.embedding(field.coefficients(ops, p, u), rest, b, len - 1);
        Optional<RecurrenceKernel<T>> fused = ops.fusedRecurrence(field);
        return fused.isPresent() ? fused.get().states(y0, coef, clip) : recurrentStates(ops, p, y0, coef);
    }

    /** The generic per-step loop (SPEC §1.1 eq. 2). */
    public <T> T recurrentStates(TensorOps<T> ops, ParameterLookup<T> p, T y0, T coef) {
        List<T> steps = ops.unstack(coef, 1);
        List<T> ys = new ArrayList<>(steps.size() + 1);
        T y = y0;
        ys.add(y);
        for (T c : steps) {
            T sv = field.apply(ops, p, c, y);
            y = ops.add(y, Double.isInfinite(clip) ? sv : ops.scale(ops.tanh(ops.scale(sv, 1.0 / clip)), clip));
            ys.add(y);
        }
        return ops.stack(ys, 1);
    }

    /**
     * States by a Hillis–Steele associative scan over the transitions {@code T_i = I + A(u_i)}, with
     * composition {@code (P, Q) ↦ Q·P} (later flow on the left), applied to {@code y_0}. The matrices are
     * materialised block-wise by {@link StructuredVectorField#transitionBlocks} (by default through
     * block-basis vectors, so any structure, plugins too, has a scan; the dense field reshapes its
     * coefficients, docs/models/scan-form.md "Building the transitions"). Linear: the tanh clip is not
     * applied, so this equals the recurrence only while every {@code |A(u_i) y_{i−1}| ≪ c} (relative gap
     * ≈ (s/c)²/3); an untrained R1 model's states pass that by L ≈ 32–48 (docs/models/scan-form.md), where
     * this is the unclipped Linear CDE, as R1's own scan was.
     */
    public <T> T scanStates(TensorOps<T> ops, ParameterLookup<T> p, T y0, T coef) {
        int[] cs = ops.shape(coef);
        int b = cs[0];
        int steps = cs[1];
        int h = field.hidden();
        int k = field.scanBlockSize();
        int nb = h / k;
        int n = b * steps;
        T blocks = field.transitionBlocks(ops, p, ops.reshape(coef, n, cs[2]));           // [n, blk, row, col]
        double[] eye = new double[k * k];
        for (int i = 0; i < k; i++) {
            eye[i * k + i] = 1.0;
        }
        T prefix = ops.reshape(ops.add(blocks, ops.constant(eye, k, k)), b, steps, nb, k, k);
        for (int offset = 1; offset < steps; offset <<= 1) {
            T earlier = ops.slice(prefix, 1, 0, steps - offset);
            T later = ops.slice(prefix, 1, offset, steps);
            prefix = ops.concat(List.of(ops.slice(prefix, 1, 0, offset), ops.matmul(later, earlier)), 1);
        }
        T y0b = ops.reshape(y0, b, 1, nb, k, 1);
        T ys = ops.reshape(ops.matmul(prefix, y0b), b, steps, h);
        return ops.concat(List.of(ops.reshape(y0, b, 1, h), ys), 1);
    }
}
