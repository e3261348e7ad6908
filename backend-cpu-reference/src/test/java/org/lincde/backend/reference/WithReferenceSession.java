package org.lincde.backend.reference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.lincde.spi.Session;
import org.lincde.spi.StructureRegistry;

/**
 * The set-up of the test classes that share one float64 reference session ({@link Fixtures#session()}) across
 * their tests: opened before the first, closed after the last. (Test classes run one after another here, so
 * the static field is never shared by two classes at once.)
 */
abstract class WithReferenceSession {
    /** The structures found on the class path, plugins included. */
    static final StructureRegistry REGISTRY = StructureRegistry.discover();

    static Session session;

    @BeforeAll
    static void open() {
        session = Fixtures.session();
    }

    @AfterAll
    static void close() {
        session.close();
    }
}
