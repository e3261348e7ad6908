package org.lincde.spi.structure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lincde.spi.InvalidOptionException;
import org.lincde.spi.Structure;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.StructureSpec;
import org.lincde.spi.StructuredVectorField;

class StructureOptionsTest {
    private final StructureRegistry registry = StructureRegistry.discover();

    @Test
    void allSevenBuiltInsAreDiscoveredThroughServiceLoader() {
        assertThat(registry.all()).extracting(Structure::id)
                .containsExactlyInAnyOrderElementsOf(StructureRegistry.BUILT_IN_IDS);
        assertThat(registry.unavailable()).isEmpty();
    }

    @Test
    void badOptionsAreRejectedNamingTheOptionAndValue() {
        assertThatThrownBy(() -> registry.configure(StructureSpec.of("block-diagonal", "block_size", "3"), 128, 129))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("block_size").hasMessageContaining("3").hasMessageContaining("128");
        assertThatThrownBy(() -> registry.configure(StructureSpec.of("walsh-hadamard"), 96, 97))
                .isInstanceOf(InvalidOptionException.class).hasMessageContaining("96").hasMessageContaining("power of two");
        assertThatThrownBy(() -> registry.configure(StructureSpec.of("sparse", "sparsity", "1.5"), 8, 9))
                .isInstanceOf(InvalidOptionException.class).hasMessageContaining("sparsity").hasMessageContaining("1.5");
        assertThatThrownBy(() -> registry.configure(StructureSpec.of("sparse", "sparsity", "-0.1"), 8, 9))
                .hasMessageContaining("-0.1");
        assertThatThrownBy(() -> registry.configure(StructureSpec.of("dplr", "rank", "-1"), 8, 9))
                .isInstanceOf(InvalidOptionException.class).hasMessageContaining("rank").hasMessageContaining("-1");
        assertThatThrownBy(() -> registry.configure(StructureSpec.of("dplr", "rank", "two"), 8, 9))
                .hasMessageContaining("rank").hasMessageContaining("two").hasMessageContaining("integer");
        assertThatThrownBy(() -> registry.configure(StructureSpec.of("dplr", "form", "cubic"), 8, 9))
                .hasMessageContaining("form").hasMessageContaining("cubic");
        assertThatThrownBy(() -> registry.configure(StructureSpec.of("diagonal-dense", "block_size", "9"), 8, 9))
                .hasMessageContaining("block_size").hasMessageContaining("9");
        assertThatThrownBy(() -> registry.get("banded")).hasMessageContaining("banded").hasMessageContaining("diagonal");
    }

    @Test
    void parameterCountsAtPaperSize() {
        // h = 128 hidden, d + 1 = 129 control channels (time + 128 inputs)
        int h = 128;
        int d1 = 129;
        assertThat(count("dense", h, d1)).isEqualTo((long) h * h * d1);
        assertThat(count("diagonal", h, d1)).isEqualTo((long) h * d1);
        assertThat(registry.configure(StructureSpec.of("block-diagonal", "block_size", "4"), h, d1).parameterCount())
                .isEqualTo((long) h * 4 * d1);
        assertThat(count("walsh-hadamard", h, d1)).isEqualTo((long) h * d1);
        assertThat(registry.configure(StructureSpec.of("dplr", "rank", "4"), h, d1).parameterCount())
                .isEqualTo((long) h * (1 + 2 * 4) * d1);
        assertThat(registry.configure(StructureSpec.of("diagonal-dense", "block_size", "16"), h, d1).parameterCount())
                .isEqualTo((long) ((h - 16) + 16 * 16) * d1);
        // sparse: the expected number of unmasked weights, p·h²·(d+1) with the default p = 0.1
        assertThat(count("sparse", h, d1)).isEqualTo(Math.round(0.1 * h * h * d1));
    }

    private long count(String id, int h, int d1) {
        return registry.configure(StructureSpec.of(id), h, d1).parameterCount();
    }

    @Test
    void duplicateAndReservedIdsAreRefusedNamingBothProviders() {
        assertThatThrownBy(() -> new StructureRegistry(List.of(new DiagonalStructure(), new DiagonalStructure())))
                .hasMessageContaining("'diagonal'").hasMessageContaining(DiagonalStructure.class.getName());
        Structure impostor = new Structure() {
            public String id() {
                return "dense";
            }

            public String label(StructureSpec s) {
                return "x";
            }

            public String description() {
                return "x";
            }

            public List<Option> options() {
                return List.of();
            }

            public StructuredVectorField configure(int h, int d, StructureSpec s) {
                throw new UnsupportedOperationException();
            }
        };
        assertThatThrownBy(() -> new StructureRegistry(List.of(impostor))).hasMessageContaining("reserved");
    }
}
