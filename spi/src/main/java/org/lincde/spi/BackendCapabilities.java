package org.lincde.spi;

import java.util.Set;

/**
 * What a backend supports, declared before any session opens. A conformance case the backend
 * declares unsupported here is reported UNSUPPORTED; any other failure is a FAIL.
 *
 * @param dtypes       precisions it computes in
 * @param devices      devices it may run on (GPU only where its native artifact supports it)
 * @param fusedKernels whether it offers fused recurrence kernels (for fields with a step kernel)
 * @param description  one line for {@code lincde backends}
 */
@Stability(value = Stability.Level.STABLE, since = "0.1")
public record BackendCapabilities(Set<DType> dtypes, Set<Device> devices, boolean fusedKernels,
                                  String description) {
    /** Defensive copies. */
    public BackendCapabilities {
        dtypes = Set.copyOf(dtypes);
        devices = Set.copyOf(devices);
    }
}
