package org.lincde.spi.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.lincde.spi.Batch;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.InvalidOptionException;
import org.lincde.spi.LogLinearCdeSpec;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.Shapes;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.StructuredVectorField;
import org.lincde.spi.TensorOps;
import org.lincde.spi.structure.DiagonalDenseStructure;
import org.lincde.spi.structure.DplrStructure;
import org.lincde.spi.structure.SparseStructure;

/**
 * R3's {@code LogLinearCDE} (SPEC §1.5), written once over {@link TensorOps} for every structure of the
 * registry (plugins too). Parameters: {@code init_layer.weight (h×d)}, {@code init_layer.bias}, the
 * structure's own ({@code vf_A}, …, configured with {@code controlChannels = d}), {@code out_layer.weight
 * (K×h)}, {@code out_layer.bias}.
 *
 * <p><b>Flows (eq. 4).</b> For interval k with log-signature coordinates {@code λ_k}:
 * {@code T_k = I + Σ_c λ_k^c A_c + Σ_{u<v} λ_k^{[u,v]} (A_v A_u − A_u A_v)}, the Euler step of the log-ODE.
 * Sign: Euler's expansion of {@code dy = Σ A_c y dX^c} gives {@code A_v A_u} for the iterated integral
 * {@code S^{uv}}, whose antisymmetric part is the Lévy area {@code λ^{[u,v]}}. The level-1 term is the
 * structure's own {@code A(λ^{(1)})}. The brackets are built block-wise from the per-channel matrices
 * {@code A_c}, materialised in blocks of {@link StructuredVectorField#scanBlockSize()} by
 * {@link StructuredVectorField#transitionBlocks} (as in {@link LinearCdeLayer#scanStates}), so any
 * structure works; with 1×1 blocks (diagonal) the brackets vanish and are skipped (the depth-1 shortcut).
 *
 * <p><b>Linearity.</b> The log-ODE needs {@code A(λ) = Σ_c λ^c A_c}, the SPI's contract for a vector
 * field. R1's DPLR ({@code form=quadratic}) breaks it and is refused: configure {@code form=linear} (R3).
 *
 * <p><b>States.</b> {@code y_0 = init_layer(x0)}; [QUIRK] {@code T_0} is discarded
 * ({@link LogLinearCdeSpec#discardFirstFlow()}), then {@code y_k = T_k y_{k−1}}. Recurrent evaluation
 * applies {@code A(λ^{(1)})} with the structure's cheap {@code apply} plus the bracket blocks; scan
 * evaluation ({@link ForwardMode.Evaluation#SCAN}) materialises every {@code T_k} in block form and runs
 * R3's chunked associative scan: chunks of {@code parallel_steps} flows, sequential over chunks, a
 * Hillis–Steele prefix product {@code (X, Y) ↦ Y·X} inside each chunk, the remaining
 * {@code m mod P} flows recurrently. Both give the same states (tests: ≤ 1e−12).
 *
 * <p><b>Readout.</b> {@code logits = out_layer(mean_k y_k)} (the mean includes {@code y_0});
 * {@code softmax} is left to the loss ({@code CrossEntropy(1e−8)} is R3's {@code −Σ y log(p + 1e−8)}).
 *
 * <p><b>Regulariser</b> (R3, SPEC §4.3): {@code mean over rows of ||row||_2} of the structure's
 * regularised parameters, a row being one control channel's coefficients: for a {@code (d, …)} parameter
 * the rows of axis 0, for a {@code (…, d)} PyTorch-layout weight ({@code vf_A.weight} of the dense
 * structure) the columns. Matches R3 exactly for diagonal, block-diagonal, dense, WH and DPLR (only
 * {@code vf_A}); sparse follows R3's rule (mean over {@code (c, row)} of the row norms of the
 * {@code d×h×h} tensor); diagonal-dense has none, as R3. Plugins get the generic rule. A tiny
 * {@code 1e−30} inside each square root keeps the gradient finite at an all-zero row (masked sparse rows).
 *
 * <p><b>Differences from R3</b>, all of initialisation or parametrisation, none of the graph: Walsh–Hadamard
 * must be configured with {@code parameter_tanh=false} to match R3 (R1 applies tanh); R3's sparse model
 * keeps {@code round(p·d·h²)} values at unique random positions, ours a Bernoulli({@code p}) mask (same
 * expected count); the dense field's parameter layout is {@code (h·h, d)} where R3 stores {@code (d, h·h)}
 * (same values, transposed). Variable-length series padded by repeating the last observation add
 * identity flows, which still count in the time mean.
 */
