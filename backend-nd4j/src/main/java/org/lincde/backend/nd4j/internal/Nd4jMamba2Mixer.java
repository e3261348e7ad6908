package org.lincde.backend.nd4j.internal;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import org.lincde.spi.Mamba2MixerKernel;
import org.lincde.spi.kernel.Mamba2Mixer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Mamba2 layer between its projections ({@link Mamba2MixerKernel}) as one tape op: forward and hand-derived
 * backward in Java ({@link Mamba2Mixer}, shared with the DJL backend) per batch row, so none of the generic graph's
 * intermediates exist (docs/models/mamba2.md §"Fused mixer"). Parameter gradients are summed over batch rows in
 * row order: the same at any thread count.
 */
final class Nd4jMamba2Mixer implements Mamba2MixerKernel<Nd4jTensor> {
    private final Nd4jTensorOps ops;
    private final ForkJoinPool pool;

    /** @param pool threads to split batch rows over, or null for the calling thread only */
    Nd4jMamba2Mixer(Nd4jTensorOps ops, ForkJoinPool pool) {
        this.ops = ops;
        this.pool = pool;
    }

    @Override
    public Nd4jTensor outputs(Nd4jTensor zxbcdt, Nd4jTensor convWeight, Nd4jTensor convBias, Nd4jTensor dtBias,
            Nd4jTensor aLog, Nd4jTensor d, Nd4jTensor normWeight, double eps) {
        int[] zs = zxbcdt.shape;
        int[] ws = convWeight.shape;
        int heads = dtBias.shape[0];
        int inner = normWeight.shape[0];
        int state = zs.length == 3 ? (zs[2] - 2 * inner - heads) / 2 : -1;
        if (zs.length != 3 || state <= 0 || zs[2] != 2 * inner + 2 * state + heads || ws.length != 3
                || ws[0] != inner + 2 * state || ws[1] != 1 || convBias.shape[0] != ws[0]
                || aLog.shape[0] != heads || d.shape[0] != heads || inner % heads != 0) {
            throw new IllegalArgumentException("Mamba2 mixer: zxbcdt " + Arrays.toString(zs) + ", conv1d.weight "
                    + Arrays.toString(ws) + ", conv1d.bias " + Arrays.toString(convBias.shape) + ", dt_bias "
                    + Arrays.toString(dtBias.shape) + ", A_log " + Arrays.toString(aLog.shape) + ", D "
                    + Arrays.toString(d.shape) + ", norm.weight " + Arrays.toString(normWeight.shape)
                    + " (expected (B, L, 2E+2N+H), (E+2N, 1, K), (E+2N), (H) ×3, (E))");
        }
        int b = zs[0];
        int len = zs[1];
        int conv = ws[2];
        boolean fast = ops.dataType() != DataType.DOUBLE;
        Mamba2Mixer shape = new Mamba2Mixer(len, inner, state, heads, conv, eps, fast);
        int ni = shape.inputSize();
        int no = shape.outputSize();
        int np = shape.paramSize();
        double[] in = Nd4jArrays.toDoubles(zxbcdt.value);
        Nd4jTensor[] params = {convWeight, convBias, dtBias, aLog, d, normWeight};
        double[] prm = new double[np];
        int off = 0;
        for (Nd4jTensor t : params) {
            double[] v = Nd4jArrays.toDoubles(t.value);
            System.arraycopy(v, 0, prm, off, v.length);
            off += v.length;
        }
        double[] out = new double[b * no];
        int nk = shape.keepSize();
        boolean recording = zxbcdt.requiresGrad || Arrays.stream(params).anyMatch(t -> t.requiresGrad);
        double[] keep = recording ? new double[b * nk] : null; // G, the decays and Y, for the backward pass
        Nd4jRecurrence.parallel(pool, b, Nd4jRecurrence.MIN_ROWS_PER_TASK, (from, to) -> {
            Mamba2Mixer kern = new Mamba2Mixer(len, inner, state, heads, conv, eps, fast);
            for (int r = from; r < to; r++) {
                kern.forward(in, r * ni, prm, out, r * no, keep, r * nk);
            }
        });
        Nd4jTensor result = ops.fromKernel(create(out, b, len, inner), zxbcdt, convWeight, convBias, dtBias, aLog, d,
                normWeight);
        if (result.requiresGrad) {
            ops.record(() -> {
                if (result.grad == null) {
                    return;
                }
                double[] dout = Nd4jArrays.toDoubles(result.grad);
                double[] din = new double[b * ni];
                double[] dRows = new double[b * np];
                Nd4jRecurrence.parallel(pool, b, Nd4jRecurrence.MIN_ROWS_PER_TASK, (from, to) -> {
                    Mamba2Mixer kern = new Mamba2Mixer(len, inner, state, heads, conv, eps, fast);
                    for (int r = from; r < to; r++) {
                        kern.backward(in, r * ni, prm, keep, r * nk, dout, r * no, din, r * ni, dRows, r * np);
                    }
                });
                double[] dp = new double[np];
                for (int r = 0; r < b; r++) { // fixed order: the same sum at any thread count
                    for (int i = 0; i < np; i++) {
                        dp[i] += dRows[r * np + i];
                    }
                }
                ops.accumulate(zxbcdt, create(din, zs), true);
                int o = 0;
                for (Nd4jTensor t : params) {
                    int size = 1;
                    for (int s : t.shape) {
                        size *= s;
                    }
                    ops.accumulate(t, create(Arrays.copyOfRange(dp, o, o + size), t.shape), true);
                    o += size;
                }
            });
        }
        return result;
    }

    private INDArray create(double[] values, int... shape) {
        long[] l = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            l[i] = shape[i];
        }
        return Nd4j.create(values, l, 'c').castTo(ops.dataType());
    }
}
