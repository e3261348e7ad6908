package org.lincde.spi.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.lincde.spi.Batch;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.NeuralCdeSpec;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.TensorOps;

/**
 * R3's {@code NeuralCDE}, {@code NeuralRDE} and {@code LogNeuralCDE} ({@link NeuralCdeSpec}), written once over
 * {@link TensorOps}; the equations, R3's file and line of each and the quirks are in docs/models/neural-cdes.md.
 *
 * <p><b>Solver.</b> diffrax's {@code Heun} with {@code ConstantStepSize} on the step grid of {@link HeunGrid}:
 * {@code y_{n+1} = y_n + dt/2 · (F(t_n, y_n) + F(t_{n+1}, y_n + dt·F(t_n, y_n)))}. Every step is part of the
 * graph, so gradients are those of diffrax's default {@code RecursiveCheckpointAdjoint} (discretise, then
 * differentiate; diffrax recomputes instead of storing, lincde's tapes store every stage).
 *
 * <p><b>Controls</b> depend on the data only and are built on the host per stage: NCDE's {@code dX/dt} of the
 * backward Hermite cubic ({@code diffrax.backward_hermite_coefficients}, {@code CubicInterpolation.derivative});
 * NRDE's and Log-NCDE's {@code λ_k / Δ_k} of the interval {@code k = searchsorted(intervals, t)} (the t = 0
 * [QUIRK]: {@link NeuralCdeSpec#wrapFirstStage()}).
 *
 * <p><b>Lie brackets</b> (Log-NCDE, depth 2): R3 takes {@code jax.jvp(vf, (y,), (f_j,))} for every row
 * {@code f_j} of the field and keeps {@code J f_b f_a − J f_a f_b} per Hall pair {@code a < b}. Here the JVPs are
 * forward tangents pushed through the MLP by hand ({@code ż = ȧ Wᵀ}, {@code ȧ' = σ'(z) ⊙ ż}), all {@code d}
 * tangents at once, so reverse-mode autodiff of the whole solve differentiates through them (R3's cost: the
 * full {@code d × d·h} Jacobian-vector products per stage).
 */
public final class NeuralCde implements ModelGraph {
    /** Guard inside the regulariser's square roots (a zero row would otherwise give a NaN gradient). */
    static final double NORM_EPS = 1e-30;

    private final NeuralCdeSpec spec;
    private final int d;
    private final int h;
    private final int beta;
    /** MLP layer sizes: in, hidden…, out. */
    private final int[] sizes;
    private final int[] pairA;
    private final int[] pairB;

