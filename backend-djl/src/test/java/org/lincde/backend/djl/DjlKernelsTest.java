package org.lincde.backend.djl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.lincde.backend.djl.internal.DjlKernels;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.StructureSpec;

/** DJL fuses the spi kernels up to its coefficient budget and leaves dense fields at h = 128 to libtorch. */
class DjlKernelsTest {
    private static final StructureRegistry REGISTRY = StructureRegistry.discover();

    @Test
    void denseFieldsAboveTheBudgetTakeTheGenericPath() {
        assertThat(DjlKernels.forField(REGISTRY.configure(StructureSpec.of("dense"), 8, 3))).isPresent();
        assertThat(DjlKernels.forField(REGISTRY.configure(StructureSpec.of("dense"), 128, 129))).isEmpty();
        assertThat(DjlKernels.forField(REGISTRY.configure(StructureSpec.of("block-diagonal", "block_size", "4"),
                128, 129))).isPresent();
        assertThat(DjlKernels.forField(REGISTRY.configure(StructureSpec.of("dplr", "rank", "2", "form", "linear"),
                8, 3))).isEmpty();
    }
}
