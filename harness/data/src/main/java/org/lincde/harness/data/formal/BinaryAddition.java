package org.lincde.harness.data.formal;

import java.math.BigInteger;

/** {@code binary_addition} (SPEC §3.2): the little-endian sum of the two numbers. */
public final class BinaryAddition extends BinaryArithmetic {
    public BinaryAddition() {
        super("binary_addition");
    }

    @Override
    BigInteger apply(BigInteger a, BigInteger b) {
        return a.add(b);
    }
}
