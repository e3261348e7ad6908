package org.lincde.backend.nd4j.internal;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import org.lincde.spi.RecurrenceKernel;
import org.lincde.spi.SelectiveScanKernel;
import org.lincde.spi.Shapes;
import org.lincde.spi.StructuredVectorField;
import org.lincde.spi.kernel.StepKernel;
import org.lincde.spi.kernel.StepKernels;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The whole Linear CDE recurrence (SPEC §1.1 eq. 2) of a built-in structure as one tape op:
 * {@code y_i = y_{i−1} + c·tanh(A(coef_i) y_{i−1} / c)}, forward and hand-derived backward, over
 * primitive rows read straight from the ND4J arrays' native memory (no copy of the coefficient
 * tensor, which is 654 MB for DE at R1 size in float32).
 *
 * <p>Why: the recurrence is tiny arithmetic (B·h·b multiply-adds per step for BD) but ~10 ND4J ops
 * per step and block on the generic path, each with tens of microseconds of call overhead, and its
 * backward would allocate per step. Here each batch row runs its whole sequence in a tight loop on
 * {@code double} scratch (float32 sessions read and write float32 arrays, accumulating in double),
 * rows split over the session's threads, no allocation inside the time loop.
 *
 * <p>Backward: with {@code t_i = tanh(s_i/c)} saved per element,
 * {@code gs_i = gy_i ⊙ (1 − t_i²)}, {@code dcoef_i = (∂ A(coef_i) y_{i−1} / ∂ coef_i)ᵀ gs_i},
 * {@code gy_{i−1} = gy_i + A(coef_i)ᵀ gs_i + dStates_{i−1}} (rules in {@link StepKernels}).
 */
public final class Nd4jRecurrence implements RecurrenceKernel<Nd4jTensor> {
    /** Rows per task below which the recurrence stays on the calling thread. */
    static final int MIN_ROWS_PER_TASK = 8;
    /** Below this {@code |s/c|}, {@code tanh(z) = z − z³/3} to within double rounding (error ~ 2z⁵/15). */
    private static final double SMALL_TANH = 1e-5;

    private final Nd4jTensorOps ops;
    private final StepKernel rule;
    private final int hidden;
    private final ForkJoinPool pool;

    private Nd4jRecurrence(Nd4jTensorOps ops, StepKernel rule, int hidden, ForkJoinPool pool) {
        this.ops = ops;
        this.rule = rule;
        this.hidden = hidden;
        this.pool = pool;
    }

    /** Offers fused kernels for the fields that have a step kernel (a session-level switch and thread pool). */
    public static final class Factory {
        private final ForkJoinPool pool;

        /** @param pool threads to split batch rows over, or null for the calling thread only */
        public Factory(ForkJoinPool pool) {
            this.pool = pool;
        }

        /** The fused kernel of {@code field}, or empty for structures without one. */
        public Optional<RecurrenceKernel<Nd4jTensor>> kernel(Nd4jTensorOps ops, StructuredVectorField field) {
            return StepKernels.forField(field).map(k -> new Nd4jRecurrence(ops, k, field.hidden(), pool));
        }

        /** The fused selective scan of S6 and the Mamba v1 block ({@link Nd4jSelectiveScan}). */
        public SelectiveScanKernel<Nd4jTensor> selectiveScan(Nd4jTensorOps ops) {
            return new Nd4jSelectiveScan(ops, pool);
        }

        /** The Mamba2 layer between its projections ({@link Nd4jMamba2Mixer}). */
        public org.lincde.spi.Mamba2MixerKernel<Nd4jTensor> mamba2Mixer(Nd4jTensorOps ops) {
            return new Nd4jMamba2Mixer(ops, pool);
        }

        /** Whether {@code field} has a fused kernel. */
        public static boolean supports(StructuredVectorField field) {
            return StepKernels.forField(field).isPresent();
        }
    }

