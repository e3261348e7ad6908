package org.lincde.spi.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.lincde.spi.BackendRegistry;
import org.lincde.spi.DType;
import org.lincde.spi.Session;
import org.lincde.spi.SessionOptions;

/**
 * The set-up of the test classes outside the reference backend that share one session of the float64 oracle
 * (found by id on the class path, one thread) across their tests: opened before the first, closed after the last.
 * (Test classes run one after another, so the static field is never shared by two classes at once.)
 */
public abstract class WithReferenceOracle {
    /** The float64 reference session of the running test class. */
    protected static Session reference;

    @BeforeAll
    protected static void openReference() {
        reference = BackendRegistry.discover().get("reference").open(SessionOptions.of(DType.FLOAT64).withThreads(1));
    }

    @AfterAll
    protected static void closeReference() {
        reference.close();
    }
}