public final class LogLinearCde implements ModelGraph {
    /** Guard inside row-norm square roots (see the class comment). */
    static final double NORM_EPS = 1e-30;

    private final LogLinearCdeSpec spec;
    private final StructuredVectorField field;
    private final int d;
    private final int h;
    private final int k;
    private final int[] pairU;
    private final int[] pairV;

    /** Resolves the structure of {@code spec} through {@code structures}. */
    public LogLinearCde(LogLinearCdeSpec spec, StructureRegistry structures) {
        this.spec = spec;
        this.d = spec.inputChannels();
        this.h = spec.hidden();
        this.field = structures.configure(spec.structure(), h, d);
        if (field instanceof DplrStructure.Field f && f.rank() > 0 && f.form() == DplrStructure.Form.QUADRATIC) {
            throw new InvalidOptionException("dplr.form", "quadratic", "the log-linear CDE needs a vector field "
                    + "linear in the control: use form=linear (R3)");
        }
        this.k = field.scanBlockSize();
        if (k < 1 || h % k != 0) {
            throw new IllegalArgumentException("structure " + spec.structure() + " reports scan block size " + k
                    + ", which does not divide h = " + h);
        }
        int pairs = d * (d - 1) / 2;
        pairU = new int[pairs];
        pairV = new int[pairs];
        for (int u = 0, i = 0; u < d; u++) {
            for (int v = u + 1; v < d; v++, i++) { // Hall basis order: [1,2], [1,3], …, [2,3], … (SPEC §3.5)
                pairU[i] = u;
                pairV[i] = v;
            }
        }
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    /** The configured vector field ({@code d} control channels). */
    public StructuredVectorField field() {
        return field;
    }

    @Override
    public List<ParameterShape> parameters() {
        List<ParameterShape> s = new ArrayList<>(Layers.linearShapes("init_layer", d, h, true));
        s.addAll(field.parameters());
        s.addAll(Layers.linearShapes("out_layer", h, spec.numClasses(), true));
        return s;
    }

    /**
     * Equinox's default {@code Linear} init ({@code U(±1/√fan_in)}, the PyTorch default) for
     * {@code init_layer} and {@code out_layer}; the structure's init with {@code init_std = w_init_std}
     * from {@code rng.stream("vf")}.
     */
    @Override
    public ParameterSet initialize(Rng rng) {
        ParameterSet p = new ParameterSet();
        Layers.initLinear(p, rng, "init_layer", d, h, true);
        p.putAll(field.initialize(rng.stream("vf"), spec.initStd()));
        Layers.initLinear(p, rng, "out_layer", h, spec.numClasses(), true);
        return p;
    }

    @Override
    public <T> T forward(TensorOps<T> ops, ParameterLookup<T> p, Batch batch, ForwardMode mode) {
        T ys = states(ops, p, batch, mode.evaluation());
        return Layers.linear(ops, p, "out_layer", ops.mean(ys, 1, false));
    }

    /** Every state {@code (B, S, h)}: {@code S = n} with the first flow discarded, {@code n+1} otherwise. */
    public <T> T states(TensorOps<T> ops, ParameterLookup<T> p, Batch batch, ForwardMode.Evaluation evaluation) {
        Batch.ChannelInputs in = inputs(batch);
        int b = in.batch();
        int first = spec.discardFirstFlow() ? 1 : 0;
        int m = in.length() - first;
        T y0 = Layers.linear(ops, p, "init_layer", ops.constant(in.initial(), b, d));
        if (m == 0) {
            return ops.reshape(y0, b, 1, h);
        }
        Coordinates<T> c = coordinates(ops, in, first, m);
        boolean brackets = spec.depth() == 2 && k > 1 && d > 1;
        T blocks = brackets || evaluation == ForwardMode.Evaluation.SCAN ? channelBlocks(ops, p) : null;
        T level2 = brackets ? bracketTerm(ops, blocks, c.level2) : null; // (b·m, nb·k·k)
        if (evaluation == ForwardMode.Evaluation.SCAN) {
            return scanStates(ops, y0, flowBlocks(ops, blocks, c.level1, level2, b, m), b, m);
        }
        return recurrentStates(ops, p, y0, c.level1, level2, b, m);
    }

    /**
     * The flows {@code T_k} actually applied (the first one dropped when discarded), in block form
     * {@code (B, m, h/k, k, k)} with {@code k} the scan block size: block {@code j} is rows and columns
     * {@code j·k … j·k+k−1} of {@code T_k}, every off-diagonal block being zero.
     */
    public <T> T flows(TensorOps<T> ops, ParameterLookup<T> p, Batch batch) {
        Batch.ChannelInputs in = inputs(batch);
        int first = spec.discardFirstFlow() ? 1 : 0;
        int m = in.length() - first;
        if (m == 0) {
            throw new IllegalArgumentException("no flow to apply: " + in.length() + " interval(s)");
        }
        Coordinates<T> c = coordinates(ops, in, first, m);
        T blocks = channelBlocks(ops, p);
        boolean brackets = spec.depth() == 2 && k > 1 && d > 1;
        T level2 = brackets ? bracketTerm(ops, blocks, c.level2) : null;
        T t = flowBlocks(ops, blocks, c.level1, level2, in.batch(), m);
        return k == 1 ? ops.reshape(t, in.batch(), m, h, 1, 1) : t;
    }

    /**
     * The per-channel matrices {@code A_c} in block form {@code (d, h/k, k, k)}: the field's
     * {@link StructuredVectorField#transitionBlocks} of {@code field.coefficients(I_d)}, row {@code c} being
     * {@code A(e_c) = A_c}.
     */
    public <T> T channelBlocks(TensorOps<T> ops, ParameterLookup<T> p) {
        double[] eye = new double[d * d];
        for (int i = 0; i < d; i++) {
            eye[i * d + i] = 1.0;
        }
        return field.transitionBlocks(ops, p, field.coefficients(ops, p, ops.constant(eye, d, d)));
    }

    /** {@code Σ_{u<v} λ^{[u,v]} (A_v A_u − A_u A_v)} per interval, flattened blocks {@code (N, nb·k·k)}. */
    private <T> T bracketTerm(TensorOps<T> ops, T blocks, T level2) {
        int nb = h / k;
        int pairs = pairU.length;
        T table = ops.reshape(blocks, d, nb * k * k);
        T au = ops.reshape(ops.embedding(table, pairU, pairs), pairs, nb, k, k);
        T av = ops.reshape(ops.embedding(table, pairV, pairs), pairs, nb, k, k);
        T br = ops.sub(ops.matmul(av, au), ops.matmul(au, av));                       // (pairs, nb, k, k)
        return ops.matmul(level2, ops.reshape(br, pairs, nb * k * k));
    }

    /** {@code T = I + Σ_c λ^c A_c (+ brackets)}, shape {@code (b, m, nb, k, k)}, or {@code (b, m, h)} when k = 1. */
    private <T> T flowBlocks(TensorOps<T> ops, T blocks, T level1, T level2, int b, int m) {
        int nb = h / k;
        T a = ops.matmul(level1, ops.reshape(blocks, d, nb * k * k));                // (b·m, nb·k·k)
        if (level2 != null) {
            a = ops.add(a, level2);
        }
        if (k == 1) {
            return ops.addScalar(ops.reshape(a, b, m, h), 1.0);
        }
        double[] eye = new double[k * k];
        for (int i = 0; i < k; i++) {
            eye[i * k + i] = 1.0;
        }
        return ops.add(ops.reshape(a, b, m, nb, k, k), ops.constant(eye, k, k));
    }

    /** The plain recurrence {@code y_k = y_{k−1} + A(λ_k^{(1)}) y_{k−1} + brackets_k y_{k−1}}. */
    private <T> T recurrentStates(TensorOps<T> ops, ParameterLookup<T> p, T y0, T level1, T level2, int b, int m) {
        int nb = h / k;
        T coef = field.coefficients(ops, p, level1);                                  // (b·m, P)
        List<T> coefSteps = ops.unstack(ops.reshape(coef, b, m, ops.shape(coef)[1]), 1);
        List<T> brSteps = level2 == null ? null : ops.unstack(ops.reshape(level2, b, m, nb, k, k), 1);
        List<T> ys = new ArrayList<>(m + 1);
        T y = y0;
        ys.add(y);
        for (int t = 0; t < m; t++) {
            T s = field.apply(ops, p, coefSteps.get(t), y);
            if (brSteps != null) {
                s = ops.add(s, ops.reshape(ops.matmul(brSteps.get(t), ops.reshape(y, b, nb, k, 1)), b, h));
            }
            y = ops.add(y, s);
            ys.add(y);
        }
        return ops.stack(ys, 1);
    }

    /** R3's chunked associative scan over the materialised flows (see the class comment). */
    private <T> T scanStates(TensorOps<T> ops, T y0, T flows, int b, int m) {
        int chunk = spec.parallelSteps();
        int full = m - m % chunk;
        List<T> parts = new ArrayList<>();
        parts.add(ops.reshape(y0, b, 1, h));
        T y = y0;
        for (int start = 0; start < full; start += chunk) {
            T prefix = prefixProducts(ops, ops.slice(flows, 1, start, start + chunk), chunk);
            T ys = applyFlows(ops, prefix, y, b, chunk);                              // (b, chunk, h)
            parts.add(ys);
            y = ops.reshape(ops.slice(ys, 1, chunk - 1, chunk), b, h);
        }
        if (full < m) {
            List<T> rest = ops.unstack(ops.slice(flows, 1, full, m), 1);
            for (T t : rest) {
                y = ops.reshape(applyFlows(ops, ops.reshape(t, prepend(b, 1, ops.shape(t))), y, b, 1), b, h);
                parts.add(ops.reshape(y, b, 1, h));
            }
        }
        return ops.concat(parts, 1);
    }

    /** Hillis–Steele inclusive scan along axis 1 with {@code (X, Y) ↦ Y·X} (later flow on the left). */
    private <T> T prefixProducts(TensorOps<T> ops, T flows, int len) {
        T prefix = flows;
        for (int offset = 1; offset < len; offset <<= 1) {
            T earlier = ops.slice(prefix, 1, 0, len - offset);
            T later = ops.slice(prefix, 1, offset, len);
            T combined = k == 1 ? ops.mul(later, earlier) : ops.matmul(later, earlier);
            prefix = ops.concat(List.of(ops.slice(prefix, 1, 0, offset), combined), 1);
        }
        return prefix;
    }

    /** {@code Π_j y} for prefix products {@code (b, len, …)} and a state {@code (b, h)}: {@code (b, len, h)}. */
    private <T> T applyFlows(TensorOps<T> ops, T prefix, T y, int b, int len) {
        if (k == 1) {
            return ops.mul(prefix, ops.reshape(y, b, 1, h));
        }
        int nb = h / k;
        return ops.reshape(ops.matmul(prefix, ops.reshape(y, b, 1, nb, k, 1)), b, len, h);
    }

    @Override
    public <T> T regularizer(TensorOps<T> ops, ParameterLookup<T> p) {
        if (field instanceof DiagonalDenseStructure.Field) {
            return ops.scalar(0.0); // R3 regularises no D-DE parameter
        }
        T total = null;
        for (String name : field.regularizedParameters()) {
            T w = p.get(name);
            T r = field instanceof SparseStructure.Field ? sparseRowNormMean(ops, w) : rowNormMean(ops, w, name);
            total = total == null ? r : ops.add(total, r);
        }
        return total == null ? ops.scalar(0.0) : total;
    }

    /** {@code mean_c ||W[c, :]||₂} over the control-channel rows of a 2-D parameter. */
    private <T> T rowNormMean(TensorOps<T> ops, T w, String name) {
        int[] s = ops.shape(w);
        int rest = Math.toIntExact(Shapes.size(s) / d);
        int axis;
        T w2;
        if (s[0] == d) {
            w2 = ops.reshape(w, d, rest);
            axis = 1;
        } else if (s[s.length - 1] == d) {
            w2 = ops.reshape(w, rest, d);
            axis = 0;
        } else {
            throw new IllegalArgumentException("regularised parameter '" + name + "' of shape " + Arrays.toString(s)
                    + " has no axis of the " + d + " control channels");
        }
        return ops.mean(ops.sqrt(ops.addScalar(ops.sum(ops.square(w2), axis, false), NORM_EPS)), 0, false);
    }

    /** R3's sparse rule: mean over {@code (c, p)} of {@code ||W_c[p, :]||₂} for weights stored {@code (h·h, d)}. */
    private <T> T sparseRowNormMean(TensorOps<T> ops, T w) {
        T rows = ops.sum(ops.square(ops.reshape(w, h, h, d)), 1, false);              // (h, d)
        T norms = ops.sqrt(ops.addScalar(ops.reshape(rows, h * d), NORM_EPS));
        return ops.mean(norms, 0, false);
    }

    @Override
    public Map<String, String> gradientMasks() {
        return field.gradientMasks();
    }

    /** Trainable scalars, counting the structure's as it does (a sparse field's masked weights are not). */
    @Override
    public long parameterCount() {
        int k = spec.numClasses();
        return (long) h * d + h + (long) k * h + k + field.parameterCount();
    }

    private Batch.ChannelInputs inputs(Batch batch) {
        if (!(batch.inputs() instanceof Batch.ChannelInputs in)) {
            throw new IllegalArgumentException("the log-linear CDE reads log-signature channels, got "
                    + batch.inputs().getClass().getSimpleName());
        }
        int beta = spec.logSignatureDimension();
        if (in.channels() != beta) {
            throw new IllegalArgumentException("the log-linear CDE (d = " + d + ", depth " + spec.depth()
                    + ") needs " + beta + " log-signature coordinates per interval, the batch has " + in.channels());
        }
        if (in.initial() == null || in.initialChannels() != d) {
            throw new IllegalArgumentException("the log-linear CDE needs the initial observation x0 with " + d
                    + " channels, the batch has " + (in.initial() == null ? "none" : in.initialChannels()));
        }
        if (in.length() < 1) {
            throw new IllegalArgumentException("the log-linear CDE needs at least one interval, got 0");
        }
        return in;
    }

    /** Level-1 {@code (b·m, d)} and level-2 {@code (b·m, pairs)} coordinates of intervals {@code first…}. */
    private <T> Coordinates<T> coordinates(TensorOps<T> ops, Batch.ChannelInputs in, int first, int m) {
        int b = in.batch();
        int beta = in.channels();
        T all = ops.constant(in.values(), b, in.length(), beta);
        T used = first == 0 ? all : ops.slice(all, 1, first, in.length());
        T level1 = ops.reshape(spec.depth() == 1 ? used : ops.slice(used, 2, 0, d), b * m, d);
        T level2 = spec.depth() == 2 && d > 1 ? ops.reshape(ops.slice(used, 2, d, beta), b * m, beta - d) : null;
        return new Coordinates<>(level1, level2);
    }

    private static int[] prepend(int b, int len, int[] rest) {
        int[] s = new int[rest.length + 1];
        s[0] = b;
        s[1] = len;
        System.arraycopy(rest, 1, s, 2, rest.length - 1);
        return s;
    }

    private record Coordinates<T>(T level1, T level2) {}
}
