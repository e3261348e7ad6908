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
 * The Mamba v1 block (SPEC §2.3; {@code mamba_ssm.Mamba(d_model, d_state, d_conv, expand)}), names as its
 * state dict, {@code E = expand·D}:
 * <pre>
 *   [x'; z] = W_in x                        in_proj.weight (2E, D), no bias
 *   u = SiLU(causalConv(x'))                conv1d.weight (E, 1, K), conv1d.bias (E): depth-wise, left zero padding K−1
 *   y = S6(u)                               x_proj, dt_proj, A_log, D at width E, R = ⌈D/16⌉
 *   out = W_out (y ⊙ SiLU(z))               out_proj.weight (D, E), no bias
 * </pre>
 * Conv init is PyTorch's {@code Conv1d} default, {@code U(±1/√K)} for weight and bias. R1's Mamba2 may be
 * replaced by this block (SPEC §2.3): Mamba2's per-head scalar decay, head dimension and gated RMSNorm are
 * not reproduced.
 */
public final class MambaV1Layer implements SequenceLayer {
    private final int modelDim;
    private final int inner;
    private final int convKernel;
    private final S6Layer s6;

    /**
     * @param modelDim   {@code D}
     * @param stateDim   {@code N}
     * @param convKernel {@code d_conv}
     * @param expand     {@code expand}
     */
    public MambaV1Layer(int modelDim, int stateDim, int convKernel, int expand) {
        if (convKernel <= 0 || expand <= 0) {
            throw new IllegalArgumentException("Mamba needs d_conv > 0 and expand > 0, got " + convKernel + ", " + expand);
        }
        this.modelDim = modelDim;
        this.inner = expand * modelDim;
        this.convKernel = convKernel;
        this.s6 = new S6Layer(inner, stateDim, modelDim);
    }

    @Override
    public int width() {
        return modelDim;
    }

    @Override
    public void declare(List<ParameterShape> out, String prefix) {
        Params.linear(out, prefix + "in_proj", modelDim, 2 * inner, false);
        Params.add(out, prefix + "conv1d.weight", inner, 1, convKernel);
        Params.add(out, prefix + "conv1d.bias", inner);
        s6.declare(out, prefix);
        Params.linear(out, prefix + "out_proj", inner, modelDim, false);
    }

    @Override
    public void initialize(ParameterSet out, Rng rng, String prefix) {
        Layers.initLinear(out, rng, prefix + "in_proj", modelDim, 2 * inner, false);
        double bound = 1.0 / Math.sqrt(convKernel); // fan_in = in_channels/groups · K = K
        Params.uniform(out, rng, prefix + "conv1d.weight", -bound, bound, inner, 1, convKernel);
        Params.uniform(out, rng, prefix + "conv1d.bias", -bound, bound, inner);
        s6.initialize(out, rng, prefix);
        Layers.initLinear(out, rng, prefix + "out_proj", inner, modelDim, false);
    }

    @Override
    public <T> T forward(TensorOps<T> ops, ParameterLookup<T> p, T x, ForwardMode mode) {
        int[] s = ops.shape(x);
        if (s.length != 3 || s[2] != modelDim) {
            throw new IllegalArgumentException("Mamba input must be (B, L, " + modelDim + "), got "
                    + java.util.Arrays.toString(s));
        }
        java.util.Optional<org.lincde.spi.SelectiveScanKernel<T>> fused = ops.fusedSelectiveScan();
        if (fused.isPresent()) {
            x = fused.get().layerInput(x); // the same values; where the backend's backward phases may cut
        }
        T xz = Layers.linear(ops, x, p.get("in_proj.weight"), null);
        if (fused.isPresent() && fused.get().fusesMambaMixer()) {
            // the block between its projections as one op (docs/models/selective-scan.md §1)
            T a = ops.neg(ops.exp(p.get("A_log")));
            T mixed = fused.get().mambaMixer(xz, p.get("conv1d.weight"), p.get("conv1d.bias"), p.get("x_proj.weight"),
                    p.get("dt_proj.weight"), p.get("dt_proj.bias"), a, p.get("D"));
            return Layers.linear(ops, mixed, p.get("out_proj.weight"), null);
        }
        // one split of the projection, not two slices (each slice's backward fills a zero tensor of its full
        // width: docs/PERFORMANCE.md items 2, 15)
        List<T> halves = ops.unstack(ops.reshape(xz, s[0], s[1], 2, inner), 2);
        T xin = halves.get(0);
        T z = halves.get(1);
        T u = ops.silu(XlstmParts.causalConv(ops, xin, p.get("conv1d.weight"), p.get("conv1d.bias")));
        T gated = s6.forwardInner(ops, p, u, z, mode);                                   // S6(u) ⊙ SiLU(z)
        return Layers.linear(ops, gated, p.get("out_proj.weight"), null);
    }

    /**
     * Depth-wise causal convolution {@code out_t[e] = b[e] + Σ_k w[e, 0, k] · x_{t−(K−1)+k}[e]} with zeros
     * before the sequence start (PyTorch {@code Conv1d(groups=E, padding=K−1)} truncated to the first L outputs).
     */
    public static <T> T causalConv(TensorOps<T> ops, T x, T weight, T bias) {
        int[] s = ops.shape(x);
        int b = s[0];
        int len = s[1];
        int e = s[2];
        int k = ops.shape(weight)[2];
        List<T> taps = ops.unstack(ops.transpose(ops.reshape(weight, e, k), 0, 1), 0); // K × (E)
        T padded = k > 1 ? ops.concat(List.of(ops.full(0.0, b, k - 1, e), x), 1) : x;
        T acc = null;
        for (int j = 0; j < k; j++) {
            T term = ops.mul(ops.slice(padded, 1, j, j + len), taps.get(j));
            acc = acc == null ? term : ops.add(acc, term);
        }
        return ops.add(acc, bias);
    }
}
