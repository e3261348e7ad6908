package org.lincde.harness.conformance;

import java.util.Set;
import org.lincde.spi.DType;

/** What the op-level and model-level checks of one backend and dtype share: where they run and what they skip. */
abstract class BackendChecks {
    final CaseRunner runner;
    final String backend;
    final DType dtype;
    final KnownGaps gaps;
    final Set<Check> checks;

    BackendChecks(CaseRunner runner, String backend, DType dtype, KnownGaps gaps, Set<Check> checks) {
        this.runner = runner;
        this.backend = backend;
        this.dtype = dtype;
        this.gaps = gaps;
        this.checks = checks;
    }
}
