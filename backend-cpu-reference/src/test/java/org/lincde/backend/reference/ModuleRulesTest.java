package org.lincde.backend.reference;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.lincde.spi.testing.BackendModuleRules;

/** Only the provider is public API of this backend, and its internal package never refers back up. */
class ModuleRulesTest {
    @Test
    void onlyTheProviderIsPublicAndInternalArrowsPointOneWay() {
        assertThat(BackendModuleRules.otherPublicTypes(ReferenceBackend.class)).isEmpty();
        assertThat(BackendModuleRules.internalClassesReferringUp(ReferenceBackend.class)).isEmpty();
    }
}
