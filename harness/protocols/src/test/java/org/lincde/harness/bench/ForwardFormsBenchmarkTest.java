package org.lincde.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lincde.spi.BackendRegistry;
import org.lincde.spi.DType;
import org.lincde.spi.HostTensor;
import org.lincde.spi.LinearCdeSpec;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.Session;
import org.lincde.spi.SessionOptions;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.StructureSpec;

/**
 * {@code bench --forms}'s numbers on the float64 reference backend, at a length where an untrained R1 model's
 * second-block states pass R1's tanh clip {@code c = 1e11} (docs/models/scan-form.md): the recurrent and scan
 * forms then differ by percents, although both are stable (one ulp moves the output by ~1e-15) and the scan equals
 * the unclipped recurrence to rounding.
 */
class ForwardFormsBenchmarkTest {
    private static final StructureRegistry STRUCTURES = StructureRegistry.discover();
    private static Session session;

    @BeforeAll
    static void open() {
        session = BackendRegistry.discover().get("reference").open(SessionOptions.of(DType.FLOAT64).withThreads(1));
    }

    @AfterAll
    static void close() {
        session.close();
    }

    /** cycle_nav's sizes (vocabulary and labels 9), R1's defaults (seed 1234, init_std 1, dt 1/40, clip 1e11). */
    private static LinearCdeSpec diagonal(double clip) {
        return r1(StructureSpec.of("diagonal"), clip);
    }

    private static LinearCdeSpec r1(StructureSpec structure, double clip) {
        LinearCdeSpec r1 = LinearCdeSpec.r1(9, 9, 128, 2, structure);
        return new LinearCdeSpec(r1.vocabSize(), r1.labelDim(), r1.modelDim(), r1.numBlocks(), r1.structure(),
                r1.useGlu(), r1.dropoutRate(), r1.initStd(), r1.secondEmbedding(), r1.dt(), clip);
    }

    @Test
    void atLength48TheFormsDifferByTheClipNotByRounding() {
        ForwardFormsBenchmark.Result r = ForwardFormsBenchmark.run(session, diagonal(LinearCdeSpec.R1_TANH_CLIP),
                STRUCTURES, 1, 48, 9, 9, 1, 1234);
        double formsRel = r.maxAbsDiff() / r.maxAbs();
        // measured: forms 2.6e-2, one ulp 1.4e-15, scan vs unclipped recurrence 6.8e-16
        assertThat(formsRel).as("recurrent vs scan").isGreaterThan(1e-3);
        assertThat(r.ulpRelDiff()).as("recurrent, parameters moved one ulp").isLessThan(1e-13).isGreaterThan(0.0);
        assertThat(r.unclippedRelDiff()).as("scan vs recurrent without the clip").isLessThan(1e-13);
        Map<String, Object> json = r.json();
        assertThat(json).containsKeys("forms_recurrent_ulp_rel_diff", "forms_unclipped_rel_diff");
        assertThat((double) json.get("forms_max_rel_diff")).isEqualTo(formsRel);
    }

    @Test
    void withoutTheClipTheFormsAgreeToRoundingAtLength64() {
        ForwardFormsBenchmark.Result r = ForwardFormsBenchmark.run(session, diagonal(Double.POSITIVE_INFINITY),
                STRUCTURES, 1, 64, 9, 9, 1, 1234);
        // measured 1.9e-15 (with the clip: 0.32)
        assertThat(r.maxAbsDiff() / r.maxAbs()).isLessThan(1e-13);
        assertThat(r.unclippedRelDiff()).isNaN();
        assertThat(r.json()).doesNotContainKey("forms_unclipped_rel_diff");
    }

    /**
     * The dense field's scan builds its transitions from the coefficients directly ({@code transitionBlocks},
     * docs/models/scan-form.md "Building the transitions"), not through block-basis vectors: the scan must
     * still be the unclipped recurrence to rounding.
     */
    @Test
    void denseScanEqualsTheUnclippedRecurrenceAtLength16() {
        ForwardFormsBenchmark.Result r = ForwardFormsBenchmark.run(session,
                r1(StructureSpec.of("dense"), LinearCdeSpec.R1_TANH_CLIP), STRUCTURES, 2, 16, 9, 9, 1, 1234);
        // measured: forms 1.8e-15, scan vs unclipped recurrence 1.5e-15, one ulp 1.5e-15
        assertThat(r.unclippedRelDiff()).as("scan vs recurrent without the clip").isLessThan(1e-12);
        assertThat(r.maxAbsDiff() / r.maxAbs()).as("recurrent vs scan, clip far from active").isLessThan(1e-12);
    }

    @Test
    void oneUlpAwayMovesEveryTrainableValueByOneUlpOfTheDtype() {
        ParameterSet p = new ParameterSet();
        p.put("w", HostTensor.of(new double[] {1.5, -3.25, 0.0}, 3));
        p.put("mask", HostTensor.of(new double[] {1.0, 0.0}, 2), ParameterSet.Role.BUFFER);
        for (DType d : DType.values()) {
            ParameterSet q = ForwardFormsBenchmark.oneUlpAway(p, d, Rng.seeded(1));
            double[] w = q.get("w").data();
            double[] w0 = p.get("w").data();
            for (int i = 0; i < w.length; i++) {
                double ulp = d == DType.FLOAT32 ? Math.ulp((float) w0[i]) : Math.ulp(w0[i]);
                assertThat(Math.abs(w[i] - w0[i])).as("%s w[%d]", d, i).isEqualTo(ulp);
            }
            assertThat(q.get("mask").data()).containsExactly(1.0, 0.0);
        }
    }
}
