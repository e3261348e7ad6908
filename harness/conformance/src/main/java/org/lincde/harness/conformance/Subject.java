package org.lincde.harness.conformance;

import org.lincde.spi.Structure;
import org.lincde.spi.StructureSpec;

/**
 * What one group of cases is about: a structure with its options, or nothing (a model without a
 * structure).
 *
 * @param structure    the provider (null for structure-free models)
 * @param spec         its options (null likewise)
 * @param discoverable whether backends can resolve it by id (it is registered for ServiceLoader)
 */
record Subject(Structure structure, StructureSpec spec, boolean discoverable) {
    static final Subject NONE = new Subject(null, null, true);

    /** The text printed in the structure column. */
    String label() {
        return spec == null ? "-" : spec.toString();
    }
}
