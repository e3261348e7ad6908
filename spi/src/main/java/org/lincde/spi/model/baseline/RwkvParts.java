package org.lincde.spi.model.baseline;

import java.util.List;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.TensorOps;

/**
 * Pieces the fla RWKV layers share (docs/models/rwkv.md): the token shift, the {@code LoRA} module, the
 * per-head GroupNorm, {@code F.normalize}, the layers' Xavier initialisation, and bfloat16 rounding points.
 */
final class RwkvParts {
    private RwkvParts() {}

    /** {@code _initialize_weights}: {@code xavier_uniform_(gain=2^−2.5)} on every {@code nn.Linear} weight, zero bias. */
    static final double XAVIER_GAIN = Math.pow(2, -2.5);

    /** The rounding points of one layer call: identity in float32/float64, bfloat16 rounding under the quirk. */
    record Precision(boolean bf16) {
        <T> T r(TensorOps<T> ops, T x) {
            return Bfloat16.maybe(ops, x, bf16);
        }
    }

    /**
     * {@code shifted − x} with {@code shifted_t = x_{t−1}}, {@code shifted_0 = 0} ({@code nn.ZeroPad2d((0, 0, 1, −1))},
     * fla's {@code token_shift}).
     */
    static <T> T shiftDelta(TensorOps<T> ops, T x) {
        int[] s = ops.shape(x);
        T shifted = s[1] == 1 ? ops.full(0.0, s[0], 1, s[2])
                : ops.concat(List.of(ops.full(0.0, s[0], 1, s[2]), ops.slice(x, 1, 0, s[1] - 1)), 1);
        return ops.sub(shifted, x);
    }

    /** An {@code nn.Linear} weight {@code (out, in)} with the layers' Xavier init; a bias, when asked, of zeros. */
    static void xavierLinear(List<ParameterShape> decl, ParameterSet out, Rng rng, String prefix, int in, int outDim,
                             boolean bias) {
        if (decl != null) {
            Params.linear(decl, prefix, in, outDim, bias);
            return;
        }
        double bound = XAVIER_GAIN * Math.sqrt(6.0 / (in + outDim));
        Params.uniform(out, rng, prefix + ".weight", -bound, bound, outDim, in);
        if (bias) {
            Params.constant(out, prefix + ".bias", 0.0, outDim);
        }
    }

    /**
     * fla's {@code LoRA(input_dim, output_dim, low_rank_dim, bias, activation)}:
     * {@code lora.2(act(lora.0(x)))}, {@code lora.0} without bias. Each op's output passes {@code pr}.
     */
    static <T> T lora(TensorOps<T> ops, org.lincde.spi.ParameterLookup<T> p, String prefix, T x, String activation,
                      boolean bias, Precision pr) {
        T h = pr.r(ops, org.lincde.spi.model.Layers.linear(ops, x, p.get(prefix + ".lora.0.weight"), null));
        h = switch (activation) {
            case "tanh" -> pr.r(ops, ops.tanh(h));
            case "sigmoid" -> pr.r(ops, ops.sigmoid(h));
            case "none" -> h;
            default -> throw new IllegalArgumentException("LoRA activation " + activation);
        };
        return pr.r(ops, org.lincde.spi.model.Layers.linear(ops, h, p.get(prefix + ".lora.2.weight"),
                bias ? p.get(prefix + ".lora.2.bias") : null));
    }

    /** Whether every value of {@code x} is exactly 0 (read on the host: a parameter of a few hundred values). */
    static <T> boolean allZero(TensorOps<T> ops, T x) {
        for (double d : ops.value(x).data()) {
            if (d != 0.0) {
                return false;
            }
        }
        return true;
    }

    /**
     * GroupNorm with {@code groups} groups over the channels of {@code x (B, L, C)}, per token (the layers apply
     * {@code nn.GroupNorm} / fla {@code GroupNorm} to {@code (B·L, C)}): biased variance, affine per channel.
     */
    static <T> T groupNorm(TensorOps<T> ops, T x, int groups, T weight, T bias, double eps) {
        int[] s = ops.shape(x);
        int c = s[2] / groups;
        T g = ops.reshape(x, s[0], s[1], groups, c);
        T normed = ops.layerNorm(g, ops.full(1.0, c), ops.full(0.0, c), eps);
        return ops.add(ops.mul(ops.reshape(normed, s[0], s[1], s[2]), weight), bias);
    }

    /**
     * {@code F.normalize(x, dim=−1, p=2)}: {@code x / max(‖x‖, 1e−12)}, written as
     * {@code x / sqrt(max(‖x‖², 1e−24))} so that a zero vector (RWKV-7's {@code k_k} starts at 0) has a
     * finite gradient.
     */
    static <T> T normalize(TensorOps<T> ops, T x) {
        double eps2 = 1e-24;
        T sq = ops.sum(ops.square(x), -1, true);
        T clamped = ops.addScalar(ops.relu(ops.addScalar(sq, -eps2)), eps2);
        return ops.div(x, ops.sqrt(clamped));
    }
}
