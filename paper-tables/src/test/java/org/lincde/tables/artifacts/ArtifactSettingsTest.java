package org.lincde.tables.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lincde.harness.reproduce.Profile;
import org.lincde.harness.uea.LinearNcdeVariant;
import org.lincde.spi.DType;

/**
 * The artifacts' settings builders: a field left unset is named at build(), and "absent" is an empty optional
 * that stands for the authors' own value (R1's padding rule, R3's step budget, R2's epochs, the full series length).
 */
class ArtifactSettingsTest {
    @Test
    void aFieldLeftUnsetIsNamed() {
        assertThatThrownBy(() -> SliceRegularLanguages.Settings.builder().modelDim(64).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("SliceRegularLanguages.Settings: 'numBlocks' is required: call numBlocks(…) before build()");
        assertThatThrownBy(() -> SliceCosts.Settings.builder().batch(4).length(8).steps(3).warmup(1).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'hiddenSizes'");
        assertThatThrownBy(() -> UeaMini.Settings.builder().budget(20, 10).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("at least one group");
        assertThatThrownBy(() -> SsmToyRmse.Settings.builder().ssmRows("Mamba_d3"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Mamba_d3");
    }

    @Test
    void absentMeansTheAuthorsDefaultNotZero() {
        // paper: R1's own train_padding rule (256 for the LSTM); quick pads every model to 40
        assertThat(SliceRegularLanguages.cells(Profile.PAPER).get(0).settings().trainPadding()).isEmpty();
        assertThat(lstmConfig(Profile.PAPER)).containsEntry("train_padding", 256);
        assertThat(SliceRegularLanguages.cells(Profile.QUICK).get(0).settings().trainPadding()).hasValue(40);
        assertThat(lstmConfig(Profile.QUICK)).containsEntry("train_padding", 40);
        // paper: R3's 100 000 steps, evaluated every 1 000; quick: the profile's budget
        assertThat(SliceUea.settings(Profile.PAPER).budget()).isEmpty();
        assertThat(SliceUea.experiments(SliceUea.settings(Profile.PAPER)).get(0).numSteps()).isEqualTo(100_000);
        assertThat(SliceUea.experiments(SliceUea.settings(Profile.QUICK)).get(0).numSteps()).isEqualTo(1000);
        // paper: every model on the full length
        UeaStepCosts.Settings paper = UeaStepCosts.settings(Profile.PAPER);
        assertThat(paper.prefix()).isEmpty();
        assertThat(UeaStepCosts.fraction(paper, LinearNcdeVariant.BLOCK_DIAGONAL, UeaStepCosts.shape("EigenWorms")))
                .isEqualTo(1.0);
        // ssm-a5-layers paper: R2's epochs, no step budget
        assertThat(SsmA5Layers.settings(Profile.PAPER).maxSteps()).isEmpty();
        assertThat(SsmA5Layers.settings(Profile.QUICK).maxSteps()).hasValue(1500);
        assertThat(SsmToyRmse.settings(Profile.SMOKE).ssmRows()).extracting(r -> r[3])
                .isEqualTo(List.of("Mamba_d1", "S4_d2_nonlinear"));
    }

    private static Map<String, Object> lstmConfig(Profile p) {
        return new SliceRegularLanguages().grid(p, "reference", DType.FLOAT64).stream()
                .filter(r -> r.cell().startsWith("LSTM / ")).findFirst().orElseThrow().config();
    }
}
