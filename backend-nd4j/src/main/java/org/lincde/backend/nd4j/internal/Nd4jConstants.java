package org.lincde.backend.nd4j.internal;

import java.util.HashMap;
import java.util.Map;
import org.lincde.spi.DType;
import org.lincde.spi.structure.WalshHadamardTransform;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Constant matrices a session reuses across calls (the Sylvester Hadamard matrices), held outside
 * every workspace and released with the session.
 */
public final class Nd4jConstants implements AutoCloseable {
    private final Map<String, INDArray> cache = new HashMap<>();

    /** The unnormalised Sylvester matrix {@code H_n} (SPEC §1.1 item 4) in {@code dtype}. */
    public synchronized INDArray hadamard(int n, DType dtype) {
        return cache.computeIfAbsent("hadamard:" + n + ":" + dtype,
                k -> Nd4jArrays.createDetached(WalshHadamardTransform.matrix(n), new int[] {n, n}, dtype));
    }

    @Override
    public synchronized void close() {
        cache.values().forEach(INDArray::close);
        cache.clear();
    }
}