    @Override
    public Nd4jTensor states(Nd4jTensor y0, Nd4jTensor coefficients, double clip) {
        int h = hidden;
        int p = rule.coefficientCount();
        Shapes.recurrence(y0.shape, coefficients.shape, h, p, clip);
        int b = y0.shape[0];
        int steps = coefficients.shape[1];
        int len = steps + 1;
        Shape sh = new Shape(b, steps, h, p, clip);
        INDArray y0v = Nd4jArrays.contiguous(y0.value);
        INDArray coef = Nd4jArrays.contiguous(coefficients.value);
        INDArray states = Nd4j.createUninitialized(ops.dataType(), b, len, h);
        double[] deriv = Double.isInfinite(clip) ? null : new double[b * steps * h];
        Access yIn = Access.of(y0v);
        Access cIn = Access.of(coef);
        Access out = Access.of(states);
        parallel(b, (from, to) -> forwardRows(sh, from, to, yIn, cIn, out, deriv));
        Nd4jTensor result = ops.fromKernel(states, y0, coefficients);
        if (result.requiresGrad) {
            ops.record(() -> {
                if (result.grad == null) {
                    return;
                }
                INDArray gStates = Nd4jArrays.contiguous(result.grad);
                INDArray gy0 = Nd4j.createUninitialized(ops.dataType(), b, h);
                INDArray gCoef = coefficients.requiresGrad
                        ? Nd4j.createUninitialized(ops.dataType(), b, steps, p) : null;
                Access gIn = Access.of(gStates);
                Access sIn = Access.of(states);
                Access gyOut = Access.of(gy0);
                Access gcOut = gCoef == null ? null : Access.of(gCoef);
                parallel(b, (from, to) -> backwardRows(sh, from, to, cIn, sIn, gIn, deriv, gyOut, gcOut));
                ops.accumulate(y0, gy0, true);
                if (gCoef != null) {
                    ops.accumulate(coefficients, gCoef, true);
                }
            });
        }
        return result;
    }

    /** Sizes of one call. */
    private record Shape(int batch, int steps, int h, int p, double clip) {}

    interface RowRange {
        void run(int from, int to);
    }

    /** Splits {@code [0, rows)} over the pool (or runs it here when small or single-threaded). */
    private void parallel(int rows, RowRange body) {
        parallel(pool, rows, MIN_ROWS_PER_TASK, body);
    }

