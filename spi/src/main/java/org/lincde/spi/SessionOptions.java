package org.lincde.spi;

import java.nio.file.Path;

/**
 * How to open a {@link Session}.
 *
 * @param dtype        precision of every tensor in the session
 * @param device       CPU or GPU
 * @param threads      intra-op threads (0 = the backend's default)
 * @param fusedKernels whether fused fast paths may be used (false forces the generic path, as the
 *                     conformance kit does to check both)
 * @param cacheDir     where a backend may extract native libraries (null = backend default under
 *                     the project's {@code .lincde/} folder)
 */
@Stability(value = Stability.Level.STABLE, since = "0.1")
public record SessionOptions(DType dtype, Device device, int threads, boolean fusedKernels, Path cacheDir) {
    /** Validates the thread count. */
    public SessionOptions {
        if (threads < 0) {
            throw new InvalidOptionException("threads", threads, "must be >= 0");
        }
    }

    /** CPU, default threads, fused kernels on. */
    public static SessionOptions of(DType dtype) {
        return new SessionOptions(dtype, Device.CPU, 0, true, null);
    }

    /** This with another dtype. */
    public SessionOptions withDtype(DType d) {
        return new SessionOptions(d, device, threads, fusedKernels, cacheDir);
    }

    /** This with fused kernels on or off. */
    public SessionOptions withFusedKernels(boolean fused) {
        return new SessionOptions(dtype, device, threads, fused, cacheDir);
    }

    /** This with a thread count. */
    public SessionOptions withThreads(int n) {
        return new SessionOptions(dtype, device, n, fusedKernels, cacheDir);
    }
}