    /** The graph of {@code spec}. */
    public NeuralCde(NeuralCdeSpec spec) {
        this.spec = spec;
        this.d = spec.inputChannels();
        this.h = spec.hidden();
        this.beta = spec.logSignatureDimension();
        int w = spec.vfWidth();
        int depth = spec.kind() == NeuralCdeSpec.Kind.NRDE ? spec.vfDepth() - 1 : spec.vfDepth();
        int out = switch (spec.kind()) {
            case NCDE, LOG_NCDE -> h * d;
            case NRDE -> w;
        };
        sizes = new int[depth + 2];
        sizes[0] = h;
        for (int i = 1; i <= depth; i++) {
            sizes[i] = w;
        }
        sizes[depth + 1] = out;
        int pairs = d * (d - 1) / 2;
        pairA = new int[pairs];
        pairB = new int[pairs];
        for (int a = 0, i = 0; a < d; a++) {
            for (int b = a + 1; b < d; b++, i++) { // HallSet(d, 2).data[1:][d:], 0-based
                pairA[i] = a;
                pairB[i] = b;
            }
        }
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    /** Number of linear layers of the MLP {@code vf.mlp} (its depth + 1). */
    public int mlpLayers() {
        return sizes.length - 1;
    }

    private static String layer(int i) {
        return "vf.mlp.layers." + i;
    }

    @Override
    public List<ParameterShape> parameters() {
        List<ParameterShape> s = new ArrayList<>();
        for (int i = 0; i < mlpLayers(); i++) {
            s.addAll(Layers.linearShapes(layer(i), sizes[i], sizes[i + 1], true));
        }
        if (spec.kind() == NeuralCdeSpec.Kind.NRDE) {
            s.addAll(Layers.linearShapes("mlp_linear", spec.vfWidth(), h * beta, true));
        }
        s.addAll(Layers.linearShapes("linear1", d, h, true));
        s.addAll(Layers.linearShapes("linear2", h, spec.numClasses(), true));
        return s;
    }

    /**
     * Equinox's {@code Linear} init ({@code U(±1/√fan_in)} for weight and bias) everywhere; the MLP's weights and
     * biases then divided by {@code scale} ({@code VectorField.init_weight}); NRDE's {@code mlp_linear} is not.
     */
    @Override
    public ParameterSet initialize(Rng rng) {
        ParameterSet p = new ParameterSet();
        Rng vf = rng.stream("vf");
        for (int i = 0; i < mlpLayers(); i++) {
            ParameterSet layer = new ParameterSet();
            Layers.initLinear(layer, vf, layer(i), sizes[i], sizes[i + 1], true);
            for (String name : List.of(layer(i) + ".weight", layer(i) + ".bias")) {
                org.lincde.spi.HostTensor t = layer.get(name);
                double[] v = t.data().clone();
                for (int j = 0; j < v.length; j++) {
                    v[j] /= spec.scale();
                }
                p.put(name, org.lincde.spi.HostTensor.of(v, t.shape()));
            }
        }
        if (spec.kind() == NeuralCdeSpec.Kind.NRDE) {
            Layers.initLinear(p, rng, "mlp_linear", spec.vfWidth(), h * beta, true);
        }
        Layers.initLinear(p, rng, "linear1", d, h, true);
        Layers.initLinear(p, rng, "linear2", h, spec.numClasses(), true);
        return p;
    }

    @Override
    public <T> T forward(TensorOps<T> ops, ParameterLookup<T> p, Batch batch, ForwardMode mode) {
        return Layers.linear(ops, p, "linear2", terminalState(ops, p, batch));
    }

    /** {@code y(t1)}, shape {@code (B, h)}. */
    public <T> T terminalState(TensorOps<T> ops, ParameterLookup<T> p, Batch batch) {
        Batch.ChannelInputs in = inputs(batch);
        int b = in.batch();
        float[] ts = HeunGrid.observationTimes(spec.length(), spec.horizon());
        float[] grid = HeunGrid.steps(ts[0], ts[ts.length - 1], spec.dt0(), spec.maxSteps());
        Controls<T> controls = spec.kind() == NeuralCdeSpec.Kind.NCDE
                ? new HermiteControls<>(ops, in, ts) : new IntervalControls<>(ops, in, ts);
        Field<T> field = new Field<>(ops, p, b);
        T y = Layers.linear(ops, p, "linear1", ops.constant(initial(in), b, d));
        for (int n = 0; n + 1 < grid.length; n++) {
            float t0 = grid[n];
            float t1 = grid[n + 1];
            double dt = t1 - t0; // float32 subtraction, as diffrax's ODETerm control
            T k1 = field.apply(y, controls.at(t0));
            T y2 = ops.add(y, ops.scale(k1, dt));
            T k2 = field.apply(y2, controls.at(t1));
            y = ops.add(y, ops.scale(ops.add(k1, k2), 0.5 * dt));
        }
        return y;
    }

    /** The vector field's value {@code F(y, t)} for a stage control, {@code (B, h)}. */
    public <T> T vectorField(TensorOps<T> ops, ParameterLookup<T> p, T y, T control) {
        return new Field<>(ops, p, ops.shape(y)[0]).apply(y, control);
    }

    /** The MLP {@code f(y)} ({@code vf}), {@code (B, out)}. */
    public <T> T mlp(TensorOps<T> ops, ParameterLookup<T> p, T y) {
        return new Field<>(ops, p, ops.shape(y)[0]).mlp(y).out;
    }

    /**
     * The forward-mode directional derivatives {@code J_f(y) · v_j} of the MLP for {@code m} tangents per sample:
     * {@code y (B, h)}, {@code v (B, m, h)} → {@code (B, m, out)}.
     */
    public <T> T mlpJvp(TensorOps<T> ops, ParameterLookup<T> p, T y, T v) {
        Field<T> f = new Field<>(ops, p, ops.shape(y)[0]);
        return f.jvp(f.mlp(y), v);
    }

    /** One forward's parameters, transposed once, and the field's maths. */
    private final class Field<T> {
        private final TensorOps<T> ops;
        private final List<T> wt = new ArrayList<>();
        private final List<T> bias = new ArrayList<>();
        private final T linearT;
        private final T linearBias;
        private final int b;
        private final int[] plusIds;
        private final int[] minusIds;

        Field(TensorOps<T> ops, ParameterLookup<T> p, int b) {
            this.ops = ops;
            this.b = b;
            for (int i = 0; i < mlpLayers(); i++) {
                wt.add(ops.transpose(p.get(layer(i) + ".weight"), 0, 1));
                bias.add(p.get(layer(i) + ".bias"));
            }
            if (spec.kind() == NeuralCdeSpec.Kind.NRDE) {
                linearT = ops.transpose(p.get("mlp_linear.weight"), 0, 1);
                linearBias = p.get("mlp_linear.bias");
            } else {
                linearT = null;
                linearBias = null;
            }
            boolean brackets = spec.kind() == NeuralCdeSpec.Kind.LOG_NCDE && spec.logsigDepth() == 2 && d > 1;
            int pairs = pairA.length;
            plusIds = brackets ? new int[b * pairs] : null;
            minusIds = brackets ? new int[b * pairs] : null;
            if (brackets) {
                for (int s = 0; s < b; s++) {
                    for (int q = 0; q < pairs; q++) {
                        // rows of G (B·d·d, h): G[s, j, i] = J f_i · f_j; R3's jvps[a, b] − jvps[b, a]
                        plusIds[s * pairs + q] = (s * d + pairA[q]) * d + pairB[q];
                        minusIds[s * pairs + q] = (s * d + pairB[q]) * d + pairA[q];
                    }
                }
            }
        }

        /** Forward pass keeping the pre-activations for the tangents. */
        Primal<T> mlp(T y) {
            List<T> pre = new ArrayList<>();
            T a = y;
            int last = wt.size() - 1;
            for (int i = 0; i <= last; i++) {
                T z = ops.add(ops.matmul(a, wt.get(i)), bias.get(i));
                pre.add(z);
                if (i < last) {
                    a = spec.kind() == NeuralCdeSpec.Kind.LOG_NCDE ? ops.silu(z) : ops.relu(z);
                } else {
                    a = ops.tanh(z);
                }
            }
            return new Primal<>(pre, a);
        }

        /** {@code J_f(y) v} for tangents {@code v (B, m, h)}: {@code (B, m, out)}. */
        T jvp(Primal<T> primal, T v) {
            int m = ops.shape(v)[1];
            T t = v;
            int last = wt.size() - 1;
            for (int i = 0; i <= last; i++) {
                T zdot = ops.matmul(t, wt.get(i));                                      // (B, m, out_i)
                T z = primal.pre.get(i);
                T slope;
                if (i < last) {
                    // SiLU'(z) = s + z s (1 − s), s = sigmoid(z) (only Log-NCDE takes JVPs)
                    T s = ops.sigmoid(z);
                    slope = ops.add(s, ops.mul(ops.mul(z, s), ops.addScalar(ops.neg(s), 1.0)));
                } else {
                    slope = ops.addScalar(ops.neg(ops.square(primal.out)), 1.0);          // tanh' = 1 − tanh²
                }
                int width = ops.shape(z)[1];
                t = ops.mul(zdot, ops.reshape(slope, b, 1, width));
            }
            return t;
        }

        T apply(T y, T control) {
            return switch (spec.kind()) {
                case NCDE -> {
                    T f = ops.reshape(mlp(y).out, b, h, d);                               // reshape (h, d)
                    yield ops.reshape(ops.matmul(f, ops.reshape(control, b, d, 1)), b, h);
                }
                case NRDE -> {
                    T f = ops.add(ops.matmul(mlp(y).out, linearT), linearBias);
                    T g = ops.reshape(f, b, h, beta);                                      // reshape (h, β)
                    yield ops.reshape(ops.matmul(g, ops.reshape(control, b, beta, 1)), b, h);
                }
                case LOG_NCDE -> logOde(y, control);
            };
        }

        private T logOde(T y, T control) {
            Primal<T> primal = mlp(y);
            T vf = ops.reshape(primal.out, b, d, h);                                        // reshape (d, h)
            T level1 = spec.logsigDepth() == 1 ? control : ops.slice(control, 1, 0, d);
            T out = ops.reshape(ops.matmul(ops.reshape(level1, b, 1, d), vf), b, h);
            if (plusIds == null) {
                return out;
            }
            int pairs = pairA.length;
            T g = ops.reshape(jvp(primal, vf), b * d * d, h);                            // G[s, j, i·h + k]
            T plus = ops.embedding(g, plusIds, b, pairs);
            T minus = ops.embedding(g, minusIds, b, pairs);
            T level2 = ops.reshape(ops.slice(control, 1, d, beta), b, 1, pairs);
            T lie = ops.reshape(ops.matmul(level2, ops.sub(plus, minus)), b, h);
            return ops.add(out, lie);
        }
    }

    private record Primal<T>(List<T> pre, T out) {}

    /** Per-stage controls {@code (B, m)}, built on the host from the batch. */
    private interface Controls<T> {
        T at(float t);
    }

    /** NCDE: {@code dX/dt} of diffrax's backward Hermite cubic through {@code (ts_j, x_j)}. */
    private final class HermiteControls<T> implements Controls<T> {
        private final TensorOps<T> ops;
        private final float[] ts;
        private final int b;
        private final int len;
        /** Per (sample, interval, channel): the cubic's b, c, d coefficients. */
        private final double[] cb;
        private final double[] cc;
        private final double[] cd;
        private float lastT = Float.NaN;
        private T last;

        HermiteControls(TensorOps<T> ops, Batch.ChannelInputs in, float[] ts) {
            this.ops = ops;
            this.ts = ts;
            this.b = in.batch();
            this.len = in.length();
            double[] x = in.values();
            int m = len - 1;
            cb = new double[b * m * d];
            cc = new double[b * m * d];
            cd = new double[b * m * d];
            for (int s = 0; s < b; s++) {
                for (int c = 0; c < d; c++) {
                    for (int i = 0; i < m; i++) {
                        double dti = (double) ts[i + 1] - ts[i];
                        double xi = x[(s * len + i) * d + c];
                        double next = x[(s * len + i + 1) * d + c];
                        // backward difference at the interval's start (forward at the first knot)
                        double deriv = i == 0 ? (next - xi) / dti
                                : (xi - x[(s * len + i - 1) * d + c]) / ((double) ts[i] - ts[i - 1]);
                        double dd = (next - xi) / dti - deriv;
                        int at = (s * m + i) * d + c;
                        cb[at] = deriv;
                        cc[at] = 2 * dd / dti;
                        cd[at] = -dd / (dti * dti);
                    }
                }
            }
        }

        @Override
        public T at(float t) {
            if (t == lastT) {
                return last;
            }
            int m = len - 1;
            int index = Math.min(Math.max(HeunGrid.searchLeft(ts, t) - 1, 0), m - 1);
            double frac = t - ts[index]; // float32, as diffrax's _interpret_t
            double[] v = new double[b * d];
            for (int s = 0; s < b; s++) {
                for (int c = 0; c < d; c++) {
                    int at = (s * m + index) * d + c;
                    v[s * d + c] = cb[at] + frac * (2 * cc[at] + frac * 3 * cd[at]);
                }
            }
            lastT = t;
            last = ops.constant(v, b, d);
            return last;
        }
    }

    /** NRDE, Log-NCDE: {@code λ_{k−1} / (intervals[k] − intervals[k−1])} with {@code k = searchsorted(intervals, t)}. */
    private final class IntervalControls<T> implements Controls<T> {
        private final TensorOps<T> ops;
        private final Batch.ChannelInputs in;
        private final float[] intervals;
        private int lastK = Integer.MIN_VALUE;
        private T last;

        IntervalControls(TensorOps<T> ops, Batch.ChannelInputs in, float[] ts) {
            this.ops = ops;
            this.in = in;
            this.intervals = HeunGrid.intervals(ts, spec.stepsize(), spec.horizon());
        }

        @Override
        public T at(float t) {
            int k = HeunGrid.searchLeft(intervals, t);
            if (k == lastK) {
                return last;
            }
            int n = in.length();
            int row;
            float delta;
            if (k == 0) {
                if (spec.wrapFirstStage()) {
                    row = n - 1;                                             // logsig[-1]
                    delta = intervals[0] - intervals[intervals.length - 1];  // intervals[0] − intervals[-1] = −T
                } else {
                    row = 0;
                    delta = intervals[1] - intervals[0];
                }
            } else {
                row = k - 1;
                delta = intervals[k] - intervals[k - 1];
            }
            if (row >= n) {
                throw new IllegalArgumentException("the solve reads log-signature interval " + row + " but the batch "
                        + "has " + n + " (series length " + spec.length() + ", stepsize " + spec.stepsize() + ")");
            }
            int bsz = in.batch();
            double[] v = new double[bsz * beta];
            double[] src = in.values();
            for (int s = 0; s < bsz; s++) {
                int from = (s * n + row) * beta;
                for (int c = 0; c < beta; c++) {
                    v[s * beta + c] = src[from + c] / delta;
                }
            }
            lastK = k;
            last = ops.constant(v, bsz, beta);
            return last;
        }
    }

    /**
     * Log-NCDE's Lip(2) penalty ({@code train.py} {@code classification_loss}, {@code lip2 = True}):
     * {@code Σ_layers mean(||W_ℓ||_rows + ||b_ℓ||)} over {@code vf.mlp.layers}; 0 for NCDE and NRDE.
     */
    @Override
    public <T> T regularizer(TensorOps<T> ops, ParameterLookup<T> p) {
        if (spec.kind() != NeuralCdeSpec.Kind.LOG_NCDE) {
            return ops.scalar(0.0);
        }
        T total = null;
        for (int i = 0; i < mlpLayers(); i++) {
            T w = p.get(layer(i) + ".weight");
            T rows = ops.sqrt(ops.addScalar(ops.sum(ops.square(w), 1, false), NORM_EPS));
            T bnorm = ops.sqrt(ops.addScalar(ops.sumAll(ops.square(p.get(layer(i) + ".bias"))), NORM_EPS));
            T r = ops.add(ops.mean(rows, 0, false), bnorm);
            total = total == null ? r : ops.add(total, r);
        }
        return total;
    }

    @Override
    public Map<String, String> gradientMasks() {
        return Map.of();
    }

    private double[] initial(Batch.ChannelInputs in) {
        if (spec.kind() != NeuralCdeSpec.Kind.NCDE) {
            return in.initial();
        }
        // NCDE: x0 = the first observation of the series (R3's coeff data, data[:, 0, :])
        double[] x0 = new double[in.batch() * d];
        for (int s = 0; s < in.batch(); s++) {
            System.arraycopy(in.values(), s * in.length() * d, x0, s * d, d);
        }
        return x0;
    }

    private Batch.ChannelInputs inputs(Batch batch) {
        if (!(batch.inputs() instanceof Batch.ChannelInputs in)) {
            throw new IllegalArgumentException("the " + spec.kind().label() + " reads real-valued channels, got "
                    + batch.inputs().getClass().getSimpleName());
        }
        if (spec.kind() == NeuralCdeSpec.Kind.NCDE) {
            if (in.channels() != d || in.length() != spec.length()) {
                throw new IllegalArgumentException("the NCDE (d = " + d + ", L = " + spec.length() + ") needs the series "
                        + "(B, " + spec.length() + ", " + d + "), the batch has (B, " + in.length() + ", "
                        + in.channels() + ")");
            }
            return in;
        }
        if (in.channels() != beta) {
            throw new IllegalArgumentException("the " + spec.kind().label() + " (d = " + d + ", depth "
                    + spec.logsigDepth() + ") needs " + beta + " log-signature coordinates per interval, the batch has "
                    + in.channels());
        }
        if (in.initial() == null || in.initialChannels() != d) {
            throw new IllegalArgumentException("the " + spec.kind().label() + " needs the initial observation x0 with "
                    + d + " channels, the batch has " + (in.initial() == null ? "none" : in.initialChannels()));
        }
        return in;
    }
}