    /** Splits {@code [0, rows)} over {@code pool} in ranges of at least {@code minRows} rows (or runs it here). */
    static void parallel(ForkJoinPool pool, int rows, int minRows, RowRange body) {
        int tasks = pool == null ? 1 : Math.min(pool.getParallelism(), Math.max(1, rows / minRows));
        if (tasks <= 1) {
            body.run(0, rows);
            return;
        }
        List<Callable<Void>> jobs = new ArrayList<>(tasks);
        for (int t = 0; t < tasks; t++) {
            int from = (int) ((long) rows * t / tasks);
            int to = (int) ((long) rows * (t + 1) / tasks);
            jobs.add(() -> {
                body.run(from, to);
                return null;
            });
        }
        for (var f : pool.invokeAll(jobs)) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("fused recurrence interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("fused recurrence failed: " + e.getCause(), e.getCause());
            }
        }
    }

    private void forwardRows(Shape sh, int from, int to, Access yIn, Access cIn, Access out, double[] deriv) {
        int h = sh.h;
        int p = sh.p;
        int steps = sh.steps;
        double clip = sh.clip;
        double inv = 1.0 / clip;
        double[] y = new double[h];
        double[] s = new double[h];
        double[] c = new double[p];
        double[] work = new double[rule.workspace()];
        float[] tmp = new float[Math.max(p, h)];
        for (int n = from; n < to; n++) {
            yIn.read((long) n * h, y, h, tmp);
            out.write((long) n * (steps + 1) * h, y, h, tmp);
            for (int i = 0; i < steps; i++) {
                long row = (long) n * steps + i;
                cIn.read(row * p, c, p, tmp);
                rule.apply(c, 0, y, 0, s, 0, work);
                if (deriv == null) {
                    for (int j = 0; j < h; j++) {
                        y[j] += s[j];
                    }
                } else {
                    int d0 = (int) (row * h);
                    for (int j = 0; j < h; j++) {
                        double z = s[j] * inv;
                        double t = Math.abs(z) < SMALL_TANH ? z - z * z * z / 3.0 : Math.tanh(z);
                        deriv[d0 + j] = 1.0 - t * t;
                        y[j] += clip * t;
                    }
                }
                out.write(((long) n * (steps + 1) + i + 1) * h, y, h, tmp);
            }
        }
    }

    private void backwardRows(Shape sh, int from, int to, Access cIn, Access sIn, Access gIn, double[] deriv,
                              Access gyOut, Access gcOut) {
        int h = sh.h;
        int p = sh.p;
        int steps = sh.steps;
        double[] gy = new double[h];
        double[] gs = new double[h];
        double[] gPrev = new double[h];
        double[] y = new double[h];
        double[] c = new double[p];
        double[] dc = new double[p];
        double[] work = new double[rule.workspace()];
        float[] tmp = new float[Math.max(p, h)];
        for (int n = from; n < to; n++) {
            long base = (long) n * (steps + 1);
            gIn.read((base + steps) * h, gy, h, tmp);
            for (int i = steps - 1; i >= 0; i--) {
                long row = (long) n * steps + i;
                if (deriv == null) {
                    System.arraycopy(gy, 0, gs, 0, h);
                } else {
                    int d0 = (int) (row * h);
                    for (int j = 0; j < h; j++) {
                        gs[j] = gy[j] * deriv[d0 + j];
                    }
                }
                cIn.read(row * p, c, p, tmp);
                sIn.read((base + i) * h, y, h, tmp);            // y_{i} is the state this step read
                System.arraycopy(gy, 0, gPrev, 0, h);           // the identity path of y_{i+1} = y_i + …
                rule.backward(c, 0, y, 0, gs, 0, dc, 0, gPrev, 0, work);
                if (gcOut != null) {
                    gcOut.write(row * p, dc, p, tmp);
                }
                gIn.read((base + i) * h, gy, h, tmp);           // dL/dy_i from the output itself
                for (int j = 0; j < h; j++) {
                    gy[j] += gPrev[j];
                }
            }
            gyOut.write((long) n * h, gy, h, tmp);
        }
    }

    /** Row access to a dense row-major float32 or float64 array's native memory. */
    private abstract static class Access {
        static Access of(INDArray a) {
            if (a.length() >= Integer.MAX_VALUE) {
                throw new IllegalArgumentException("fused recurrence: array of " + a.length() + " elements is too large");
            }
            if (a.dataType() == DataType.FLOAT) {
                return new F32(a.data().asNioFloat());
            }
            if (a.dataType() == DataType.DOUBLE) {
                return new F64(a.data().asNioDouble());
            }
            throw new IllegalArgumentException("fused recurrence: unsupported data type " + a.dataType());
        }

        /** {@code dst[0..n) = array[off .. off+n)}. */
        abstract void read(long off, double[] dst, int n, float[] tmp);

        /** {@code array[off .. off+n) = src[0..n)} (rounded to the array's type). */
        abstract void write(long off, double[] src, int n, float[] tmp);
    }

    private static final class F32 extends Access {
        private final FloatBuffer buf;

        F32(FloatBuffer buf) {
            this.buf = buf;
        }

        @Override
        void read(long off, double[] dst, int n, float[] tmp) {
            buf.get((int) off, tmp, 0, n);
            for (int i = 0; i < n; i++) {
                dst[i] = tmp[i];
            }
        }

        @Override
        void write(long off, double[] src, int n, float[] tmp) {
            for (int i = 0; i < n; i++) {
                tmp[i] = (float) src[i];
            }
            buf.put((int) off, tmp, 0, n);
        }
    }

    private static final class F64 extends Access {
        private final DoubleBuffer buf;

        F64(DoubleBuffer buf) {
            this.buf = buf;
        }

        @Override
        void read(long off, double[] dst, int n, float[] tmp) {
            buf.get((int) off, dst, 0, n);
        }

        @Override
        void write(long off, double[] src, int n, float[] tmp) {
            buf.put((int) off, src, 0, n);
        }
    }
}
