package org.lincde.backend.djl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.lincde.spi.testing.BackendModuleRules;

/** Only the provider is public API of this backend, and its internal package never refers back up. */
class ModuleRulesTest {
    @Test
    void onlyTheProviderIsPublicAndInternalArrowsPointOneWay() {
        assertThat(BackendModuleRules.otherPublicTypes(DjlBackend.class)).isEmpty();
        assertThat(BackendModuleRules.internalClassesReferringUp(DjlBackend.class)).isEmpty();
    }
}
