package org.lincde.harness.data.formal;

import java.math.BigInteger;

/** {@code binary_multiplication} (SPEC §3.2): the little-endian product of the two numbers. */
public final class BinaryMultiplication extends BinaryArithmetic {
    public BinaryMultiplication() {
        super("binary_multiplication");
    }

    @Override
    BigInteger apply(BigInteger a, BigInteger b) {
        return a.multiply(b);
    }
}
