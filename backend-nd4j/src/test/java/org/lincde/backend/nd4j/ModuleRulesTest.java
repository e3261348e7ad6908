package org.lincde.backend.nd4j;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.lincde.spi.testing.BackendModuleRules;

/** Only the provider is public API of this backend, and its internal package never refers back up. */
class ModuleRulesTest {
    @Test
    void onlyTheProviderIsPublicAndInternalArrowsPointOneWay() {
        assertThat(BackendModuleRules.otherPublicTypes(Nd4jBackend.class)).isEmpty();
        assertThat(BackendModuleRules.internalClassesReferringUp(Nd4jBackend.class)).isEmpty();
    }
}
