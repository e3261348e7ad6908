package org.lincde.backend.nd4j.internal;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Accurate replacements for ND4J 1.0.0-M2.1 transforms that lose their relative accuracy near zero.
 * Measured: libnd4j's {@code tanh}, {@code expm1} and {@code log1p} evaluate {@code e^x − 1} and
 * {@code log(1 + x)} naively, so {@code tanh(1e−11)} is off by 8e−8 relative in float64 and is
 * exactly 0 in float32 ({@code tanh(1e−6)} is 1.3 % off). R1's recurrence adds {@code c·tanh(s/c)}
 * with {@code c = 1e11}: with ND4J's tanh the float32 states would never move. These use the
 * classical rewritings that need only an accurate {@code exp} and {@code log} (Kahan's
 * {@code expm1}, Goldberg's {@code log1p}), which ND4J has.
 */
final class Nd4jMath {
    /** tanh(±20) is ±1 to within double rounding; clamping keeps {@code e^{2|x|}} finite. */
    private static final double TANH_SATURATION = 20.0;

    private Nd4jMath() {}

    /** 1.0 where {@code a == value}, else 0.0, in {@code a}'s type. */
    private static INDArray equalTo(INDArray a, double value) {
        return a.eq(value).castTo(a.dataType());
    }

    /**
     * {@code e^x − 1} accurate near 0 (Kahan): with {@code u = e^x}, {@code (u − 1)·x / log u}, or
     * {@code x} where {@code u} rounds to 1. For {@code x} that keep {@code e^x} finite.
     */
    static INDArray expm1(INDArray x) {
        INDArray u = Transforms.exp(x, true);
        INDArray one = equalTo(u, 1.0);
        INDArray um1 = u.sub(1.0);
        INDArray logU = Transforms.log(u, false).addi(one);        // 1 where u == 1: no 0/0
        return um1.muli(x).divi(logU).addi(one.muli(x));
    }

    /**
     * {@code log(1 + z)} accurate near 0 (Goldberg): with {@code u = 1 + z}, {@code log u · z / (u − 1)},
     * or {@code z} where {@code u} rounds to 1. For {@code z > −1}.
     */
    static INDArray log1p(INDArray z) {
        INDArray u = z.add(1.0);
        INDArray d = u.sub(1.0);
        INDArray zero = equalTo(d, 0.0);
        INDArray r = Transforms.log(u, false).muli(z).divi(d.addi(zero));
        return r.addi(zero.muli(z));
    }

    /** {@code tanh x = sign(x)·e/(e + 2)} with {@code e = expm1(2·min(|x|, 20))}: accurate for every x. */
    static INDArray tanh(INDArray x) {
        INDArray a = Transforms.min(Transforms.abs(x, true), TANH_SATURATION, false);
        INDArray e = expm1(a.muli(2.0));
        INDArray t = e.div(e.add(2.0));
        return t.muli(Transforms.sign(x, true));
    }

    /** {@code log(1 + e^x)} without overflow: {@code max(x, 0) + log1p(e^{−|x|})}. */
    static INDArray softplus(INDArray x) {
        INDArray tail = log1p(Transforms.exp(Transforms.abs(x, true).negi(), false));
        return Transforms.relu(x, true).addi(tail);
    }
}
