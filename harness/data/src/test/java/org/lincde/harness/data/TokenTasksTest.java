package org.lincde.harness.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.lincde.spi.Batch;

class TokenTasksTest {

    @Test
    void r1DefaultsAreThePapersValues() {
        TaskOptions o = TaskOptions.r1Defaults(1234);
        assertThat(o.seed()).isEqualTo(1234);
        assertThat(o.trainPadding()).isEqualTo(40);
        assertThat(o.validationPadding()).isEqualTo(256);
        assertThat(o.trainLengths()).isEqualTo(new TaskOptions.LengthRange(3, 40));
        assertThat(o.validationLengths()).isEqualTo(new TaskOptions.LengthRange(40, 256));
        assertThat(o.validationSamples()).isEqualTo(8192);
        assertThat(o.a5Length()).isEqualTo(20);
        assertThat(o.a5Size()).isEqualTo(1_000_000);
        assertThat(o.a5TrainSplit()).isEqualTo(0.8);
    }

    @Test
    void createsFormalLanguageTasksByR1Name() {
        TokenTask t = TokenTasks.create("cycle_nav", TaskOptions.r1Defaults(1).withValidationSamples(8));
        assertThat(t.name()).isEqualTo("cycle_nav");
        assertThat(t.vocabSize()).isEqualTo(9);
        assertThat(t.labelDim()).isEqualTo(9);
        assertThat(t.validationBatches(8)).hasSize(1);
        assertThat(TokenTasks.create("mod_arith_no_brack", TaskOptions.r1Defaults(1)).vocabSize()).isEqualTo(10);
    }

    @Test
    void createsA5WithTheLengthFromTheNameOrTheOptions() {
        TaskOptions o = TaskOptions.r1Defaults(1).withA5(5, 500, 0.8);
        TokenTask eight = TokenTasks.create("A5=8", o);
        assertThat(eight.name()).isEqualTo("A5-8");
        assertThat(eight.vocabSize()).isEqualTo(60);
        assertThat(eight.labelDim()).isEqualTo(60);
        Batch b = eight.trainBatch(0, 10);
        assertThat(b.length()).isEqualTo(8);
        assertThat(eight.auxiliaryBatch(0, 10)).get().extracting(Batch::batchSize).isEqualTo(1);
        assertThat(TokenTasks.create("A5-8", o).name()).isEqualTo("A5-8");
        TokenTask fromOptions = TokenTasks.create("A5", o);
        assertThat(fromOptions.name()).isEqualTo("A5-5");
        assertThat(fromOptions.validationBatches(1000)).extracting(Batch::batchSize).containsExactly(100);
    }

    @Test
    void unknownNamesListTheKnownOnes() {
        TaskOptions o = TaskOptions.r1Defaults(1);
        assertThatThrownBy(() -> TokenTasks.create("cycle_navigation", o))
                .hasMessageContaining("unknown task 'cycle_navigation'")
                .hasMessageContaining("cycle_nav, even_pairs, parity, mod_arith_no_brack")
                .hasMessageContaining("compute_sqrt").hasMessageContaining("A5=<N>");
        assertThatThrownBy(() -> TokenTasks.create("majority", o))
                .hasMessageContaining("'majority' is not provided").hasMessageContaining("QUIRK");
        assertThatThrownBy(() -> TokenTasks.create("A5=x", o)).hasMessageContaining("'x' is not an integer");
        assertThatThrownBy(() -> TokenTasks.create("A5=1", o)).hasMessageContaining(">= 2");
    }

    @Test
    void optionsAreChecked() {
        TaskOptions o = TaskOptions.r1Defaults(1);
        assertThatThrownBy(() -> o.withA5(8, 100, 0.0)).hasMessageContaining("a5TrainSplit");
        assertThatThrownBy(() -> o.withValidationSamples(-1)).hasMessageContaining("validationSamples");
        assertThatThrownBy(() -> new TaskOptions.LengthRange(5, 4)).hasMessageContaining("[5, 4]");
        assertThatThrownBy(() -> o.withTrainPadding(-2)).hasMessageContaining("trainPadding");
    }
}
